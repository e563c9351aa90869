"""Reports: JSON schema, Markdown, one self-contained accessible HTML page, masking."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest

from community_insights.safety import CheckOptions, check_dataset
from community_insights.safety.masking import mask_value
from community_insights.safety.report import render_report, write_text_atomic
from community_insights.safety.types import CheckReport, PiiType

NAMES = ["Ayesha Begum", "Siobhán O'Neill", "Kwame Mensah", "Dafydd Pritchard"]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> CheckReport:
    path = tmp_path_factory.mktemp("report") / "clients.csv"
    pl.DataFrame(
        {
            "client": [NAMES[i % 4] for i in range(80)],
            "postcode": ["NW1 6XE", "E1 7AA"] * 40,
            "ethnicity": ["White British", "Black African", "Indian", "Pakistani"] * 20,
            "age_band": ["18-24", "65+"] * 40,
        }
    ).write_csv(path)
    return check_dataset(path, CheckOptions(free_text=False))


def test_json_has_the_agreed_top_level_fields(report: CheckReport) -> None:
    data = json.loads(render_report(report, "json"))
    assert next(iter(data)) == "schema_version"
    assert {"schema_version", "source", "columns", "small_areas", "mosaic", "summary"} <= set(data)
    assert {"file_name", "rows", "columns", "sha256"} <= set(data["source"])
    col = data["columns"][0]
    assert {"name", "kind", "pii_types", "evidence", "recommended_action"} <= set(col)
    assert data["summary"]["verdict"] in ("safe to share", "needs remedies", "not shareable")


@pytest.mark.parametrize("fmt", ["json", "html", "markdown"])
def test_no_raw_names_or_postcodes_in_any_format(report: CheckReport, fmt: str) -> None:
    text = render_report(report, fmt)
    for raw in [*NAMES, "NW1 6XE", "E1 7AA"]:
        assert raw not in text
    assert "A***** B****" in text or "A***** B****".replace("*", "&#x2a;") in text


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_html_is_self_contained_and_accessible(report: CheckReport) -> None:
    page = render_report(report, "html")
    parser = _Collector()
    parser.feed(page)
    tags = [t for t, _ in parser.tags]
    assert page.startswith("<!DOCTYPE html>")
    assert ("html", {"lang": "en-GB"}) in parser.tags
    assert tags.count("h1") == 1 and "main" in tags and "title" in tags
    assert "script" not in tags and "img" not in tags and "link" not in tags
    assert not re.search(r"(src|href)=\"https?://", page)  # no external assets
    assert all(a.get("scope") in ("col", "row") for t, a in parser.tags if t == "th")
    assert tags.count("caption") == tags.count("table")
    assert 'name="viewport"' in page


def test_markdown_reads_well(report: CheckReport) -> None:
    md = render_report(report, "markdown")
    assert md.startswith("# Data safety check: clients.csv")
    assert "**Verdict: not shareable**" in md
    assert "| client | Direct identifier | PERSON | drop |" in md


def test_unknown_format_and_atomic_write(report: CheckReport, tmp_path: Path) -> None:
    from community_insights.safety import InputError

    with pytest.raises(InputError):
        render_report(report, "pdf")
    target = tmp_path / "r.md"
    write_text_atomic("hello", target)
    assert target.read_text() == "hello" and [p.name for p in tmp_path.iterdir()] == ["r.md"]
    with pytest.raises(InputError):
        write_text_atomic("x", tmp_path / "missing" / "r.md")


@pytest.mark.parametrize(
    ("value", "pii", "masked"),
    [
        ("John Smith", PiiType.PERSON, "J*** S****"),
        ("nw1 6xe", PiiType.POSTCODE, "NW1 ***"),
        ("ann.lee@example.org", PiiType.EMAIL, "a***@e****.org"),
        ("07700 900123", PiiType.PHONE, "07*** ******"),
        ("943 476 5919", PiiType.NHS_NUMBER, "*** *** ****"),
        ("1 Mar 1980", PiiType.DATE_OF_BIRTH, "* *** ****"),
        ("QQ123456C", None, "*********"),
    ],
)
def test_masking(value: str, pii: PiiType | None, masked: str) -> None:
    assert mask_value(value, pii) == masked
