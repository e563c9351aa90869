"""The engine is a plain library: importing it must never import Django.

This keeps it usable from a notebook, the command line and a distributed job,
and keeps the dependency pointing one way (portal -> engine).
"""

import subprocess
import sys


def test_engine_never_imports_django() -> None:
    code = (
        "import sys, community_insights.safety, community_insights.cli;"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'));"
        "print(','.join(bad)); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"Django was imported by the engine or the CLI: {result.stdout or result.stderr}"
