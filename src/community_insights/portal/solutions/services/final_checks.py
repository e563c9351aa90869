"""Writes of Part 2, Step 3: running the final checks on an output version, and a person's answers.

The automatic checks run in the background (``core.jobs``): following the
output's links can wait on other servers. Each run is kept, so a failed run
stays on the record beside the one that passed after the fix. Audit entries
keep each check's outcome, never the words about the files.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from community_insights.portal.core import audit, jobs
from community_insights.portal.core.exceptions import ApplicationError, require
from community_insights.portal.core.notifications import Message, notify
from community_insights.portal.outputs.models import OutputVersion
from community_insights.portal.solutions import final_checks, permissions
from community_insights.portal.solutions.models import FinalCheckAnswer, FinalCheckRun

AREA = "final_checks"
WORKER = "background worker"
RELATED = ("version", "version__output", "version__output__project", "requested_by")
_CHECKED = (OutputVersion.Status.AWAITING_SIGN_OFF, OutputVersion.Status.APPROVED, OutputVersion.Status.REJECTED)
_RUNNERS = "Only the project's data analysts, information rights, the facilitator or the delivery lead can"


def final_checks_run(*, actor: Any, version: OutputVersion) -> FinalCheckRun:
    """Queue the automatic final checks of one built version; with the immediate backend they have run on return."""

    require(permissions.can_run_final_checks(actor, version.project), _RUNNERS + " run the final checks.")
    if version.status not in _CHECKED:
        raise ApplicationError("Only a version that was built and checked can have its final checks.")
    with transaction.atomic():
        run = FinalCheckRun.objects.create(version=version, requested_by=actor)
        audit.record(
            actor=actor,
            action="solutions.final_checks_run",
            target=version,
            project_id=version.project_id,
            changes={"version": version.number, "run": run.pk},
        )
        jobs.enqueue(AREA, run.pk)
    run.refresh_from_db()
    return run


def job_run(*, job_id: int) -> None:
    """Run one queued set of final checks to the end (the background task calls it)."""
    jobs.run(FinalCheckRun, job_id, work=_work, fail=_fail, plain_errors=(ApplicationError,), related=RELATED)


def _work(run: FinalCheckRun, progress: jobs.Progress) -> None:
    progress(0, 1)
    results = final_checks.run(run.version)
    passed = all(r["outcome"] == final_checks.PASS for r in results)
    with transaction.atomic():
        if not jobs.finish_if_still_running(run, rows_done=1, rows_total=1):
            return
        FinalCheckRun.objects.filter(pk=run.pk).update(results=results, passed=passed)
        audit.record(
            actor=WORKER,
            action="solutions.final_checks_done",
            target=run.version,
            project_id=run.version.project_id,
            changes={"run": run.pk, "passed": passed, **{r["key"]: r["outcome"] for r in results}},
        )
        email = getattr(run.requested_by, "email", "")
        if email:
            transaction.on_commit(lambda: _tell(email, run.version, passed))


def _tell(email: str, version: OutputVersion, passed: bool) -> None:
    notify(
        Message(
            to=[email],
            subject=f"Final checks of {version.title}: {'passed' if passed else 'something to fix'}",
            template="solutions/emails/final_checks_done",
            context={"title": version.title, "number": version.number, "passed": passed},
        )
    )


def _fail(run: FinalCheckRun, message: str) -> None:
    with transaction.atomic():
        jobs.mark_failed(run, message)
        audit.record(
            actor=WORKER,
            action="solutions.final_checks_fail",
            target=run.version,
            project_id=run.version.project_id,
            changes={"run": run.pk},
        )


@transaction.atomic
def final_check_answer(*, actor: Any, version: OutputVersion, key: str, answer: str, note: str) -> FinalCheckAnswer:
    """A person's answer to a final check the portal cannot run: they tried the output where it will be shared."""

    require(permissions.can_run_final_checks(actor, version.project), _RUNNERS + " answer the final checks.")
    if key not in {q.key for q in final_checks.QUESTIONS}:
        raise ApplicationError("Choose one of the final checks.")
    if answer not in FinalCheckAnswer.Answer.values:
        raise ApplicationError("Answer yes or no.", field="answer")
    if not note.strip():
        raise ApplicationError("Say what you tried and what happened.", field="note")
    recorded = FinalCheckAnswer.objects.create(
        version=version, key=key, answer=answer, note=note.strip(), answered_by=actor
    )
    audit.record(
        actor=actor,
        action="solutions.final_check_answer",
        target=version,
        project_id=version.project_id,
        changes={"version": version.number, "check": key, "answer": answer},
    )
    return recorded


def final_checks_view_record(*, actor: Any, version: OutputVersion) -> None:
    """Record that someone looked at a version's final checks (an access to an output)."""
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="solutions.final_checks_view",
            target=version,
            project_id=version.project_id,
            changes={"version": version.number},
        )
