"""Progress of work on Spark, as Spark itself counts it: tasks finished of the tasks of the stages started.

Why tasks: on Spark the rows are read and remedied in the executors, so the
driver cannot count them as they pass, as the polars engine does. Spark's
status tracker knows, for every stage of a job, how many tasks it has and how
many are done; that is the only honest measure the driver has while a safe
copy is made. The total grows as the work reaches stages not yet started (a
safe copy is several jobs: counting, writing, comparing), so a person sees
the work move and never a made-up percentage.

The work is tagged with a job group of its own (a property of the thread that
starts it), so tasks of other work on a shared session are not counted. A
thread of the driver asks the tracker twice a second and stops when the work
ends, after one last report. A session without a SparkContext (Spark Connect)
has no tracker: no progress is reported there.
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from pyspark.sql import SparkSession

__all__ = ["spark_progress"]

#: Seconds between two questions to the status tracker.
EVERY = 0.5
_GROUP = "spark.jobGroup.id"


@contextlib.contextmanager
def spark_progress(
    session: SparkSession, progress: Callable[[int, int | None], None] | None, *, every: float = EVERY
) -> Iterator[None]:
    """Report ``progress(tasks done, tasks known)`` for the Spark jobs started in this block (see the module)."""

    context = _context(session) if progress is not None else None
    if context is None or progress is None:
        yield
        return
    group = f"community-insights-{uuid.uuid4().hex}"
    previous = context.getLocalProperty(_GROUP)
    context.setLocalProperty(_GROUP, group)
    counter = _TaskCount(context, group)
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(every):
            progress(*counter.now())

    thread = threading.Thread(target=watch, name="insights-spark-progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        context.setLocalProperty(_GROUP, previous)
    progress(*counter.now())  # the last word: every stage started is finished


def _context(session: SparkSession) -> Any | None:
    """The session's SparkContext, or ``None`` where there is none (Spark Connect)."""

    from community_insights.safety.spark_backend import spark_errors

    try:
        return session.sparkContext
    except spark_errors():  # a Connect session says it has none
        return None


class _TaskCount:
    """Tasks finished and tasks in all, over the stages the group's jobs have started so far."""

    def __init__(self, context: Any, group: str) -> None:
        self._tracker = context.statusTracker()
        self._group = group
        self._done = 0
        self._total = 0

    def now(self) -> tuple[int, int]:
        """The counts now; each never goes back (a stage run again after a lost executor counts once)."""

        done = total = 0
        for job in self._tracker.getJobIdsForGroup(self._group):
            info = self._tracker.getJobInfo(job)
            for stage_id in info.stageIds if info is not None else ():
                stage = self._tracker.getStageInfo(stage_id)
                # A stage with no task running or done is not started yet, or skipped because its
                # output is already there (the tracker lists both alike): it is not counted until it runs.
                if stage is None or stage.numActiveTasks + stage.numCompletedTasks == 0:
                    continue
                total += stage.numTasks
                done += min(stage.numCompletedTasks, stage.numTasks)
        self._total = max(self._total, total)
        self._done = min(max(self._done, done), self._total)
        return self._done, self._total
