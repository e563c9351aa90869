"""One source for the disclosure and risk defaults: every part that has a default takes it from the engine.

If one copy of "ten" drifted (an option, a form, a model field), the command
line and the portal would apply different rules to the same data; these
tests fail on the first that does not read ``community_insights.safety``.
"""

from __future__ import annotations

import inspect

import pytest
from typer.main import get_command

from community_insights.cli import app
from community_insights.safety import (
    DEFAULT_HOUSEHOLD_THRESHOLD,
    DEFAULT_NK_K,
    DEFAULT_NK_N,
    DEFAULT_P_PERCENT,
    DEFAULT_ROUNDING_BASE,
    DEFAULT_THRESHOLD,
    SMALLEST_GROUP_SIZE,
    CheckOptions,
    DisclosureRules,
    protect_table,
)
from community_insights.safety.types import MosaicFinding, SmallAreasFinding


def _option_default(command: str, name: str) -> object:
    params = get_command(app).commands[command].params  # type: ignore[attr-defined]
    return next(p for p in params if p.name == name).default


def test_the_engine_takes_its_defaults_from_one_module() -> None:
    assert CheckOptions().threshold == DEFAULT_THRESHOLD
    assert MosaicFinding().threshold == DEFAULT_THRESHOLD
    assert SmallAreasFinding().household_threshold == DEFAULT_HOUSEHOLD_THRESHOLD
    rules = DisclosureRules()
    assert (rules.threshold, rules.p_percent, rules.nk_n, rules.nk_k) == (
        DEFAULT_THRESHOLD,
        DEFAULT_P_PERCENT,
        DEFAULT_NK_N,
        DEFAULT_NK_K,
    )
    assert inspect.signature(protect_table).parameters["rounding_base"].default == DEFAULT_ROUNDING_BASE


def test_the_defaults_are_the_guides_rules() -> None:
    assert DEFAULT_THRESHOLD == 10  # "no group of fewer than ten people"
    assert DEFAULT_HOUSEHOLD_THRESHOLD == 10  # postcodes of fewer than ten households
    assert SMALLEST_GROUP_SIZE == 2  # a group of one is a person


@pytest.mark.parametrize(("command", "option"), [("check", "threshold"), ("table", "threshold")])
def test_command_line_thresholds_default_to_the_engines(command: str, option: str) -> None:
    default = _option_default(command, option)
    if default is None:  # a publishing command: the preset's threshold, and the default preset's is the engine's
        from community_insights.safety import output_rules

        default = output_rules().threshold
    assert default == DEFAULT_THRESHOLD


@pytest.mark.parametrize("command", ["table", "chart", "map"])
def test_publishing_commands_take_their_rules_from_the_presets(command: str) -> None:
    assert _option_default(command, "preset") is None and _option_default(command, "threshold") is None


def test_the_programme_setting_and_field_default_to_the_engines() -> None:
    from django.conf import settings

    from community_insights.portal.datasets.forms import PlanEditForm
    from community_insights.portal.programme.models import Programme

    assert Programme._meta.get_field("disclosure_threshold").default == DEFAULT_THRESHOLD
    assert settings.INSIGHTS_DISCLOSURE_THRESHOLD == DEFAULT_THRESHOLD
    form = PlanEditForm(plan_data={"columns": []})
    assert form.initial["min_group_size"] == DEFAULT_THRESHOLD
    assert form.fields["min_group_size"].min_value == SMALLEST_GROUP_SIZE  # type: ignore[attr-defined]
