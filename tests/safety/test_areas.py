"""Small areas: fewer than ten households, and areas with fewer records than the threshold."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from community_insights.safety.areas import (
    AreaCounter,
    assess_small_areas,
    load_households,
    normalise_postcode_expr,
    sample_households_path,
)
from community_insights.safety.errors import InputError


def test_normalise_postcode_expr() -> None:
    s = pl.Series(["sw1a1aa", " NW1  6xe ", "E17AA", "not a postcode", None])
    out = pl.select(normalise_postcode_expr(pl.lit(s))).to_series().to_list()
    assert out == ["SW1A 1AA", "NW1 6XE", "E1 7AA", None, None]


def test_shipped_sample_lookup_loads() -> None:
    lookup = load_households(sample_households_path())
    assert lookup.columns == ["postcode", "households"]
    assert lookup.height >= 50
    assert (lookup.get_column("households") < 10).sum() > 0


def test_lookup_with_other_headers(tmp_path: Path) -> None:
    path = tmp_path / "hh.csv"
    path.write_text('pcd,Occupied_Households,other\nnw16xe,"1,204",x\n')
    assert load_households(path).rows() == [("NW1 6XE", 1204)]
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="postcode column"):
        load_households(bad)
    with pytest.raises(InputError, match="does not exist"):
        load_households(tmp_path / "missing.csv")


def _counter(batches: list[pl.DataFrame]) -> AreaCounter:
    counter = AreaCounter({"postcode": "postcode", "ward": "ward"})
    for b in batches:
        counter.add(b)
    return counter


def test_postcodes_under_ten_households_are_listed(tmp_path: Path) -> None:
    lookup = tmp_path / "hh.csv"
    lookup.write_text("Postcode,Count\nNW1 6XE,4\nNW1 6XF,40\n")
    batch = pl.DataFrame(
        {"postcode": ["nw16xe"] * 3 + ["NW1 6XF"] * 20 + ["E1 7AA"], "ward": ["Kentish Town"] * 23 + ["Spitalfields"]}
    )
    finding = assess_small_areas(
        _counter([batch[:10], batch[10:]]), households=load_households(lookup), households_source="hh.csv"
    )
    assert finding.full_postcodes_present
    assert finding.postcodes_checked == 3
    assert finding.postcodes_below_households == 1
    assert finding.records_in_postcodes_below_households == 3
    assert finding.postcodes_not_in_lookup == 1
    by_level = {(a.column, a.level): a for a in finding.areas}
    assert by_level[("postcode", "postcode")].areas_below == 2  # NW1 6XE (3) and E1 7AA (1)
    assert by_level[("postcode", "postcode")].masked_examples == ["E1 ***", "NW1 ***"]
    assert by_level[("postcode", "sector")].areas_below == 1  # E1 7 has one record
    assert by_level[("ward", "ward")].areas_below == 1
    assert "Spitalfields" in by_level[("ward", "ward")].masked_examples
    text = " ".join(finding.recommendations)
    assert "fewer than 10 households" in text and "not in the household lookup" in text


def test_without_lookup_full_postcodes_are_identifying() -> None:
    batch = pl.DataFrame({"postcode": ["NW1 6XE"] * 30, "ward": ["A"] * 30})
    finding = assess_small_areas(_counter([batch]), threshold=10)
    assert finding.households_lookup is None
    assert any("Generalise to postcode sector" in r for r in finding.recommendations)
    assert all(a.areas_below == 0 for a in finding.areas)


def test_spellings_of_one_area_are_counted_together_across_batches() -> None:
    """Raw values are counted per batch and normalised at the end: ``nw16xe`` and ``NW1 6XE`` are one postcode."""

    counter = AreaCounter({"postcode": "postcode", "ward": "ward"})
    for spelling, ward in (("NW1 6XE", "Ward A"), ("nw16xe", " Ward A"), (" Nw1  6xe ", "Ward A "), ("not one", "  ")):
        counter.add(pl.DataFrame({"postcode": [spelling] * 4, "ward": [ward] * 4}))
    counter.add(
        pl.DataFrame(
            {"postcode": [None, "E1 6AN"], "ward": [None, "Ward B"]}, schema={"postcode": pl.String, "ward": pl.String}
        )
    )
    postcodes = dict(counter.counts("postcode").rows())
    assert postcodes == {"NW1 6XE": 12, "E1 6AN": 1}
    wards = dict(counter.counts("ward").rows())
    assert wards == {"Ward A": 12, "Ward B": 1}  # a cell of spaces is blank, not an area
