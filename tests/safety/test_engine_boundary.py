"""The engine is a plain library: importing it must never import Django, and a check loads only what it uses.

This keeps it usable from a notebook, the command line and a distributed job,
and keeps the dependency pointing one way (portal -> engine).
"""

import subprocess
import sys
from pathlib import Path


def test_engine_never_imports_django() -> None:
    code = (
        "import sys, community_insights.safety, community_insights.cli; community_insights.cli.app;"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'));"
        "print(','.join(bad)); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"Django was imported by the engine or the CLI: {result.stdout or result.stderr}"


def test_a_check_leaves_the_chart_and_table_libraries_unloaded(tmp_path: Path) -> None:
    """Altair and SciPy load only when a chart, a map or a protected table is made.

    Why it matters: each free-text worker of a check starts by importing the
    command line again (that is how spawned processes find their code), and
    importing these two took about half a second of CPU in every one of
    those processes.
    """

    data = tmp_path / "people.csv"
    data.write_text("name,postcode,notes\nAmina Khan,LS6 2AB,Rang about rent\nJohn Smith,M1 1AE,No answer\n")
    code = (
        "import sys, community_insights.cli; community_insights.cli.app;"
        "from community_insights.safety import check_dataset;"
        f"check_dataset({str(data)!r});"
        "bad = sorted({m.split('.')[0] for m in sys.modules} & {'altair', 'scipy'});"
        "print(','.join(bad)); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"a check imported {result.stdout or result.stderr}"
