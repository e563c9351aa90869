"""Demo data for Phase 3, Part 2: the young carers project tests its ward chart and runs the final checks.

Everything goes through the real services and the real engine: a made-up
extract (no real person in it) is uploaded, checked, made safe and approved;
the chart is built from the approved safe copy. Its first version quotes a
phone number in its narrative, so its final checks fail; the second version
leaves it out, is approved, passes, and is ready to share. The background
work runs here, straight away, rather than waiting for the worker: the demo
should show the finished story. Safe to run again: nothing is added twice.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from community_insights.portal.datasets import services as datasets
from community_insights.portal.datasets.models import DataSource, RemedyPlanVersion
from community_insights.portal.outputs import services as outputs
from community_insights.portal.solutions import services
from community_insights.portal.solutions.final_checks import QUESTIONS
from community_insights.portal.solutions.models import TestingWorkshop

WARDS = {"Castle": 34, "Abbey": 27, "Riverside": 22, "Millfield": 18, "Northgate": 12}
AGES = ("11 to 13", "14 to 15", "16 to 17")
HOURS = ("under 10", "10 to 19", "20 or more")
SOURCE = "Young carers known to the carers network (made up for the demo)"
CHART = {"by": ["ward"], "statistic": "count", "chart_kind": "bar", "preset": "ons"}
CAVEATS = "Counts under 10 are hidden. Not for funding applications: one source cannot be checked."


def carers_csv() -> bytes:
    """A made-up extract: one row per young carer, by ward, age band and hours caring a week."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["ward", "age_band", "hours_band"])
    for ward, count in WARDS.items():
        for i in range(count):
            writer.writerow(
                [ward, ("11 to 13", "14 to 15", "16 to 17")[i % 3], ("under 10", "10 to 19", "20 or more")[i % 3]]
            )
    return buffer.getvalue().encode("utf-8")


def load(context: Any, project: Any) -> None:
    if TestingWorkshop.objects.filter(project=project).exists():
        return
    users = context.users
    copy = _approved_copy(project, users)
    if copy is None:
        context.log("Develop and test: the demo extract could not be made safe, so no output was built.")
        return
    output = outputs.output_create(actor=users["analyst"], safe_copy=copy, kind="chart", title="Young carers by ward")
    first = _build(output, users["analyst"], "Most are in Castle and Abbey. Questions? Call Sam on 07911 123456.")
    _checks(first, users["analyst"])  # fails: a phone number in the narrative, and not approved yet
    second = _build(output, users["analyst_2"], "Most young carers the network knows are in Castle and Abbey.")
    outputs.version_sign_off(
        actor=users["information_rights"], version=second, approve=True, comment="Small counts hidden; caveats clear."
    )
    second.refresh_from_db()
    _workshop(project, users, second)
    _checks(second, users["analyst"])
    for question in QUESTIONS:
        services.final_check_answer(
            actor=users["delivery_lead"], version=second, key=question.key, answer="yes",
            note="Opened from the partners' shared drive, and refused when signed in as someone outside the project.",
        )  # fmt: skip
    context.log(
        "Develop and test: a testing workshop with feedback, and a chart that failed its final checks, then passed."
    )


def _approved_copy(project: Any, users: dict[str, Any]) -> Any:
    """Upload, check, make safe and approve the made-up extract, running each background job here."""
    analyst = users["analyst"]
    source = DataSource.objects.filter(project=project, name=SOURCE).first() or datasets.data_source_create(
        actor=users["delivery_lead"], project=project, name=SOURCE, category=DataSource.Category.VCS,
        description="Young carers the carers network supports, by ward, age band and hours caring.",
        owner_organisation=analyst.organisation, legal_basis=DataSource.LegalBasis.LEGITIMATE_INTERESTS,
    )  # fmt: skip
    dataset = datasets.dataset_upload(
        actor=analyst, source=source, title="Young carers by ward, this school year",
        uploaded_file=SimpleUploadedFile("young-carers.csv", carers_csv(), "text/csv"),
    )  # fmt: skip
    datasets.job_run(job_id=dataset.jobs.latest("created_at").pk)
    plan = datasets.plan_create(actor=analyst, dataset=dataset)
    datasets.job_run(job_id=datasets.plan_apply(actor=analyst, plan=plan).pk)
    plan.refresh_from_db()
    if plan.status != RemedyPlanVersion.Status.AWAITING_SIGN_OFF:
        return None
    datasets.plan_sign_off(
        actor=users["information_rights"], plan=plan, approve=True, comment="Only bands and wards are kept.",
        paperwork_reason="Counts by ward and band only; the network's agreement for it is being drafted.",
    )  # fmt: skip
    plan.refresh_from_db()
    return plan.safe_copy


def _build(output: Any, analyst: Any, narrative: str) -> Any:
    version = outputs.version_build(actor=analyst, output=output, settings=CHART, narrative=narrative, caveats=CAVEATS)
    outputs.job_run(job_id=version.job.pk)
    version.refresh_from_db()
    return version


def _checks(version: Any, analyst: Any) -> None:
    run = services.final_checks_run(actor=analyst, version=version)
    services.job_run(job_id=run.pk)


def _workshop(project: Any, users: dict[str, Any], version: Any) -> None:
    """A testing workshop (booked for tomorrow: none can be booked in the past), with feedback of both kinds."""
    starts = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    workshop = services.workshop_schedule(
        actor=users["facilitator"], project=project, title="Testing the ward chart with schools and the network",
        starts_at=starts, ends_at=starts + timedelta(hours=1, minutes=30), location="Northmoor Youth Club, room 2",
        versions=[version], attendees=[users["carers_lead"], users["communities"], users["analyst"]],
        guests="head.teacher@school.example.org",
    )  # fmt: skip
    lead = users["carers_lead"]
    substantive = services.feedback_record(
        actor=lead, workshop=workshop, version=version, kind="substantive",
        text="It would be more useful with the county average beside each ward.",
    )  # fmt: skip
    services.feedback_close(
        actor=users["analyst"], item=substantive, reason="The county figure comes from a source we cannot check yet."
    )
    services.feedback_record(
        actor=lead, workshop=workshop, version=version, kind="accessibility",
        text="Two head teachers could not open the PDF on their phones.",
    )  # fmt: skip
    different = services.feedback_record(
        actor=users["communities"], workshop=workshop, version=version, kind="substantive", used_differently=True,
        text="A school said it would use the chart to decide which families to call first.",
    )  # fmt: skip
    services.feedback_acknowledge(
        actor=users["information_rights"], item=different,
        acknowledgement="The chart is for planning only; we added that to its caveats and told the school.",
    )  # fmt: skip
