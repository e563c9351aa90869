"""The safe copy: nothing identifying survives, groups are big enough, tokens join, reruns are byte-identical."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import polars as pl
import pytest

from community_insights.safety.errors import InputError, KeyFileError, PlanError
from community_insights.safety.readers import open_table
from community_insights.safety.remedies import (
    ColumnRule,
    RemedyPlan,
    SourceFingerprint,
    columns_fingerprint,
    keygen,
    load_key,
    plan_dataset,
    redact_dataset,
    save_plan,
)
from community_insights.safety.types import Action, ColumnKind, PiiType

from .residents import Resident, residents, spaced_nhs, spaced_ni

REF = dt.date(2025, 1, 31)


# --------------------------------------------------------------------------- helpers


def hand_plan(name: str, columns: list[str], rules: list[ColumnRule], **kw: object) -> RemedyPlan:
    return RemedyPlan(
        source=SourceFingerprint(name, name.rsplit(".", 1)[-1], columns, columns_fingerprint(columns)),
        columns=rules,
        reference_date=REF,
        **kw,  # type: ignore[arg-type]
    )


def council_file(path: Path, people: list[Resident]) -> Path:
    pl.DataFrame(
        {
            "Person ID": [f"MOS-{i:06d}" for i in range(len(people))],
            "NI Number": [p.ni for p in people],
            "NHS Number": [p.nhs for p in people],
            "Surname": [p.last for p in people],
            "Date of Birth": [p.dob for p in people],
            "Postcode": [p.postcode for p in people],
        }
    ).write_csv(path)
    return path


def fail_on_the_third_batch(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """The disk fills up while the third batch is remedied: a write that fails half way. Returns the calls made."""

    from community_insights.safety import generalisation as gen

    calls = {"n": 0}
    real = gen.postcode_part

    def fails(values: pl.Series, to: str) -> pl.Series:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return real(values, to)

    monkeypatch.setattr(gen, "postcode_part", fails)
    return calls


def council_plan(path: Path) -> RemedyPlan:
    cols = ["Person ID", "NI Number", "NHS Number", "Surname", "Date of Birth", "Postcode"]
    return hand_plan(
        path.name,
        cols,
        [
            ColumnRule("Person ID", Action.HASH_FILE_REFERENCE, {"system": "mosaic"}),
            ColumnRule("NI Number", Action.PSEUDONYMISE, {"type": "NI_NUMBER"}),
            ColumnRule("NHS Number", Action.PSEUDONYMISE, {"type": "NHS_NUMBER"}),
            ColumnRule("Surname", Action.DROP),
            ColumnRule("Date of Birth", Action.GENERALISE, {"to": "year"}),
            ColumnRule("Postcode", Action.GENERALISE, {"to": "district"}),
        ],
    )


def vcs_file(path: Path, people: list[Resident]) -> Path:
    """The VCS partner writes identifiers its own way: spaced, lower case, another column order."""

    pl.DataFrame(
        {
            "client_ref": [f"V{i}" for i in range(len(people))],
            "nhs": [spaced_nhs(p.nhs) for p in people],
            "ni_no": [spaced_ni(p.ni) for p in people],
            "support": ["food bank" if i % 2 else "debt advice" for i in range(len(people))],
        }
    ).write_parquet(path)
    return path


def vcs_plan(path: Path) -> RemedyPlan:
    cols = ["client_ref", "nhs", "ni_no", "support"]
    return hand_plan(
        path.name,
        cols,
        [
            ColumnRule("client_ref", Action.DROP),
            ColumnRule("nhs", Action.PSEUDONYMISE, {"type": "NHS_NUMBER"}),
            ColumnRule("ni_no", Action.PSEUDONYMISE, {"type": "NI_NUMBER"}),
            ColumnRule("support", Action.KEEP),
        ],
    )


@pytest.fixture
def key(tmp_path: Path) -> Path:
    return keygen(tmp_path / "partnership.key")


# --------------------------------------------------------------------------- joins


def test_two_files_sharing_300_residents_join_on_exactly_those_300(tmp_path: Path, key: Path) -> None:
    people = residents(1500, seed=7)
    shared, council_only, vcs_only = people[:300], people[300:1100], people[1100:]
    council = council_file(tmp_path / "council.csv", council_only[:400] + shared + council_only[400:])
    vcs = vcs_file(tmp_path / "vcs.parquet", vcs_only[:100] + shared[::-1] + vcs_only[100:])

    redact_dataset(council, council_plan(council), key, tmp_path / "council-safe.csv")
    redact_dataset(vcs, vcs_plan(vcs), key, tmp_path / "vcs-safe.parquet")
    c = pl.read_csv(tmp_path / "council-safe.csv", infer_schema=False)
    v = pl.read_parquet(tmp_path / "vcs-safe.parquet")

    on_ni = c.join(v, left_on="NI Number", right_on="ni_no")
    on_nhs = c.join(v, left_on="NHS Number", right_on="nhs")
    assert on_ni.height == 300 and on_nhs.height == 300
    assert set(on_ni["Person ID"]) == set(on_nhs["Person ID"])
    assert on_ni.filter(pl.col("NHS Number") != pl.col("nhs")).height == 0

    other = keygen(tmp_path / "other.key")
    redact_dataset(vcs, vcs_plan(vcs), other, tmp_path / "vcs-other.parquet")
    v2 = pl.read_parquet(tmp_path / "vcs-other.parquet")
    assert c.join(v2, left_on="NI Number", right_on="ni_no").height == 0
    assert c.join(v2, left_on="NHS Number", right_on="nhs").height == 0


# --------------------------------------------------------------------------- nothing raw survives


@pytest.fixture(scope="module")
def synthetic_copy(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    from community_insights.safety.synth import write_export

    folder = tmp_path_factory.mktemp("synth")
    source = write_export(folder / "export.csv", 600, seed=11)
    key = keygen(folder / "k")
    plan = plan_dataset(source, reference_date=REF)
    report = redact_dataset(source, plan, key, folder / "safe.csv", folder / "report.json", batch_rows=250)
    return {"source": source, "plan": plan, "report": report, "folder": folder, "key": key}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _compact(text: str) -> str:
    return re.sub(r"[\s\-().]", "", text).casefold()


def test_no_raw_value_of_any_finding_survives(synthetic_copy: dict[str, object]) -> None:
    plan = synthetic_copy["plan"]
    source = pl.read_csv(synthetic_copy["source"], infer_schema=False)  # type: ignore[arg-type]
    safe = pl.read_csv(Path(synthetic_copy["folder"]) / "safe.csv", infer_schema=False)  # type: ignore[arg-type]
    removed = {Action.DROP, Action.PSEUDONYMISE, Action.HASH_FILE_REFERENCE, Action.GENERALISE}
    flagged = [r for r in plan.columns if r.action in removed]  # type: ignore[attr-defined]
    assert {r.column for r in flagged} >= {"client_name", "nhs_no", "ni_number", "postcode", "dob", "tel"}

    cells_norm: set[str] = set()
    cells_compact: set[str] = set()
    for column in safe.columns:
        for value in safe[column].drop_nulls().to_list():
            cells_norm.add(_norm(value))
            cells_compact.add(_compact(value))
    all_norm = "\n".join(_norm(t) for t in safe["notes"].drop_nulls().to_list())
    all_compact = "\n".join(_compact(t) for t in safe["notes"].drop_nulls().to_list())

    for rule in flagged:
        originals = {v for v in source[rule.column].drop_nulls().to_list() if len(_compact(v)) >= 6}
        assert originals, rule.column
        survivors = [v for v in originals if _norm(v) in cells_norm or _compact(v) in cells_compact]
        assert not survivors, f"{rule.column}: {len(survivors)} raw values survive as cells"
        # Inside the free text: whole names as words, identifiers however they are spaced.
        if PiiType.PERSON in rule.pii_types or PiiType.ADDRESS in rule.pii_types:
            hay, forms, words = all_norm, {_norm(v) for v in originals}, True
        elif rule.action is not Action.GENERALISE:
            hay, forms, words = all_compact, {_compact(v) for v in originals}, False
        else:
            continue
        leaks = [f for f in forms if f in hay and (not words or re.search(rf"(?<!\w){re.escape(f)}(?!\w)", hay))]
        assert not leaks, f"{rule.column}: values survive in {len(leaks)} notes"


def test_every_span_the_check_finds_is_gone_from_its_note(synthetic_copy: dict[str, object]) -> None:
    from community_insights.safety.text import find_spans

    source = pl.read_csv(synthetic_copy["source"], infer_schema=False)  # type: ignore[arg-type]
    safe = pl.read_csv(Path(synthetic_copy["folder"]) / "safe.csv", infer_schema=False)  # type: ignore[arg-type]
    notes = source["notes"].to_list()
    spans = find_spans(notes, column="notes")
    assert len(spans) > 500
    after = safe["notes"].to_list()
    for span in spans:
        raw = notes[span.row][span.start : span.end]
        if len(raw) < 4:
            continue
        assert not re.search(rf"(?<!\w){re.escape(raw)}(?!\w)", after[span.row]), (span.row, span.type)


def test_report_speaks_about_every_column_without_raw_values_or_key(synthetic_copy: dict[str, object]) -> None:
    folder = Path(synthetic_copy["folder"])  # type: ignore[arg-type]
    text = (folder / "report.json").read_text(encoding="utf-8")
    data = json.loads(text)
    source = pl.read_csv(synthetic_copy["source"], infer_schema=False)  # type: ignore[arg-type]
    assert [c["name"] for c in data["columns"]] == source.columns
    assert data["source"]["sha256"] == open_table(synthetic_copy["source"]).sha256()  # type: ignore[arg-type]
    import hashlib

    assert data["output"]["sha256"] == hashlib.sha256((folder / "safe.csv").read_bytes()).hexdigest()
    assert len(data["plan"]["sha256"]) == 64
    key = load_key(synthetic_copy["key"])  # type: ignore[arg-type]
    assert key.hex() not in text and key.hex().upper() not in text
    for column in ("client_name", "nhs_no", "ni_number", "tel", "contact", "address_1"):
        for value in source[column].drop_nulls().unique().to_list():
            assert value not in text, column
    notes = data["columns"][source.columns.index("notes")]
    assert notes["spans_redacted"] > 0 and notes["values_changed"] > 0
    assert data["small_groups"]["after"]["smallest_group"] >= data["small_groups"]["min_group_size"]
    assert any("UK GDPR" in risk for risk in data["residual_risks"])


def test_k_holds_after_suppress_small_groups(synthetic_copy: dict[str, object]) -> None:
    plan = synthetic_copy["plan"]
    safe = pl.read_csv(Path(synthetic_copy["folder"]) / "safe.csv", infer_schema=False)  # type: ignore[arg-type]
    qis = plan.effective_quasi_identifiers()  # type: ignore[attr-defined]
    assert len(qis) >= 2
    sizes = safe.group_by(qis).len()["len"]
    assert int(sizes.min()) >= plan.min_group_size  # type: ignore[arg-type, attr-defined]


def test_small_groups_removed_are_counted(tmp_path: Path) -> None:
    people = residents(400, seed=3)
    path = tmp_path / "people.csv"
    pl.DataFrame({"dob": [p.dob for p in people], "pc": [p.postcode for p in people]}).write_csv(path)
    plan = hand_plan(
        "people.csv",
        ["dob", "pc"],
        [ColumnRule("dob", Action.GENERALISE, {"to": "age_band", "width": 20}), ColumnRule("pc", Action.KEEP)],
        quasi_identifiers=["dob", "pc"],
        small_groups="remove",
        min_group_size=5,
    )
    report = redact_dataset(path, plan, None, tmp_path / "safe.jsonl")
    safe = pl.read_ndjson(tmp_path / "safe.jsonl")
    assert report.small_groups is not None
    assert report.output.rows == safe.height == 400 - report.small_groups.records_removed
    assert report.small_groups.records_removed > 0
    assert int(safe.group_by(["dob", "pc"]).len()["len"].min()) >= 5  # type: ignore[arg-type]


# --------------------------------------------------------------------------- reproducible, every format


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".parquet", ".jsonl", ".xlsx"])
def test_reruns_are_byte_identical_and_every_format_is_written(tmp_path: Path, key: Path, suffix: str) -> None:
    people = residents(300, seed=5)
    source = council_file(tmp_path / "council.csv", people)
    plan = council_plan(source)
    plan.quasi_identifiers = ["Date of Birth", "Postcode"]
    plan.min_group_size = 3
    first = redact_dataset(source, plan, key, tmp_path / f"a{suffix}", batch_rows=64)
    second = redact_dataset(source, plan, key, tmp_path / f"b{suffix}", batch_rows=64)
    assert (tmp_path / f"a{suffix}").read_bytes() == (tmp_path / f"b{suffix}").read_bytes()
    assert first.output.sha256 == second.output.sha256
    back = open_table(tmp_path / f"a{suffix}")
    assert back.columns == ["Person ID", "NI Number", "NHS Number", "Date of Birth", "Postcode"]
    assert back.row_count() == first.output.rows
    # Batch size changes how a file is chunked (Parquet row groups), never a value.
    redact_dataset(source, plan, key, tmp_path / f"c{suffix}", batch_rows=1000)
    rows_a = pl.concat(open_table(tmp_path / f"a{suffix}").iter_batches())
    rows_c = pl.concat(open_table(tmp_path / f"c{suffix}").iter_batches())
    assert rows_a.equals(rows_c)
    if suffix in (".csv", ".tsv", ".jsonl"):
        assert (tmp_path / f"a{suffix}").read_bytes() == (tmp_path / f"c{suffix}").read_bytes()


def test_redact_is_the_same_whatever_the_input_format(tmp_path: Path, key: Path) -> None:
    people = residents(200, seed=9)
    csv = council_file(tmp_path / "council.csv", people)
    pl.read_csv(csv, infer_schema=False).write_parquet(tmp_path / "council.parquet")
    redact_dataset(csv, council_plan(csv), key, tmp_path / "from-csv.csv")
    parquet_plan = council_plan(tmp_path / "council.parquet")
    redact_dataset(tmp_path / "council.parquet", parquet_plan, key, tmp_path / "from-parquet.csv")
    assert (tmp_path / "from-csv.csv").read_bytes() == (tmp_path / "from-parquet.csv").read_bytes()


# --------------------------------------------------------------------------- bad input


def test_bad_input_is_refused_before_anything_is_written(tmp_path: Path, key: Path) -> None:
    people = residents(50, seed=1)
    source = council_file(tmp_path / "council.csv", people)
    plan = council_plan(source)
    out = tmp_path / "safe.csv"
    with pytest.raises(InputError, match="also an input"):
        redact_dataset(source, plan, key, source)
    with pytest.raises(KeyFileError, match="needs a key file"):
        redact_dataset(source, plan, None, out)
    with pytest.raises(KeyFileError, match="no key file"):
        redact_dataset(source, plan, tmp_path / "missing.key", out)
    key.chmod(0o644)
    with pytest.raises(KeyFileError, match="read by other users"):
        redact_dataset(source, plan, key, out)
    key.chmod(0o600)
    with pytest.raises(KeyFileError, match="256 bits"):
        redact_dataset(source, plan, b"short", out)
    vcs = vcs_file(tmp_path / "vcs.parquet", people)
    with pytest.raises(PlanError, match="made for another dataset"):
        redact_dataset(vcs, plan, key, out)
    with pytest.raises(InputError):
        redact_dataset(tmp_path / "absent.csv", plan, key, out)
    with pytest.raises(InputError, match="format must be one of"):
        redact_dataset(source, plan, key, tmp_path / "safe.docx")
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["council.csv", "partnership.key", "vcs.parquet"]


def test_failure_half_way_leaves_no_partial_file(tmp_path: Path, key: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    people = residents(500, seed=2)
    source = council_file(tmp_path / "council.csv", people)
    out = tmp_path / "safe.csv"
    out.write_text("an older safe copy\n", encoding="utf-8")
    fail_on_the_third_batch(monkeypatch)
    with pytest.raises(OSError, match="disk full"):
        redact_dataset(source, council_plan(source), key, out, batch_rows=100)
    assert out.read_text(encoding="utf-8") == "an older safe copy\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["council.csv", "partnership.key", "safe.csv"]


def test_a_plan_from_a_different_file_is_refused_unless_forced_then_flagged(tmp_path: Path, key: Path) -> None:
    a = council_file(tmp_path / "a.csv", residents(40, seed=1))
    b = council_file(tmp_path / "b.csv", residents(40, seed=2))
    plan = council_plan(a)
    plan.source.sha256 = open_table(a).sha256()
    save_plan(plan, tmp_path / "plan.yaml")
    with pytest.raises(InputError, match="made for a different file"):
        redact_dataset(b, tmp_path / "plan.yaml", key, tmp_path / "safe.csv")
    assert not (tmp_path / "safe.csv").exists()
    report = redact_dataset(b, tmp_path / "plan.yaml", key, tmp_path / "safe.csv", force=True)
    assert report.plan.same_file_as_planned is False
    assert any("different file" in reason for reason in report.forced)
    assert any("different file with the same columns" in r for r in report.residual_risks)
    assert report.plan.file_name == "plan.yaml"


def test_html_report_is_self_contained(tmp_path: Path, key: Path) -> None:
    source = council_file(tmp_path / "council.csv", residents(60, seed=4))
    plan = council_plan(source)
    plan.columns[4].kind = ColumnKind.QUASI_IDENTIFIER
    plan.quasi_identifiers = ["Date of Birth"]
    redact_dataset(source, plan, key, tmp_path / "safe.csv", tmp_path / "report.html")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<html lang='en-GB'>" in page
    assert "http://" not in page and "https://" not in page and "<script" not in page
    assert "<caption>" in page and "scope='col'" in page
    assert load_key(key).hex() not in page
    for person in residents(60, seed=4):
        assert person.ni not in page and person.nhs not in page


def test_typed_parquet_input_and_spreadsheet_input(tmp_path: Path, key: Path) -> None:
    from community_insights.safety.readers import write_table

    frame = pl.DataFrame(
        {
            "nhs": [9434765919, 9434765870, None],
            "born": [dt.date(1984, 3, 2), dt.date(2001, 12, 31), None],
            "age": [41, 23, 7],
            "score": [1.5, 22.0, 9.9],
        }
    )
    src = tmp_path / "typed.parquet"
    frame.write_parquet(src)
    rules = [
        ColumnRule("nhs", Action.PSEUDONYMISE, {"type": "NHS_NUMBER"}),
        ColumnRule("born", Action.GENERALISE, {"to": "year"}),
        ColumnRule("age", Action.GENERALISE, {"to": "age_band", "from": "age", "width": 5}),
        ColumnRule("score", Action.KEEP),
    ]
    plan = hand_plan("typed.parquet", list(frame.columns), rules)
    redact_dataset(src, plan, key, tmp_path / "typed-safe.parquet")
    safe = pl.read_parquet(tmp_path / "typed-safe.parquet")
    assert safe["born"].to_list() == ["1984", "2001", None]
    assert safe["age"].to_list() == ["40-44", "20-24", "5-9"]
    assert safe["score"].dtype == pl.Float64
    # The same NHS number written as text in a spreadsheet gets the same token.
    sheet = tmp_path / "typed.xlsx"
    write_table([pl.DataFrame({"nhs": ["943 476 5919"]})], sheet)
    sheet_plan = hand_plan("typed.xlsx", ["nhs"], [ColumnRule("nhs", Action.PSEUDONYMISE, {"type": "NHS_NUMBER"})])
    redact_dataset(sheet, sheet_plan, key, tmp_path / "sheet-safe.csv")
    token = pl.read_csv(tmp_path / "sheet-safe.csv", infer_schema=False)["nhs"][0]
    assert token == safe["nhs"][0]


def test_a_file_with_only_a_header_gives_an_empty_safe_copy(tmp_path: Path, key: Path) -> None:
    src = tmp_path / "empty.csv"
    src.write_text("name,postcode\n", encoding="utf-8")
    plan = hand_plan(
        "empty.csv",
        ["name", "postcode"],
        [ColumnRule("name", Action.DROP), ColumnRule("postcode", Action.GENERALISE, {"to": "district"})],
        quasi_identifiers=["postcode"],
    )
    try:
        report = redact_dataset(src, plan, None, tmp_path / "empty-safe.csv")
    except InputError:
        return  # refusing an empty file with one sentence is also fine
    assert report.output.rows == 0
    assert (tmp_path / "empty-safe.csv").read_text(encoding="utf-8").strip() == "postcode"


def test_a_plan_that_drops_everything_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "x.csv"
    src.write_text("a,b\n1,2\n", encoding="utf-8")
    plan = hand_plan("x.csv", ["a", "b"], [ColumnRule("a", Action.DROP), ColumnRule("b", Action.DROP)])
    with pytest.raises(PlanError, match="drops every column"):
        redact_dataset(src, plan, None, tmp_path / "x-safe.csv")


@pytest.mark.slow
def test_worker_processes_give_the_same_safe_copy(synthetic_copy: dict[str, object]) -> None:
    folder = Path(synthetic_copy["folder"])  # type: ignore[arg-type]
    source, plan, key = synthetic_copy["source"], synthetic_copy["plan"], synthetic_copy["key"]
    redact_dataset(source, plan, key, folder / "safe-0.csv", workers=0, batch_rows=250)  # type: ignore[arg-type]
    redact_dataset(source, plan, key, folder / "safe-2.csv", workers=2, batch_rows=250)  # type: ignore[arg-type]
    assert (folder / "safe-0.csv").read_bytes() == (folder / "safe-2.csv").read_bytes()
    assert (folder / "safe-0.csv").read_bytes() == (folder / "safe.csv").read_bytes()


def test_masked_note_examples_hide_letters_and_digits_of_every_script() -> None:
    """The report's "after" examples show only first letters, whatever the script or form."""

    from community_insights.safety.remedies.actions import _mask_text

    shown = _mask_text("Ⓙⓞⓗⓝ rang ٠٧٧٠٠ about Jose\u0301 [NAME] ok")
    assert shown == "Ⓙ*** r*** ٠**** a**** J**** [NAME] …"
    assert "ⓞ" not in shown and "\u0301" not in shown and "٧" not in shown
