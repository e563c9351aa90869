"""Azurite, the Azure Storage emulator, started by the test suite for the object-storage tests.

Why a real emulator and not a mock: the point of these tests is that files
really cross the wire to Blob Storage sealed, and come back through
django-storages unchanged. Azurite comes from npm (``package.json``), runs on a
free port with its data in memory, and is stopped when the tests end.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
# The emulator's one well-known account and key, published in Azurite's documentation; not a secret.
ACCOUNT = "devstoreaccount1"
ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="


def azurite_command() -> Path:
    """``azurite-blob`` from the repository's node_modules (or INSIGHTS_NODE_MODULES), installed by npm."""
    folders = [REPO / "node_modules"]
    if os.environ.get("INSIGHTS_NODE_MODULES"):
        folders.append(Path(os.environ["INSIGHTS_NODE_MODULES"]))
    for folder in folders:
        command = folder / ".bin" / "azurite-blob"
        if command.exists():
            return command
    raise RuntimeError("Azurite is not installed: run `npm ci` (it is a development dependency in package.json).")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = process.stderr.read().decode(errors="replace") if process.stderr else ""
            raise RuntimeError(f"Azurite stopped at start (exit {process.returncode}): {error}")
        with socket.socket() as s, contextlib.suppress(OSError):
            s.settimeout(0.5)
            s.connect(("127.0.0.1", port))
            return
        time.sleep(0.2)
    raise RuntimeError(f"Azurite did not listen on port {port} within {seconds} seconds.")


@pytest.fixture(scope="session")
def azurite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A running Azurite blob service; yields its connection string."""
    port = free_port()
    location = tmp_path_factory.mktemp("azurite")  # its working folder; the blobs themselves stay in memory
    process = subprocess.Popen(
        [
            str(azurite_command()),
            "--blobHost", "127.0.0.1", "--blobPort", str(port),
            "--inMemoryPersistence",
            "--skipApiVersionCheck", "--silent", "--disableTelemetry",
        ],
        cwd=location,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        wait_for_port(port, process)
        yield (
            f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={ACCOUNT_KEY};"
            f"BlobEndpoint=http://127.0.0.1:{port}/{ACCOUNT};"
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(location, ignore_errors=True)
