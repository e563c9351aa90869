"""The rule options every publishing command shares: a named preset, and single rules on top.

Why one module: ``insights table``, ``insights chart`` and ``insights map``
must read ``--preset nhs --threshold 10`` the same way, so the options and
the way they become :class:`OutputRules` are written once.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from community_insights.safety import OutputRules, SafetyError, output_rules, preset_names


def fail(message: str) -> typer.Exit:
    """One sentence on stderr and exit code 2 (bad input)."""

    typer.echo(message, err=True)
    return typer.Exit(2)


Preset = Annotated[
    str | None, typer.Option("--preset", help=f"Named rules: {', '.join(preset_names())} (default ons).")
]
Threshold = Annotated[int | None, typer.Option("--threshold", help="Smallest group that may show.")]
RoundBase = Annotated[int | None, typer.Option("--round", help="Round figures to 5 or 10 (counts and sums).")]
Zeros = Annotated[bool | None, typer.Option("--hide-zeros/--show-zeros", help="Hide empty cells, or show them.")]
Rule = Annotated[
    list[str] | None,
    typer.Option("--rule", help="Any other rule as NAME=VALUE: p_percent=0.1, nk_n=2, nk_k=0.9, mark=*."),
]


def rules_from_options(
    preset: str | None, threshold: int | None, round_base: int | None, zeros: bool | None, rule: Any
) -> OutputRules:
    """The call's rules: the preset, then the named options, then ``--rule NAME=VALUE``."""

    extra: dict[str, Any] = {}
    for item in rule or []:
        name, sep, text = item.partition("=")
        if not sep:
            raise fail(f"--rule takes NAME=VALUE, for example p_percent=0.1 (got {item!r}).")
        extra[name.strip()] = _value(text.strip())
    if round_base is not None:
        extra.update(method="rounding", rounding_base=round_base)
    try:
        return output_rules(preset, threshold=threshold, hide_zeros=zeros, **extra)
    except SafetyError as error:
        raise fail(str(error)) from None


def _value(text: str) -> Any:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return {"true": True, "false": False}.get(text.lower(), text)
