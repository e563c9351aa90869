"""The portal's commands: ``serve``, ``worker``, ``demo``, ``createadmin`` and ``manage``.

Django is imported only when one of these runs, so the engine's commands stay
fast and Django-free. Settings default to ``...settings.local`` (a SQLite file
and a generated secret key under ``./var``); set ``DJANGO_SETTINGS_MODULE`` and
the environment (see ``.env.example``) for a council's server.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import typer

DEFAULT_SETTINGS = "community_insights.portal.config.settings.local"
#: How often ``serve`` and ``worker`` look for jobs whose worker was killed (seconds).
RECOVERY_INTERVAL = 60.0

logger = logging.getLogger("community_insights.serve")


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(2)


def _django() -> None:
    """Set Django up with the local settings unless the environment chose others."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django

    django.setup()


def _call(command: str, *args: str, quiet: bool = True) -> None:
    from django.core.management import call_command

    options: dict[str, Any] = {"verbosity": 0} if quiet else {}
    call_command(command, *args, **options)


def _migrate() -> None:
    _call("migrate", "--noinput")


def _collectstatic_if_changed() -> None:
    """Collect (and compress) static files only when a source file changed since last time."""
    import hashlib
    from pathlib import Path

    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in sorted(finder.list(["CVS", ".*", "*~"]), key=lambda item: item[0]):
            st = os.stat(storage.path(path))
            digest.update(f"{getattr(storage, 'prefix', '')}/{path}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    stamp = Path(settings.STATIC_ROOT) / ".collected"
    fingerprint = digest.hexdigest()
    if stamp.exists() and stamp.read_text() == fingerprint:
        return
    _call("collectstatic", "--noinput")
    stamp.write_text(fingerprint)


def serve(
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0 for every interface).")] = "127.0.0.1",
    workers: Annotated[int, typer.Option(help="Web worker processes.", min=1, max=64)] = 2,
    threads: Annotated[
        int, typer.Option(help="Threads per web worker: requests each can serve at once (slow clients).", min=1)
    ] = 8,
    worker: Annotated[bool, typer.Option(help="Also run the background task worker.")] = True,
) -> None:
    """Serve the portal with gunicorn, plus the background worker for scans, exports and emails.

    Applies migrations and collects static files first (served by WhiteNoise),
    then runs gunicorn and one background worker (django-tasks-db's
    ``db_worker``, or an RQ worker when TASKS_BACKEND=rq) as child processes.
    Each web worker serves several requests at once on threads, so a few slow
    clients cannot stall the site. A background worker that stops is started
    again (waiting longer after each quick failure); the web server keeps
    answering meanwhile. With the worker, it also restarts jobs whose worker
    was killed, at start and every minute. When INSIGHTS_WORKERS_ELSEWHERE is
    set, workers run elsewhere (``insights worker``) and serve starts none.
    Ctrl-C (or SIGTERM) stops everything cleanly.

    Example: insights serve --port 8000
    """
    _django()
    from django.conf import settings

    try:
        _migrate()
        _collectstatic_if_changed()
    except Exception as exc:  # noqa: BLE001 - one clear sentence, not a traceback
        raise _fail(f"The portal could not be prepared: {exc}") from None

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
    children = [Child("web server", gunicorn_command(host, port, workers, threads), restart=False)]
    if getattr(settings, "INSIGHTS_WORKERS_ELSEWHERE", False):
        worker = False
        typer.echo("Background workers run elsewhere (INSIGHTS_WORKERS_ELSEWHERE): starting none here.", err=True)
    if worker:
        children.append(background_worker())
    typer.echo(
        f"Serving {settings.INSIGHTS_BRANDING['service_name']} on http://{host}:{port}/ (Ctrl-C to stop)", err=True
    )
    raise typer.Exit(_supervise_with_recovery(children, env, recovery=worker))


def worker() -> None:
    """Run one background worker for scans, exports and emails, on this machine or any other.

    Starts the worker the settings choose: an RQ worker on Redis when
    TASKS_BACKEND=rq (start one on each machine that should do background
    work, with the same settings as the web server, and set
    INSIGHTS_WORKERS_ELSEWHERE on the web server), else django-tasks-db's
    ``db_worker``. The worker is started again if it stops, and jobs whose
    worker was killed (on any machine) are restarted, at start and every
    minute. Ctrl-C (or SIGTERM) stops it cleanly.

    Example: TASKS_BACKEND=rq REDIS_URL=redis://10.0.0.7:6379/0 insights worker
    """
    _django()
    from django.conf import settings

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
    child = background_worker()
    typer.echo(f"Background worker for {settings.INSIGHTS_BRANDING['service_name']} (Ctrl-C to stop)", err=True)
    raise typer.Exit(_supervise_with_recovery([child], env, recovery=True))


def background_worker() -> Child:
    """The worker process the settings choose: an RQ worker on Redis, or django-tasks-db's ``db_worker``.

    Why a child process: a job that kills its worker (out of memory) must not
    take the web server or the supervising command with it.
    """
    from django.conf import settings

    backend = str(settings.TASKS["default"]["BACKEND"])
    queues = [str(q) for q in settings.TASKS["default"].get("QUEUES", ["default"])]
    if backend.startswith("django_tasks_rq."):
        # The RQ worker runs each task in a child of its own; django-tasks-rq's Job class calls the task.
        command = [sys.executable, "-m", "django", "rqworker", "--job-class", "django_tasks_rq.backend.Job", *queues]
        return Child("background worker", command, restart=True)
    if not backend.startswith("django_tasks_db."):
        raise _fail(f"Tasks use {backend}, which has no worker to start.")
    from community_insights.portal.core import task_rows

    task_rows.fail_rows_of_dead_serves()
    worker_id = task_rows.worker_id_for()
    command = [sys.executable, "-m", "django", "db_worker", "--interval", "1", "--worker-id", worker_id]
    return Child("background worker", command, restart=True, on_stop=lambda: _fail_rows(worker_id))


def _supervise_with_recovery(children: list[Child], env: dict[str, str], *, recovery: bool) -> int:
    """Supervise the children; with ``recovery``, a thread restarts jobs whose worker died meanwhile."""
    from django.conf import settings

    stop_recovery = threading.Event()
    thread = None
    if recovery:
        interval = float(getattr(settings, "INSIGHTS_JOB_RECOVERY_SECONDS", RECOVERY_INTERVAL))
        thread = threading.Thread(
            target=recover_stale_jobs_periodically,
            args=(stop_recovery, interval),
            name="stale-job-recovery",
            daemon=True,
        )
        thread.start()
    try:
        return _supervise(children, env)
    finally:
        stop_recovery.set()
        if thread is not None:
            thread.join(timeout=15)


def recover_stale_jobs_periodically(stop: threading.Event, interval: float = RECOVERY_INTERVAL) -> None:
    """Restart jobs (of every area) whose worker died, now and then every ``interval`` seconds until ``stop``.

    A worker killed mid-check (out of memory, a redeploy) leaves its job "running"
    with an old heartbeat; without this the job would wait for someone to open its
    page. Runs in a thread of ``serve`` or ``worker``, so nothing else needs scheduling; with
    workers on several machines, each looks, and each job is restarted once.
    A failed pass is logged by type only (its text could quote data) and tried again.
    """
    from django.db import close_old_connections, connection

    from community_insights.portal.core import jobs
    from community_insights.portal.datasets.storage import sweep_work_dir

    while True:
        try:
            close_old_connections()
            sweep_work_dir()  # decrypted working copies of a killed worker go before its job is retried
            for area, restarted in jobs.recover_all().items():
                if restarted:
                    logger.warning("Restarted %d %s job(s) whose worker had stopped.", restarted, area)
        except Exception as exc:  # noqa: BLE001 - keep serving; the next pass tries again
            logger.error("Looking for stopped background jobs failed with %s", type(exc).__name__)
        finally:
            connection.close()
        if stop.wait(interval):
            return


def _fail_rows(worker_id: str) -> None:
    """Fail the task rows a stopped worker held; a database hiccup is logged by type and never stops serving."""
    from django.db import close_old_connections, connection

    from community_insights.portal.core.task_rows import fail_orphaned_rows

    try:
        close_old_connections()
        failed = fail_orphaned_rows(worker_id)
        if failed:
            logger.warning("Marked %d task(s) of the stopped background worker as failed.", failed)
    except Exception as exc:  # noqa: BLE001 - the supervisor must keep the web server up
        logger.error("Marking the stopped worker's tasks failed did not work: %s", type(exc).__name__)
    finally:
        connection.close()


def gunicorn_command(host: str, port: int, workers: int, threads: int) -> list[str]:
    """gunicorn sized for slow clients: threaded workers, a short keep-alive, a request time limit.

    Why: with the default sync workers, two clients that send a request slowly
    occupy both workers and the site stops answering. ``gthread`` workers hand
    each connection to a thread, so one worker serves ``threads`` requests at
    once; ``--timeout`` still ends a worker stuck for a minute (its requests
    fail, the master starts a fresh one), and uploads stream to disk in
    chunks, so a thread never holds a whole file.
    """
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "community_insights.portal.config.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--keep-alive",
        "5",
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "10",
        "--timeout",
        "60",
    ]


#: Longest wait before starting a background worker that keeps stopping again (seconds).
MAX_RESTART_DELAY = 30.0
#: A worker that ran this long before it stopped is restarted at once, not after a growing wait.
STABLE_AFTER = 60.0


@dataclass
class Child:
    """One process ``serve`` looks after; ``restart`` says whether it comes back when it stops.

    The background worker is restarted (a job that killed it is retried or
    failed by stale-job recovery); the web server is not, because it stopping
    means it could not listen at all, and restarting it would hide that.
    """

    name: str
    command: list[str]
    restart: bool
    on_stop: Callable[[], None] | None = None
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    failures: int = 0
    start_at: float = 0.0

    def start(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(self.command, env=env)
        self.started = time.monotonic()

    def stopped(self) -> int | None:
        """The exit code when the process has stopped (and is not waiting to start again), else None."""
        return None if self.process is None else self.process.poll()

    def schedule_restart(self) -> float:
        """Forget the stopped process and decide when to start it again; return the delay."""
        quick = time.monotonic() - self.started < STABLE_AFTER
        self.failures = self.failures + 1 if quick else 0
        delay = 0.0 if not self.failures else min(MAX_RESTART_DELAY, 2.0 ** (self.failures - 1))
        self.process = None
        self.start_at = time.monotonic() + delay
        return delay


def _supervise(children: list[Child], env: dict[str, str]) -> int:
    """Run the children until the web server stops or we are told to stop; then stop them all, gently first."""
    for child in children:
        child.start(env)
    stop = {"signal": 0}

    def _on_signal(signum: int, frame: Any) -> None:
        stop["signal"] = signum

    previous = {s: signal.signal(s, _on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    code = 0
    try:
        while not stop["signal"] and not code:
            code = _watch(children, env)
            time.sleep(0.2)
    finally:
        _stop_all([c.process for c in children if c.process is not None])
        for s, handler in previous.items():
            signal.signal(s, handler)
    return 0 if stop["signal"] else code


def _watch(children: list[Child], env: dict[str, str]) -> int:
    """One look at every child: restart a stopped worker, or answer the exit code of a stopped web server."""
    for child in children:
        if child.process is None:
            if time.monotonic() >= child.start_at:
                child.start(env)
            continue
        returned = child.stopped()
        if returned is None:
            continue
        if not child.restart:
            typer.echo(f"The {child.name} stopped (exit {returned}); stopping the others.", err=True)
            return returned or 1
        if child.on_stop is not None:
            child.on_stop()
        delay = child.schedule_restart()
        typer.echo(f"The {child.name} stopped (exit {returned}); starting it again in {delay:.0f} s.", err=True)
    return 0


def _stop_all(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 15
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def demo(
    password: Annotated[
        str, typer.Option(help="Password for every demo account (local use only).", envvar="INSIGHTS_DEMO_PASSWORD")
    ] = "community-insights-demo",  # noqa: S107 - the documented demo password, local use only
) -> None:
    """Create the database and load a demo programme: a council, four VCS organisations, a core team
    and a project in each of the four phases. Safe to run again: nothing is duplicated.

    Example: insights demo
    """
    _django()
    try:
        _migrate()
        from community_insights.portal.core.demo import load_demo

        context = load_demo(password=password, log=lambda m: typer.echo(m, err=True))
    except Exception as exc:  # noqa: BLE001 - one clear sentence, not a traceback
        raise _fail(f"The demo could not be loaded: {exc}") from None
    typer.echo(f"Demo programme ready. Sign in with any of these (password: {password}):")
    for key in ("programme_manager", "delivery_lead", "facilitator", "food_lead", "information_rights"):
        user = context.users.get(key)
        if user is not None:
            typer.echo(f"  {user.email:45} {user.get_full_name()} ({user.job_title})")


def createadmin(
    email: Annotated[str, typer.Option(help="The administrator's email address (they sign in with it).", prompt=True)],
    name: Annotated[str, typer.Option(help="Their full name.")] = "",
    organisation: Annotated[str, typer.Option(help="Name of an existing organisation they belong to.")] = "",
    password: Annotated[
        str,
        typer.Option(
            help="Their password (prompted for when not given; or set INSIGHTS_ADMIN_PASSWORD).",
            envvar="INSIGHTS_ADMIN_PASSWORD",
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
        ),
    ] = "",
) -> None:
    """Create a programme administrator (staff) who can invite people and manage accounts.

    An existing account with the same email is promoted and given the new password.

    Example: insights createadmin --email helen@council.example --name "Helen Okafor"
    """
    _django()
    from django.core.exceptions import ValidationError

    from community_insights.portal.core.exceptions import ApplicationError
    from community_insights.portal.people.models import Organisation
    from community_insights.portal.people.services import admin_create

    try:
        _migrate()
        org = None
        if organisation:
            org = Organisation.objects.filter(name__iexact=organisation).first()
            if org is None:
                raise _fail(f"There is no organisation called {organisation}.")
        user = admin_create(email=email, password=password, full_name=name, organisation=org)
    except ApplicationError as exc:
        raise _fail(exc.message) from None
    except ValidationError as exc:
        raise _fail(" ".join(exc.messages)) from None
    typer.echo(f"{user.email} is a programme administrator.")


def manage(ctx: typer.Context) -> None:
    """Run any Django management command with the portal's settings.

    Example: insights manage showmigrations
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["insights manage", *ctx.args])


def register(app: typer.Typer) -> None:
    """Add this module's commands to the insights app."""
    app.command(rich_help_panel="Portal")(serve)
    app.command(rich_help_panel="Portal")(worker)
    app.command(rich_help_panel="Portal")(demo)
    app.command(rich_help_panel="Portal")(createadmin)
    app.command(
        rich_help_panel="Portal",
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []},
    )(manage)
