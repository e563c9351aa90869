"""Drawing the programme's figures as a small bar chart (the table beside it carries the same figures)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

_ROW = 26
_BAR_MAX = 120


@register.simple_tag
def figure_bars(figures: list[Any]) -> dict[str, Any]:
    """Bar geometry for each figure: a hidden one ([c]) gets no bar, only its mark, so no size leaks."""
    largest = max((f.value or 0 for f in figures), default=0)
    rows = []
    for i, figure in enumerate(figures):
        width = round(_BAR_MAX * figure.value / largest) if figure.value and largest else 0
        rows.append(
            {
                "label": figure.label,
                "y": i * _ROW,
                "width": width,
                "text": figure.text,
                "text_x": 150 + max(width, 2) + 6,
            }
        )
    return {"rows": rows, "height": len(figures) * _ROW}
