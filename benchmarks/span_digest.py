"""A digest of every span the span finder reports, to show a speed change left results alone.

Why: a change made only for speed must not move a single span. Run this on
the code before and after the change (the same command, each checkout's
``src`` on ``PYTHONPATH``) and compare the digests: equal digests mean the
same spans, start, end, type, score and source, on

* distinct generated notes and the notes column of a generated export;
* the notes of the four external sets (``tests/safety/data/external*``), as
  written, in lower case and in capitals (the case modes take other paths).

Usage::

    python benchmarks/span_digest.py --notes 30000 [--model]
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tests" / "safety" / "data"
CHUNK = 2_000


def note_sets(notes: int) -> dict[str, list[str]]:
    """The sets of notes, by name."""

    from community_insights.safety import synth

    generated = list(dict.fromkeys(n.text for n in synth.generate_notes(notes * 2, seed=5)))[:notes]
    export = [t for t in synth.generate_export(notes * 2 // 3, seed=6).frame.get_column("notes").to_list() if t]
    sets = {"generated": generated, "export": export}
    for folder in ("external", "external2", "external3", "external4"):
        lines = (DATA / folder / "notes.jsonl").read_text(encoding="utf-8").splitlines()
        texts = [json.loads(line)["text"] for line in lines if line.strip()]
        sets[folder] = texts
        sets[f"{folder} lower case"] = [t.lower() for t in texts]
        sets[f"{folder} capitals"] = [t.upper() for t in texts]
    return sets


def digest(texts: list[str], use_model: bool) -> tuple[int, str]:
    """Spans found in chunks as the check sends them, and the SHA-256 of all of them in order."""

    from community_insights.safety.text import find_span_tuples

    sha = hashlib.sha256()
    count = 0
    for i in range(0, len(texts), CHUNK):
        for span in find_span_tuples(texts[i : i + CHUNK], row_offset=i, use_model=use_model):
            sha.update(repr(span).encode())
            count += 1
    return count, sha.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=30_000, help="distinct generated notes (default 30,000)")
    parser.add_argument("--model", action="store_true", help="let the model confirm unsure names too")
    args = parser.parse_args()
    for name, texts in note_sets(args.notes).items():
        count, sha = digest(texts, args.model)
        print(f"{name}: {len(texts):,} notes, {count:,} spans, sha256 {sha}", flush=True)


if __name__ == "__main__":
    main()
