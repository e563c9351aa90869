"""Health words as codebooks abbreviate them in column names: ``genhlth``, ``hlthp``, ``physlm``, ``disea``.

Survey and clinical microdata name their columns in a few letters, and the
header list (``health_headers.txt``) cannot hold every name a codebook has
made up: the CDC's BRFSS writes general health as ``GENHLTH``, AHRQ's MEPS a
walking limitation as ``WLKLIM``, the Health Survey for England a limiting
illness as ``limitill``. The names are made the same few ways, so this module
reads them the same ways instead of listing them:

* a word cut short: ``disea`` (disease), ``lim`` (limitation), ``phys``
  (physical);
* a word without its vowels, or the start of that: ``hlth`` (health), ``lmt``
  and ``lm`` (limitation), ``wlk`` (walking);
* pieces glued together, one of them a health word (``gen`` + ``hlth``,
  ``phys`` + ``lm``, ``limit`` + ``ill``), with at most one letter at either
  end for a category or a count (``hlth`` + ``g``: health good; ``n`` +
  ``chronic``: number of chronic conditions).

A header word that is an English word is never read as an abbreviation (a
"surge" is not surgery, "film" is not a limitation), and short pieces count
only beside another piece, so a three-letter header alone says nothing.
"""

from __future__ import annotations

import functools
import re

from community_insights.safety.vocabularies import vocabulary

__all__ = ["abbreviated_health_word", "counts_health", "header_words", "health_abbreviation"]

#: A core word cut to this many letters stands alone ("disea"); fewer need a piece beside them.
ALONE_CUT = 5
#: A core word's letters without vowels, cut to this many, stands alone ("hlth").
ALONE_SKELETON = 4
#: Beside another piece, a cut of three letters ("lim") or a skeleton of two ("lm") is enough.
GLUED_CUT = 3
GLUED_SKELETON = 2
#: Qualifiers ("gen", "phys", "wlk") need three letters either way.
QUALIFIER_MIN = 3
#: A piece of one or two letters needs a piece of at least this many letters beside it.
LETTER_NEEDS = 4
_MAX_PIECES = 3
#: Longer header words are sentences run together, not codebook names (and would cost time to cut).
_MAX_WORD = 30
_VOWELS = re.compile(r"[aeiouy]")


def _skeleton(word: str) -> str:
    """The word's first letter and its consonants, doubled letters once: "health" → "hlth"."""

    rest = _VOWELS.sub("", word[1:])
    out = word[0]
    for ch in rest:
        if ch != out[-1]:
            out += ch
    return out


def header_words(name: str) -> str:
    """A header as words between spaces: camelCase, capitals before a word and punctuation are breaks.

    "SysBP" is " sys bp ", "BPMeds" is " bp meds ", "T.categ" is " t categ ".
    """

    spaced = re.sub(r"([A-Z])([A-Z][a-z])", r"\1 \2", re.sub(r"([a-z])([A-Z])", r"\1 \2", name))
    return " " + " ".join(re.findall(r"[a-z0-9]+", spaced.lower())) + " "


@functools.cache
def _words() -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    """Core words (word → the word), qualifier words, and core words whose numbers stay health data."""

    vocab = vocabulary("health_header_parts")
    core: dict[str, str] = {}
    qualifiers: dict[str, str] = {}
    counts: set[str] = set()
    for entry, tag in vocab.tags.items():
        word = entry.lower().replace(" ", "")
        parts = tag.split()
        if "qualifier" in parts:
            qualifiers[word] = word
        elif "form" in parts:
            core[word] = "health"
        else:
            core[word] = word
            if "count" in parts:
                counts.add(word)
    return core, qualifiers, frozenset(counts)


@functools.cache
def _pieces() -> dict[str, tuple[str, str, int]]:
    """Every piece a codebook could write, as piece → (role, the word it stands for, strength).

    Strength: 2 stands alone, 1 counts only beside another piece. Roles are
    ``core`` and ``qualifier``; a piece that could be either is a core piece.
    """

    core, qualifiers, _ = _words()
    out: dict[str, tuple[str, str, int]] = {}

    def add(piece: str, role: str, word: str, strength: int) -> None:
        old = out.get(piece)
        if old is None or (role == "core", strength) > (old[0] == "core", old[2]):
            out[piece] = (role, word, strength)

    for word, meaning in qualifiers.items():
        for k in range(QUALIFIER_MIN, len(word) + 1):
            add(word[:k], "qualifier", meaning, 1)
        skel = _skeleton(word)
        for k in range(QUALIFIER_MIN, len(skel) + 1):
            add(skel[:k], "qualifier", meaning, 1)
    for word, meaning in core.items():
        add(word, "core", meaning, 2)
        for k in range(GLUED_CUT, len(word)):
            add(word[:k], "core", meaning, 2 if k >= ALONE_CUT else 1)
        skel = _skeleton(word)
        for k in range(GLUED_SKELETON, len(skel) + 1):
            add(skel[:k], "core", meaning, 2 if k >= ALONE_SKELETON else 1)
    return out


def _segments(token: str) -> list[list[str]]:
    """Every way to cut ``token`` into at most three known pieces (one-letter pieces only at the ends)."""

    pieces = _pieces()
    found: list[list[str]] = []

    def walk(start: int, acc: list[str]) -> None:
        if start == len(token):
            found.append(acc)
            return
        if len(acc) == _MAX_PIECES:
            return
        for end in range(len(token), start, -1):
            piece = token[start:end]
            one_letter_at_an_end = len(piece) == 1 and (start == 0 or end == len(token))
            if piece in pieces or one_letter_at_an_end:
                walk(end, [*acc, piece])

    walk(0, [])
    return found


def _reads_as_health(segment: list[str]) -> str | None:
    """The health word a cut of a header word stands for, if the cut reads as a codebook name.

    At least one piece is a health word; a short piece leans on a long one
    beside it, because short pieces are found by chance in any string of
    letters ("numcm" is "num" + "cm", "childs" is "ch" + "il" + "ds").
    """

    pieces = _pieces()
    known = [pieces.get(p) for p in segment]
    cores = [k for k in known if k is not None and k[0] == "core"]
    if not cores:
        return None
    if len(segment) == 1:
        return cores[0][1] if cores[0][2] == 2 else None
    for i, piece in enumerate(segment):
        beside = [j for j in (i - 1, i + 1) if 0 <= j < len(segment)]
        longest = max(len(segment[j]) for j in beside)
        if len(piece) == 1:  # a category or count letter ("hlth" + "g") sits at an end, beside a core piece
            j = beside[0]
            info = known[j]
            if info is None or info[0] != "core" or len(segment[j]) < LETTER_NEEDS:
                return None
        elif len(piece) == 2 and longest < LETTER_NEEDS:  # "lm" only beside "phys"
            return None
    words = [p for p in segment if len(p) > 1]
    if len(words) == 1 and pieces[words[0]][2] < 2:  # "lim" + one letter is too little
        return None
    return cores[0][1]


@functools.cache
def health_abbreviation(token: str) -> str | None:
    """The health word a header word abbreviates (``"hlthg"`` → ``"health"``), or ``None``.

    ``token`` is one lower-case word of a header; digits at its end (a wave or
    version, ``hlthpln1``) are ignored. English words are never abbreviations.
    """

    word = token.rstrip("0123456789")
    if not 4 <= len(word) <= _MAX_WORD or not word.isalpha() or not word.isascii():
        return None
    meaning = next((m for seg in _segments(word) if (m := _reads_as_health(seg))), None)
    if meaning is None or _is_english(word):
        return None
    return meaning


def abbreviated_health_word(words: str) -> str | None:
    """The first header word (of a header split into words) that abbreviates a health word, if any."""

    return next((w for w in words.split() if health_abbreviation(w)), None)


def counts_health(token: str) -> bool:
    """True when the word is, or abbreviates, a word whose numbers are health data ("diseases", "disea")."""

    counts = _words()[2]
    return token in counts or health_abbreviation(token) in counts


def _is_english(word: str) -> bool:
    from community_insights.safety.names import name_lists

    return word in name_lists().english
