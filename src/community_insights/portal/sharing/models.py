"""Phase 4, Step 1 of the guide, "Sharing insights publicly": what the programme shares and who wants to use it.

- a **published insight**: an approved, final-checked output version (or, where the guide allows,
  a high-level overview of the problem and process, with no numbers) as a public page; withdrawing
  it keeps a public notice, and it can be published again, so both are recorded, reversible steps;
- a **blog post** co-written by a VCS and a council member of the core team, published to the
  programme's news once every author has approved the same words;
- a **plenary** where the core team shares its findings across the borough, with invitations;
- a **registration of interest** from an organisation that wants to use the insights (the people
  the guide's Step 3, "Insights to actions", brings together).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from community_insights.portal.core.models import BaseModel
from community_insights.portal.ideas.models import NewsPost
from community_insights.portal.outputs.models import OutputVersion
from community_insights.portal.projects.models import Project


class PublishedInsight(BaseModel):
    """A public page of what a project found: the words, the figure, its caveats and its files.

    Its topic and areas let a visitor of the UK-wide hub find insights about what they care
    about, where they live, across every programme; both are "not given" for insights
    published before the hub existed.
    """

    class Topic(models.TextChoices):
        # A small fixed list in plain words: a free-text topic would split "housing" and "homes".
        HEALTH = "health", "Health and wellbeing"
        HOUSING = "housing", "Housing and homelessness"
        MONEY = "money", "Money and the cost of living"
        FOOD = "food", "Food"
        DIGITAL = "digital", "Getting online and digital skills"
        WORK = "work", "Work, skills and learning"
        CHILDREN = "children", "Children, young people and families"
        OLDER_PEOPLE = "older_people", "Older people"
        COMMUNITY = "community", "Community safety and neighbourhoods"
        OTHER = "other", "Something else"

    class Kind(models.TextChoices):
        INSIGHT = "insight", "Insight from an approved output"
        OVERVIEW = "overview", "Overview of the problem and process"

    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="published_insights")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    version = models.ForeignKey(
        OutputVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="publications",
        help_text="The approved output version it shows (none for an overview).",
    )  # fmt: skip
    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(max_length=200)
    question = models.TextField()
    findings = models.TextField(help_text="What was found, in plain words.")
    caveats = models.TextField(help_text="What it can and cannot be used for.")
    method = models.TextField(help_text="How the work was done.")
    data_sources = models.TextField(help_text="Where the data came from.")
    team = models.JSONField(default=list, help_text="Organisations and roles of the team (no names).")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_notice = models.TextField(blank=True, help_text="Shown publicly in place of the insight.")
    topic = models.CharField(
        max_length=20, blank=True, choices=Topic.choices, help_text="What it is about (blank: not given)."
    )
    areas = models.CharField(
        max_length=300, blank=True, help_text="The places or wards it covers, in words (blank: not given)."
    )

    class Meta:
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class BlogPost(BaseModel):
    """A post co-written by core-team members from the VCS and the council, for the programme's news."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="blog_posts")
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, help_text="One or two sentences shown in lists and the feed.")
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    news_post = models.OneToOneField(
        NewsPost, null=True, blank=True, on_delete=models.SET_NULL, related_name="blog_post"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True, help_text="Why the post left the news (for the team).")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class BlogAuthor(BaseModel):
    """One author of a post, and when they approved its current words (cleared when the words change)."""

    post = models.ForeignKey(BlogPost, on_delete=models.CASCADE, related_name="authors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["post", "created_at"]
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="unique_blog_author")]

    def __str__(self) -> str:
        return f"{self.user} on {self.post}"


class Plenary(BaseModel):
    """The session where the core team shares its findings across the borough."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="plenaries")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=300, blank=True, help_text="Where it happens, if in person.")
    link = models.URLField(max_length=500, blank=True, help_text="The link to join, if online.")
    agenda = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Each change sends the invited a new calendar file; its SEQUENCE must grow so calendars replace the event.
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="plenary_ends_after")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def location(self) -> str:
        return self.place or self.link


class PlenaryInvitation(BaseModel):
    """Someone invited to a plenary: sent their own calendar invitation (.ics)."""

    plenary = models.ForeignKey(Plenary, on_delete=models.CASCADE, related_name="invitations")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["plenary", "name"]
        constraints = [models.UniqueConstraint(fields=["plenary", "email"], name="unique_plenary_invitation")]

    def __str__(self) -> str:
        return f"{self.name} to {self.plenary}"


class InterestRegistration(BaseModel):
    """An organisation that wants to use a project's insights: the start of "Insights to actions"."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="interest_registrations")
    plenary = models.ForeignKey(Plenary, null=True, blank=True, on_delete=models.SET_NULL, related_name="registrations")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    organisation = models.CharField(max_length=200)
    intended_use = models.TextField(help_text="How the organisation wants to use the insights.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation} on {self.project}"
