"""``insights plan``, ``insights keygen`` and ``insights redact`` from the command line."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import polars as pl
import pytest
import yaml
from typer.testing import CliRunner

from community_insights.cli import app

runner = CliRunner()


def invoke(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    rows = 60
    path = tmp_path / "referrals.csv"
    pl.DataFrame(
        {
            "case_id": [f"CASE-{i:05d}" for i in range(rows)],
            "ni_number": [f"AB{100000 + i:06d}C" for i in range(rows)],
            "postcode": [["SW1A 1AA", "SW1A 2AB", "NW1 6XE"][i % 3] for i in range(rows)],
            "service": [["food", "debt"][i % 2] for i in range(rows)],
        }
    ).write_csv(path)
    return path


def test_plan_keygen_redact_end_to_end(tmp_path: Path, dataset: Path) -> None:
    plan = tmp_path / "plan.yaml"
    code, out, err = invoke(
        "plan", dataset, "--output", plan, "--pseudonymise", "ni_number", "--reference-date", "2025-01-31"
    )
    assert code == 0, err
    assert "Plan written" in out
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    actions = {c["column"]: c["action"] for c in data["columns"]}
    assert actions["ni_number"] == "pseudonymise" and actions["postcode"] == "generalise"
    assert data["reference_date"] == "2025-01-31"

    key = tmp_path / "partnership.key"
    code, out, err = invoke("keygen", key)
    assert code == 0, err
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert key.read_text(encoding="ascii").strip() not in out + err

    safe = tmp_path / "safe.parquet"
    report = tmp_path / "report.json"
    code, out, err = invoke("redact", dataset, "--plan", plan, "--key-file", key, "--output", safe, "--report", report)
    assert code == 0, err
    assert "Safe copy written" in out
    frame = pl.read_parquet(safe)
    assert frame["ni_number"].str.starts_with("P-").all()
    assert json.loads(report.read_text(encoding="utf-8"))["output"]["rows"] == frame.height

    again = tmp_path / "again.parquet"
    assert invoke("redact", dataset, "--plan", plan, "--key-file", key, "--output", again)[0] == 0
    assert again.read_bytes() == safe.read_bytes()


def _one_sentence(code: int, err: str) -> None:
    assert code == 2
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and lines[0].rstrip().endswith(".")


def test_bad_input_exits_2_with_one_sentence(tmp_path: Path, dataset: Path) -> None:
    plan = tmp_path / "plan.yaml"
    assert invoke("plan", dataset, "-o", plan, "--pseudonymise", "ni_number")[0] == 0
    key = tmp_path / "k.key"
    assert invoke("keygen", key)[0] == 0
    out = tmp_path / "safe.csv"

    code, _, err = invoke("redact", dataset, "--plan", plan, "--output", out)
    _one_sentence(code, err)
    assert "needs a key file" in err

    code, _, err = invoke("redact", dataset, "--plan", plan, "--key-file", tmp_path / "nope.key", "--output", out)
    _one_sentence(code, err)

    short = tmp_path / "short.key"
    short.write_text("abcd\n", encoding="ascii")
    short.chmod(0o600)
    code, _, err = invoke("redact", dataset, "--plan", plan, "--key-file", short, "--output", out)
    _one_sentence(code, err)
    assert "wrong size" in err

    key.chmod(0o644)
    code, _, err = invoke("redact", dataset, "--plan", plan, "--key-file", key, "--output", out)
    _one_sentence(code, err)
    assert "other users" in err
    key.chmod(0o600)

    code, _, err = invoke("redact", dataset, "--plan", plan, "--key-file", key, "--output", dataset)
    _one_sentence(code, err)
    assert "also an input" in err

    other = tmp_path / "other.csv"
    pl.DataFrame({"name": ["A"], "email": ["a@example.org"]}).write_csv(other)
    code, _, err = invoke("redact", other, "--plan", plan, "--key-file", key, "--output", out)
    _one_sentence(code, err)
    assert "another dataset" in err

    broken = tmp_path / "broken.yaml"
    broken.write_text(plan.read_text(encoding="utf-8").replace("action: keep", "action: shred", 1), encoding="utf-8")
    code, _, err = invoke("redact", dataset, "--plan", broken, "--key-file", key, "--output", out)
    _one_sentence(code, err)
    assert "unknown action 'shred'" in err

    code, _, err = invoke("keygen", key)
    _one_sentence(code, err)
    assert "never overwrites" in err

    code, _, err = invoke("plan", dataset, "-o", plan)
    _one_sentence(code, err)
    assert "--force" in err

    code, _, err = invoke("plan", tmp_path / "missing.csv", "-o", tmp_path / "p2.yaml")
    _one_sentence(code, err)
    assert not (tmp_path / "p2.yaml").exists()
    assert not out.exists()


def test_a_plan_can_group_ethnicity_into_the_five_ons_groups(tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    answers = ["White British", "Asian or Asian British: Indian", "N", "Mixed - White and Asian", "Other - Arab"]
    pl.DataFrame({"service": ["food"] * 10, "ethnicity": answers * 2}).write_csv(source)
    plan = tmp_path / "plan.yaml"
    assert invoke("plan", source, "--output", plan, "--reference-date", "2025-01-31")[0] == 0
    assert "to: ons_ethnic_group_5" in plan.read_text(encoding="utf-8"), "the plan's header says how"
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    for entry in data["columns"]:
        if entry["column"] == "ethnicity":
            entry["action"], entry["params"] = "generalise", {"to": "ons_ethnic_group_5"}
    data["quasi_identifiers"] = []
    plan.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    safe, report = tmp_path / "safe.csv", tmp_path / "report.json"
    code, _, err = invoke("redact", source, "--plan", plan, "--output", safe, "--report", report)
    assert code == 0, err
    assert pl.read_csv(safe)["ethnicity"].to_list()[:5] == [
        "White",
        "Asian, Asian British or Asian Welsh",
        "Black, Black British, Black Welsh, Caribbean or African",
        "Mixed or Multiple ethnic groups",
        "Other ethnic group",
    ]
    (column,) = [c for c in json.loads(report.read_text(encoding="utf-8"))["columns"] if c["name"] == "ethnicity"]
    assert "five ONS high-level ethnic groups" in column["what_was_done"]


def test_redact_writes_a_delta_table_named_by_its_suffix(tmp_path: Path, dataset: Path) -> None:
    """``--output safe.delta``: a new Delta table with the rows of the Parquet copy; never written over."""

    deltalake = pytest.importorskip("deltalake")
    plan = tmp_path / "plan.yaml"
    assert invoke("plan", dataset, "-o", plan, "--reference-date", "2025-01-31")[0] == 0
    key = tmp_path / "partnership.key"
    assert invoke("keygen", key)[0] == 0
    safe = tmp_path / "safe.delta"
    code, out, err = invoke("redact", dataset, "--plan", plan, "--key-file", key, "--output", safe)
    assert code == 0, err
    assert f"Safe copy written to {safe}: 60 of 60 records" in out
    parquet = tmp_path / "safe.parquet"
    assert invoke("redact", dataset, "--plan", plan, "--key-file", key, "--output", parquet)[0] == 0
    assert deltalake.DeltaTable(str(safe)).version() == 0
    assert pl.read_delta(str(safe)).equals(pl.read_parquet(parquet))
    code, _, err = invoke("redact", dataset, "--plan", plan, "--key-file", key, "--output", safe)
    _one_sentence(code, err)
    assert "exists; a Delta safe copy is always a new table" in err
