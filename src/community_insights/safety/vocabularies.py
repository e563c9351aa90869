"""Vocabularies from the sources councils use, read from plain data files.

Census answers, NHS codes, street words, places, organisations and health
conditions live in ``safety/data/*.txt`` rather than in code, so that an
information rights officer can read where each list came from, check it
against the published source, and add a missing entry without touching a
rule. Each file opens with ``# key: value`` lines (``title``, ``kind``,
``source``, ``licence``, ``compiled``, ``format``); the loader refuses a file
that does not say its source and licence, so no list ships without them.

Entries are compared in a canonical form (lower case, accents folded, curly
apostrophes made straight, runs of spaces made one), because exports lose
accents and typing habits differ ("Ynys Môn", "ynys mon").
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from importlib import resources

__all__ = [
    "VOCABULARY_FILES",
    "Vocabulary",
    "canonical",
    "kind_phrases",
    "vocabularies",
    "vocabulary",
]

_PACKAGE = "community_insights.safety"

#: Every vocabulary the engine ships, by the name code refers to it with.
VOCABULARY_FILES: dict[str, str] = {
    "ethnic_group_ons": "ethnic_group_ons.txt",
    "ethnic_category_nhs": "ethnic_category_nhs.txt",
    "ethnic_group_other_censuses": "ethnic_group_other_censuses.txt",
    "religion_ons": "religion_ons.txt",
    "sex_ons": "sex_ons.txt",
    "gender_identity_ons": "gender_identity_ons.txt",
    "sexual_orientation_ons": "sexual_orientation_ons.txt",
    "disability_ons": "disability_ons.txt",
    "main_language_ons": "main_language_ons.txt",
    "health_conditions": "health_conditions.txt",
    "health_headers": "health_headers.txt",
    "health_header_parts": "health_header_parts.txt",
    "health_headers_shared": "health_headers_shared.txt",
    "hiv_exposure": "hiv_exposure.txt",
    "thoroughfares": "thoroughfares.txt",
    "thoroughfares_abroad": "thoroughfares_abroad.txt",
    "uk_places": "uk_places.txt",
    "countries": "countries.txt",
    "organisations_retailers": "organisations_retailers.txt",
    "organisations_charities": "organisations_charities.txt",
    "organisations_nhs": "organisations_nhs.txt",
}

_REQUIRED_KEYS = ("title", "kind", "source", "licence")
_HEADER = re.compile(r"^#\s*([a-z]+):\s*(.+?)\s*$")
_SPACES = re.compile(r"\s+")


def canonical(text: str) -> str:
    """The form entries are compared in: lower case, accents folded, one space, straight apostrophes.

    Trailing full stops and spaces go too, because a census answer typed into
    a spreadsheet often ends with one.
    """

    lowered = text.lower().replace("’", "'").replace("‘", "'").replace("ł", "l")
    decomposed = unicodedata.normalize("NFKD", lowered)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", folded).strip(" .")


@dataclasses.dataclass(frozen=True)
class Vocabulary:
    """One shipped list: its entries as written, and where it came from."""

    name: str
    title: str
    kind: str
    source: str
    licence: str
    entries: tuple[str, ...]
    tags: dict[str, str]  # entry as written → the text after its tab ("welsh", a code's label)
    meta: dict[str, str]

    @functools.cached_property
    def phrases(self) -> frozenset[str]:
        """Every entry (and, for coded lists, every label) in canonical form."""

        if self.coded:  # a bare code ("A") means nothing without its header: only the labels count
            return frozenset(canonical(label) for label in self.tags.values())
        return frozenset(canonical(e) for e in self.entries)

    @property
    def coded(self) -> bool:
        """True for a list of codes and labels (``# coded: yes``), such as the NHS ethnic categories."""

        return self.meta.get("coded", "").lower() == "yes"

    @functools.cached_property
    def codes(self) -> dict[str, str]:
        """For a coded list (``A<TAB>White - British``): canonical code → label as written."""

        return {canonical(code): label for code, label in self.tags.items()}

    def tagged(self, tag: str) -> frozenset[str]:
        """Canonical entries carrying ``tag`` after their tab (``welsh`` street words)."""

        return frozenset(canonical(e) for e, t in self.tags.items() if t == tag)

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and canonical(text) in self.phrases


def _parse(name: str, text: str) -> Vocabulary:
    meta: dict[str, str] = {}
    entries: list[str] = []
    tags: dict[str, str] = {}
    seen: set[str] = set()
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            header = _HEADER.match(stripped)
            if header and not entries:
                meta[header.group(1)] = header.group(2)
            continue
        entry, _, tag = line.partition("\t")
        entry = entry.strip()
        if entry in seen:
            continue
        seen.add(entry)
        entries.append(entry)
        if tag.strip():
            tags[entry] = tag.strip()
    missing = [key for key in _REQUIRED_KEYS if not meta.get(key)]
    if missing:
        raise ValueError(f"The vocabulary {name} does not say its {' and '.join(missing)}.")
    return Vocabulary(
        name=name,
        title=meta["title"],
        kind=meta["kind"],
        source=meta["source"],
        licence=meta["licence"],
        entries=tuple(entries),
        tags=tags,
        meta=meta,
    )


@functools.cache
def vocabulary(name: str) -> Vocabulary:
    """The shipped vocabulary called ``name`` (read once per process)."""

    try:
        filename = VOCABULARY_FILES[name]
    except KeyError:
        known = ", ".join(sorted(VOCABULARY_FILES))
        raise KeyError(f"There is no vocabulary called {name!r}; the engine ships {known}.") from None
    text = resources.files(_PACKAGE).joinpath("data", filename).read_text(encoding="utf-8")
    return _parse(name, text)


def vocabularies() -> list[Vocabulary]:
    """Every shipped vocabulary, in the order of :data:`VOCABULARY_FILES` (for documentation and audits)."""

    return [vocabulary(name) for name in VOCABULARY_FILES]


@functools.cache
def kind_phrases(kind: str) -> frozenset[str]:
    """Canonical phrases of every vocabulary of one ``kind`` (``ethnicity``, ``place``, ``organisation`` …)."""

    out: set[str] = set()
    for vocab in vocabularies():
        if vocab.kind == kind:
            out |= vocab.phrases
    return frozenset(out)
