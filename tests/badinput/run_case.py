"""Run several ``insights`` commands in this one process and print their results as JSON.

The bad-input test starts this script once per case, so the peak memory it
reports (:func:`tests.memory.peak_kib`, measured here, not by the parent) is
the case's, while Python and the engine load once for all of the case's commands.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys


def run(argv: list[str]) -> dict[str, object]:
    from community_insights.cli import main

    out, err = io.StringIO(), io.StringIO()
    code: object = 0
    sys.argv = ["insights", *argv]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main()
        except SystemExit as stop:
            code = stop.code
        except BaseException as exc:
            code = f"crash: {type(exc).__name__}"
    return {
        "argv": argv,
        "code": code if isinstance(code, int) or code is None else str(code),
        "out": out.getvalue(),
        "err": err.getvalue(),
    }


if __name__ == "__main__":
    commands = json.loads(sys.argv[1])
    results = [run(argv) for argv in commands]
    from tests.memory import peak_kib

    sys.__stdout__.write(json.dumps({"results": results, "peak_kib": peak_kib()}) + "\n")
