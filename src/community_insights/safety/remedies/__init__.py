"""Remedies: turn the findings of a data safety check into a safe copy of a dataset.

``plan_dataset`` writes an editable remedy plan from the check, ``keygen``
makes a pseudonymisation key, and ``redact_dataset`` applies the plan with the
key and returns a before/after report. ``ons_ethnic_groups`` is what
``generalise`` with ``to: ons_ethnic_group_5`` does to an ethnicity column. The command line (``insights plan``,
``insights keygen``, ``insights redact``) and the portal call only these names.
"""

from __future__ import annotations

from community_insights.safety.ethnic_groups import ONS_HIGH_LEVEL_GROUPS, ethnic_group_of, ons_ethnic_groups
from community_insights.safety.remedies.keys import KEY_BYTES, key_id, keygen, load_key
from community_insights.safety.remedies.plan import (
    PLAN_VERSION,
    ColumnRule,
    RemedyPlan,
    SourceFingerprint,
    columns_fingerprint,
    dumps_plan,
    load_plan,
    loads_plan,
    save_plan,
    validate_plan,
)
from community_insights.safety.remedies.planner import plan_dataset, plan_from_check
from community_insights.safety.remedies.pseudonymise import (
    TOKEN_VERSION,
    Pseudonymiser,
    normalise_for_pseudonym,
)
from community_insights.safety.remedies.redact import redact_dataset
from community_insights.safety.remedies.report import RedactReport

__all__ = [
    "KEY_BYTES",
    "ONS_HIGH_LEVEL_GROUPS",
    "PLAN_VERSION",
    "TOKEN_VERSION",
    "ColumnRule",
    "Pseudonymiser",
    "RedactReport",
    "RemedyPlan",
    "SourceFingerprint",
    "columns_fingerprint",
    "dumps_plan",
    "ethnic_group_of",
    "key_id",
    "keygen",
    "load_key",
    "load_plan",
    "loads_plan",
    "normalise_for_pseudonym",
    "ons_ethnic_groups",
    "plan_dataset",
    "plan_from_check",
    "redact_dataset",
    "save_plan",
    "validate_plan",
]
