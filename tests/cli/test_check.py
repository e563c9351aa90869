"""``insights check``: exit codes, formats, findings file and bad input."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from community_insights.cli import app

runner = CliRunner()


@pytest.fixture()
def personal(tmp_path: Path) -> Path:
    path = tmp_path / "clients.csv"
    pl.DataFrame(
        {
            "client": ["Ayesha Begum", "Kwame Mensah", "Siobhán O'Neill"] * 10,
            "notes": [
                "Spoke to Mrs Begum about her rent, call her on 07911 123456 next week please",
                "No answer when I rang today, will try again on Monday morning",
                "Met at the food bank, she asked about the warm home discount scheme",
            ]
            * 10,
        }
    ).write_csv(path)
    return path


def test_personal_data_exits_1_with_markdown_on_stdout(personal: Path) -> None:
    result = runner.invoke(app, ["check", str(personal)])
    assert result.exit_code == 1, result.output
    assert "# Data safety check: clients.csv" in result.stdout
    assert "Ayesha" not in result.stdout


def test_safe_file_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "safe.csv"
    path.write_text("service,visits\n" + "Food bank,3\n" * 20)
    assert runner.invoke(app, ["check", str(path), "--format", "json"]).exit_code == 0


def test_outputs_and_findings_files(personal: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    findings = tmp_path / "spans.jsonl"
    result = runner.invoke(
        app, ["check", str(personal), "-f", "html", "-o", str(out), "--findings", str(findings), "--quasi", "client"]
    )
    assert result.exit_code == 1, result.output
    assert out.read_text().startswith("<!DOCTYPE html>")
    lines = [json.loads(line) for line in findings.read_text().splitlines()]
    assert lines and set(lines[0]) == {"column", "row", "start", "end", "type"}
    assert {"PERSON", "PHONE"} <= {line["type"] for line in lines}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clients.csv", "report.html", "spans.jsonl"]


def _bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    return path


@pytest.mark.parametrize("case", ["missing", "empty", "junk", "bomb", "undecodable", "bad_sheet", "bad_households"])
def test_bad_input_exits_2_with_one_sentence_and_no_output(tmp_path: Path, case: str) -> None:
    args: list[str]
    if case == "missing":
        args = [str(tmp_path / "nope.csv")]
    elif case == "empty":
        (tmp_path / "e.csv").write_bytes(b"")
        args = [str(tmp_path / "e.csv")]
    elif case == "junk":
        (tmp_path / "j.csv").write_bytes(bytes(range(256)) * 100)
        args = [str(tmp_path / "j.csv")]
    elif case == "bomb":
        args = [str(_bomb(tmp_path / "b.xlsx"))]
    elif case == "undecodable":
        (tmp_path / "u.csv").write_bytes(b"a,b\n\x81\x8d\x8f\x90\x9d,x\n")
        args = [str(tmp_path / "u.csv"), "--encoding", "utf-8"]
    elif case == "bad_sheet":
        (tmp_path / "c.csv").write_text("a\n1\n")
        args = [str(tmp_path / "c.csv"), "--sheet", "Data"]
    else:
        (tmp_path / "c.csv").write_text("a\n1\n")
        args = [str(tmp_path / "c.csv"), "--households", str(tmp_path / "none.csv")]
    out = tmp_path / "report.json"
    findings = tmp_path / "f.jsonl"
    result = runner.invoke(app, ["check", *args, "-f", "json", "-o", str(out), "--findings", str(findings)])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    message = result.stderr.strip()
    assert message.count("\n") == 0 and message.endswith(".") and "Traceback" not in message
    assert not out.exists() and not findings.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_help_has_an_example() -> None:
    result = runner.invoke(app, ["check", "--help"])
    assert result.exit_code == 0 and "insights check" in result.stdout


def test_an_unexpected_error_is_one_sentence_without_values(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bug must not print a traceback whose message could quote the data (exit 3, not 2)."""

    import community_insights.cli as cli

    def broken() -> None:
        raise RuntimeError("could not parse 'Siobhán Kelly, NW1 6XE'")

    monkeypatch.setattr(cli, "app", broken)
    monkeypatch.delenv("INSIGHTS_DEBUG", raising=False)
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert stopped.value.code == cli.UNEXPECTED_ERROR == 3
    err = capsys.readouterr().err
    assert "RuntimeError" in err and "INSIGHTS_DEBUG=1" in err
    assert "Siobhán" not in err and "NW1" not in err and "Traceback" not in err

    monkeypatch.setenv("INSIGHTS_DEBUG", "1")
    with pytest.raises(RuntimeError):
        cli.main()
