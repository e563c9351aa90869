"""Every data row embedded anywhere in a Vega-Lite spec (top level, layers, named datasets)."""

from __future__ import annotations

from typing import Any


def data_rows(spec: Any) -> list[dict[str, Any]]:
    """All rows of inline data, wherever Altair put them."""

    found: list[dict[str, Any]] = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "values" and isinstance(value, list):
                found += [row for row in value if isinstance(row, dict)]
            elif key == "datasets" and isinstance(value, dict):
                for rows in value.values():
                    found += [row for row in rows if isinstance(row, dict)]
            else:
                found += data_rows(value)
    elif isinstance(spec, list):
        for item in spec:
            found += data_rows(item)
    return found
