"""Mosaic effect: k-anonymity, l-diversity and the combinations that single people out."""

from __future__ import annotations

import polars as pl

from community_insights.safety.mosaic import MosaicCounter, assess_mosaic, column_label


def _frame() -> pl.DataFrame:
    # 40 people in four big groups, plus 3 people each unique only on age band + ward + ethnicity.
    rows = []
    for i in range(40):
        rows.append(("25-34" if i % 2 else "35-44", "Ward A" if i < 20 else "Ward B", "White British", "Diabetes"))
    rows += [
        ("25-34", "Ward A", "Black African", "Asthma"),
        ("35-44", "Ward B", "Asian - Bangladeshi", "Asthma"),
        ("65+", "Ward A", "White British", "None"),
    ]
    return pl.DataFrame(rows, schema=["age_band", "ward", "ethnicity", "health"], orient="row")


def test_k_anonymity_and_the_combination_sentence() -> None:
    frame = _frame()
    counter = MosaicCounter(["age_band", "ward", "ethnicity"], ["health"])
    for start in range(0, frame.height, 10):  # batch by batch
        counter.add(frame[start : start + 10])
    finding = assess_mosaic(counter, threshold=5)
    assert finding.k == 1
    assert finding.unique_records == 3
    assert finding.records_below_threshold == 3
    assert finding.groups == 7
    sentences = " ".join(finding.sentences)
    assert "age band + ward + ethnicity single out 3 people" in sentences
    singles = {tuple(c.columns): c.unique_records for c in finding.combinations}
    assert singles[("age_band",)] == 1  # only the 65+ person
    assert all(c.sentence.endswith(".") for c in finding.combinations)


def test_l_diversity_flags_groups_sharing_one_sensitive_value() -> None:
    counter = MosaicCounter(["age_band", "ward", "ethnicity"], ["health"])
    counter.add(_frame())
    finding = assess_mosaic(counter, threshold=5)
    (div,) = finding.l_diversity
    assert div.column == "health"
    assert div.l_min == 1
    assert div.groups_with_one_value == 4  # the four big groups all have Diabetes
    assert div.records_in_those_groups == 40
    assert any("same health" in s for s in finding.sentences)


def test_safe_when_every_group_is_large() -> None:
    frame = pl.DataFrame({"age_band": ["18-24", "25-34"] * 50, "gender": ["F"] * 50 + ["M"] * 50})
    counter = MosaicCounter(["age_band", "gender"])
    counter.add(frame)
    finding = assess_mosaic(counter, threshold=10)
    assert finding.k == 25
    assert finding.records_below_threshold == 0 and finding.combinations == []


def test_no_quasi_identifiers() -> None:
    counter = MosaicCounter([])
    counter.add(pl.DataFrame({"x": [1, 2]}))
    finding = assess_mosaic(counter)
    assert finding.k is None and "not measured" in finding.sentences[0]
    assert column_label("Age_Band") == "age band"
