"""Is the first row column names or data? Decided from what the names look like, never assumed.

Why: a file exported without a header row has its first record read as the
column names, and column names are printed everywhere (the verdict, the
findings, the portal's column pages, the stored result, the HTML report whose
footer promises masked examples). So the names are judged like values:

* **absent** — a name is a value no one uses as a column label (an email
  address, a phone, NHS or NI number, a full postcode, a date): the first row
  is a record. A text file or a sheet is then read without a header: the
  first row is data, the columns are ``column_1``, ``column_2`` … and a
  problem sentence says so (:func:`no_header_problem`). Formats whose names
  are field names, not a row (Parquet, JSON Lines, Stata, SPSS), keep them,
  shown masked.
* **doubtful** — a name looks like a person's name, holds a long number or is
  a sentence: it may be a record. The file is read, but every name is shown
  only through :func:`display_name` (masked like a value), in every report.
* **present** — the names look like labels and are shown as they are.

:func:`mask_names` applies the one masking function to a whole report
(every string that holds a name), so no place that prints a name can forget;
:func:`shown_columns` gives the names a plan is written in, and
:func:`shown_sheet` the name a message gives a sheet.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Sequence
from typing import Any, TypeVar

import polars as pl

from community_insights.safety.combinations import column_label
from community_insights.safety.masking import mask_value


class HeaderKind(enum.StrEnum):
    """What the first row of a file holds: column names, perhaps a record, or surely a record."""

    PRESENT = "present"
    DOUBTFUL = "doubtful"
    ABSENT = "absent"

    @property
    def masked(self) -> bool:
        """Whether names read from such a row are shown only masked."""
        return self is not HeaderKind.PRESENT


@dataclasses.dataclass(frozen=True)
class HeaderAssessment:
    """The verdict on a file's first row, and which positions made it (never the names themselves)."""

    kind: HeaderKind
    suspicious: tuple[int, ...] = ()

    @property
    def masked(self) -> bool:
        return self.kind.masked


#: A label is short; a cell of free text or a record's whole address is not.
LONG_NAME = 60
_DIGITS = re.compile(r"\d")


def _is_value(name: str) -> bool:
    """A value no one uses as a column label: its presence means the first row is a record."""
    from community_insights.safety import detectors

    return bool(
        detectors.is_email(name)
        or detectors.is_nhs_number(name)
        or detectors.is_ni_number(name)
        or detectors.is_uk_phone(name)
        or (detectors.normalise_postcode(name) is not None and " " in name.strip())
        or (len(_DIGITS.findall(name)) >= 4 and detectors.parse_uk_date(name) is not None)
    )


def _is_doubtful(name: str) -> bool:
    """A name that could be a person's, a long number or a sentence: perhaps a record."""
    from community_insights.safety import detectors

    text = name.strip()
    if len(text) > LONG_NAME or len(_DIGITS.findall(text)) >= 6:
        return True
    words = text.split()
    if not (2 <= len(words) <= 4 and all(w[:1].isupper() for w in words)):
        return False
    from community_insights.safety.classify import header_hint
    from community_insights.safety.names import fold, name_lists

    # Words a label uses ("Food Bank", "Date Of Birth") are English or short abbreviations ("NHS");
    # a name no list knows ("Zebedee Quockerwodger") is not, and is masked to be safe.
    english = name_lists().english
    if any(len(w) > 3 and fold(w.strip(".,'-")).lower() not in english for w in words):
        return True
    # All English words: a label if it says what the column holds ("Ward Name"), else perhaps a name.
    return header_hint(text) is None and detectors.person_name_share(pl.Series([text])) > 0.5


def assess_header(names: Sequence[str]) -> HeaderAssessment:
    """Judge a file's column names (see the module's notes); positions are 0-based."""

    absent = tuple(i for i, name in enumerate(names) if isinstance(name, str) and _is_value(name))
    if absent:
        return HeaderAssessment(HeaderKind.ABSENT, absent)
    doubtful = tuple(i for i, name in enumerate(names) if isinstance(name, str) and _is_doubtful(name))
    if doubtful:
        return HeaderAssessment(HeaderKind.DOUBTFUL, doubtful)
    return HeaderAssessment(HeaderKind.PRESENT)


def display_name(name: str, position: int) -> str:
    """The one way a doubtful column name is shown: its number and its masked shape (``column 2 (J*** S****)``)."""

    masked = mask_value(name, "PERSON")
    return f"column {position + 1} ({masked})" if masked else f"column {position + 1}"


def generated_names(count: int) -> list[str]:
    """The names of a file read without a header row: ``column_1``, ``column_2`` …"""

    return [f"column_{i}" for i in range(1, count + 1)]


def no_header_problem(file_name: str) -> str:
    """The plain sentence for a file read without a header row; it quotes nothing of the row."""

    return (
        f"The first row of {file_name} holds data (such as an email address or an ID number), not column "
        "names, so it is read as a row and the columns are called column_1, column_2 and so on."
    )


def shown_columns(names: Sequence[str], sheet: str | None = None) -> list[str]:
    """The column names as reports and plans show them: as they are, or each through :func:`display_name`.

    Why one function: the check's report, the plan written from it and the
    safe copy made with that plan must name columns alike, or a plan made
    from a masked report would no longer match its file.
    """

    judged = [*names, *([sheet] if sheet else [])]
    if assess_header(judged).masked:
        return [display_name(name, i) for i, name in enumerate(names)]
    return list(names)


def shown_sheet(name: str) -> str:
    """A sheet's name as a message or a report shows it: as it is if it reads as a label, else masked."""

    if assess_header([name]).masked:
        return mask_value(name, "PERSON")
    return name


T = TypeVar("T")


def mask_names(report: T, names: Sequence[str], sheet: str | None = None) -> T:
    """*report* with every occurrence of a column name replaced by its :func:`display_name`.

    The *sheet*'s name, when given, is replaced by its masked shape too.

    Walks dataclasses, lists, tuples and dicts (keys too) and rewrites every
    string, so a name inside a sentence (a reason, a mosaic combination) is
    masked as surely as a column's own name. Longer names are replaced first,
    so ``name`` inside ``first_name`` cannot leave half of one behind.
    """

    named = [(n, display_name(n, i)) for i, n in enumerate(names) if isinstance(n, str) and n.strip()]
    if sheet and sheet.strip():
        named.append((sheet, mask_value(sheet, "PERSON")))
    # Sentences name columns as words ("date of birth" for ``Date_Of_Birth``): mask that form too.
    worded = [(column_label(n), shown) for n, shown in named if column_label(n) != n]
    pairs = sorted(
        {raw: shown for raw, shown in [*worded, *named]}.items(), key=lambda pair: len(pair[0]), reverse=True
    )
    if not pairs:
        return report
    # Whole words only: a short name ("age") must not eat part of "page" or of a hash.
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(raw)}(?!\w)" for raw, _ in pairs))
    table = dict(pairs)

    def text(value: str) -> str:
        return pattern.sub(lambda m: table[m.group(0)], value)

    def walk(value: Any) -> Any:
        if isinstance(value, enum.Enum) or value is None or isinstance(value, (int, float, bool)):
            return value  # first: a StrEnum is a str, and must stay its enum
        if isinstance(value, str):
            return text(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {f.name: walk(getattr(value, f.name)) for f in dataclasses.fields(value)}
            return dataclasses.replace(value, **changes)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, tuple):
            return tuple(walk(v) for v in value)
        if isinstance(value, dict):
            return {walk(k): walk(v) for k, v in value.items()}
        return value

    return walk(report)  # type: ignore[no-any-return]
