"""Mosaic effect: k-anonymity, l-diversity and the combinations that single people out."""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    # Records, with their share of the file: the check counts rows, and a person may have several.
    assert f"age band + ward + ethnicity single out 3 records ({3 / counter.records:.0%})" in sentences
    assert f"3 records ({3 / counter.records:.0%}) sit in groups of fewer than 5" in sentences
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


def _brute(rows: list[tuple], cols: list[int], threshold: int) -> tuple[int, int, int, int]:
    """Groups, smallest group, unique records, records below threshold: counted one record at a time."""

    from collections import Counter

    def clean(v: str | None) -> str | None:
        return v.strip() or None if v is not None else None

    sizes = Counter(tuple(clean(r[i]) for i in cols) for r in rows)
    values = list(sizes.values())
    return len(values), min(values), sum(1 for v in values if v == 1), sum(v for v in values if v < threshold)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.tuples(*(st.sampled_from([None, "", " a", "a", "b", "c", "d"]) for _ in range(4))), min_size=1, max_size=80
    ),
    quasi_count=st.integers(min_value=1, max_value=3),
    threshold=st.integers(min_value=1, max_value=4),
    path=st.sampled_from(["packed", "multi_column"]),
)
def test_property_counts_match_one_record_at_a_time(
    monkeypatch: pytest.MonkeyPatch, rows: list[tuple], quasi_count: int, threshold: int, path: str
) -> None:
    """Every shortcut (bit-packed keys, subsets split from their prefix) gives the plain counts."""

    from community_insights.safety import mosaic

    names = ["w", "x", "y", "z"]
    quasi, sensitive = names[:quasi_count], names[quasi_count:]
    frame = pl.DataFrame(rows, schema=dict.fromkeys(names, pl.String), orient="row")
    counter = MosaicCounter(quasi, sensitive)
    for start in range(0, frame.height, 7):
        counter.add(frame[start : start + 7])
    with monkeypatch.context() as patch:  # undone after each example, not only after the test
        if path == "multi_column":
            patch.setattr(mosaic, "_KEY_BITS", 0)
        finding = assess_mosaic(counter, threshold=threshold)
    groups, smallest, unique, below = _brute(rows, list(range(quasi_count)), threshold)
    assert (finding.groups, finding.k, finding.unique_records, finding.records_below_threshold) == (
        groups,
        smallest,
        unique,
        below,
    )
    for combo in finding.combinations:
        idx = [names.index(c) for c in combo.columns]
        assert (combo.groups, combo.smallest_group, combo.unique_records) == _brute(rows, idx, threshold)[:3]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.tuples(*(st.sampled_from([None, "a", "b", "c", "d", "e"]) for _ in range(5))), min_size=1, max_size=60
    ),
    threshold=st.integers(min_value=1, max_value=4),
    key_bits=st.sampled_from([0, 63]),
    max_bins=st.sampled_from([0, 1 << 20]),
)
def test_property_every_subset_matches_one_record_at_a_time(
    monkeypatch: pytest.MonkeyPatch, rows: list[tuple], threshold: int, key_bits: int, max_bins: int
) -> None:
    """All 30 subsets of five columns, by bins, packed-key sorts or group-bys, score like a plain count."""

    import itertools

    import numpy as np

    from community_insights.safety import mosaic

    names = ["v", "w", "x", "y", "z"]
    frame = pl.DataFrame(rows, schema=dict.fromkeys(names, pl.String), orient="row")
    counter = MosaicCounter(names)
    counter.add(frame)
    table = counter.table()
    codes = mosaic._Codes(table, names)
    scorer_init = mosaic._SubsetScorer.__init__

    def limited(self: mosaic._SubsetScorer, *args: object) -> None:
        scorer_init(self, *args)  # type: ignore[arg-type]
        self.max_bins = max_bins  # 0: no subset is counted in bins

    records = table.get_column(mosaic._COUNT).to_numpy().astype(np.int64)
    column_codes = codes.column_codes(codes.frame, names)
    with monkeypatch.context() as patch:  # undone after each example, not only after the test
        patch.setattr(mosaic, "_KEY_BITS", key_bits)  # 0: no subset fits a packed key
        patch.setattr(mosaic._SubsetScorer, "__init__", limited)
        risks = mosaic._subset_risks(column_codes, records, names, threshold, prune=False)
        pruned = mosaic._subset_risks(column_codes, records, names, threshold)
    expected = [list(c) for size in range(1, 5) for c in itertools.combinations(names, size)]
    assert [r.columns for r in risks] == expected
    for r in risks:
        idx = [names.index(c) for c in r.columns]
        assert (r.groups, r.smallest_group, r.unique_records, r.records_below_threshold) == _brute(rows, idx, threshold)

    # Pruned: the same scores for the subsets kept, and only supersets of a saturated subset left out.
    by_cols = {tuple(r.columns): r for r in risks}
    assert all(by_cols[tuple(r.columns)] == r for r in pruned)
    kept = {frozenset(r.columns) for r in pruned}
    total = int(records.sum())
    saturated = [frozenset(r.columns) for r in pruned if mosaic._no_superset_reported(r.unique_records, total)]
    for cols in expected:
        if frozenset(cols) not in kept:
            assert any(s < frozenset(cols) for s in saturated)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=40).map(str),  # nearly unique, like a date of birth
            *(st.sampled_from([None, "a", "b", "c"]) for _ in range(5)),
        ),
        min_size=1,
        max_size=80,
    ),
    threshold=st.integers(min_value=1, max_value=5),
)
def test_property_pruning_never_changes_the_report(
    monkeypatch: pytest.MonkeyPatch, rows: list[tuple], threshold: int
) -> None:
    """Skipping supersets of a saturated subset gives the very same mosaic finding as scoring them all."""

    from community_insights.safety import mosaic

    names = ["dob", "u", "v", "w", "x", "y"]
    frame = pl.DataFrame(rows, schema=dict.fromkeys(names, pl.String), orient="row")
    counter = MosaicCounter(names[:5], names[5:])
    counter.add(frame)
    pruned = assess_mosaic(counter, threshold=threshold)
    score_all = mosaic._subset_risks

    def unpruned(*args: object, **kwargs: object) -> object:
        return score_all(*args, **{**kwargs, "prune": False})  # type: ignore[arg-type]

    with monkeypatch.context() as patch:  # undone after each example, not only after the test
        # Every subset scored and nothing held back as saturated: the plain rule, with no shortcut.
        patch.setattr(mosaic, "_subset_risks", unpruned)
        patch.setattr(mosaic, "_no_superset_reported", lambda unique_records, total: False)
        assert dataclasses.asdict(assess_mosaic(counter, threshold=threshold)) == dataclasses.asdict(pruned)


def test_a_column_that_singles_out_everyone_is_not_combined_further() -> None:
    """Once a column alone singles out (nearly) everyone, no larger subset holding it is scored."""

    import numpy as np

    from community_insights.safety import mosaic

    n = 1_000
    codes = {
        "id_like": np.arange(1, n + 1, dtype=np.int64),
        "ward": np.arange(n, dtype=np.int64) % 4 + 1,
        "gender": np.arange(n, dtype=np.int64) % 2 + 1,
    }
    risks = mosaic._subset_risks(codes, np.ones(n, dtype=np.int64), ["id_like", "ward", "gender"], 10)
    assert [r.columns for r in risks] == [["id_like"], ["ward"], ["gender"], ["ward", "gender"]]
    assert risks[0].unique_records == n


def test_encoded_counts_strip_padding_and_treat_blank_as_missing() -> None:
    from community_insights.safety.mosaic import count_combinations, encode_counts

    clean = pl.DataFrame({"ward": ["North", "North", "South", None], "age": ["20-29"] * 4})
    padded = pl.DataFrame({"ward": [" North", "North ", "South", "  "], "age": ["20-29", " 20-29", "20-29", "20-29"]})

    def as_dict(frame: pl.DataFrame, group: bool) -> dict[tuple[str | None, str | None], int]:
        counted = count_combinations(frame.lazy(), ["ward", "age"]) if group else _one_row_per_record(frame)
        encoded = encode_counts(counted, ["ward", "age"])
        out: dict[tuple[str | None, str | None], int] = {}
        for w, a, n in zip(encoded.codes["ward"], encoded.codes["age"], encoded.records, strict=True):
            key = (encoded.values["ward"][int(w) - 1] if w else None, encoded.values["age"][int(a) - 1] if a else None)
            out[key] = out.get(key, 0) + int(n)
        return out

    expected = {("North", "20-29"): 2, ("South", "20-29"): 1, (None, "20-29"): 1}
    for group in (True, False):
        assert as_dict(clean, group) == expected
        assert as_dict(padded, group) == expected
    encoded = encode_counts(count_combinations(padded.lazy(), ["ward", "age"]), ["ward", "age"])
    assert dict(encoded.value_counts("ward").iter_rows()) == {"North": 2, "South": 1}
    assert count_combinations(clean.lazy(), ["ward"], limit=2).get_column("records").sum() == 2


def _one_row_per_record(frame: pl.DataFrame) -> pl.DataFrame:
    """Counts as a table of one row per record (``records`` = 1 each), which the mosaic must score alike."""

    return frame.select(pl.all().cast(pl.String)).with_columns(pl.lit(1, dtype=pl.UInt32).alias("records"))


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(
        st.tuples(*(st.sampled_from([None, "", " a", "a", "b ", "b", "c"]) for _ in range(4))), min_size=1, max_size=60
    ),
    threshold=st.integers(min_value=1, max_value=4),
    group=st.booleans(),
    hash_sensitive=st.booleans(),
)
def test_property_streamed_and_encoded_counts_score_like_batches(
    rows: list[tuple], threshold: int, group: bool, hash_sensitive: bool
) -> None:
    """The check's streaming path (count, encode) gives the same mosaic as counting batch by batch."""

    from community_insights.safety.mosaic import count_combinations, encode_counts

    names = ["w", "x", "y", "z"]
    quasi, sensitive = names[:3], names[3:]
    frame = pl.DataFrame(rows, schema=dict.fromkeys(names, pl.String), orient="row")
    batches = MosaicCounter(quasi, sensitive)
    batches.add(frame)
    hashed = sensitive if hash_sensitive else []
    counted = count_combinations(frame.lazy(), names) if group else _one_row_per_record(frame)
    encoded = encode_counts(counted, names, hashed=hashed)
    streamed = MosaicCounter.from_encoded(encoded, quasi, sensitive)
    a = assess_mosaic(batches, threshold=threshold)
    b = assess_mosaic(streamed, threshold=threshold)
    assert dataclasses.asdict(a) == dataclasses.asdict(b)


def test_a_huge_threshold_costs_nothing_extra() -> None:
    """Group sizes are scored from a histogram that stops at the largest group, not at the threshold."""

    import time

    import numpy as np

    from community_insights.safety.mosaic import _array_risk

    sizes = np.array([1, 1, 2, 5, 12], dtype=np.int64)
    started = time.perf_counter()
    risk = _array_risk(sizes, ["a"], 10**12)
    assert time.perf_counter() - started < 1.0  # a histogram as long as the threshold would not even fit
    assert (risk.groups, risk.smallest_group, risk.unique_records, risk.records_below_threshold) == (5, 1, 2, 21)
    assert _array_risk(sizes, ["a"], 3).records_below_threshold == 4
    assert _array_risk(sizes, ["a"], 1).unique_records == 2
    assert _array_risk(np.array([4, 6], dtype=np.int64), ["a"], 3).smallest_group == 4


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=30).map(str),
            st.sampled_from(["a", "b", None]),
            st.sampled_from([None, "x", "y", "z"]),
            st.sampled_from([None, None, "p", "q"]),
        ),
        min_size=1,
        max_size=60,
    ),
    threshold=st.integers(min_value=1, max_value=4),
)
def test_property_one_record_rows_sorted_or_grouped_give_one_finding(
    monkeypatch: pytest.MonkeyPatch, rows: list[tuple], threshold: int
) -> None:
    """Rows of one record each: finding the repeated combinations by a sort changes nothing in the finding."""

    from community_insights.safety import mosaic
    from community_insights.safety.mosaic import encode_counts

    names = ["dob", "gender", "health", "religion"]
    frame = pl.DataFrame(rows, schema=dict.fromkeys(names, pl.String), orient="row")
    encoded = encode_counts(_one_row_per_record(frame), names, hashed=names[2:])
    counter = MosaicCounter.from_encoded(encoded, names[:2], names[2:])
    with monkeypatch.context() as patch:  # undone after each example, not only after the test
        patch.setattr(mosaic, "_SORTED_GROUPS_ROWS", 10**9)
        grouped = assess_mosaic(counter, threshold=threshold)
        patch.setattr(mosaic, "_SORTED_GROUPS_ROWS", 1)
        assert dataclasses.asdict(assess_mosaic(counter, threshold=threshold)) == dataclasses.asdict(grouped)
