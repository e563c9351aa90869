"""Rendering a chart or map offline, and writing it in the format asked for.

Why offline: a chart of residents' data must not be sent to a web service to
be drawn, so Vega-Lite specs are rendered by vl-convert (a bundled Vega
engine, no network). Why our own HTML: the HTML form must work without
JavaScript and show the data table beside the picture, so it embeds the SVG
(with a ``<title>`` and ``<desc>`` stating the finding in words) next to an
ordinary ``<table>``, instead of Vega's JavaScript embed.

The output path is checked before any figure is computed
(:func:`check_output_path`), so an unusable path costs nothing and an output
can never overwrite the data it was made from.
"""

from __future__ import annotations

import dataclasses
import html
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from community_insights.safety.disclosure import IndicatorDecision, PermittedUse, check_indicator_output
from community_insights.safety.errors import InputError
from community_insights.safety.files import atomic_path, refuse_overwrite

#: The Vega-Lite version Altair writes specs for and vl-convert renders.
VEGA_LITE_VERSION = "6.4"
#: What a hidden figure is drawn as: a labelled gap, never a zero.
HIDDEN_LABEL = "hidden to protect people"
#: Series colours: each has at least 4.5:1 contrast on white (WCAG 2.2 1.4.11 needs 3:1).
PALETTE = ("#1d70b8", "#912b88", "#00703c", "#b1361e", "#505a5f", "#003078", "#6f3c00", "#0b0c0c")
#: Text and border colour (GOV.UK black).
INK = "#0b0c0c"
FONT = "Helvetica, Arial, sans-serif"


@dataclasses.dataclass(slots=True)
class Rendered:
    """Everything an output needs to be written in any format.

    ``spec`` is the Vega-Lite spec (only published figures in its data);
    ``columns``/``rows`` the data table shown beside the picture; ``alt_text``
    the finding in words; ``notes`` the rules and caveats in plain words.
    """

    title: str
    alt_text: str
    spec: dict[str, Any]
    columns: list[str]
    rows: list[list[str]]
    notes: list[str]
    caption: str = ""
    indicator: IndicatorDecision | None = None


class Drawn:
    """What charts and maps share: the spec, the finding in words, and writing the file.

    Subclasses are dataclasses with a ``rendered`` field and a ``formats``
    class attribute (the suffixes they can be written as).
    """

    rendered: Rendered
    formats: tuple[str, ...] = (".svg", ".png", ".pdf", ".html")

    @property
    def spec(self) -> dict[str, Any]:
        """The Vega-Lite spec (published figures only)."""

        return self.rendered.spec

    @property
    def alt_text(self) -> str:
        """The finding in words, as the SVG's ``<desc>`` and the HTML caption."""

        return self.rendered.alt_text

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write as .svg, .png, .pdf or .html (by the suffix), atomically."""

        return write_rendered(self.rendered, path, self.formats)


def indicator_check(columns: list[str], title: str, permitted_use: PermittedUse | None) -> IndicatorDecision:
    """Refuse an output that ranks or flags people (Article 22), unless for a permitted internal use.

    Why here, before any figure is computed: an output that scores or flags
    individual people or households must never be drawn for publication,
    whatever its figures, and the refusal should cost nothing.
    """

    return check_indicator_output(columns, description=title, permitted_use=permitted_use)


def internal_use_notes(decision: IndicatorDecision) -> list[str]:
    """What an internal-use output must say about itself (nothing for an ordinary output)."""

    if decision.audit is None:
        return []
    return [
        f"For internal use only, under the permitted use {decision.audit.permitted_use!r} approved by "
        f"{decision.audit.approved_by}. Not for publication. A person reviews every case before anything "
        "is decided about anyone; nothing here may set a resident's priority automatically."
    ]


def check_output_path(
    path: str | os.PathLike[str], allowed: Sequence[str], *, inputs: Sequence[str | os.PathLike[str]] = ()
) -> Path:
    """Refuse an output path that cannot be used, before any work is done.

    The suffix must be one of ``allowed``, the folder must exist, and the
    file must not be one of the ``inputs`` (outputs never overwrite inputs).
    """

    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in allowed:
        raise InputError(f"The output file must end in {', '.join(allowed[:-1])} or {allowed[-1]}.")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"The folder for {target.name} does not exist.")
    if target.is_dir():
        raise InputError(f"{target.name} is a folder, not a file.")
    refuse_overwrite(target, inputs)  # the engine's one rule: same resolved path, or same device and inode
    return target


def svg_of(rendered: Rendered) -> str:
    """The picture as SVG, with ``<title>`` and ``<desc>`` so screen readers state the finding."""

    import vl_convert

    svg = vl_convert.vegalite_to_svg(rendered.spec, vl_version=VEGA_LITE_VERSION)
    return _label_svg(svg, rendered.title, rendered.alt_text)


def _label_svg(svg: str, title: str, desc: str) -> str:
    match = re.search(r"<svg\b[^>]*>", svg)
    if match is None:  # pragma: no cover - vl-convert always writes an <svg> element
        raise InputError("The chart could not be drawn.")
    opening = match.group(0)[:-1] + ' role="img" aria-labelledby="output-title output-desc">'
    labels = f'<title id="output-title">{html.escape(title)}</title><desc id="output-desc">{html.escape(desc)}</desc>'
    return svg[: match.start()] + opening + labels + svg[match.end() :]


def html_of(rendered: Rendered) -> str:
    """A page that works without JavaScript: the SVG, its caption and the data table beside it."""

    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in rendered.columns)
    body = "".join(
        "<tr>"
        + f'<th scope="row">{html.escape(row[0])}</th>'
        + "".join(f"<td>{html.escape(cell)}</td>" for cell in row[1:])
        + "</tr>"
        for row in rendered.rows
    )
    notes = "".join(f"<li>{html.escape(note)}</li>" for note in rendered.notes)
    caption = html.escape(rendered.caption or rendered.alt_text)
    return (
        '<!doctype html>\n<html lang="en-GB"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(rendered.title)}</title><style>{_CSS}</style></head>"
        f"<body><main><h1>{html.escape(rendered.title)}</h1>"
        f'<div class="output"><figure>{svg_of(rendered)}<figcaption>{caption}</figcaption></figure>'
        f"<table><caption>Figures shown in the {'map' if 'geoshape' in str(rendered.spec) else 'chart'}"
        f"</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
        f"<h2>About these figures</h2><ul>{notes}</ul></main></body></html>\n"
    )


_CSS = (
    f"body{{font-family:{FONT};color:{INK};margin:1.5rem;line-height:1.4}}"
    ".output{display:flex;flex-wrap:wrap;gap:2rem;align-items:flex-start}"
    "figure{margin:0;max-width:100%}svg{max-width:100%;height:auto}"
    "table{border-collapse:collapse}caption{text-align:left;font-weight:bold;padding-bottom:.5rem}"
    "th,td{border-bottom:1px solid #b1b4b6;padding:.3rem .6rem;text-align:left}td{text-align:right}"
)


def write_rendered(rendered: Rendered, path: str | os.PathLike[str], allowed: Sequence[str]) -> Path:
    """Write ``rendered`` as SVG, PNG, PDF or HTML (by the suffix), atomically."""

    import vl_convert

    target = check_output_path(path, allowed)
    suffix = target.suffix.lower()
    with atomic_path(target) as tmp:
        if suffix == ".svg":
            tmp.write_text(svg_of(rendered), encoding="utf-8")
        elif suffix == ".html":
            tmp.write_text(html_of(rendered), encoding="utf-8")
        elif suffix == ".png":
            tmp.write_bytes(vl_convert.vegalite_to_png(rendered.spec, vl_version=VEGA_LITE_VERSION, scale=2))
        else:
            tmp.write_bytes(vl_convert.vegalite_to_pdf(rendered.spec, vl_version=VEGA_LITE_VERSION))
    return target


def base_config() -> dict[str, Any]:
    """Vega-Lite config shared by charts and maps: readable fonts, dark text, no tooltips."""

    return {
        "font": FONT,
        "view": {"stroke": None},
        "axis": {"labelColor": INK, "titleColor": INK, "labelFontSize": 12, "titleFontSize": 13},
        "legend": {"labelColor": INK, "titleColor": INK, "labelFontSize": 12, "titleFontSize": 13},
        "title": {"color": INK, "fontSize": 16, "anchor": "start"},
        "range": {"category": list(PALETTE)},
    }
