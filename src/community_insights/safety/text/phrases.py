"""Whole-phrase lookup of the shipped vocabularies in running text.

Notes name conditions, faiths, ethnic groups, organisations and places in
many written forms ("White - Irish", "White: Irish", "white irish"), so
phrases are matched token by token in canonical form (lower case, accents
folded), skipping the punctuation people put between the parts of a census
answer (``, : - / ( ) &``) but never a full stop, so a match cannot run
across two sentences. The longest phrase starting at a word wins, and a
match is never cut out of a longer word.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import NamedTuple

from community_insights.safety.vocabularies import canonical

__all__ = ["Match", "PhraseIndex", "Token", "tokens"]

_TOKEN = re.compile(r"[^\W_]+(?:[\-'’][^\W_]+)*|[^\w\s]")
#: Punctuation that joins the parts of one answer ("Asian, Asian British or Asian Welsh: Indian").
_JOINERS = frozenset(",:-/()&–—'’\"")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)


class Token(NamedTuple):
    """A word or a punctuation mark: its canonical form and where it sits in the text."""

    key: str
    start: int
    end: int
    text: str


class Match(NamedTuple):
    """A phrase found in the text: its label, character offsets and the token range it covers."""

    label: str
    start: int
    end: int
    first: int  # index of the first token
    last: int  # index of the last token (inclusive)


def tokens(text: str) -> list[Token]:
    """Words and punctuation of ``text`` in order.

    Joiners (``, : - / ' "``) are dropped and full stops kept; a possessive
    ``'s`` is cut off its word, so "Macmillan Cancer Support's" still ends
    with the organisation's last word.
    """

    out = []
    for m in _TOKEN.finditer(text):
        piece = m.group()
        if piece in _JOINERS:
            continue
        end = m.end()
        possessive = _POSSESSIVE.search(piece)
        if possessive and len(piece) > 2:  # "Macmillan Cancer Support's" ends with the name's last word
            piece, end = piece[: possessive.start()], m.start() + possessive.start()
        # Plain ASCII words (nearly all of them) need only lower case; the rest go through canonical().
        key = piece.lower() if piece.isascii() else (canonical(piece) or piece)
        out.append(Token(key, m.start(), end, piece))
    return out


def _phrase_key(phrase: str) -> tuple[str, ...]:
    return tuple(t.key for t in tokens(phrase))


class PhraseIndex:
    """Phrases by their first word; each lookup tries the longest phrase first."""

    def __init__(self, phrases: Iterable[tuple[str, str]]) -> None:
        by_head: dict[str, dict[tuple[str, ...], str]] = {}
        for phrase, label in phrases:
            key = _phrase_key(phrase)
            if key:
                by_head.setdefault(key[0], {}).setdefault(key, label)  # the first label given wins
        self._by_head = {head: sorted(entries.items(), key=lambda kv: -len(kv[0])) for head, entries in by_head.items()}

    @functools.cached_property
    def heads(self) -> frozenset[str]:
        """Every word a phrase can start with (canonical), for a cheap gate before tokenising."""

        return frozenset(self._by_head)

    def entries(self) -> list[tuple[tuple[str, ...], str]]:
        """Every phrase (as its canonical words) with its label."""

        return [entry for entries in self._by_head.values() for entry in entries]

    def find(self, toks: list[Token]) -> list[Match]:
        """Non-overlapping matches, left to right, longest first at each word."""

        out: list[Match] = []
        i, n = 0, len(toks)
        while i < n:
            entries = self._by_head.get(toks[i].key)
            hit = None
            if entries:
                for key, label in entries:
                    j = i + len(key)
                    if j <= n and all(toks[i + k].key == key[k] for k in range(1, len(key))):
                        hit = Match(label, toks[i].start, toks[j - 1].end, i, j - 1)
                        break
            if hit is None:
                i += 1
                continue
            out.append(hit)
            i = hit.last + 1
        return out
