"""Background jobs that tell the truth about their progress and survive a killed worker.

Long work (the data safety check and making the safe copy in Phase 2, the charts
and maps of the coming outputs area) runs outside the request. Any area can use
this module for it; the area keeps a job model and the work itself, and gets:

- one queue entry point, :func:`enqueue`, run after the transaction commits: the
  task carries only the area's name and the job's id, because the job row (not
  the queue) holds the status, attempts, heartbeat and progress;
- :func:`run`: claim the job (one worker wins), keep its heartbeat fresh from a
  small thread, record progress at most twice a second, and turn any failure
  into plain words, never the exception's text (it may quote a cell);
- :func:`retry_stale`: a job whose worker died (its heartbeat went silent) is
  put back in the queue, or failed in plain words after ``max_attempts``.

A job model has the fields ``status`` (``queued``, ``running``, ``succeeded``,
``failed``), ``attempts``, ``max_attempts``, ``heartbeat_at``, ``started_at``,
``finished_at``, ``rows_done``, ``rows_total`` and ``error_message``. An area
registers its runner with :func:`register` in its ``AppConfig.ready``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

QUEUED, RUNNING, SUCCEEDED, FAILED = "queued", "running", "succeeded", "failed"

GENERIC_FAILURE = (
    "Something went wrong while working on the file. Nothing from it was shown or kept; "
    "try again, and tell the programme's administrator if it happens again."
)

#: Called with (rows done, rows in all, or None while unknown).
Progress = Callable[[int, int | None], None]

_RUNNERS: dict[str, Callable[[int], None]] = {}
_RECOVERIES: dict[str, Callable[[], list[Any]]] = {}


def register(area: str, runner: Callable[[int], None], *, recover: Callable[[], list[Any]] | None = None) -> None:
    """Name the function that runs one of ``area``'s jobs by id (called from the area's ``ready``).

    ``recover()`` puts the area's jobs whose worker died back in the queue (the
    area's call of :func:`retry_stale`); every worker, wherever it runs, calls
    each area's through :func:`recover_all`, so no job waits for someone to watch it.
    """
    _RUNNERS[area] = runner
    if recover is not None:
        _RECOVERIES[area] = recover


def recover_all() -> dict[str, int]:
    """Restart (or fail in plain words) every area's jobs whose worker died; answers the count per area.

    Safe for several workers on several machines to call at once: each job is
    moved by a conditional update, so one caller wins.
    """
    return {area: len(recover()) for area, recover in sorted(_RECOVERIES.items())}


@task()
def run_job(area: str, job_id: int) -> None:
    """The one background task: hand the job to its area's runner."""
    if area not in _RUNNERS:
        raise LookupError(f"No background job runner is registered for {area!r}.")
    _RUNNERS[area](job_id)


def enqueue(area: str, job_id: int) -> None:
    """Queue the job once the current transaction commits (so the worker sees its row)."""
    transaction.on_commit(lambda: run_job.enqueue(area, job_id))


def stale_after() -> dt.timedelta:
    """How long a running job may stay silent before its worker is taken for dead."""
    return dt.timedelta(seconds=int(getattr(settings, "INSIGHTS_JOB_STALE_SECONDS", 120)))


def claim(model: Any, job_id: int, *, related: Iterable[str] = ()) -> Any:
    """Mark a queued job running (one worker wins); None if it is not waiting any more."""
    now = timezone.now()
    with transaction.atomic():
        claimed = model.objects.filter(pk=job_id, status=QUEUED).update(
            status=RUNNING,
            attempts=F("attempts") + 1,
            heartbeat_at=now,
            started_at=now,
            rows_done=0,
            error_message="",
        )
    if not claimed:
        return None
    return model.objects.select_related(*related).get(pk=job_id)


class Heartbeat:
    """Keeps a running job's heartbeat fresh, and records progress at most twice a second.

    In a worker process a small thread beats every few seconds, so a long step
    is never mistaken for a dead worker; inside a request (the immediate
    backend in tests) only progress calls beat.
    """

    def __init__(self, model: Any, job_id: int) -> None:
        self.running = model.objects.filter(pk=job_id, status=RUNNING)
        self.job_id = job_id
        self._last = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.interval = float(getattr(settings, "INSIGHTS_JOB_HEARTBEAT_SECONDS", 10))

    def __enter__(self) -> Heartbeat:
        if not connection.in_atomic_block and self.interval > 0:
            self._thread = threading.Thread(target=self._beat_loop, daemon=True, name=f"job-{self.job_id}-heartbeat")
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _beat_loop(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                self.running.update(heartbeat_at=timezone.now())
        finally:
            connection.close()

    def progress(self, done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - self._last < 0.5 and (total is None or done < total):
            return
        self._last = now
        self.running.update(rows_done=done, rows_total=total, heartbeat_at=timezone.now())


def run(
    model: Any,
    job_id: int,
    *,
    work: Callable[[Any, Progress], None],
    fail: Callable[[Any, str], None],
    plain_errors: tuple[type[Exception], ...] = (),
    related: Iterable[str] = (),
    after_progress: Progress | None = None,
) -> None:
    """Run one queued job to the end; safe to call twice (the second call finds it claimed).

    ``work(job, progress)`` does the job and records its success; ``fail(job,
    message)`` records a failure in the area's own terms. An exception listed in
    ``plain_errors`` carries a plain ``message`` fit to show; any other failure
    is logged by type only and shown as :data:`GENERIC_FAILURE`.
    ``after_progress`` lets a test stand in for a worker killed mid-job.
    """
    if not connection.in_atomic_block:  # a worker between tasks, not a request or a test transaction
        close_old_connections()
    job = claim(model, job_id, related=related)
    if job is None:
        return
    beat = Heartbeat(model, job.pk)

    def progress(done: int, total: int | None) -> None:
        beat.progress(done, total)
        if after_progress is not None:
            after_progress(done, total)

    try:
        with beat, _in_programme_of(job):
            work(job, progress)
    except plain_errors as exc:
        fail(job, str(getattr(exc, "message", GENERIC_FAILURE)))
    except Exception as exc:  # noqa: BLE001 - any other failure is reported in plain words, without its text
        # The exception's text may quote a cell, so only its type reaches the log.
        logger.error("%s %s failed with %s", model.__name__, job.pk, type(exc).__name__)
        fail(job, GENERIC_FAILURE)


def _in_programme_of(job: Any) -> Any:
    """Work in the programme of the job's record: a worker has no request to say which one it is."""
    from community_insights.portal.programme.current import Programme, programme_id_of, using

    programme_id = programme_id_of(job)
    programme = Programme.objects.filter(pk=programme_id).first() if programme_id is not None else None
    return using(programme) if programme is not None else contextlib.nullcontext()


def mark_failed(job: Any, message: str) -> None:
    """Record that ``job`` failed, in words fit to show to the person who asked for it."""
    type(job).objects.filter(pk=job.pk).update(status=FAILED, error_message=message, finished_at=timezone.now())


def finish_if_still_running(job: Any, **fields: Any) -> bool:
    """Mark ``job`` succeeded unless it was restarted elsewhere meanwhile (that run records the result).

    Call inside the transaction that saves the job's result, and save nothing
    when it answers False.
    """
    job.refresh_from_db()
    if job.status != RUNNING:
        return False
    type(job).objects.filter(pk=job.pk).update(status=SUCCEEDED, finished_at=timezone.now(), **fields)
    return True


def retry_stale(
    model: Any,
    *,
    area: str,
    now: dt.datetime | None = None,
    only: Any = None,
    related: Iterable[str] = (),
    gave_up: Callable[[Any], None],
    requeued: Callable[[Any], None],
) -> list[Any]:
    """Put running jobs whose worker stopped beating back in the queue, or fail them in plain words.

    ``gave_up(job)`` records a job that stopped ``max_attempts`` times (already
    marked failed); ``requeued(job)`` records one put back in the queue. Both run
    inside the job's transaction.
    """
    now = now or timezone.now()
    cutoff = now - stale_after()
    candidates = model.objects.filter(status=RUNNING, heartbeat_at__lt=cutoff)
    if only is not None:
        candidates = candidates.filter(pk=only.pk)
    restarted: list[Any] = []
    for stale in candidates.select_related(*related):
        with transaction.atomic():
            still_stale = model.objects.filter(pk=stale.pk, status=RUNNING, heartbeat_at__lt=cutoff)
            if stale.attempts >= stale.max_attempts:
                message = (
                    f"The work stopped {stale.attempts} times before it could finish. The file may be too "
                    "large for the server; try a smaller extract, or ask the administrator to check the worker."
                )
                if still_stale.update(status=FAILED, finished_at=now, error_message=message):
                    stale.refresh_from_db()
                    gave_up(stale)
                continue
            if not still_stale.update(status=QUEUED, heartbeat_at=None):
                continue
            requeued(stale)
            enqueue(area, stale.pk)
            restarted.append(stale)
    return restarted
