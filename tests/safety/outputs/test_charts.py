"""Charts: figures only from the protected table, hidden cells drawn as labelled gaps, files in every format."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import pytest

from community_insights.safety import InputError, make_chart, output_rules
from community_insights.safety.disclosure import IndicatorRefused, PermittedUse, protect_table
from community_insights.safety.outputs import HIDDEN_LABEL
from tests.safety.outputs.spec_rows import data_rows


def test_bar_chart_draws_the_protected_table_and_nothing_else(referrals: pl.DataFrame) -> None:
    chart = make_chart(referrals, by=["ward", "age_band"], kind="bar")
    table = protect_table(referrals, by=["ward", "age_band"])
    published = {tuple(c.categories.values()): c.value for c in table.cells if not c.is_total}
    rows = [r for r in data_rows(chart.spec) if "figure" in r]
    drawn = {(r["category"], r["series"]): r["figure"] for r in rows}
    assert drawn == {k: v for k, v in published.items() if v is not None}
    gaps = [r for r in data_rows(chart.spec) if str(r.get("label")).endswith(HIDDEN_LABEL)]
    assert len(gaps) == sum(v is None for v in published.values()) > 0
    assert all(set(r) == {"category", "series", "label"} for r in gaps)  # no figure, no flag, nothing else
    assert "tooltip" not in json.dumps(chart.spec)


def test_hidden_cell_is_a_labelled_gap_in_the_svg_never_a_zero_bar(referrals: pl.DataFrame, tmp_path: Path) -> None:
    out = make_chart(referrals, by=["ward"], output=tmp_path / "c.svg").write(tmp_path / "c.svg")
    svg = out.read_text(encoding="utf-8")
    assert svg.count(f">{HIDDEN_LABEL}</text>") == 2
    assert re.search(r'<svg[^>]*role="img"[^>]*aria-labelledby="output-title output-desc"', svg)
    assert '<title id="output-title">Count by ward</title>' in svg
    desc = re.search(r'<desc id="output-desc">(.*?)</desc>', svg)
    assert desc and "Highest: Abbey (115)" in desc.group(1) and "2 of 4 figures are hidden" in desc.group(1)


def test_line_chart_breaks_at_a_hidden_point(referrals: pl.DataFrame) -> None:
    chart = make_chart(referrals, by=["age_band", "ward"], kind="line")
    line = [r for r in data_rows(chart.spec) if "figure" in r]
    castle = sorted((r["category"], r["segment"]) for r in line if r["series"] == "Castle")
    # Castle's first two age bands are hidden: the line starts after the gap, in a new segment.
    assert castle[0][1] != "Castle-0"
    assert chart.spec["layer"][1]["mark"]["type"] == "rule"


def test_every_format_is_written(referrals: pl.DataFrame, tmp_path: Path) -> None:
    chart = make_chart(referrals, by=["ward", "age_band"], kind="stacked")
    assert chart.write(tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"
    assert chart.write(tmp_path / "c.pdf").read_bytes()[:5] == b"%PDF-"
    page = chart.write(tmp_path / "c.html").read_text(encoding="utf-8")
    assert "<script" not in page and "<svg" in page and "<table>" in page
    assert '<html lang="en-GB">' in page and "Cells marked [c] are hidden" in page


def test_nhs_preset_marks_hidden_cells_with_a_star(referrals: pl.DataFrame, tmp_path: Path) -> None:
    chart = make_chart(referrals, by=["ward"], rules=output_rules("nhs"))
    assert chart.rules.threshold == 8
    assert any(row[-1] == "*" for row in chart.rendered.rows)
    assert "[c]" not in " ".join(chart.rendered.notes)


def test_round_to_five_preset_rounds_every_figure(referrals: pl.DataFrame) -> None:
    chart = make_chart(referrals, by=["ward", "age_band"], rules=output_rules("round5"))
    figures = [r["figure"] for r in [r for r in data_rows(chart.spec) if "figure" in r]]
    assert figures and all(f % 5 == 0 for f in figures)


def test_a_mean_chart_is_refused_with_rounding(referrals: pl.DataFrame) -> None:
    with pytest.raises(InputError, match="Rounding protects counts and sums"):
        make_chart(referrals, by=["ward"], statistic="mean", value="hours", rules=output_rules("round5"))


def test_too_many_categories_is_refused_before_protection() -> None:
    frame = pl.DataFrame({"street": [f"street {i}" for i in range(10_000)]})
    with pytest.raises(InputError, match="10,000 bars or points"):
        make_chart(frame, by=["street"])


def test_a_chart_that_ranks_people_is_refused_for_publication(referrals: pl.DataFrame) -> None:
    frame = referrals.with_columns(resident_id=pl.Series([f"R{i}" for i in range(referrals.height)]))
    with pytest.raises(IndicatorRefused, match="Article 22"):
        make_chart(frame.head(40), by=["resident_id"], title="Risk score per resident")


def test_internal_use_with_human_review_is_allowed_and_says_so() -> None:
    frame = pl.DataFrame({"household_group": ["A"] * 12 + ["B"] * 15})
    title = "Households flagged for priority"
    with pytest.raises(IndicatorRefused, match="Article 22"):
        make_chart(frame, by=["household_group"], title=title)
    use = PermittedUse(name="Food support triage", approved_by="Information Rights", purpose="p", human_review=True)
    chart = make_chart(frame, by=["household_group"], title=title, permitted_use=use)
    decision = chart.rendered.indicator
    assert decision is not None and decision.audience == "internal" and decision.audit is not None
    assert decision.audit.permitted_use == "Food support triage"
    assert any("Not for publication" in note and "A person reviews every case" in note for note in chart.rendered.notes)


def test_output_path_is_checked_before_the_data_is_read(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="must end in"):
        make_chart(tmp_path / "missing.csv", by=["ward"], output=tmp_path / "chart.txt")
    source = tmp_path / "data.csv"
    source.write_text("ward\nA\n", encoding="utf-8")
    same = tmp_path / "data.svg"
    same.symlink_to(source)
    with pytest.raises(InputError, match="also an input"):
        make_chart(source, by=["ward"], output=same)
    assert source.read_text(encoding="utf-8") == "ward\nA\n"


def test_the_default_preset_is_the_engines_defaults() -> None:
    from community_insights.safety import DEFAULT_THRESHOLD, DisclosureRules, preset_names

    assert output_rules().disclosure_rules() == DisclosureRules()
    assert output_rules("ons").threshold == DEFAULT_THRESHOLD and output_rules().mark == "[c]"
    assert preset_names() == ["ons", "nhs", "round5"]
    assert output_rules("round5").method == "rounding"
    with pytest.raises(InputError, match="no rule called 'colour'"):
        output_rules("ons", colour="red")


def test_a_chart_by_a_column_of_names_is_refused_as_a_table_by_it_is(tmp_path: Path) -> None:
    """A bar per person publishes every name as a label, whatever the figures beside it."""
    from community_insights.safety.disclosure import DisclosureError

    names = ["Siobhan Kelly", "Tomasz Nowak", "Priya Chaudhry", "Gareth Pryce", "Ngozi Eze", "Callum Reid"] * 4
    frame = pl.DataFrame({"full_name": names, "ward": ["Abbey", "Bridge"] * 12})
    with pytest.raises(DisclosureError, match="direct personal data"):
        make_chart(frame, by=["full_name"], output=tmp_path / "c.svg")
    assert not (tmp_path / "c.svg").exists()
    assert make_chart(frame, by=["ward"]).table.cells  # the same file by a column that names no one is fine
