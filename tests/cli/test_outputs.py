"""``insights chart`` and ``insights map``: thin twins of make_chart and make_map; bad input is exit 2."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from community_insights.cli import app
from community_insights.safety import sample_boundaries_path

runner = CliRunner()


#: People per (ward, age band): Northgate is small, and so are some bands in most wards.
COUNTS = {
    "Castle": (45, 40, 25, 3),
    "Abbey": (38, 42, 20, 4),
    "Riverside": (30, 26, 6, 2),
    "Northgate": (2, 3, 1, 0),
}


@pytest.fixture
def referrals(tmp_path: Path) -> Path:
    rnd = random.Random(2)
    path = tmp_path / "referrals.csv"
    bands = ("18-29", "30-49", "50-64", "65+")
    rows = [
        f"{ward},{band},{rnd.randint(1, 20)},{rnd.choice(['yes', 'no'])}"
        for ward, counts in COUNTS.items()
        for band, n in zip(bands, counts, strict=True)
        for _ in range(n)
    ]
    path.write_text("ward,age_band,hours,food\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_chart_writes_the_file_and_explains_on_screen_only(referrals: Path, tmp_path: Path) -> None:
    out = tmp_path / "chart.html"
    args = ["chart", str(referrals), "--by", "ward,age_band", "--count", "--kind", "stacked", "-o", str(out)]
    result = runner.invoke(app, [*args, "--explain"])
    assert result.exit_code == 0, result.output
    assert "Stacked bar chart of count by ward and age_band" in result.output
    assert "(threshold rule)" in result.output
    page = out.read_text(encoding="utf-8")
    assert "(threshold rule)" not in page and "the other hidden cells" not in page


def test_chart_rules_from_a_preset_and_single_rules(referrals: Path, tmp_path: Path) -> None:
    out = tmp_path / "chart.html"
    args = ["chart", str(referrals), "--by", "ward", "--sum", "hours", "-o", str(out), "--preset", "nhs"]
    result = runner.invoke(app, [*args, "--rule", "p_percent=0.2", "--threshold", "12"])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "NHS convention" in page and "fewer than 12 people" in page


def test_map_writes_the_file_and_lists_merged_areas(referrals: Path, tmp_path: Path) -> None:
    out = tmp_path / "map.svg"
    args = ["map", str(referrals), "--area", "ward", "--boundaries", str(sample_boundaries_path()), "--count"]
    result = runner.invoke(app, [*args, "-o", str(out), "--explain"])
    assert result.exit_code == 0, result.output
    assert "Abbey + Northgate" in result.output or "Northgate" in result.output
    assert out.read_text(encoding="utf-8").startswith("<svg")


def test_internal_use_writes_an_audit_record(tmp_path: Path) -> None:
    data = tmp_path / "households.csv"
    data.write_text("household_group\n" + "A\n" * 12 + "B\n" * 15, encoding="utf-8")
    use = tmp_path / "use.json"
    use.write_text(
        json.dumps({"name": "Triage", "approved_by": "Information Rights", "purpose": "p", "human_review": True}),
        encoding="utf-8",
    )
    out = tmp_path / "c.svg"
    args = [
        "chart",
        str(data),
        "--by",
        "household_group",
        "--count",
        "-o",
        str(out),
        "--title",
        "Households flagged for priority",
    ]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2 and "Article 22" in refused.output and not out.exists()
    allowed = runner.invoke(app, [*args, "--permitted-use", str(use)])
    assert allowed.exit_code == 0, allowed.output
    record = json.loads((tmp_path / "c.svg.audit.json").read_text(encoding="utf-8"))
    assert record["permitted_use"] == "Triage" and record["action"] == "safety.indicator_internal_use"


def _one_sentence(result: object, expected: str) -> None:
    output = result.output  # type: ignore[attr-defined]
    assert result.exit_code == 2, output  # type: ignore[attr-defined]
    assert expected in output and "Traceback" not in output
    assert len(output.strip().splitlines()) == 1, output


@pytest.mark.parametrize(
    ("make", "extra", "expected"),
    [
        (lambda p: p.write_text("", encoding="utf-8"), ["--by", "ward", "--count"], "empty"),
        (lambda p: p.write_text("ward\n", encoding="utf-8"), ["--by", "ward", "--count"], "no rows"),
        (lambda p: p.write_text("ward\nA\n", encoding="utf-8"), ["--by", "street", "--count"], "no column called"),
        (
            lambda p: p.write_text("ward,name\nA,x\n", encoding="utf-8"),
            ["--by", "ward", "--sum", "name"],
            "not numbers",
        ),
        (
            lambda p: p.write_text("street\n" + "".join(f"s{i}\n" for i in range(10_000)), encoding="utf-8"),
            ["--by", "street", "--count"],
            "10,000 bars or points",
        ),
        (
            lambda p: p.write_text("ward\nA\n", encoding="utf-8"),
            ["--by", "ward", "--count", "--kind", "pie"],
            "bar, stacked",
        ),
        (
            lambda p: p.write_text("ward\nA\n", encoding="utf-8"),
            ["--by", "ward", "--count", "--preset", "x"],
            "no preset",
        ),
        (lambda p: p.write_text("ward\nA\n", encoding="utf-8"), ["--by", "ward"], "exactly one of"),
    ],
)
def test_bad_chart_input_is_one_sentence_and_exit_2(
    tmp_path: Path, make: object, extra: list[str], expected: str
) -> None:
    data = tmp_path / "data.csv"
    make(data)  # type: ignore[operator]
    result = runner.invoke(app, ["chart", str(data), "-o", str(tmp_path / "c.svg"), *extra])
    _one_sentence(result, expected)
    assert not (tmp_path / "c.svg").exists()


def test_an_unusable_output_is_refused_before_the_table_is_built(tmp_path: Path) -> None:
    # The data file does not even exist: the output is checked first.
    result = runner.invoke(app, ["chart", str(tmp_path / "missing.csv"), "--by", "w", "--count", "-o", "c.txt"])
    _one_sentence(result, "must end in .svg, .png, .pdf or .html")
    result = runner.invoke(
        app, ["chart", str(tmp_path / "missing.csv"), "--by", "w", "--count", "-o", str(tmp_path / "no" / "c.svg")]
    )
    _one_sentence(result, "does not exist")


def test_bad_map_input_is_one_sentence_and_exit_2(referrals: Path, tmp_path: Path) -> None:
    base = ["map", str(referrals), "--area", "ward", "--count", "-o", str(tmp_path / "m.svg")]
    lines = tmp_path / "lines.geojson"
    lines.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"CD": "A"},
                        "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    _one_sentence(runner.invoke(app, [*base, "--boundaries", str(lines)]), "no polygons")
    _one_sentence(runner.invoke(app, [*base, "--boundaries", str(tmp_path / "none.geojson")]), "no boundary file")
    other = ["map", str(referrals), "--area", "age_band", "--count", "-o", str(tmp_path / "m.svg")]
    _one_sentence(runner.invoke(app, [*other, "--boundaries", str(sample_boundaries_path())]), "None of the areas")
    rate = ["map", str(referrals), "--area", "ward", "--rate", "hours", "-o", str(tmp_path / "m.svg")]
    _one_sentence(runner.invoke(app, [*rate, "--boundaries", str(sample_boundaries_path())]), "not yes or no")
    both = [*base, "--rate", "food", "--boundaries", str(sample_boundaries_path())]
    _one_sentence(runner.invoke(app, both), "exactly one of --count or --rate")
