"""Name lists shipped with the engine, loaded once per process.

The lists are data, not code, so that an information rights officer can read
and extend them (see ``README.md`` in this folder for sources and licences).
Every entry is compared lower-cased, and names with accents are also stored
without them ("Siobhán" and "Siobhan" both match) because exports often lose
accents on the way through old systems.
"""

from __future__ import annotations

import dataclasses
import functools
import unicodedata
from importlib import resources

__all__ = ["NameLists", "fold", "name_lists"]


def fold(text: str) -> str:
    """Lower-case and strip accents (``Siobhán`` → ``siobhan``, ``Łukasz`` → ``lukasz``)."""

    if text.isascii():  # no accent to strip, and NFKD leaves ASCII as it is: most words, at a tenth of the cost
        return text.lower()
    lowered = text.lower().replace("’", "'").replace("ł", "l")
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _read(name: str) -> list[str]:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _with_folded(entries: list[str]) -> frozenset[str]:
    out: set[str] = set()
    for entry in entries:
        lowered = entry.lower()
        out.add(lowered)
        if not entry.isascii():  # folding only changes accented and non-Latin letters: most entries skip it
            out.add(fold(entry))
    return frozenset(out)


@dataclasses.dataclass(frozen=True)
class NameLists:
    """All the word lists the name rules use, lower-cased."""

    first: frozenset[str]
    surnames: frozenset[str]
    all_names: frozenset[str]
    ambiguous: frozenset[str]
    titles: frozenset[str]
    blockers: frozenset[str]
    hard_blockers: frozenset[str]

    @functools.cached_property
    def english(self) -> frozenset[str]:
        """Everyday English words (lower-cased), read on first use.

        The free-text rules need this list, the longest of them; the column
        classifier reads it only for a column of a few repeated words (is it a
        category of everyday words?), so most structured checks never pay for it.
        """

        return frozenset(_read("english_words.txt"))

    def is_name(self, token: str) -> bool:
        """True if the (lower-cased) token is on a first-name or surname list."""

        return token in self.all_names

    def is_strong_name(self, token: str) -> bool:
        """A listed name that is not also an everyday word, month or place."""

        return token in self.all_names and token not in self.ambiguous

    @functools.cached_property
    def _deletes(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for name in self.all_names:
            if len(name) < 5 or name in self.ambiguous or not name.isalpha():
                continue
            for i in range(len(name)):
                index.setdefault(name[:i] + name[i + 1 :], name)
            index.setdefault(name, name)
        return index

    def fuzzy_name(self, token: str) -> str | None:
        """The listed name one edit (delete, insert, substitute, swap) away, if any.

        Used for misspelt names in notes ("Siobahn", "Mohammmed"): only for
        tokens of five letters or more that are not English words, so
        ordinary words are never bent into names.
        """

        if len(token) < 5 or token in self.english or not token.isalpha():
            return None
        index = self._deletes
        if token in index:
            return index[token]
        for i in range(len(token)):
            cand = token[:i] + token[i + 1 :]
            if cand in index:
                return index[cand]
        return None


@functools.cache
def name_lists() -> NameLists:
    """Load the shipped lists (cached: the first call costs ~0.1 s)."""

    first = _with_folded(_read("first_names.txt"))
    surnames = _with_folded(_read("surnames.txt"))
    all_names = first | surnames
    blockers = _with_folded(_read("blockers.txt"))
    return NameLists(
        first=first,
        surnames=surnames,
        all_names=all_names,
        ambiguous=_with_folded(_read("ambiguous.txt")),
        titles=_with_folded(_read("titles.txt")),
        blockers=blockers,
        hard_blockers=frozenset(blockers - all_names),
    )
