"""Replaces the export area's runner, in the test's worker processes only, by the same job at a walking pace."""

from __future__ import annotations

import os
import time

from django.apps import AppConfig

#: Seconds each step of the export waits, so a two-worker test can kill one mid-job.
PACE_SECONDS = float(os.environ.get("INSIGHTS_TEST_JOB_PACE", "0.15"))
ATTEMPT = "tests.export_attempt"


class RqAreaConfig(AppConfig):
    name = "tests.cli.rq_area"
    label = "tests_rq_area"

    def ready(self) -> None:
        from community_insights.portal.core import audit, jobs
        from community_insights.portal.export import jobs as export_jobs
        from community_insights.portal.export.models import ProgrammeExport

        audit.declare(**{ATTEMPT: "A worker process started an attempt at a complete export (test only)"})

        def paced(job_id: int) -> None:
            def step(done: int, total: int | None) -> None:
                if done == 0:  # the first report of an attempt: say which processes are making it
                    job = ProgrammeExport.objects.get(pk=job_id)
                    audit.record(
                        actor="test worker",
                        action=ATTEMPT,
                        target=job,
                        changes={"attempt": job.attempts, "pid": os.getpid(), "worker_group": os.getpgid(os.getppid())},
                    )
                time.sleep(PACE_SECONDS)

            jobs.run(
                ProgrammeExport,
                job_id,
                work=export_jobs.work,
                fail=export_jobs.fail,
                related=("programme", "requested_by"),
                after_progress=step,
            )

        jobs.register(export_jobs.AREA, paced, recover=lambda: export_jobs.retry_stale())
