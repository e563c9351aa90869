"""Colours pass WCAG 2.2 contrast: chart series on white, and black area names on every map fill."""

from __future__ import annotations

from community_insights.safety.outputs.map_spec import SCALE
from community_insights.safety.outputs.render import INK, PALETTE


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_series_colour_has_at_least_4_5_to_1_on_white() -> None:
    assert min(contrast(colour, "#ffffff") for colour in PALETTE) >= 4.5  # 1.4.11 asks 3:1 for graphics


def test_black_area_names_read_on_every_map_fill() -> None:
    assert min(contrast(INK, fill) for fill in SCALE) >= 4.5


def test_map_steps_go_from_light_to_dark() -> None:
    steps = [luminance(c) for c in SCALE]
    assert steps == sorted(steps, reverse=True)
