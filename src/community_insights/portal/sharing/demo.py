"""Demo data for Phase 4, Step 1: the digital exclusion project shares what it found.

Its data (digital help sessions at libraries, counted by ward and age band:
not personal data) goes the whole way through the portal's services: checked,
planned, made into a safe copy and approved; a chart, a map and a table built,
checked and signed off; the DPIA approved; the final checks run and answered;
then each output published as an insight. A VCS and a council member co-write
a blog post that both approve, and a plenary gathers registrations of interest.

The second programme, Riverdale, shares one chart the same way (carers' break
requests by town, counted: not personal data), through the same services and
in its own programme, so the UK-wide hub lists insights of both.
Safe to run again: nothing is added twice.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from community_insights.portal.programme.current import using
from community_insights.portal.sharing import services
from community_insights.portal.sharing.models import BlogPost, InterestRegistration, Plenary, PublishedInsight

WARDS = ("Northgate", "Abbey", "Eastfield", "Westcombe", "Castle", "Millfield", "Harbour", "Riverside", "Southbank")
AGE_BANDS = ("65 to 74", "75 to 84", "85 and over")
SOURCE = "Digital help sessions at libraries"

OUTPUTS = (
    ("chart", "Help sessions by age band", {"by": ["age_band"], "statistic": "count", "chart_kind": "bar"}),
    ("map", "Help sessions by ward", {"area": "ward"}),
    ("table", "Help sessions by ward and age band", {"by": ["ward", "age_band"], "statistic": "count"}),
)

WORDS = {
    "findings": (
        "Residents aged 75 and over come for help with online forms more than any other group, and most "
        "sessions are in the wards without a library computer club."
    ),
    "caveats": (
        "Counts of help sessions, not of people: one person may come several times. Use it to plan where help "
        "is offered, never to single out a person or a household."
    ),
    "data_sources": "Digital help sessions at libraries (Northmoor Borough Council), counted by ward and age band.",
}

#: The hub's filters for each published output (by title): what it is about and the places it covers.
ALL_WARDS = "Northmoor: " + ", ".join(WARDS) + " wards"
HUB = {
    "Help sessions by age band": {"topic": "older_people", "areas": "Northmoor, the whole borough"},
    "Help sessions by ward": {"topic": "digital", "areas": ALL_WARDS},
    "Help sessions by ward and age band": {"topic": "digital", "areas": ALL_WARDS},
}

REGISTRATIONS = (
    ("Ruth Adeyemi", "Age Well Northmoor", "To plan home visits for residents who cannot reach a library."),
    ("Dan Whitfield", "Northmoor Libraries", "To move computer clubs to the wards with most demand."),
    ("Meena Kaur", "Northmoor Housing Association", "To offer help with online forms in sheltered housing."),
)


TOWNS = ("Riverdale", "Dale", "Upper Dale", "Millbridge", "Foxholes")
CARER_AGES = ("Under 18", "18 to 64", "65 and over")


@dataclass(frozen=True)
class Story:
    """One project's way from its data to published insights: who does each step, and with what data."""

    source: str
    source_description: str
    owner: str  # key of people.demo.ORGANISATIONS
    dataset_title: str
    file_name: str
    data: bytes
    outputs: tuple[tuple[str, str, dict[str, Any]], ...]
    words: dict[str, str]
    hub: dict[str, dict[str, str]]
    analyst: str  # keys of people.demo.PEOPLE
    rights: str
    lead: str
    facilitator: str = "facilitator"


def sessions_csv(seed: int = 11) -> bytes:
    """One row per help session (ward, age band, minutes): made up, no person in it."""
    rng = random.Random(seed)
    lines = ["ward,age_band,minutes"]
    for ward in WARDS:
        for band in AGE_BANDS:
            for _ in range(rng.randrange(12, 40) if ward != "Harbour" else rng.randrange(2, 6)):
                lines.append(f"{ward},{band},{rng.choice((20, 30, 45, 60))}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def breaks_csv(seed: int = 23) -> bytes:
    """One row per request for a carer's break (town, the carer's age band, hours asked for): made up."""
    rng = random.Random(seed)
    lines = ["town,carer_age_band,hours"]
    for town in TOWNS:
        for band in CARER_AGES:
            for _ in range(rng.randrange(15, 45)):
                lines.append(f"{town},{band},{rng.choice((3, 4, 6, 8))}")
    return ("\n".join(lines) + "\n").encode("utf-8")


NORTHMOOR = Story(
    source=SOURCE,
    source_description="Each help session at a library: ward, age band and length. No names or contact details.",
    owner="council", dataset_title="Help sessions, 2025", file_name="help-sessions.csv", data=sessions_csv(),
    outputs=OUTPUTS, words=WORDS, hub=HUB, analyst="analyst_2", rights="information_rights", lead="delivery_lead",
)  # fmt: skip

RIVERDALE = Story(
    source="Requests for carers' breaks",
    source_description="Each request for a break: the town, the carer's age band and the hours. No names.",
    owner="riverdale_council", dataset_title="Break requests, 2025", file_name="break-requests.csv",
    data=breaks_csv(),
    outputs=(("chart", "Break requests by town", {"by": ["town"], "statistic": "count", "chart_kind": "bar"}),),
    words={
        "findings": (
            "Carers in Foxholes and Upper Dale ask for breaks as often as carers in the towns, but fewer "
            "services offer breaks there."
        ),
        "caveats": (
            "Counts of requests, not of carers: one carer may ask several times. Use it to plan where breaks "
            "are offered, never to single out a carer or a family."
        ),
        "data_sources": "Requests for carers' breaks (Riverdale Borough Council), counted by town.",
    },
    hub={"Break requests by town": {"topic": "health", "areas": "Riverdale and Dale: " + ", ".join(TOWNS)}},
    analyst="riverdale_analyst", rights="riverdale_rights", lead="riverdale_lead",
)  # fmt: skip


def load(context: Any) -> None:
    project = context.projects.get("digital_exclusion")
    if project is None:
        return
    _publish(context, project, NORTHMOOR)
    _blog(context, project)
    _plenary(context, project)
    second, theirs = context.extra.get("second_programme"), context.projects.get("riverdale_carers")
    if second is not None and theirs is not None:
        with using(second):
            _publish(context, theirs, RIVERDALE)
    context.log("Sharing: four published insights (one Riverdale's), a co-written blog post, a plenary.")


def _publish(context: Any, project: Any, story: Story) -> None:
    """The story's outputs approved, the DPIA approved, the final checks passed, then each output published."""
    if PublishedInsight.objects.filter(project=project).exists():
        return
    versions = _approved_outputs(context, project, story)
    _approve_dpia(context, project, story)
    for version in versions:
        _final_checks(context, version, story)
        services.insight_publish(
            actor=context.users[story.lead], version=version, title=version.title,
            method=_method(version), **story.words, **story.hub.get(version.title, {}),
        )  # fmt: skip


def _method(version: Any) -> str:
    from community_insights.portal.sharing.selectors import method_of

    return method_of(version)


def _approved_outputs(context: Any, project: Any, story: Story) -> list[Any]:
    """The data through the datasets area to an approved safe copy, then each output built and signed off."""
    from community_insights.portal.datasets import services as data
    from community_insights.portal.datasets.models import DataSource
    from community_insights.portal.outputs import services as outputs

    analyst, rights = context.users[story.analyst], context.users[story.rights]
    source = DataSource.objects.filter(project=project, name=story.source).first() or data.data_source_create(
        actor=context.users[story.lead], project=project, name=story.source,
        category=DataSource.Category.INTERNAL_COUNCIL, owner_organisation=context.organisations[story.owner],
        description=story.source_description, legal_basis=DataSource.LegalBasis.NOT_PERSONAL,
    )  # fmt: skip
    dataset = data.dataset_upload(
        actor=analyst, source=source, title=story.dataset_title,
        uploaded_file=SimpleUploadedFile(story.file_name, story.data, "text/csv"),
    )  # fmt: skip
    data.job_run(job_id=dataset.jobs.get().pk)
    plan = data.plan_create(actor=analyst, dataset=dataset)
    data.job_run(job_id=data.plan_apply(actor=analyst, plan=plan).pk)
    plan.refresh_from_db()
    data.plan_sign_off(actor=rights, plan=plan, approve=True, comment="Counts only, nobody named.")
    copy = plan.safe_copy
    versions = []
    for kind, title, settings in story.outputs:
        output = outputs.output_create(actor=analyst, safe_copy=copy, kind=kind, title=title)
        version = outputs.version_build(
            actor=analyst, output=output, settings={**settings, "preset": "ons"},
            narrative=story.words["findings"], caveats=story.words["caveats"],
        )  # fmt: skip
        outputs.job_run(job_id=version.job.pk)
        version.refresh_from_db()
        outputs.version_sign_off(actor=rights, version=version, approve=True, comment="Checked every figure.")
        version.refresh_from_db()
        versions.append(version)
    return versions


def _approve_dpia(context: Any, project: Any, story: Story) -> None:
    from community_insights.portal.governance import selectors as governance_selectors
    from community_insights.portal.governance import services as governance
    from community_insights.portal.governance.models import DpiaVersion

    if governance_selectors.last_approved(project) is not None:
        return
    version = governance.dpia_submit(actor=context.users[story.facilitator], project=project)
    governance.dpia_decide(
        actor=context.users[story.rights], version=version, decision=DpiaVersion.Decision.APPROVED,
        dpo_advice="No personal data leaves the council; proceed.", residual_risk="low",
    )  # fmt: skip


def _final_checks(context: Any, version: Any, story: Story) -> None:
    """Phase 3's final checks on the version's files, run now, and the team's answers to what only people try."""
    from community_insights.portal.solutions import final_checks
    from community_insights.portal.solutions import services as solutions

    run = solutions.final_checks_run(actor=context.users[story.analyst], version=version)
    solutions.job_run(job_id=run.pk)
    for question in final_checks.QUESTIONS:
        solutions.final_check_answer(
            actor=context.users[story.lead], version=version, key=question.key, answer="yes",
            note="Tried by the team with the partners who will use it.",
        )  # fmt: skip


def _blog(context: Any, project: Any) -> None:
    if BlogPost.objects.filter(project=project).exists():
        return
    vcs, council = context.users["age_well_lead"], context.users["delivery_lead"]
    post = services.blog_post_create(
        actor=vcs, project=project, title="Getting online help to the people who need it",
        summary="Age Well Northmoor and the council on what the help session data showed, and what comes next.",
        body=(
            "We started with a simple question: who is cut off as services move online?\n\n"
            "The library help sessions showed where the need is. Next we will move computer clubs to the wards "
            "with most demand and plan home visits with Age Well's volunteers."
        ),
        co_authors=[council],
    )  # fmt: skip
    for author in (vcs, council):
        services.blog_post_approve(actor=author, post=post)


def _plenary(context: Any, project: Any) -> None:
    plenary = Plenary.objects.filter(project=project).first()
    if plenary is None:
        start = (timezone.now() + timedelta(days=21)).replace(hour=14, minute=0, second=0, microsecond=0)
        plenary = services.plenary_create(
            actor=context.users["facilitator"], project=project, title="Who is cut off as services move online",
            starts_at=start, ends_at=start + timedelta(hours=2), place="Northmoor Civic Centre, Council Chamber",
            link="https://meet.example.org/northmoor-plenary",
            agenda="Welcome and why we asked\nWhat the help sessions showed\nQuestions\nWho wants to act on it",
        )  # fmt: skip
        for key in ("age_well_lead", "analyst_2"):
            user = context.users[key]
            services.plenary_invite(
                actor=context.users["facilitator"], plenary=plenary, name=user.get_full_name(), email=user.email
            )
    if not InterestRegistration.objects.filter(project=project).exists():
        for name, organisation, use in REGISTRATIONS:
            email = name.lower().replace(" ", ".") + "@example.org"
            services.interest_register(
                project=project, plenary=plenary, name=name, email=email, organisation=organisation, intended_use=use
            )
