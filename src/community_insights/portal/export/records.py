"""Every model of the portal's apps as CSV, with a data dictionary, for the programme's complete export.

Why the app registry and not a list: a model added to any area later is in the
next export without anyone remembering to add it. What never leaves: a field
that holds a secret (password hashes, keyed hashes, tokens, keys, anything
sealed with the dataset key); it is named in the data dictionary as left out,
so the reader knows it exists. Every cell passes the engine's formula escape,
so a spreadsheet never runs a cell as a formula.

Filtering by programme: a model that reaches ``programme.Programme`` through its
foreign keys (``project__programme`` once projects belong to a programme) is
filtered by that path; the audit log and held notifications by the programme
they keep by id; accounts and organisations by the programme's people and
links; a person's own settings (``user``) by the programme's people. A model
with none of these is the install's, and every row is exported.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TextIO

from django.apps import apps
from django.conf import settings
from django.db import models

from community_insights.portal.programme.current import people_of

PORTAL_PACKAGE = "community_insights.portal."
PROGRAMME_MODEL = "programme.Programme"
MAX_PATH_DEPTH = 6

#: A field whose name says it holds a secret; BinaryFields (sealed bytes) are always left out too.
SECRET_NAME = re.compile(r"password|secret|token|sealed|private_key|api_key|salt|(^|_)hash$")

DICTIONARY_COLUMNS = ["file", "model", "field", "type", "description", "refers to", "exported"]


@dataclass(frozen=True)
class ModelRecords:
    """One model's CSV: where it goes in the ZIP, its columns, and the fields left out."""

    model: type[models.Model]
    path: str
    fields: tuple[models.Field[Any, Any], ...]
    withheld: tuple[models.Field[Any, Any], ...]


def is_secret(field: models.Field[Any, Any]) -> bool:
    """Whether a field holds a secret or sealed data, which no export carries."""
    return isinstance(field, models.BinaryField) or bool(SECRET_NAME.search(field.name))


def portal_models() -> list[type[models.Model]]:
    """Every concrete model of the portal's own apps, in app and model order."""
    found = []
    for config in apps.get_app_configs():
        if config.name.startswith(PORTAL_PACKAGE):
            found += [m for m in config.get_models() if not m._meta.abstract and not m._meta.proxy]
    return found


def model_records() -> list[ModelRecords]:
    """What the export writes for each model."""
    result = []
    for model in portal_models():
        fields = tuple(model._meta.concrete_fields)
        result.append(
            ModelRecords(
                model=model,
                path=f"records/{model._meta.app_label}/{model._meta.model_name}.csv",
                fields=tuple(f for f in fields if not is_secret(f)),
                withheld=tuple(f for f in fields if is_secret(f)),
            )
        )
    return result


def programme_path(model: type[models.Model], depth: int = MAX_PATH_DEPTH) -> str | None:
    """The shortest lookup from ``model`` to its programme through foreign keys (``"pk"`` for the programme).

    Who made a record does not say whose it is, so the search never goes through
    a person (``created_by``, ``requested_by``): a record reaches its programme
    through what it is about (its project, its dataset, its output).
    """
    target = apps.get_model(PROGRAMME_MODEL)
    if model is target:
        return "pk"
    person = apps.get_model(settings.AUTH_USER_MODEL)
    seen = {model}
    frontier: list[tuple[type[models.Model], str]] = [(model, "")]
    for _ in range(depth):
        following = []
        for current, prefix in frontier:
            for field in current._meta.concrete_fields:
                related = field.related_model if field.is_relation else None
                if not isinstance(related, type) or related in seen or related is person:
                    continue
                lookup = f"{prefix}{field.name}"
                if related is target:
                    return lookup
                seen.add(related)
                following.append((related, f"{lookup}__"))
        frontier = following
    return None


def rows_for(model: type[models.Model], programme: Any) -> models.QuerySet[Any]:
    """The model's rows that belong to ``programme`` (all of the install's when it has no way there)."""
    rows = model._default_manager.all()
    if programme is None or programme.pk is None:
        return rows.order_by("pk")
    path = programme_path(model)
    if path is not None:
        return rows.filter(**{path: programme.pk}).order_by("pk")
    if _has_plain_field(model, "programme_id"):  # the audit log keeps its programme by id too
        return rows.filter(programme_id=programme.pk).order_by("pk")
    person = apps.get_model(settings.AUTH_USER_MODEL)
    if model is person:
        # Accounts are the installation's: a programme's export holds only its own people.
        return rows.filter(people_of(programme.pk)).distinct().order_by("pk")
    if model is apps.get_model("people.Organisation"):
        # Organisations too: only the ones the programme works with (as its pages show them).
        from community_insights.portal.people.selectors import organisations_of

        return organisations_of(programme.pk).order_by("pk")
    owner = _person_field(model, person)
    if owner is not None:
        # A person's own settings (their email choices, their digests): the programme's people only.
        people = person._default_manager.filter(people_of(programme.pk)).values("pk")
        return rows.filter(**{f"{owner}__in": people}).order_by("pk")
    project = apps.get_model("projects.Project")
    project_path = programme_path(project)
    if project_path is not None and _has_plain_field(model, "project_id"):
        # The audit log names its project by id (an entry outlives what it is about).
        ids = project._default_manager.filter(**{project_path: programme.pk}).values("pk")
        rows = rows.filter(models.Q(project_id__isnull=True) | models.Q(project_id__in=ids))
    return rows.order_by("pk")


def _person_field(model: type[models.Model], person: type[models.Model]) -> str | None:
    """The foreign key naming whose record this is (``user``), for a record that is one person's own."""
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model is person and field.name == "user":
            return field.attname
    return None


def _has_plain_field(model: type[models.Model], name: str) -> bool:
    return any(f.attname == name and not f.is_relation for f in model._meta.concrete_fields)


def cell(value: Any) -> str:
    """One CSV cell, neutralised so that a spreadsheet never runs it as a formula."""
    from community_insights.safety import escape_formula

    if value is None:
        text = ""
    elif isinstance(value, dt.datetime | dt.date | dt.time):
        text = value.isoformat()
    elif isinstance(value, dict | list):
        text = json.dumps(value, sort_keys=True, default=str)
    elif isinstance(value, Decimal):
        text = format(value, "f")
    else:
        text = str(value)
    return str(escape_formula(text))


def write_csv(out: TextIO, records: ModelRecords, rows: Iterable[models.Model]) -> int:
    """Write the model's rows as CSV (a header of column names, foreign keys as ids); answer the row count."""
    writer = csv.writer(out)
    writer.writerow([f.attname for f in records.fields])
    count = 0
    for row in rows:
        writer.writerow([cell(f.value_from_object(row)) for f in records.fields])
        count += 1
    return count


def dictionary_rows(all_records: Iterable[ModelRecords]) -> Iterator[list[str]]:
    """The data dictionary: every column of every CSV, with its type and meaning; left-out fields too."""
    yield DICTIONARY_COLUMNS
    for records in all_records:
        meta = records.model._meta
        for field in (*records.fields, *records.withheld):
            related = field.related_model if field.is_relation else None
            yield [
                cell(records.path),
                cell(meta.label),
                cell(field.attname),
                cell(field.get_internal_type()),
                cell(str(field.help_text or field.verbose_name)),
                cell(related._meta.label if isinstance(related, type) else ""),
                "yes" if field in records.fields else "no: a secret, never exported",
            ]
