"""Version 1 of the guide: the national guide, read from the data files this migration ships with."""

import hashlib
import json
from pathlib import Path

import yaml
from django.db import migrations
from django.utils import timezone

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SECTIONS = (
    "phases",
    "roles",
    "principles",
    "scoping",
    "public_datasets",
    "skills",
    "criteria",
    "next_steps",
    "insights_to_actions",
)


def seed(apps, schema_editor):
    GuideVersion = apps.get_model("guide", "GuideVersion")
    if GuideVersion.objects.filter(status="published").exists():
        return
    content = {name: yaml.safe_load((DATA_DIR / f"{name}.yaml").read_text(encoding="utf-8")) for name in SECTIONS}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    GuideVersion.objects.create(
        number=1,
        status="published",
        content=content,
        digest=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
        change_note="The national Community Insights user guide.",
        published_at=timezone.now(),
    )


class Migration(migrations.Migration):
    dependencies = [("guide", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
