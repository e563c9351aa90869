"""Create the database cache's table (allauth's rate limits live there), so ``migrate`` is all a server needs.

Why a migration: ``createcachetable`` is a separate command that a deployment
would forget, and without the table every rate-limited page would fail.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps: Any, schema_editor: Any) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
