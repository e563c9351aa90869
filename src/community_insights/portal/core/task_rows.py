"""Task-queue rows left "running" by a background worker that was killed are marked failed.

Why: django-tasks-db marks a row RUNNING when a worker claims it and only
the same worker ever finishes it. A worker killed mid-task (out of memory, a
redeploy) leaves the row RUNNING for ever, so whoever looks at the queue sees
work that will never end. ``insights serve`` names each worker it starts and,
when that worker stops, fails the rows it held (the datasets area's own
stale-job recovery then retries the dataset job itself). No traceback is
stored: the row says in plain words what happened.
"""

from __future__ import annotations

import os
import socket

from django.utils import timezone

WORKER_ID_PREFIX = "serve"
STOPPED_MESSAGE = "The background worker stopped while it ran this task (it was killed or ran out of memory)."


def worker_id_for(serve_pid: int | None = None) -> str:
    """The id ``insights serve`` gives the worker it starts: host and serve's process id (under 64 characters)."""
    host = socket.gethostname()[:40]
    return f"{WORKER_ID_PREFIX}-{host}-{serve_pid or os.getpid()}"


def fail_orphaned_rows(worker_id: str) -> int:
    """Mark the RUNNING rows last claimed by *worker_id* as FAILED; return how many."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    changed = 0
    for row in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("id", "worker_ids"):
        if row.worker_ids and row.worker_ids[-1] == worker_id:
            changed += DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                exception_class_path="community_insights.portal.core.task_rows.WorkerStopped",
                traceback=STOPPED_MESSAGE,
            )
    return changed


def fail_rows_of_dead_serves() -> int:
    """At start-up: fail RUNNING rows held by a worker of an ``insights serve`` on this host that is gone."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    prefix = worker_id_for(0).rsplit("-", 1)[0] + "-"
    dead: set[str] = set()
    for row in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("worker_ids"):
        last = row.worker_ids[-1] if row.worker_ids else ""
        if last.startswith(prefix) and last[len(prefix) :].isdigit() and not _alive(int(last[len(prefix) :])):
            dead.add(last)
    return sum(fail_orphaned_rows(worker_id) for worker_id in dead)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
