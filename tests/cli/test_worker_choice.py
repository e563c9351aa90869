"""Which background worker ``insights worker`` and ``insights serve`` start: the one the settings choose."""

from __future__ import annotations

import pytest
import typer
from django.test import override_settings

from community_insights.cli.portal import background_worker

RQ = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
DB = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


def test_on_redis_it_is_one_rq_worker_that_runs_django_tasks() -> None:
    with override_settings(TASKS=RQ):
        child = background_worker()
    assert child.command[-4:] == ["rqworker", "--job-class", "django_tasks_rq.backend.Job", "default"]
    assert child.restart, "a worker that stops is started again"


@pytest.mark.django_db
def test_otherwise_it_is_the_database_worker_with_a_name_of_its_own() -> None:
    with override_settings(TASKS=DB):
        child = background_worker()
    assert "db_worker" in child.command and child.restart and child.on_stop is not None
    assert child.command[child.command.index("--worker-id") + 1].startswith("serve-")


def test_a_backend_without_a_worker_is_refused_in_plain_words() -> None:
    with override_settings(TASKS=IMMEDIATE), pytest.raises(typer.Exit):
        background_worker()
