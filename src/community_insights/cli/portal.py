"""The portal's commands: ``serve``, ``demo``, ``createadmin`` and ``manage``.

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
from typing import Annotated, Any

import typer

DEFAULT_SETTINGS = "community_insights.portal.config.settings.local"
#: How often ``serve`` looks for dataset jobs whose worker was killed (seconds).
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
    worker: Annotated[bool, typer.Option(help="Also run the background task worker.")] = True,
) -> None:
    """Serve the portal with gunicorn, plus the background worker for scans, exports and emails.

    Applies migrations and collects static files first (served by WhiteNoise),
    then runs gunicorn and django-tasks-db's ``db_worker`` as child processes.
    With the worker, it also restarts dataset jobs whose worker was killed, at
    start and every minute. Ctrl-C (or SIGTERM) stops everything cleanly.

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
    commands = [
        [
            sys.executable,
            "-m",
            "gunicorn",
            "community_insights.portal.config.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "10",
            "--timeout",
            "120",
        ]
    ]
    backend = str(settings.TASKS["default"]["BACKEND"])
    if worker and backend.startswith("django_tasks_db."):
        commands.append([sys.executable, "-m", "django", "db_worker", "--interval", "1"])
    elif worker:
        typer.echo(f"Tasks use {backend}: start its own worker separately.", err=True)
    typer.echo(
        f"Serving {settings.INSIGHTS_BRANDING['service_name']} on http://{host}:{port}/ (Ctrl-C to stop)", err=True
    )
    stop_recovery = threading.Event()
    recovery = None
    if worker:
        interval = float(getattr(settings, "INSIGHTS_JOB_RECOVERY_SECONDS", RECOVERY_INTERVAL))
        recovery = threading.Thread(
            target=recover_stale_jobs_periodically,
            args=(stop_recovery, interval),
            name="stale-job-recovery",
            daemon=True,
        )
        recovery.start()
    try:
        code = _supervise(commands, env)
    finally:
        stop_recovery.set()
        if recovery is not None:
            recovery.join(timeout=15)
    raise typer.Exit(code)


def recover_stale_jobs_periodically(stop: threading.Event, interval: float = RECOVERY_INTERVAL) -> None:
    """Restart dataset jobs whose worker died, now and then every ``interval`` seconds until ``stop``.

    A worker killed mid-check (out of memory, a redeploy) leaves its job "running"
    with an old heartbeat; without this the job would wait for someone to open its
    page. Runs in a thread of the ``serve`` process, so nothing else needs scheduling.
    A failed pass is logged by type only (its text could quote data) and tried again.
    """
    from django.db import close_old_connections, connection

    from community_insights.portal.datasets.services import retry_stale_jobs

    while True:
        try:
            close_old_connections()
            restarted = retry_stale_jobs()
            if restarted:
                logger.warning("Restarted %d dataset job(s) whose worker had stopped.", len(restarted))
        except Exception as exc:  # noqa: BLE001 - keep serving; the next pass tries again
            logger.error("Looking for stopped dataset jobs failed with %s", type(exc).__name__)
        finally:
            connection.close()
        if stop.wait(interval):
            return


def _supervise(commands: list[list[str]], env: dict[str, str]) -> int:
    """Run the children until one stops or we are told to stop; then stop them all, gently first."""
    children = [subprocess.Popen(cmd, env=env) for cmd in commands]
    stop = {"signal": 0}

    def _on_signal(signum: int, frame: Any) -> None:
        stop["signal"] = signum

    previous = {s: signal.signal(s, _on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    code = 0
    try:
        while not stop["signal"]:
            ended = [c for c in children if c.poll() is not None]
            if ended:
                code = ended[0].returncode or 1
                typer.echo(f"A portal process stopped (exit {ended[0].returncode}); stopping the others.", err=True)
                break
            time.sleep(0.2)
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        for s, handler in previous.items():
            signal.signal(s, handler)
    return 0 if stop["signal"] else code


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
    app.command(rich_help_panel="Portal")(demo)
    app.command(rich_help_panel="Portal")(createadmin)
    app.command(
        rich_help_panel="Portal",
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []},
    )(manage)
