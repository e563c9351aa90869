"""Person names inside free text, by the shipped name lists and rules.

Why rules and lists rather than a model alone: the lists cover every community in the UK and
the rules read the context a name sits in (a title, a relation word, a reporting verb, a
place word after it). A candidate the rules cannot decide goes to the model (``model``).
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple, cast

import polars as pl

from community_insights.safety.names import NameLists, fold
from community_insights.safety.text.name_words import (
    ABBREVIATIONS,
    BEFORE_BLOCKERS,
    FAMILY,
    FOREIGN_SAINT,
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
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")


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
_ENDS_CUT = operator.methodcaller("endswith", (".", *_POSSESSIVE))
_FIRST = operator.itemgetter(0)
_fold = functools.lru_cache(maxsize=200_000)(fold)


def _tokens(text: str) -> _Toks:
    # One split instead of a match object per token: the pieces alternate gap, token, gap …,
    # so the running total of their lengths gives every token's start and end.
    pieces = _TOKEN_SPLIT.split(text)
    texts = pieces[1::2]
    bounds = list(itertools.accumulate(map(len, pieces)))
    starts = bounds[0:-1:2]
    match_ends = bounds[1::2]
    ends = match_ends.copy()
    # Only a token ending in a full stop or "'s" can lose its end; which do is asked of every token in C
    # (``str.endswith`` over a ``map``), and the rest of the test below in Python for those few.
    for i in list(itertools.compress(itertools.count(), map(_ENDS_CUT, texts))):
        raw, end = texts[i], match_ends[i]
        if raw[-1] == ".":
            raw = raw[:-1]
            end -= 1
        if len(raw) > 3 and raw[-2:] in _POSSESSIVE:
            raw = raw[:-2]
            end -= 2
        texts[i] = raw
        ends[i] = end
    # Every token holds a letter, even with its end cut, so its first character is there to read.
    return _Toks(starts, ends, match_ends, texts, list(map(_fold, texts)), list(map(str.isupper, map(_FIRST, texts))))


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
    frame = pl.DataFrame({"t": pl.Series(list(texts), dtype=pl.String)}).select(*case_count_exprs())
    return case_modes_from_counts(texts, frame)


def case_count_exprs() -> tuple[pl.Expr, pl.Expr]:
    """The letters and capitals of a Polars column ``t``, counted as :func:`case_modes` needs them.

    Named ``case_…``: they share one ``select`` with every other gate (``text/gates.py``).

    Letters are the characters less those that are not letters: a note has far fewer of those, and
    each match costs, so this counts the same number in about half the time.
    """

    col = pl.col("t")
    letters = col.str.len_chars() - col.str.count_matches(r"\P{L}")
    return letters.alias("case_letters"), col.str.count_matches(r"\p{Lu}").alias("case_upper")


def case_modes_from_counts(texts: Sequence[str], counts: pl.DataFrame) -> list[str]:
    """:func:`case_modes` from the columns of :func:`case_count_exprs` already counted, one row per text."""

    letters = counts.get_column("case_letters").to_list()
    upper = counts.get_column("case_upper").to_list()
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


#: A name transliterated with an apostrophe for a sound English has no letter for ("Sa'adatu", "Ja'far",
#: "Isma'il"): letters both sides, never a contraction's ending ("It's", "Don't", "We'll") nor a particle (O', D').
_APOSTROPHE_NAME = re.compile(r"(?!(?:o|d|l|mc|mac)')[^\W\d_]{1,4}'[^\W\d_]{3,}")

# Token kind depends only on the token's text and the note's case mode.
_KIND_CACHE: dict[str, dict[str, str]] = {"mixed": {}, "caps": {}, "lower": {}}
# Kinds of token that can be a name on their own; "initial" can start a run, too.
_NAME_KINDS = ("strong", "ambig", "weak", "fuzzy", "unknown_cap")
_RUN_STARTS = ("strong", "ambig", "weak", "fuzzy", "initial")
# Two words before a name that say someone was spoken with.
_SPOKE_WITH = ("spoke to", "speak to", "spoke with", "speak with", "met with", "talked to", "talk to")


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    needs_model: bool


def _token_kind(key: str, cap: bool, word: str, mode: str, lists: NameLists) -> str:
    """What one token can be: a listed name ("strong"), a name that is also a word ("ambig",
    "weak"), a misspelt name ("fuzzy"), an initial, a particle, a blocker, a saint, or a word.

    Why the kinds: the rules below read runs of kinds, not words, so a kind is worked out
    once per distinct token and case mode (cached) rather than once per occurrence.
    """

    capital_ok = cap or mode != "mixed"
    if key in RELATION_BEFORE and (key not in lists.all_names or not cap or mode != "mixed"):
        return "word"
    if key in lists.hard_blockers or (word.lower() + "'s") in lists.hard_blockers:
        return "block"
    if key in SAINT:
        return "saint"
    if key in ABBREVIATIONS:
        return "word"
    if not cap and mode == "mixed" and key in PARTICLES and key != "o'":
        return "particle"  # "Jan van Dijk": a lower-case particle between names, though "van" is a listed word
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
    if capital_ok and key not in lists.english and (key.isalpha() or _APOSTROPHE_NAME.fullmatch(key)):
        match = lists.fuzzy_name(key)
        if match and match not in lists.ambiguous and (mode == "mixed" or not _near_english(key, lists)):
            return "fuzzy"
        return "unknown_cap" if cap else "word"
    return "word"


class _Note:
    """One note as the name rules read it: its tokens, each token's kind, and its case mode.

    Why a class: each rule below (a title, a family word, growing a run, a blocker after it,
    the context that decides an unsure run) is a method reading the same parallel lists, so
    the rules have names and the loop in :func:`name_candidates` reads as their order.
    """

    __slots__ = ("caps", "ends", "keys", "kinds", "lists", "mode", "n", "starts", "text", "texts", "toks")

    def __init__(self, text: str, lists: NameLists, mode: str) -> None:
        self.text, self.lists, self.mode = text, lists, mode
        self.toks = toks = _tokens(text)
        self.starts, self.ends, self.texts, self.keys, self.caps = (
            toks.starts,
            toks.ends,
            toks.texts,
            toks.keys,
            toks.caps,
        )
        self.n = len(toks.starts)
        known = list(map(_KIND_CACHE[mode].get, self.texts))  # nearly every token's kind is known already
        if None in known:
            self.kinds = [kind if kind is not None else self._new_kind(i) for i, kind in enumerate(known)]
        else:
            self.kinds = cast("list[str]", known)

    def _new_kind(self, i: int) -> str:
        """Token i's kind, worked out and remembered for its case mode."""

        cache, text = _KIND_CACHE[self.mode], self.texts[i]
        kind = cache.get(text)  # the same word earlier in this note
        if kind is None:
            if len(cache) > 300_000:
                cache.clear()
            kind = cache[text] = _token_kind(self.keys[i], self.caps[i], text, self.mode, self.lists)
        return kind

    def adjacent(self, i: int) -> bool:
        """Token i+1 follows token i with only spaces (or a single hyphen) between."""

        if i + 1 >= self.n:
            return False
        gap = self.text[self.ends[i] : self.starts[i + 1]]
        if gap in (".", ". "):
            return len(self.keys[i]) == 1 or self.keys[i] in self.lists.titles
        return gap in (" ", "  ")

    def weak_first(self, i: int) -> bool:
        """Token i is a given name that is also an English word ("harry"), able to lead a name."""

        return self.kinds[i] == "weak" and self.keys[i] in self.lists.first

    def leads_listed(self, j: int) -> bool:
        """Token j is a listed name (or a given name that is also a word) a name can go on from."""

        return self.kinds[j] in ("strong", "fuzzy") or self.weak_first(j)

    def title_before(self, i: int) -> bool:
        """Rule: a title (Mr, Dr, Imam …) written as one, followed by a word that can be a name."""

        keys, kinds, caps, texts, mode = self.keys, self.kinds, self.caps, self.texts, self.mode
        if not (
            keys[i] in self.lists.titles
            and (mode != "mixed" or (caps[i] and (len(texts[i]) < 2 or texts[i][1:].islower())))
            and i + 1 < self.n
            and self.adjacent(i)
            and (keys[i] in STRONG_TITLES or kinds[i + 1] in _NAME_KINDS)
        ):
            return False
        nxt = kinds[i + 1]
        return (
            nxt not in ("block", "word")
            or (mode != "mixed" and keys[i + 1] not in self.lists.english)
            or (nxt == "word" and caps[i + 1])
        )

    def family_before(self, i: int) -> bool:
        """Rule: an unlisted word straight after a family word ("son Will", "her sister Aoife")."""

        keys, mode = self.keys, self.mode
        return (
            self.kinds[i] in ("unknown_cap", "word")
            and i > 0
            and keys[i - 1] in FAMILY
            and self.adjacent(i - 1)
            and (self.caps[i] if mode == "mixed" else (keys[i] not in self.lists.english and len(keys[i]) > 2))
            and keys[i] not in self.lists.blockers
        )

    def unlisted_word(self, i: int) -> bool:
        """Token i is a lower-case word that is neither English, a relation word nor a title."""

        key = self.keys[i]
        return (
            key not in self.lists.english
            and key not in RELATION_BEFORE
            and key not in self.lists.titles
            and len(key) > 2
        )

    def grow_forward(self, i: int) -> int:
        """Rule: a run of names goes on over adjacent names, surnames, initials and particles."""

        kinds, keys, mode, n = self.kinds, self.keys, self.mode, self.n
        j = i
        while j + 1 < n and self.adjacent(j):
            nk = kinds[j + 1]
            if (
                nk in ("strong", "fuzzy")
                or (nk == "ambig" and mode == "mixed")
                or (
                    nk == "weak"
                    and keys[j + 1] in self.lists.surnames
                    and (self.leads_listed(j) or (kinds[j] == "initial" and keys[j] not in ("a", "i")))
                )
                or (nk == "initial" and kinds[j] == "initial")
            ):
                j += 1
            elif nk == "particle" and (k := self.after_particles(j + 1)) < n and kinds[k] in _NAME_KINDS:
                j = k  # "Jan van Dijk", "Mads van der Wal"
            elif (
                (nk == "unknown_cap" and self.caps[j + 1] and mode == "mixed")
                or (nk == "unknown_cap" and mode != "mixed" and self.leads_listed(j))
                or (
                    nk == "word"
                    and mode == "lower"
                    and self.leads_listed(j)
                    and self.unlisted_word(j + 1)
                    and keys[j + 1].isalpha()
                )
            ):
                j += 1
            else:
                break
        return j

    def after_particles(self, k: int) -> int:
        """The token after the particles starting at token k (at most two: "van der"), all adjacent."""

        end = min(k + 2, self.n)
        while k < end and self.kinds[k] == "particle" and self.adjacent(k):
            k += 1
        return k

    def grow_backward(self, i: int, last_end: int) -> int:
        """Rule: a run starts earlier over an unlisted word before a listed name ("Fentava Bērziņš",
        "nimzu lau"): first names are the long tail."""

        kinds = self.kinds
        while (
            i > 0
            and self.adjacent(i - 1)
            and (
                kinds[i - 1] in ("unknown_cap", "fuzzy")
                or (self.mode != "mixed" and kinds[i - 1] == "word" and self.unlisted_word(i - 1))
            )
            and (i - 1) > last_end
        ):
            i -= 1
        return i

    def blocked(self, i: int, j: int, run_kinds: list[str], titled: bool) -> bool:
        """Rule: a run beside an organisation or place word is not a name ("Hope House",
        "Storm Darragh", "St Helens"), but a name before an abbreviation is ("Imran's GP")."""

        keys, kinds, caps, lists, n = self.keys, self.kinds, self.caps, self.lists, self.n
        end, nxt_i = self.ends[j], j + 1
        if (
            self.text[end : end + 3].startswith(("'s ", "’s "))
            and nxt_i < n
            and self.starts[nxt_i] == end + 3
            and keys[nxt_i] in lists.blockers
            and keys[nxt_i] not in ABBREVIATIONS  # "Mrs Warsame's NHS number", "Imran's GP"
        ):
            return True
        if len(run_kinds) > 1 and not titled and keys[j] in lists.blockers and kinds[i] != "strong":
            return True  # "Hope House", "Victoria Park"
        if i > 0 and keys[i - 1] in BEFORE_BLOCKERS and self.adjacent(i - 1):
            return True  # "Storm Darragh", "HMS Victory"
        if not titled and i < j and keys[i] in FOREIGN_SAINT and caps[i] and keys[i + 1] in lists.first:
            return True  # "San Francisco", "Santa Monica": a saint's name is a place (Latvian "Santa Ozola" is not)
        if nxt_i < n and self.adjacent(j):
            if kinds[nxt_i] == "block" and keys[nxt_i] not in ABBREVIATIONS:
                return True
            if keys[nxt_i] in lists.blockers and (caps[nxt_i] or self.mode != "mixed") and not titled:
                return True
        if i > 0 and not titled and (keys[i - 1] in SAINT or (kinds[i - 1] == "block" and self.adjacent(i - 1))):
            return True
        return "block" in run_kinds

    def verdict(self, i: int, j: int, run_kinds: list[str], titled: bool, related: bool) -> str | None:
        """Rule: is the run surely a name ("sure"), one for the model ("unsure"), or not a name (None)?

        Sure with a title, a listed name that is no English word, a family word, or two
        names together; a run of names that are also words needs a family word or a verb of
        speech around it, and goes to the model when nothing decides it.
        """

        if (
            titled
            or "strong" in run_kinds
            or ("fuzzy" in run_kinds and len(run_kinds) > 1)
            or related
            or run_kinds.count("ambig") >= 2
            or ("weak" in run_kinds and len(run_kinds) > 1)
            or ("ambig" in run_kinds and "unknown_cap" in run_kinds)
        ):
            return "sure"
        if not ("ambig" in run_kinds or "weak" in run_kinds or "initial" in run_kinds or "fuzzy" in run_kinds):
            return None
        keys, text, n = self.keys, self.text, self.n
        start, end, nxt_i = self.starts[i], self.ends[j], j + 1
        prev = keys[i - 1] if i > 0 else ""
        prev2 = f"{keys[i - 2]} {prev}" if i > 1 else ""
        nxt_key = keys[nxt_i] if nxt_i < n else ""
        possessive = text[end : end + 2] in ("'s", "’s")
        if (
            prev in RELATION_BEFORE
            or prev2 in _SPOKE_WITH
            or (nxt_key in VERB_AFTER and not ("weak" in run_kinds and nxt_key in NOUN_AFTER_WORD))
            or (possessive and self.mode == "mixed" and not _sent_start(text, self.toks, i))
        ):
            return "sure"
        if (
            prev in PREPOSITIONS
            or nxt_key in NOT_AFTER_NAME
            or (nxt_i < n and text[end : self.starts[nxt_i]].strip() == "" and nxt_key.isdigit())
            or _DIGIT_AHEAD.match(text[end : end + 3]) is not None
            or _DIGIT_BEHIND.search(text[max(0, start - 3) : start]) is not None
        ):
            return None
        if self.mode == "mixed" and ("ambig" in run_kinds or "fuzzy" in run_kinds):
            return "unsure"
        return None


def name_candidates(
    text: str, lists: NameLists, mode: str | None = None
) -> tuple[list[_Candidate], list[tuple[int, int]]]:
    """Name spans the rules are sure of, and spans that need the model's view.

    The steps, token by token: a title or a family word marks the next word as a name; a run
    of names grows forwards and backwards over the words that can join it; a run that ends
    in initials is trimmed; a run beside an organisation or place word is dropped; the rest
    is judged sure, unsure (for the model) or not a name by the words around it.
    """

    note = _Note(text, lists, case_mode(text) if mode is None else mode)
    kinds, keys, n = note.kinds, note.keys, note.n
    titles = lists.titles
    sure: list[_Candidate] = []
    unsure: list[tuple[int, int]] = []
    last_end = -1  # index of the last token used by a run
    i = 0
    while i < n:
        # Most tokens are plain words: no title, no family word before, no name. The first test of
        # each rule below, asked here in one go, passes them by without a call.
        if kinds[i] not in _RUN_STARTS and keys[i] not in titles and (i == 0 or keys[i - 1] not in FAMILY):
            i += 1
            continue
        titled = note.title_before(i)
        if titled:
            i += 1
        related = not titled and note.family_before(i)
        if not titled and not related and kinds[i] not in _RUN_STARTS:
            i += 1
            continue
        j = note.grow_forward(i)
        if not titled:
            i = note.grow_backward(i, last_end)
        while j >= i and kinds[j] in ("initial", "particle"):  # a run of initials needs a name after it
            j -= 1
        if j < i:
            i += 1
            continue
        run_kinds = kinds[i : j + 1]
        if not note.blocked(i, j, run_kinds, titled):
            verdict = note.verdict(i, j, run_kinds, titled, related)
            if verdict == "sure":
                sure.append(_Candidate(note.starts[i], note.ends[j], False))
            elif verdict == "unsure":
                unsure.append((note.starts[i], note.ends[j]))
        i = j + 1
        last_end = j
    sure.extend(_coordinated(text, note.toks, kinds, sure, "unknown_cap" if note.mode == "mixed" else "weak"))
    return sure, unsure


def _coordinated(text: str, toks: _Toks, kinds: list[str], sure: list[_Candidate], kind: str) -> list[_Candidate]:
    """A word of the given kind joined by "and"/"&" to a found name is a name too.

    "Priyanka and Arjun Mistry", "Arjun & Priyanka": people are listed together. In mixed
    case that is an unlisted capitalised word; in lower case or capitals, a listed name
    that is also an English word ("priya and tom", "HARRY & SIOBHAN"; "&" is no token).
    """

    if not sure or kind not in kinds:  # no name to join, or no word to join to one (the usual note)
        return []
    found_starts = {c.start for c in sure}
    found_ends = {c.end for c in sure}
    starts, ends, keys = toks.starts, toks.ends, toks.keys
    n = len(starts)
    out: list[_Candidate] = []
    for i in [i for i, k in enumerate(kinds) if k == kind]:
        if starts[i] in found_starts:
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
        ) and not any(c.start < starts[i] < c.end for c in sure):  # "Dijk" of "Jan van Dijk and Tom": found
            out.append(_Candidate(starts[_particles_start(text, toks, kinds, i)], ends[i], False))
    return out


def _particles_start(text: str, toks: _Toks, kinds: list[str], i: int) -> int:
    """The first token of the name ending at token i: "Virgil van Dijk and Tom Smith" holds "Virgil van Dijk"."""

    k = i
    while k > 0 and i - k < 2 and kinds[k - 1] == "particle" and text[toks.ends[k - 1] : toks.starts[k]] == " ":
        k -= 1
    if k < i and k > 0 and kinds[k - 1] in _NAME_KINDS and text[toks.ends[k - 1] : toks.starts[k]] == " ":
        return k - 1
    return i
