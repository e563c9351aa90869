"""Phase 3, Part 1 of the guide: similar work, qualitative research and solution options.

Notes about residents are personal data. A research session keeps its raw notes
only sealed (AES-GCM, the datasets area's key); the themes and quotes the wider
team reads are stored after the engine's free-text redaction. Consent is kept
per participant under a reference ("Participant 1"), never a name. No
``__str__`` here returns text a person typed about a resident, because the
audit log keeps each target's label.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from community_insights.portal.core.models import BackgroundJob, BaseModel


class SimilarWork(BaseModel):
    """Comparable work by another council or organisation, and what the team can reuse (Step 1)."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="similar_work")
    title = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200)
    url = models.URLField(max_length=500, blank=True)
    notes = models.TextField(blank=True)
    reusable = models.TextField(blank=True, help_text="What the team can reuse: an approach, a chart, code.")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["project", "created_at"]

    def __str__(self) -> str:
        return self.title


class ResearchPlan(BaseModel):
    """Who the team will talk to, how, with what consent wording and questions (Step 2)."""

    class Format(models.TextChoices):
        ONE_TO_ONE = "one_to_one", "1-1 interviews"
        GROUP = "group", "Group interviews"
        BOTH = "both", "Both"

    project = models.OneToOneField("projects.Project", on_delete=models.CASCADE, related_name="research_plan")
    participants = models.TextField(help_text="Who the team will talk to.")
    how_many = models.PositiveSmallIntegerField()
    format = models.CharField(max_length=20, choices=Format.choices)
    consent_wording = models.TextField()
    questions = models.TextField()
    research_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"Research plan for {self.project}"


class ResearchSession(BaseModel):
    """One interview or group session: sealed raw notes, redacted themes and quotes."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="research_sessions")
    held_on = models.DateField()
    format = models.CharField(max_length=20, choices=ResearchPlan.Format.choices[:2])
    participant_count = models.PositiveSmallIntegerField()
    notes_sealed = models.BinaryField(editable=False)
    themes = models.TextField(help_text="Redacted before it is stored.")
    quotes = models.TextField(blank=True, help_text="One quote a line, redacted before it is stored.")
    redactions = models.PositiveIntegerField(default=0, help_text="How many pieces of personal data were removed.")
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["project", "held_on", "pk"]

    def __str__(self) -> str:
        return f"Research session on {self.held_on:%d %B %Y}"

    @property
    def quote_list(self) -> list[str]:
        return [q.strip() for q in self.quotes.splitlines() if q.strip()]


class ParticipantConsent(BaseModel):
    """Whether one participant of a session gave consent, under a number, never a name."""

    session = models.ForeignKey(ResearchSession, on_delete=models.CASCADE, related_name="consents")
    number = models.PositiveSmallIntegerField()
    given = models.BooleanField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["session", "number"]
        constraints = [models.UniqueConstraint(fields=["session", "number"], name="unique_participant_consent")]

    def __str__(self) -> str:
        return f"Participant {self.number}"


class SolutionOption(BaseModel):
    """One idea from the solutions workshop (Step 3): "What would we need to see on a screen?"."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="solution_options")
    title = models.CharField(max_length=200)
    audience = models.TextField()
    narrative = models.TextField()
    action = models.TextField(help_text="The action it enables: what we would need to see on a screen.")
    datasets_used = models.TextField()
    gaps = models.TextField(blank=True)
    caveats = models.TextField(blank=True)
    kinds = models.JSONField(default=list, blank=True, help_text="Keys of the guide's Step 4 table (solution_kinds).")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["project", "created_at"]

    def __str__(self) -> str:
        return self.title


class SkillEstimate(BaseModel):
    """The days one option needs of one skill, as the team estimates them (Step 4)."""

    option = models.ForeignKey(SolutionOption, on_delete=models.CASCADE, related_name="estimates")
    skill_key = models.CharField(max_length=40)
    days = models.DecimalField(max_digits=5, decimal_places=1)

    class Meta:
        ordering = ["option", "skill_key"]
        constraints = [models.UniqueConstraint(fields=["option", "skill_key"], name="unique_option_skill_estimate")]

    def __str__(self) -> str:
        return f"{self.option}: {self.skill_key}"


class OptionScore(BaseModel):
    """One core-team member's score (1–5) for one option, with a comment."""

    option = models.ForeignKey(SolutionOption, on_delete=models.CASCADE, related_name="scores")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["option", "voter"]
        constraints = [
            models.UniqueConstraint(fields=["option", "voter"], name="unique_option_score"),
            models.CheckConstraint(
                condition=models.Q(score__gte=1) & models.Q(score__lte=5), name="option_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.option}: {self.score}"


class ChosenOption(BaseModel):
    """The option the core team chose to take forward, with the reasons."""

    project = models.OneToOneField("projects.Project", on_delete=models.CASCADE, related_name="chosen_option")
    option = models.ForeignKey(SolutionOption, on_delete=models.CASCADE, related_name="+")
    reasons = models.TextField()
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"Chosen: {self.option}"


# --------------------------------------------------------------------------- Part 2, Step 3: final checks


class FinalCheckRun(BackgroundJob):
    """One run of the automatic final checks on one output version (a background job, through ``core.jobs``).

    Why a job: following every link in the output can wait on other people's
    servers. Why runs are kept: a failed run stays on the record next to the
    run that passed after the fix, so the team can show what was checked.
    ``results`` holds one row per check in plain words, never a value of the output.
    """

    version = models.ForeignKey("outputs.OutputVersion", on_delete=models.CASCADE, related_name="final_check_runs")
    results = models.JSONField(default=list, help_text="One row per check: key, check, outcome and plain words.")
    passed = models.BooleanField(default=False)

    class Meta:
        ordering = ["version", "-created_at"]

    def __str__(self) -> str:
        return f"Final checks of output version {self.version_id}"


class FinalCheckAnswer(BaseModel):
    """A person's answer to a final check the portal cannot run itself (where the output will be shared)."""

    class Answer(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"

    version = models.ForeignKey("outputs.OutputVersion", on_delete=models.CASCADE, related_name="final_check_answers")
    key = models.CharField(max_length=40)
    answer = models.CharField(max_length=3, choices=Answer.choices)
    note = models.TextField(help_text="What the person tried, and what happened.")
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["version", "key", "-created_at"]

    def __str__(self) -> str:
        return f"Final check answer: {self.key}"


# --------------------------------------------------------------------------- Part 2, Steps 1 and 2: testing workshops


class TestingWorkshop(BaseModel):
    """A testing workshop (Step 1): the output versions shown to the people who will use them."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="testing_workshops")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=300, help_text="A room, or a link to the video call.")
    versions = models.ManyToManyField("outputs.OutputVersion", related_name="testing_workshops", blank=True)
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    guest_emails = models.JSONField(default=list, blank=True, help_text="People invited from outside the team.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["project", "starts_at"]

    def __str__(self) -> str:
        return self.title


class WorkshopFeedback(BaseModel):
    """One item of feedback, of the guide's two kinds, closed by a new output version or a reason.

    The words are redacted by the engine before they are stored (people testing
    an output may mention residents). Feedback showing the output will be used
    differently than planned is the Step 2 safety check: information rights are
    told and must acknowledge it.
    """

    class Kind(models.TextChoices):
        SUBSTANTIVE = "substantive", "Substantive"
        ACCESSIBILITY = "accessibility", "Accessibility"

    workshop = models.ForeignKey(TestingWorkshop, on_delete=models.CASCADE, related_name="feedback")
    version = models.ForeignKey("outputs.OutputVersion", on_delete=models.CASCADE, related_name="feedback")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField(help_text="Redacted before it is stored.")
    used_differently = models.BooleanField(default=False, help_text="It shows the output will be used differently.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    closed_by_version = models.ForeignKey(
        "outputs.OutputVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="closed_feedback"
    )
    closed_reason = models.TextField(blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement = models.TextField(blank=True, help_text="What information rights will do about it.")

    class Meta:
        ordering = ["workshop", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} feedback on {self.version_id}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def awaits_acknowledgement(self) -> bool:
        return self.used_differently and self.acknowledged_at is None


class OptionSketch(BaseModel):
    """A sketch of a solution option: an uploaded picture (sealed, like output files) or an output of the project.

    The guide: "Even just a simple sketch or an example of a similar solution is
    much better than just describing to someone what we would produce."
    """

    option = models.OneToOneField(SolutionOption, on_delete=models.CASCADE, related_name="sketch")
    image_sealed = models.BinaryField(blank=True, help_text="The picture re-drawn as PNG, sealed.")
    size_bytes = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    alt_text = models.TextField(blank=True, help_text="What the picture shows, for people who cannot see it.")
    output = models.ForeignKey(
        "outputs.Output", null=True, blank=True, on_delete=models.SET_NULL, related_name="sketch_of"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"Sketch of {self.option}"

    @property
    def has_image(self) -> bool:
        return bool(self.image_sealed)
