"""Special-category data in notes: health, religion, ethnicity and sexual orientation.

A caseworker's "wheelchair user, depression since 2019" or "describes
herself as White: Irish" is special-category data (UK GDPR Article 9) just
as a census column is, so ``redact`` must find it in free text too. The
phrases come from the shipped vocabularies (``safety/data``): the ONS and
NHS classifications and the lay health terms. Words that are also everyday
English need context before they count:

* a word that is only a nationality or a colour ("Pakistani", "Irish",
  "Black") is an ethnicity when a person noun follows it ("a Somali
  family", "Black woman") or an ethnicity cue comes just before it
  ("ethnicity:", "of … heritage", "describes herself as"); "Pakistani food"
  and "the Irish Border Force" are not about a person's ethnicity;
* "straight", "bi", "questioning" count as sexual orientation only after a
  cue ("identifies as", "sexuality", "orientation");
* a short code (MS, ME, TB, TIA) counts as a condition only written in
  capitals, and never in a note written all in capitals, where "MS JONES"
  is a title;
* a few condition words have an everyday sense that the next or previous
  word gives away ("stroke of luck", "termination of tenancy", "window
  blind", "alcoholic drinks");
* "Christian" followed by a capitalised word that is not a church word is
  a first name ("Christian Okafor");
* nothing inside an organisation's name counts ("Macmillan Cancer
  Support", "Christian Aid", "Diabetes UK").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import polars as pl

from community_insights.safety.names import name_lists
from community_insights.safety.text.phrases import Match, PhraseIndex, Token, tokens
from community_insights.safety.types import PiiType
from community_insights.safety.vocabularies import vocabulary

__all__ = ["find_special_spans", "special_gate", "special_spans"]

SpanTuple = tuple[int, int, PiiType]

#: Vocabularies read for notes, in priority order: a phrase on two lists takes the first's type.
_SOURCES: tuple[tuple[str, str], ...] = (
    ("organisations_charities", "ORG"),
    ("organisations_nhs", "ORG"),
    ("organisations_retailers", "ORG"),
    ("health_conditions", PiiType.HEALTH.value),
    ("religion_ons", PiiType.RELIGION.value),
    ("sexual_orientation_ons", PiiType.SEXUAL_ORIENTATION.value),
    ("ethnic_group_ons", PiiType.ETHNICITY.value),
    ("ethnic_group_other_censuses", PiiType.ETHNICITY.value),
)
#: Answers that say nothing about a person in a note ("None", "Other"; "mental health" names a service or a topic).
_SILENT = frozenset({"none", "other", "any other", "mixed", "other ethnic group", "bi", "lgb+", "mental health"})
#: Single words of the disability classification worth finding in notes (the rest are too generic).
_DISABILITY_PHRASES_MIN_WORDS = 2

_ORIENTATION_NEEDS_CUE = frozenset({"straight", "questioning", "lgbt", "lgbtq+"})
_ORIENTATION_CUE = re.compile(r"(?:identif\w*|describes? \w+ ?as|sexuality|orientation|\bas)\W*$", re.I)
_ETHNIC_CUE = re.compile(
    r"(?:ethnic\w*|heritage|background|origin|\brace|population group|describes? \w+ ?as|identif\w* as)\W*$", re.I
)
_PERSON_NOUNS = frozenset({
    "man", "woman", "men", "women", "boy", "girl", "boys", "girls", "lady", "gentleman", "family", "families",
    "household", "client", "clients", "mother", "father", "mum", "dad", "son", "daughter", "child", "children",
    "baby", "parent", "parents", "person", "people", "resident", "residents", "tenant", "tenants", "male", "female",
    "heritage", "background", "origin", "descent", "teenager", "pupil", "student", "patient", "carer",
    "neighbour", "neighbours", "couple", "brother", "sister", "grandmother", "grandfather", "wife", "husband",
    "partner"
})  # fmt: skip
_NOT_AFTER: dict[str, frozenset[str]] = {
    "termination": frozenset({"of", "notice"}),
    "stroke": frozenset({"of"}),
    "blind": frozenset({"spot", "date", "eye", "corner", "alley", "bend", "side"}),
    "alcoholic": frozenset({"drink", "drinks", "beverage", "beverages"}),
    "deaf": frozenset({"ears"}),
    "depressed": frozenset({"area", "areas", "market", "prices"}),
    "wheelchair": frozenset({"ramp", "access", "accessible"}),
}
_NOT_BEFORE: dict[str, frozenset[str]] = {
    "blind": frozenset({"roller", "window", "venetian", "vertical", "the"}),
    "stroke": frozenset({"breast", "back", "heat"}),
}
_CHURCH_WORDS = frozenset({"faith", "church", "churches", "aid", "values", "school", "charity", "community", "union"})


#: How American English spells the same medical words (the NHS writes "coeliac", "apnoea", "anaemia";
#: the US National Library of Medicine "celiac", "apnea", "anemia"): British form → American form.
_US_SPELLINGS = (
    ("oesophag", "esophag"), ("coeliac", "celiac"), ("apnoea", "apnea"), ("diarrhoea", "diarrhea"),
    ("oedema", "edema"), ("aemia", "emia"), ("haem", "hem"), ("paed", "ped"), ("anaes", "anes"),
    ("gynae", "gyne"), ("foetal", "fetal"), ("tumour", "tumor"), ("orthopaedic", "orthopedic"), ("isation", "ization"),
    ("ised", "ized"),
)  # fmt: skip


def us_spelling(phrase: str) -> str:
    """The American spelling of a British medical phrase ("sleep apnoea" → "sleep apnea"), or the phrase itself."""

    out = phrase
    for british, american in _US_SPELLINGS:
        out = out.replace(british, american)
    return out


@functools.cache
def _index() -> PhraseIndex:
    phrases: list[tuple[str, str]] = []
    for name, label in _SOURCES:
        vocab = vocabulary(name)
        phrases += [(p, label) for p in vocab.entries if p.lower() not in _SILENT]
        if label == PiiType.HEALTH.value:  # notes written from American records spell conditions their way
            phrases += [(us_spelling(p.lower()), label) for p in vocab.entries if us_spelling(p.lower()) != p.lower()]
    disability = vocabulary("disability_ons")
    phrases += [
        (p, PiiType.HEALTH.value)
        for p in disability.entries
        if len(p.split()) >= _DISABILITY_PHRASES_MIN_WORDS and p.lower() not in _SILENT
    ]
    return PhraseIndex(phrases)


#: Words too common in notes to stand for a phrase in the batch gate ("back" of "back pain", the title "Ms").
_COMMON_WORDS = frozenset({
    "back", "white", "black", "other", "mixed", "any", "type", "long", "high", "home", "end", "had", "uses",
    "under", "mental", "physical", "learning", "chronic", "severe", "in", "a", "the", "no", "person", "all",
})  # fmt: skip


def _gate_word(key: tuple[str, ...]) -> str:
    """The word that stands for a phrase in the gate: its longest, unless that is a common word."""

    ranked = sorted(key, key=len, reverse=True)
    return next((w for w in ranked if w not in _COMMON_WORDS), ranked[0])


@functools.cache
def _gate_pattern() -> str:
    """A Polars pattern that matches wherever a special-category phrase or a clinical cue could be.

    Each phrase is represented by one word ("stroke" for "had a stroke",
    "bangladeshi" for the census answer), so the pattern is a list of plain
    words that Rust's matcher scans fast; the tokens then decide. Short codes
    (MS, ME, TB) count only in capitals, so the title "Ms" does not open
    every note.
    """

    words: set[str] = set()
    codes: set[str] = set()
    for key, label in _index().entries():
        if label == "ORG" or not all(part.isascii() for part in key):
            continue
        word = _gate_word(key)
        (codes if len(key) == 1 and len(word) <= 3 else words).add(word)
    alternatives = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    capitals = "|".join(sorted(re.escape(c.upper()) for c in codes))
    cues = r"history of|complain\w* of|diagnos\w*|suffer\w*|treate?\w* for|medication for|conditions?|illness\w*|"
    cues += r"disabilit\w*|impairments?|dx|presenting complaint|present(?:ed|s|ing) with|admitted (?:with|for)"
    return rf"(?-u:\b)(?:(?i:{alternatives}|{cues})|{capitals})(?-u:\b)"


def _single_word(toks: list[Token], m: Match) -> bool:
    return m.first == m.last


def _next_key(toks: list[Token], i: int) -> str:
    return toks[i].key if i < len(toks) else ""


def _keep(text: str, toks: list[Token], m: Match, all_caps: bool) -> bool:
    """Whether a phrase match is personal data here (the context rules of the module docstring)."""

    word = toks[m.first]
    after = _next_key(toks, m.last + 1)
    before = toks[m.first - 1].key if m.first > 0 else ""
    key = " ".join(t.key for t in toks[m.first : m.last + 1])
    if m.label == PiiType.HEALTH.value:
        if _single_word(toks, m) and len(word.key) <= 3:
            return word.text.isupper() and not all_caps
        return after not in _NOT_AFTER.get(key, ()) and before not in _NOT_BEFORE.get(key, ())
    if m.label == PiiType.RELIGION.value:
        if key == "christian" and m.last + 1 < len(toks):
            nxt = toks[m.last + 1]
            # "Christian Okafor" is a name; "Religion: Christian, Political: …" is an answer
            beside = not text[m.end : nxt.start].strip()
            return not (beside and nxt.text[:1].isupper() and nxt.key not in _CHURCH_WORDS) or all_caps
        return True
    if m.label == PiiType.SEXUAL_ORIENTATION.value:
        return key not in _ORIENTATION_NEEDS_CUE or bool(_ORIENTATION_CUE.search(text[max(0, m.start - 40) : m.start]))
    if m.label == PiiType.ETHNICITY.value and (_single_word(toks, m) or key in _ethnic_needs_context()):
        return after in _PERSON_NOUNS or bool(_ETHNIC_CUE.search(text[max(0, m.start - 40) : m.start]))
    return True


@functools.cache
def _ethnic_needs_context() -> frozenset[str]:
    """Ethnic-group phrases that also name a region or its food and music ("Middle Eastern", "Latin American")."""

    return vocabulary("ethnic_group_other_censuses").tagged("context")


#: Clinical phrasing that says what follows is a condition, listed or not ("a history of gallstones").
_CONDITION_CUE = re.compile(
    r"\b(?:(?:a |previous |medical |family )?history of|complain(?:s|ing|ed) of|diagnos(?:ed|is) (?:with|of)|"
    r"suffer(?:s|ing|ed)? (?:from|with)|(?:being |was |is )?treated for|treatment for|medication for)\s+"
    # a form's question or label about health conditions, then its answer: "Any health conditions? Yes,
    # asthma", "Disabilities: dyspraxia" (not "Property condition: fair")
    r"|\b(?:(?:health|medical|long[- ]term|chronic|physical|mental|underlying)\b[^.?!:\n]{0,40}?conditions?"
    r"|illness(?:es)?|disabilit(?:y|ies)|impairments?)\b[^.?!:\n]{0,80}[?:][ \t]*(?:yes\b[,;:\-]?[ \t]*)?"
    # a record's diagnosis field: "Diagnosis: …", "Dx: …", "Presenting complaint: …"
    r"|\b(?:(?:primary |secondary |working |admitting )?diagnos[ie]s|dx|presenting complaint)[ \t]*[:\-][ \t]*",
    re.IGNORECASE,
)
#: A word of a condition's name; digits and Roman numerals count after its first word ("type 2", "stage II").
_CONDITION_WORD = re.compile(r"[^\W_]+(?:[\-'’][^\W_]+)*")
_CONDITION_STOP = frozenset({
    "and", "but", "since", "for", "in", "on", "at", "which", "who", "that", "from", "last", "this", "when", "after",
    "before", "so", "as", "to", "with", "because", "while", "until", "yesterday", "today", "tomorrow", "ago", "was",
    "is", "has", "had", "will", "recently", "now", "then"
})  # fmt: skip
_CONDITION_MAX_WORDS = 4
#: What follows "history of" or "suffers from" in a housing or social-care note and is not a condition.
_NOT_CONDITIONS = frozenset({
    "rent", "arrears", "debt", "debts", "violence", "domestic", "abuse", "offending", "offences", "crime",
    "criminal", "homelessness", "eviction", "evictions", "anti-social", "asb", "non-payment", "missed", "late",
    "fraud", "theft", "arson", "involvement", "contact", "moving", "moves", "employment", "work", "care", "damp",
    "mould", "mold", "condensation", "noise", "leaks", "subsidence", "flooding", "disrepair", "complaints", "the",
    "his", "her", "their"
})  # fmt: skip


#: "Presented with", "admitted with": what follows is a condition only if it reads as one, by the endings
#: and head words medical terms are built from ("pancreatitis", "fibrosis", "infarction", "disorder").
_PRESENTED = re.compile(r"\b(?:present(?:ed|s|ing) with|admitted (?:with|for))\s+", re.IGNORECASE)
_CLINICAL_WORD = re.compile(
    r"(?:itis|osis|oses|a?emia|pathy|algia|omas?|plegia|trophy|ectomy|infarction|disorder|disease|syndrome|"
    r"failure|apno?ea|fracture|injury|infection|insufficiency|deficiency|cancer|tumou?r|pains?|attack|stroke|palsy|"
    r"ulcers?|lesions?|ha?emorrhage|embolism|thrombosis|arrhythmia|fibrillation|overdose|seizures?)$",
    re.IGNORECASE,
)


#: Joining words inside a condition's name written in Title Case, as records write one ("Migraine with Aura",
#: "Angina Pectoris with Documented Spasm"): the words after it capitalised up to the field's end say it goes on.
_TITLE_JOINS = frozenset({"with", "without"})
#: A stage, grade or type written after a condition ("Chronic Kidney Disease Stage 3", "Hypertension Stage II").
_STAGING = re.compile(r"[ \t]+(?:stage|grade|type|class|phase)[ \t]+(?:\d+[a-z]?|[IVX]+)\b", re.IGNORECASE)
_STAGE_NUMBER = re.compile(r"[ \t]+(?:\d+[a-z]?|[IVX]+)\b")
_STAGE_WORDS = frozenset({"stage", "grade", "type", "class", "phase"})
#: After "with", these begin who came along, not the rest of the condition ("Asthma with Mum").
_NOT_AFTER_JOIN = frozenset({"mum", "dad", "mother", "father", "son", "daughter", "his", "her", "their", "a", "an"})


def _condition_after(text: str, at: int) -> tuple[int, int, int]:
    """The words after a cue (start, end, count), up to four, stopping at a joining word, punctuation or a line end.

    A condition written in Title Case goes on over "with" or "without" when every word after it up to the
    end of the field is capitalised ("Migraine with Aura."), and a stage or grade after the words is part
    of them however many words came before ("Chronic Kidney Disease Stage 3").
    """

    start = end = scanned = at
    words = 0
    title_case = True
    saved: tuple[int, int] | None = None  # (end, words) before a Title Case "with": kept if the rest is not a name
    for w in _CONDITION_WORD.finditer(text, at):
        gap = text[scanned : w.start()]
        word, lower = w.group(), w.group().lower()
        if (words and (gap.strip() or "\n" in gap)) or (not words and not word[0].isalpha()):
            break
        scanned = w.end()
        capital = word[0].isupper() or word[0].isdigit()
        if words and title_case and saved is None and lower in _TITLE_JOINS and word.islower():
            saved = (end, words)
            continue
        after_join_ends = lower in _NOT_AFTER_JOIN or lower in name_lists().titles  # "with Dr Okafor"
        if saved is not None and (not capital or after_join_ends or words >= _CONDITION_MAX_WORDS + 3):
            end, words = saved  # "Asthma with Mum present": the condition ended before "with"
            saved = None
            break
        if saved is None and (lower in _CONDITION_STOP or words >= _CONDITION_MAX_WORDS):
            break
        title_case = title_case and capital
        if not words:
            start = w.start()
        end, words = w.end(), words + 1
    if words:
        last = text[start:end].rsplit(maxsplit=1)[-1].lower()
        staging = _STAGE_NUMBER.match(text, end) if last in _STAGE_WORDS else _STAGING.match(text, end)
        if staging:
            end = staging.end()
    return start, end, words


def _cued_conditions(text: str, taken: list[SpanTuple]) -> list[SpanTuple]:
    """Conditions named after a clinical cue, up to four words, stopping at a joining word or punctuation."""

    out: list[SpanTuple] = []
    cues = [(c.end(), False) for c in _CONDITION_CUE.finditer(text)]
    cues += [(c.end(), True) for c in _PRESENTED.finditer(text)]
    for at, must_read_clinical in cues:
        start, end, words = _condition_after(text, at)
        listed = any(t[2] is PiiType.HEALTH and start <= t[0] and t[1] <= end for t in taken)
        if not words or (
            must_read_clinical and not listed and not any(_CLINICAL_WORD.search(w) for w in text[start:end].split())
        ):
            continue
        first = text[start:end].split(maxsplit=1)[0].lower()
        # a listed condition inside the cued words gives way to them ("Hypertension" in "Hypertension Stage II")
        clash = [t for t in [*taken, *out] if t[0] < end and start < t[1]]
        inside = all(t[2] is PiiType.HEALTH and start <= t[0] and t[1] <= end for t in clash)
        if first not in _NOT_CONDITIONS and inside:
            out.append((start, end, PiiType.HEALTH))
    return out


def special_spans(text: str) -> list[SpanTuple]:
    """Special-category spans of one note: ``(start, end, type)``, sorted, never inside an organisation's name."""

    toks = tokens(text)
    all_caps = text.isupper()  # every cased letter a capital
    out: list[SpanTuple] = []
    for m in _index().find(toks):
        if m.label != "ORG" and _keep(text, toks, m, all_caps):
            out.append((m.start, m.end, PiiType(m.label)))
    if _CONDITION_CUE.search(text) or _PRESENTED.search(text):
        cued = _cued_conditions(text, out)
        kept = [t for t in out if not any(c[0] <= t[0] and t[1] <= c[1] for c in cued)]
        out = sorted(kept + cued)
    return out


def special_gate() -> str:
    """The batch gate of :func:`find_special_spans`, for a caller that runs several gates in one Polars pass."""

    return _gate_pattern()


def find_special_spans(texts: Sequence[str], *, gate: Sequence[bool] | None = None) -> list[list[SpanTuple]]:
    """:func:`special_spans` for many notes; Polars first skips the notes where no phrase can be.

    ``gate`` is that Polars pass already made by the caller (one flag per note).
    """

    if not texts:
        return []
    if gate is None:
        gate = pl.Series(list(texts), dtype=pl.Utf8).str.contains(_gate_pattern()).fill_null(False).to_list()
    return [special_spans(t) if hit else [] for t, hit in zip(texts, gate, strict=True)]
