"""``insights manage check --deploy`` with the production settings: clean with real secrets, E001 with a placeholder."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest


def _check(tmp_path: Path, dataset_key: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "INSIGHTS_", "DATABASE_URL"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "community_insights.portal.config.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
            "DJANGO_ALLOWED_HOSTS": "insights.example.gov.uk",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "INSIGHTS_DATA_DIR": str(tmp_path),
            "INSIGHTS_DATASET_KEY": dataset_key,
        }
    )
    code = "from community_insights.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, "manage", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )


@pytest.mark.slow
def test_production_settings_pass_the_deploy_checks(tmp_path: Path) -> None:
    done = _check(tmp_path, secrets.token_hex(32))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout + done.stderr


@pytest.mark.slow
def test_a_placeholder_dataset_key_fails_them(tmp_path: Path) -> None:
    done = _check(tmp_path, "change-me-to-64-hex-digits")
    assert done.returncode != 0
    assert "insights.E001" in done.stdout + done.stderr
    assert "change-me-to-64-hex-digits" not in done.stdout + done.stderr
