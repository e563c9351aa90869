"""Background tasks of the datasets area (django-tasks: the database worker in use, immediate in tests).

The task only carries the job's id: the job row holds the status, attempts,
heartbeat and progress, so a killed worker's job can be found and restarted
(see ``services.retry_stale_jobs``).
"""

from __future__ import annotations

from django_tasks import task


@task()
def run_dataset_job(job_id: int) -> None:
    """Run a data safety check or make a safe copy, whichever the job asks for."""
    from community_insights.portal.datasets import services

    services.job_run(job_id=job_id)
