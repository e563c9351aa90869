"""Person names inside free text, by the shipped name lists and rules.

Why rules and lists rather than a model alone: the lists cover every community in the UK and
the rules read the context a name sits in (a title, a relation word, a reporting verb, a
place word after it). A candidate the rules cannot decide goes to the model (``model``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import polars as pl

from community_insights.safety.names import NameLists, fold
from community_insights.safety.text.name_words import (
    ABBREVIATIONS,
    BEFORE_BLOCKERS,
    FAMILY,
    NOT_AFTER_NAME,
    NOUN_AFTER_WORD,
    PARTICLES,
    PREPOSITIONS,
    RELATION_BEFORE,
    SAINT,
    STRONG_TITLES,
    VERB_AFTER,
)

_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*(?:['’]s\b)?\.?")


class _Toks(NamedTuple):
    """The word tokens of a note as parallel lists (cheaper than one object per token)."""

    starts: list[int]
    ends: list[int]  # end of the name part (possessive 's and trailing dot excluded)
    match_ends: list[int]  # end of the whole match, for the gap to the next token
    texts: list[str]
    keys: list[str]  # folded: lower case, no accents
    caps: list[bool]


_MID_CAPITAL = re.compile(r"(?<![.!?]\s)\b[A-Z][a-z]")
_DIGIT_AHEAD = re.compile(r"\s*\d")
_DIGIT_BEHIND = re.compile(r"\d\s*$")
_SENT_GAP = re.compile(r"[.!?:;\n\r]|^\s*[-*•]")
_POSSESSIVE = ("'s", "’s")
_fold = functools.lru_cache(maxsize=200_000)(fold)


def _tokens(text: str) -> _Toks:
    matches = list(_TOKEN.finditer(text))
    texts = [m.group() for m in matches]
    starts = [m.start() for m in matches]
    match_ends = [m.end() for m in matches]
    ends = match_ends.copy()
    for i, raw in enumerate(texts):
        if raw[-1] == "." or (len(raw) > 3 and raw[-2:] in _POSSESSIVE):
            end = match_ends[i]
            if raw[-1] == ".":
                raw = raw[:-1]
                end -= 1
            if len(raw) > 3 and raw[-2:] in _POSSESSIVE:
                raw = raw[:-2]
                end -= 2
            texts[i] = raw
            ends[i] = end
    return _Toks(starts, ends, match_ends, texts, list(map(_fold, texts)), [t[:1].isupper() for t in texts])


def _sent_start(text: str, toks: _Toks, i: int) -> bool:
    """Does token i open a sentence (or a line, or a bullet)?"""

    return i == 0 or _SENT_GAP.search(text[toks.match_ends[i - 1] : toks.starts[i]]) is not None


def _mode_from_counts(text: str, letters: int, upper: int) -> str:
    """The note's case mode (caps, lower or mixed) from its letter and capital counts."""

    if not letters:
        return "mixed"
    if upper / letters > 0.75 and letters >= 6:
        return "caps"
    if upper == 0 or (upper / letters < 0.01 and not _MID_CAPITAL.search(text[1:])):
        return "lower"
    return "mixed"


def case_mode(text: str) -> str:
    letters = [c for c in text if c.isalpha()]
    return _mode_from_counts(text, len(letters), sum(1 for c in letters if c.isupper()))


def case_modes(texts: Sequence[str]) -> list[str]:
    """:func:`case_mode` for a batch, counting letters and capitals in Polars."""

    if not texts:
        return []
    frame = pl.DataFrame({"t": pl.Series(list(texts), dtype=pl.String)}).select(
        pl.col("t").str.count_matches(r"\p{L}").alias("letters"),
        pl.col("t").str.count_matches(r"\p{Lu}").alias("upper"),
    )
    letters = frame.get_column("letters").to_list()
    upper = frame.get_column("upper").to_list()
    return [_mode_from_counts(t, n, u) for t, n, u in zip(texts, letters, upper, strict=True)]


def _near_english(key: str, lists: NameLists) -> bool:
    """Is the token an English word (not also a name) with two letters swapped or a double letter typed once?

    Without capitals to go by, "emial adress" looks like two misspelt names; it is two
    misspelt words, and a slip in a word is far commoner in notes than a slip in a name.
    Only these two typing slips count: any one-letter change of a word would also take in
    unlisted names ("lorta" is one from "sorta", "vaish" from "vanish").
    """

    english, names = lists.english, lists.all_names
    n = len(key)
    edits = {key[:i] + key[i + 1] + key[i] + key[i + 2 :] for i in range(n - 1)}
    edits.update(key[: i + 1] + key[i:] for i in range(n))
    return any(e in english and e not in names for e in edits if e != key)


# Token kind depends only on the token's text and the note's case mode.
_KIND_CACHE: dict[str, dict[str, str]] = {"mixed": {}, "caps": {}, "lower": {}}


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    needs_model: bool


def name_candidates(
    text: str, lists: NameLists, mode: str | None = None
) -> tuple[list[_Candidate], list[tuple[int, int]]]:
    """Name spans the rules are sure of, and spans that need the model's view."""

    if mode is None:
        mode = case_mode(text)
    toks = _tokens(text)
    starts, ends, texts, keys, caps = toks.starts, toks.ends, toks.texts, toks.keys, toks.caps
    n = len(starts)
    sure: list[_Candidate] = []
    unsure: list[tuple[int, int]] = []

    def adjacent(i: int) -> bool:
        """Token i+1 follows token i with only spaces (or a single hyphen) between."""

        if i + 1 >= n:
            return False
        gap = text[ends[i] : starts[i + 1]]
        if gap in (".", ". "):
            return len(keys[i]) == 1 or keys[i] in lists.titles
        return gap in (" ", "  ")

    def weak_first(i: int) -> bool:
        """Token i is a given name that is also an English word ("harry"), able to lead a name."""

        return kinds[i] == "weak" and keys[i] in lists.first

    def kind(i: int) -> str:
        key = keys[i]
        cap = caps[i]
        capital_ok = cap or mode != "mixed"
        if key in RELATION_BEFORE and (key not in lists.all_names or not cap or mode != "mixed"):
            return "word"
        if key in lists.hard_blockers or (texts[i].lower() + "'s") in lists.hard_blockers:
            return "block"
        if key in SAINT:
            return "saint"
        if key in ABBREVIATIONS:
            return "word"
        if "-" in key and key not in lists.all_names:
            parts = [p for p in key.split("-") if p]
            if any(
                p in lists.all_names and p not in lists.ambiguous and (p not in lists.english or mode == "mixed")
                for p in parts
            ):
                return "strong"
        if key in lists.all_names:
            if key in lists.ambiguous:
                return "ambig" if capital_ok else "word"
            if key in lists.english:
                # Without capitals an English word on the lists ("over", "side", "tom")
                # needs context, as "ambig" does, but joins a surname after a name.
                if mode == "mixed" and not cap:
                    return "word"
                if mode != "mixed":
                    return "weak"
            return "strong"
        if key in PARTICLES and key != "o'":
            return "particle"
        if len(key) == 1 and cap and mode != "lower":
            return "initial"
        if capital_ok and key not in lists.english and key.isalpha():
            match = lists.fuzzy_name(key)
            if match and match not in lists.ambiguous and (mode == "mixed" or not _near_english(key, lists)):
                return "fuzzy"
            return "unknown_cap" if cap else "word"
        return "word"

    cache = _KIND_CACHE[mode]
    kinds = []
    for i, tok_text in enumerate(texts):
        k_cached = cache.get(tok_text)
        if k_cached is None:
            if len(cache) > 300_000:
                cache.clear()
            k_cached = cache[tok_text] = kind(i)
        kinds.append(k_cached)
    last_end = -1  # index of the last token used by a run
    i = 0
    while i < n:
        k = kinds[i]
        titled = False
        if (
            keys[i] in lists.titles
            and (mode != "mixed" or (caps[i] and (len(texts[i]) < 2 or texts[i][1:].islower())))
            and i + 1 < n
            and adjacent(i)
            and (keys[i] in STRONG_TITLES or kinds[i + 1] in ("strong", "ambig", "weak", "fuzzy", "unknown_cap"))
        ):
            nxt = kinds[i + 1]
            if (
                nxt not in ("block", "word")
                or (mode != "mixed" and keys[i + 1] not in lists.english)
                or (nxt == "word" and caps[i + 1])
            ):
                titled = True
                i += 1
                k = kinds[i]
        related = (
            not titled
            and k in ("unknown_cap", "word")
            and i > 0
            and keys[i - 1] in FAMILY
            and adjacent(i - 1)
            and (caps[i] if mode == "mixed" else (keys[i] not in lists.english and len(keys[i]) > 2))
            and keys[i] not in lists.blockers
        )
        if not titled and not related and k not in ("strong", "ambig", "weak", "fuzzy", "initial"):
            i += 1
            continue
        # Grow the run.
        j = i
        while j + 1 < n and adjacent(j):
            nk = kinds[j + 1]
            if (
                nk in ("strong", "fuzzy")
                or (nk == "ambig" and mode == "mixed")
                or (
                    nk == "weak"
                    and keys[j + 1] in lists.surnames
                    and (
                        kinds[j] in ("strong", "fuzzy")
                        or (kinds[j] == "initial" and keys[j] not in ("a", "i"))
                        or weak_first(j)
                    )
                )
                or (nk == "initial" and kinds[j] == "initial")
            ):
                j += 1
            elif nk == "particle" and j + 2 < n and kinds[j + 2] in ("strong", "ambig", "weak", "fuzzy", "unknown_cap"):
                j += 2
            elif (
                (nk == "unknown_cap" and caps[j + 1] and mode == "mixed")
                or (nk == "unknown_cap" and mode != "mixed" and (kinds[j] in ("strong", "fuzzy") or weak_first(j)))
                or (
                    nk == "word"
                    and mode == "lower"
                    and (kinds[j] in ("strong", "fuzzy") or weak_first(j))
                    and keys[j + 1] not in lists.english
                    and keys[j + 1] not in RELATION_BEFORE
                    and keys[j + 1] not in lists.titles
                    and len(keys[j + 1]) > 2
                    and keys[j + 1].isalpha()
                )
            ):
                j += 1
            else:
                break
        # Grow backwards over an unlisted word that precedes a listed name
        # ("Fentava Bērziņš", "nimzu lau"): first names are the long tail.
        if not titled:
            while (
                i > 0
                and adjacent(i - 1)
                and (
                    kinds[i - 1] in ("unknown_cap", "fuzzy")
                    or (
                        mode != "mixed"
                        and kinds[i - 1] == "word"
                        and keys[i - 1] not in lists.english
                        and keys[i - 1] not in RELATION_BEFORE
                        and keys[i - 1] not in lists.titles
                        and len(keys[i - 1]) > 2
                    )
                )
                and (i - 1) > last_end
            ):
                i -= 1
        run_kinds = kinds[i : j + 1]
        # A run that is only initials needs a name after it.
        while run_kinds and run_kinds[-1] in ("initial", "particle"):
            j -= 1
            run_kinds = run_kinds[:-1]
        if not run_kinds:
            i += 1
            continue
        start, end = starts[i], ends[j]
        nxt_i = j + 1
        blocked = False
        after = text[end : end + 3]
        if (
            after.startswith(("'s ", "’s "))
            and nxt_i < n
            and starts[nxt_i] == end + 3
            and keys[nxt_i] in lists.blockers
            and keys[nxt_i] not in ABBREVIATIONS  # "Mrs Warsame's NHS number", "Imran's GP"
        ):
            blocked = True
        if len(run_kinds) > 1 and not titled and keys[j] in lists.blockers and kinds[i] != "strong":
            blocked = True  # "Hope House", "Victoria Park"
        if i > 0 and keys[i - 1] in BEFORE_BLOCKERS and adjacent(i - 1):
            blocked = True  # "Storm Darragh", "HMS Victory"
        if nxt_i < n and adjacent(j) and kinds[nxt_i] == "block" and keys[nxt_i] not in ABBREVIATIONS:
            blocked = True
        if (
            nxt_i < n
            and adjacent(j)
            and keys[nxt_i] in lists.blockers
            and (caps[nxt_i] or mode != "mixed")
            and not titled
        ):
            blocked = True
        if i > 0 and keys[i - 1] in SAINT and not titled:
            blocked = True
        if i > 0 and kinds[i - 1] == "block" and adjacent(i - 1) and not titled:
            blocked = True
        if "block" in run_kinds:
            blocked = True
        if blocked:
            i = j + 1
            last_end = j
            continue
        has_strong = "strong" in run_kinds or ("fuzzy" in run_kinds and len(run_kinds) > 1)
        if (
            titled
            or has_strong
            or related
            or run_kinds.count("ambig") >= 2
            or ("weak" in run_kinds and len(run_kinds) > 1)
            or ("ambig" in run_kinds and "unknown_cap" in run_kinds)
        ):
            sure.append(_Candidate(start, end, False))
        elif "ambig" in run_kinds or "weak" in run_kinds or "initial" in run_kinds or "fuzzy" in run_kinds:
            prev = keys[i - 1] if i > 0 else ""
            prev2 = f"{keys[i - 2]} {prev}" if i > 1 else ""
            nxt_key = keys[nxt_i] if nxt_i < n else ""
            possessive = text[end : end + 2] in ("'s", "’s")
            if (
                prev in RELATION_BEFORE
                or prev2 in ("spoke to", "speak to", "spoke with", "speak with", "met with", "talked to", "talk to")
                or (nxt_key in VERB_AFTER and not ("weak" in run_kinds and nxt_key in NOUN_AFTER_WORD))
                or (possessive and mode == "mixed" and not _sent_start(text, toks, i))
            ):
                sure.append(_Candidate(start, end, False))
            elif (
                prev in PREPOSITIONS
                or nxt_key in NOT_AFTER_NAME
                or (nxt_i < n and text[end : starts[nxt_i]].strip() == "" and nxt_key.isdigit())
                or _DIGIT_AHEAD.match(text[end : end + 3]) is not None
                or _DIGIT_BEHIND.search(text[max(0, start - 3) : start]) is not None
            ):
                pass
            elif mode == "mixed" and ("ambig" in run_kinds or "fuzzy" in run_kinds):
                unsure.append((start, end))
        i = j + 1
        last_end = j
    sure.extend(_coordinated(text, toks, kinds, sure, "unknown_cap" if mode == "mixed" else "weak"))
    return sure, unsure


def _coordinated(text: str, toks: _Toks, kinds: list[str], sure: list[_Candidate], kind: str) -> list[_Candidate]:
    """A word of the given kind joined by "and"/"&" to a found name is a name too.

    "Priyanka and Arjun Mistry", "Arjun & Priyanka": people are listed together. In mixed
    case that is an unlisted capitalised word; in lower case or capitals, a listed name
    that is also an English word ("priya and tom", "HARRY & SIOBHAN"; "&" is no token).
    """

    found_starts = {c.start for c in sure}
    found_ends = {c.end for c in sure}
    starts, ends, keys = toks.starts, toks.ends, toks.keys
    n = len(starts)
    out: list[_Candidate] = []
    for i, k in enumerate(kinds):
        if k != kind or starts[i] in found_starts:
            continue
        if (
            (i + 2 < n and keys[i + 1] in ("and", "&") and starts[i + 2] in found_starts)
            or (i >= 2 and keys[i - 1] in ("and", "&") and ends[i - 2] in found_ends)
            or (
                kind == "weak"
                and (
                    (i + 1 < n and starts[i + 1] in found_starts and text[ends[i] : starts[i + 1]].strip() == "&")
                    or (i >= 1 and ends[i - 1] in found_ends and text[ends[i - 1] : starts[i]].strip() == "&")
                )
            )
        ):
            out.append(_Candidate(starts[i], ends[i], False))
    return out
