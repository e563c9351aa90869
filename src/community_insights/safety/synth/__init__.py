"""Seeded synthetic UK case-management exports with known labels.

Why: the data safety check has to be measured on data that looks like a real
council or VCS export — names from every community, NHS and NI numbers,
postcodes, case notes written in a hurry — without anyone's real data. This
generator makes such an export of any size, reproducibly (same seed, same
bytes), together with the truth: for every column its kind and personal-data
types, and for every note the exact character spans of names and identifiers.

The names here are the generator's own lists (different spellings and some
made-up names that are on no list), so an evaluation on this data is not an
evaluation of the detector's lists against themselves. Hand-written notes in
other styles live in ``tests/safety/data/handwritten_notes.jsonl``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from community_insights.safety import detectors as d
from community_insights.safety.synth.words import (
    ETHNICITY,
    FIRST_NAMES,
    GENDER,
    HEALTH,
    ORGS,
    ORIENTATION,
    OUTWARD,
    RELIGION,
    SERVICES,
    STREETS,
    SURNAMES,
    SYLLABLES,
    TITLES,
    WARDS,
)
from community_insights.safety.types import ColumnKind, PiiType, Span

__all__ = [
    "ColumnTruth",
    "NoteTruth",
    "SyntheticExport",
    "generate_export",
    "generate_notes",
    "write_export",
]


@dataclasses.dataclass(frozen=True)
class ColumnTruth:
    """What a column really is."""

    kind: ColumnKind
    pii_types: tuple[PiiType, ...]


@dataclasses.dataclass(frozen=True)
class NoteTruth:
    """One note and the true spans in it: (start, end, type)."""

    text: str
    spans: tuple[tuple[int, int, PiiType], ...]
    style: str


@dataclasses.dataclass
class SyntheticExport:
    """A generated export: the table, the column truth and the note spans."""

    frame: pl.DataFrame
    columns: dict[str, ColumnTruth]
    note_column: str
    notes: list[NoteTruth]

    def span_truth(self) -> list[Span]:
        """True spans for the notes column, as :class:`Span` (row = data row)."""

        out: list[Span] = []
        for row, note in enumerate(self.notes):
            for s, e, t in note.spans:
                out.append(Span(self.note_column, row, s, e, t))
        return out


COLUMN_TRUTH: dict[str, ColumnTruth] = {
    "case_ref": ColumnTruth(ColumnKind.SYSTEM_ID, (PiiType.SYSTEM_ID,)),
    "client_name": ColumnTruth(ColumnKind.DIRECT_IDENTIFIER, (PiiType.PERSON,)),
    "field_7": ColumnTruth(ColumnKind.DIRECT_IDENTIFIER, (PiiType.PERSON,)),
    "dob": ColumnTruth(ColumnKind.QUASI_IDENTIFIER, (PiiType.DATE_OF_BIRTH,)),
    "nhs_no": ColumnTruth(ColumnKind.DIRECT_IDENTIFIER, (PiiType.NHS_NUMBER,)),
    "ni_number": ColumnTruth(ColumnKind.DIRECT_IDENTIFIER, (PiiType.NI_NUMBER,)),
    "address_1": ColumnTruth(ColumnKind.DIRECT_IDENTIFIER, (PiiType.ADDRESS,)),
    "postcode": ColumnTruth(ColumnKind.QUASI_IDENTIFIER, (PiiType.POSTCODE,)),
    "tel": ColumnTruth(ColumnKind.DIRECT_IDENTIFIER, (PiiType.PHONE,)),
    "contact": ColumnTruth(ColumnKind.DIRECT_IDENTIFIER, (PiiType.EMAIL,)),
    "gender": ColumnTruth(ColumnKind.QUASI_IDENTIFIER, (PiiType.GENDER,)),
    "ethnicity": ColumnTruth(ColumnKind.SPECIAL_CATEGORY, (PiiType.ETHNICITY,)),
    "religion": ColumnTruth(ColumnKind.SPECIAL_CATEGORY, (PiiType.RELIGION,)),
    "health_condition": ColumnTruth(ColumnKind.SPECIAL_CATEGORY, (PiiType.HEALTH,)),
    "sexual_orientation": ColumnTruth(ColumnKind.SPECIAL_CATEGORY, (PiiType.SEXUAL_ORIENTATION,)),
    "ward": ColumnTruth(ColumnKind.QUASI_IDENTIFIER, ()),
    "referral_date": ColumnTruth(ColumnKind.OTHER, ()),
    "service": ColumnTruth(ColumnKind.OTHER, ()),
    "name": ColumnTruth(ColumnKind.OTHER, ()),
    "visits": ColumnTruth(ColumnKind.OTHER, ()),
    "notes": ColumnTruth(
        ColumnKind.FREE_TEXT,
        (
            PiiType.PERSON,
            PiiType.PHONE,
            PiiType.NHS_NUMBER,
            PiiType.NI_NUMBER,
            PiiType.POSTCODE,
            PiiType.EMAIL,
        ),
    ),
}


class _Gen:
    """All random choices, from one seeded generator."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.communities = list(FIRST_NAMES)

    def community(self) -> str:
        return self.r.choice(self.communities)

    def first(self, community: str | None = None) -> str:
        if self.r.random() < 0.06:
            return self.invented()
        return self.r.choice(FIRST_NAMES[community or self.community()])

    def surname(self, community: str | None = None) -> str:
        if self.r.random() < 0.06:
            return self.invented()
        return self.r.choice(SURNAMES[community or self.community()])

    def invented(self) -> str:
        word = "".join(self.r.choice(SYLLABLES) for _ in range(self.r.randint(2, 3)))
        return word.capitalize()

    def nhs(self) -> str:
        while True:
            body = "".join(self.r.choice("0123456789") for _ in range(9))
            check = d.nhs_check_digit(body)
            if check is not None and body[0] != "0":
                digits = body + str(check)
                if self.r.random() < 0.5:
                    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
                return digits

    def ni(self) -> str:
        while True:
            prefix = self.r.choice("ABCEGHJKLMNOPRSTWXYZ") + self.r.choice("ABCEGHJKLMNPRSTWXYZ")
            if prefix not in d.NI_NOT_ALLOWED_PREFIXES:
                break
        nums = "".join(self.r.choice("0123456789") for _ in range(6))
        suffix = self.r.choice("ABCD")
        if self.r.random() < 0.3:
            return f"{prefix} {nums[:2]} {nums[2:4]} {nums[4:]} {suffix}"
        return f"{prefix}{nums}{suffix}"

    def postcode(self) -> str:
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        pc = f"{self.r.choice(OUTWARD)} {self.r.randint(0, 9)}{self.r.choice(letters)}{self.r.choice(letters)}"
        roll = self.r.random()
        if roll < 0.1:
            return pc.replace(" ", "")
        return pc

    def phone(self) -> str:
        while True:
            if self.r.random() < 0.6:
                num = f"07{self.r.choice('123456789'.replace('6', ''))}{self.r.randint(0, 99999999):08d}"
                fmt = self.r.choice([f"{num[:5]} {num[5:]}", num, f"+44 {num[1:5]} {num[5:]}"])
            else:
                area = self.r.choice(["0113", "0161", "0121", "0117", "0114"])
                rest = f"{self.r.randint(2, 8)}{self.r.randint(0, 999999):06d}"
                fmt = self.r.choice([f"{area} {rest[:3]} {rest[3:]}", f"{area}{rest}"])
                if self.r.random() < 0.3:
                    fmt = f"020 {self.r.choice('78')}{self.r.randint(0, 999):03d} {self.r.randint(0, 9999):04d}"
            if d.is_uk_phone(fmt):
                return fmt

    def email(self, first: str, surname: str) -> str:
        user = f"{d_ascii(first)}.{d_ascii(surname)}".lower().replace("'", "").replace(" ", "")
        return f"{user}{self.r.randint(1, 99)}@{self.r.choice(['example.com', 'mail.example.org', 'example.co.uk'])}"

    def dob(self) -> dt.date:
        return dt.date(1935, 1, 1) + dt.timedelta(days=self.r.randint(0, 365 * 85))

    def date_text(self, day: dt.date) -> str:
        style = self.r.random()
        if style < 0.6:
            return day.strftime("%d/%m/%Y")
        if style < 0.8:
            return day.isoformat()
        return f"{day.day} {day.strftime('%b')} {day.year}"


def d_ascii(text: str) -> str:
    """Strip accents for an email local part."""

    from community_insights.safety.names import fold

    return fold(text)


class _Note:
    """Builds a note piece by piece, recording the offsets of labelled parts."""

    def __init__(self, caps: bool = False, lower: bool = False) -> None:
        self.parts: list[str] = []
        self.spans: list[tuple[int, int, PiiType]] = []
        self.pos = 0
        self.caps = caps
        self.lower = lower

    def _case(self, text: str) -> str:
        if self.caps:
            return text.upper()
        if self.lower:
            return text.lower()
        return text

    def add(self, text: str, pii: PiiType | None = None, keep_case: bool = False) -> None:
        text = text if keep_case else self._case(text)
        if pii is not None:
            self.spans.append((self.pos, self.pos + len(text), pii))
        self.parts.append(text)
        self.pos += len(text)

    def done(self, style: str) -> NoteTruth:
        return NoteTruth("".join(self.parts), tuple(self.spans), style)


def _note(g: _Gen, first: str, surname: str, ids: dict[str, str]) -> NoteTruth:
    """One case note in one of several styles, with true spans."""

    r = g.r
    style = r.choices(["formal", "terse", "caps", "lower", "bullets", "none"], [30, 25, 10, 10, 10, 15])[0]
    n = _Note(caps=style == "caps", lower=style == "lower")
    other_first = g.first()
    other_sur = g.surname()
    title = r.choice(TITLES)
    relation = r.choice(["son", "daughter", "husband", "wife", "carer", "neighbour", "sister", "brother"])
    org = r.choice(ORGS)
    if style == "none":
        text = r.choice(
            [
                "No contact this week. Will try again in May.",
                "Client did not attend. Hope to rebook next month.",
                "Referred to Job Centre re Universal Credit. Awaiting decision.",
                "Applied for Warm Home Discount. Grace period on arrears agreed with landlord.",
                f"Food parcel delivered. Signposted to {org}.",
                "Attended the warm space session, enjoyed the lunch.",
                "May need a follow-up visit; will check with the team.",
            ]
        )
        n.add(text)
        return n.done(style)
    if style == "formal":
        n.add(f"Spoke to {title} ")
        n.add(surname, PiiType.PERSON)
        n.add(" by phone on ")
        n.add(ids["phone"], PiiType.PHONE)
        n.add(f". Her {relation} ")
        n.add(other_first, PiiType.PERSON)
        n.add(" was present. ")
        roll = r.random()
        if roll < 0.3:
            n.add("NHS number ")
            n.add(ids["nhs"], PiiType.NHS_NUMBER)
            n.add(f" confirmed with the GP. Referred to {org}.")
        elif roll < 0.6:
            n.add("New address ")
            n.add(ids["postcode"], PiiType.POSTCODE)
            n.add(". Will apply for the Warm Home Discount.")
        else:
            n.add("Please email ")
            n.add(ids["email"], PiiType.EMAIL)
            n.add(" with the forms. Hope to close the case in May.")
        return n.done(style)
    if style == "terse":
        n.add("hv - ")
        n.add(f"{first} {surname}", PiiType.PERSON)
        n.add(" + ")
        n.add(relation)
        n.add(" ")
        n.add(other_first, PiiType.PERSON)
        n.add(". ni ")
        n.add(ids["ni"], PiiType.NI_NUMBER)
        n.add(r.choice([". uc claim chased w/ job centre", ". f/u 2wks", ". grace period agreed", ". will ring back"]))
        return n.done(style)
    if style == "caps":
        n.add(f"{title} ")
        n.add(surname, PiiType.PERSON)
        n.add(" ATTENDED WITH ")
        n.add(relation + " ")
        n.add(other_first, PiiType.PERSON)
        n.add(". TEL ")
        n.add(ids["phone"], PiiType.PHONE)
        n.add(". POSTCODE ")
        n.add(ids["postcode"].upper(), PiiType.POSTCODE, keep_case=True)
        return n.done(style)
    if style == "lower":
        n.add("met ")
        n.add(f"{first} {surname}", PiiType.PERSON)
        n.add(" at ")
        n.add(org)
        n.add(", contact ")
        n.add(ids["email"], PiiType.EMAIL)
        n.add(". may need food bank voucher")
        return n.done(style)
    # bullets
    n.add("- Client: ")
    n.add(f"{first} {surname}", PiiType.PERSON)
    n.add("\n- NHS: ")
    n.add(ids["nhs"], PiiType.NHS_NUMBER)
    n.add("\n- Contact via ")
    n.add(relation + " ")
    n.add(f"{other_first} {other_sur}", PiiType.PERSON)
    n.add(" on ")
    n.add(ids["phone"], PiiType.PHONE)
    n.add("\n- Lives near Grace Street, ")
    n.add(ids["postcode"], PiiType.POSTCODE)
    return n.done(style)


def _rows(rows: int, seed: int) -> Iterator[tuple[dict[str, object], NoteTruth]]:
    g = _Gen(seed)
    for i in range(rows):
        community = g.community()
        first = g.first(community)
        surname = g.surname(community)
        ids = {
            "nhs": g.nhs(),
            "ni": g.ni(),
            "postcode": g.postcode(),
            "phone": g.phone(),
            "email": g.email(first, surname),
        }
        carer = f"{g.first()} {g.surname()}"
        if g.r.random() < 0.15:
            carer = f"{g.r.choice(TITLES)} {carer.split()[0][0]} {carer.split()[1]}".upper()
        note = _note(g, first, surname, ids)
        referral = dt.date(2023, 1, 1) + dt.timedelta(days=g.r.randint(0, 700))
        row: dict[str, object] = {
            "case_ref": f"CI-{seed:02d}{i:07d}",
            "client_name": f"{first} {surname}" if g.r.random() > 0.1 else f"{surname.upper()}, {first}",
            "field_7": carer,
            "dob": g.date_text(g.dob()),
            "nhs_no": ids["nhs"],
            "ni_number": ids["ni"],
            "address_1": f"{g.r.randint(1, 240)} {g.r.choice(STREETS)}",
            "postcode": ids["postcode"],
            "tel": ids["phone"],
            "contact": ids["email"],
            "gender": g.r.choice(GENDER),
            "ethnicity": g.r.choice(ETHNICITY),
            "religion": g.r.choice(RELIGION),
            "health_condition": g.r.choice(HEALTH),
            "sexual_orientation": g.r.choice(ORIENTATION),
            "ward": g.r.choice(WARDS),
            "referral_date": referral.strftime("%d/%m/%Y"),
            "service": g.r.choice(SERVICES),
            "name": g.r.choice(ORGS),
            "visits": str(g.r.randint(1, 30)),
            "notes": note.text,
        }
        yield row, note


def generate_export(rows: int, *, seed: int = 0) -> SyntheticExport:
    """Make an export of ``rows`` rows; the same seed always gives the same data."""

    records: list[dict[str, object]] = []
    notes: list[NoteTruth] = []
    for row, note in _rows(rows, seed):
        records.append(row)
        notes.append(note)
    frame = pl.DataFrame(records, schema={k: pl.Utf8 for k in COLUMN_TRUTH}, orient="row")
    return SyntheticExport(frame, dict(COLUMN_TRUTH), "notes", notes)


def generate_notes(count: int, *, seed: int = 0) -> list[NoteTruth]:
    """Only the notes (with their spans), for the free-text evaluation."""

    return [note for _, note in _rows(count, seed)]


def write_export(path: str | Path, rows: int, *, seed: int = 0) -> Path:
    """Write the export as CSV plus ``<name>.truth.json`` (column and span truth)."""

    path = Path(path)
    export = generate_export(rows, seed=seed)
    export.frame.write_csv(path)
    truth = {
        "columns": {
            name: {"kind": t.kind.value, "pii_types": [p.value for p in t.pii_types]}
            for name, t in export.columns.items()
        },
        "spans": [
            {"column": s.column, "row": s.row, "start": s.start, "end": s.end, "type": s.type.value}
            for s in export.span_truth()
        ],
    }
    path.with_suffix(".truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return path
