"""Write ``tests/safety/data/external4/notes.jsonl``: a fourth external set, built after the fifth round's rules.

Why a fourth set: the fifth round's rules were fixed on the third set's misses
(scrubadub's sentences), so that set is no longer unseen. This one uses text
no earlier set or rule test used, was labelled before the engine was run on
it, and its figures are reported as they came out.

* **spaCy's English example sentences** (``spacy.lang.en.examples``, in the
  ``spacy`` package on PyPI, MIT, © ExplosionAI): read from the installed
  package; their organisations, cities and countries are negatives, and the
  one person they name is replaced by a fresh name.
* **Letters and notices in the styles of public UK documents**: an ICO
  decision notice, a council's reply to a freedom of information request, an
  NHS discharge letter, a council tax letter and a housing repair record.
  The sentences are the project's, written in those documents' published
  layouts (no text is copied from any real notice or letter), so they are
  the least independent part; that is why spaCy's sentences sit beside them.
* **The values** come from Faker (``faker`` on PyPI, MIT): ``en_GB`` for
  phone numbers (Ofcom's drama ranges), postcodes, streets, towns and company
  names; names from ``en_GB``, ``pt_BR``, ``fr_FR``, ``de_DE``, ``nl_NL``,
  ``cs_CZ``, ``lv_LV``, ``hr_HR``, ``id_ID``, ``et_EE``, ``sl_SI``, ``az_AZ``
  and ``da_DK`` (locales neither the second nor the third set used). NHS and
  NI numbers are drawn at random and checked with the published check-digit
  and prefix rules; dates of birth are written in the form each letter uses.
  Health conditions are names of NHS conditions pages, chosen by hand.

Labelled before the engine was run: ``PERSON`` (the name without its title),
``ADDRESS`` (street and town; the postcode is its own ``POSTCODE``),
``POSTCODE``, ``PHONE``, ``EMAIL``, ``DATE_OF_BIRTH``, ``NHS_NUMBER``,
``NI_NUMBER`` and ``HEALTH`` (the condition's name). Negatives (never a
person): company names, towns, countries and public bodies. Seeded: the same
seed writes the same bytes.

Usage::

    pip install faker                                  # only its generators are used
    python benchmarks/make_external4_set.py            # writes the file
    python benchmarks/make_external4_set.py --check    # compares, writes nothing
"""

from __future__ import annotations

import random
import re
import sys
import unicodedata
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from identifier_variant_values import nhs_valid, ni_valid, postcode_valid
from make_external2_set import phone_ok
from make_external_set import Note, verify
from make_identifier_variants import cli_args, write_or_check

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "safety" / "data" / "external4" / "notes.jsonl"
NAME_LOCALES = ["en_GB", "en_GB", "en_GB", "en_GB", "pt_BR", "fr_FR", "de_DE", "nl_NL", "cs_CZ", "lv_LV", "hr_HR",
                "id_ID", "et_EE", "sl_SI", "az_AZ", "da_DK"]  # fmt: skip
#: Names of NHS conditions pages (nhs.uk/conditions), as a discharge letter or a note would write them.
CONDITIONS = ["type 2 diabetes", "asthma", "chronic obstructive pulmonary disease", "atrial fibrillation",
              "heart failure", "epilepsy", "Parkinson's disease", "osteoarthritis", "pneumonia", "sepsis",
              "cellulitis", "dementia", "depression", "schizophrenia", "bipolar disorder", "multiple sclerosis",
              "chronic kidney disease", "angina", "a stroke", "COPD"]  # fmt: skip

#: (letter, style it follows). Slots: {name} first and last name, {title_name} title and name (only the name
#: labelled), {first}, {phone}, {email}, {nhs}, {ni}, {dob_*} (the form the letter uses), {address} street and town,
#: {postcode}, {condition}, {org}, {town} and {public_body} (negatives).
TEMPLATES: list[tuple[str, str]] = [
    (
        "Decision notice\n\nPublic authority: {public_body}\nComplainant: {title_name}\nAddress: {address}, "
        "{postcode}\n\n"
        "The complainant has requested information about a planning application. The Commissioner's decision is "
        "that {public_body} has not complied with section 10(1) of FOIA.",
        "ICO decision notice",
    ),
    (
        "On 4 March the complainant wrote to the council and requested information. {title_name} asked for copies "
        "of correspondence with {org} about the site.",
        "ICO decision notice",
    ),
    (
        "Dear {title_name}\n\nFreedom of Information request reference FOI-1234\n\nThank you for your request "
        "for information. If you are not satisfied, please write to the Information Governance Team at "
        "{email} or telephone {phone}.",
        "council FOI reply",
    ),
    (
        "Your request was passed to {first} in the Highways team, who confirmed that {town} Council holds no "
        "recorded information on the works at {address}.",
        "council FOI reply",
    ),
    (
        "DISCHARGE SUMMARY\nPatient: {name}\nNHS number: {nhs}\nDate of birth: {dob_slash}\nAddress: {address}, "
        "{postcode}\n\nDiagnosis: {condition}\nGP: Dr {name}, {town} Medical Practice",
        "NHS discharge letter",
    ),
    (
        "Dear Dr {name}\n\nRe: {name}, DOB {dob_dots}, NHS No. {nhs}\n\nYour patient was admitted with "
        "{condition} and is now well enough to go home. Please review in two weeks.",
        "NHS discharge letter",
    ),
    (
        "{first} ({dob_long}) has a history of {condition} and lives alone. Her daughter can be reached on {phone}.",
        "NHS discharge letter",
    ),
    (
        "Council Tax account 40012345\n{name}\n{address}\n{postcode}\n\nWe have applied a single person "
        "discount from 1 April. National Insurance number: {ni}",
        "council tax letter",
    ),
    (
        "Repair reported by {name} on the phone ({phone}): damp in the back bedroom at {address}, {postcode}. "
        "Contractor: {org}.",
        "housing repair record",
    ),
    (
        "Tenant {first} says the boiler has failed again. Email from {email} attached; born {dob_ordinal}, "
        "says she has {condition}.",
        "housing repair record",
    ),
]
_SLOT = re.compile(r"\{([a-z_0-9]+)\}")
#: Public bodies named in letters: never a person.
PUBLIC_BODIES = ["the London Borough of Lambeth", "Cardiff Council", "NHS England", "the Home Office",
                 "Leeds City Council", "the Department for Work and Pensions", "Ofsted",
                 "HM Revenue and Customs"]  # fmt: skip


class Values:
    """Fresh UK values from Faker and the published formats."""

    def __init__(self, seed: int) -> None:
        from faker import Faker

        self.r = random.Random(seed)
        self.fakers = {loc: Faker(loc) for loc in sorted(set(NAME_LOCALES))}
        for i, f in enumerate(self.fakers.values()):
            f.seed_instance(seed + i)
        self.uk = self.fakers["en_GB"]

    def name(self) -> tuple[str, str]:
        f = self.fakers[self.r.choice(NAME_LOCALES)]
        return f.first_name(), f.last_name()

    def email(self, first: str, last: str) -> str:
        def fold(word: str) -> str:
            return re.sub(r"[^a-z]", "", unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower())

        f, last_a = fold(first), fold(last)
        local = self.r.choice([f"{f}.{last_a}", f"{f[:1]}{last_a}", f"{f}{self.r.randint(1, 99)}"])
        return f"{local}@{self.r.choice([self.uk.free_email_domain(), 'council.gov.uk', 'nhs.net'])}"

    def phone(self) -> str:
        while True:
            value = self.uk.phone_number()
            if phone_ok(value):
                return value

    def postcode(self) -> str:
        while True:
            value = self.uk.postcode()
            if postcode_valid(value):
                return value

    def nhs(self) -> str:
        while True:
            digits = "".join(self.r.choice("0123456789") for _ in range(9))
            check = 11 - sum(int(c) * w for c, w in zip(digits, range(10, 1, -1), strict=True)) % 11
            value = digits + str(0 if check == 11 else check % 10)
            if check != 10 and nhs_valid(value):
                return self.r.choice([value, f"{value[:3]} {value[3:6]} {value[6:]}"])

    def ni(self) -> str:
        while True:
            p = self.r.choice("ABCEGHJKLMNOPRSTWXYZ") + self.r.choice("ABCEGHJKLMNPRSTWXYZ")
            n = "".join(self.r.choice("0123456789") for _ in range(6))
            value = f"{p}{n}{self.r.choice('ABCD')}"
            if ni_valid(value):
                return self.r.choice([value, f"{p} {n[:2]} {n[2:4]} {n[4:]} {value[-1]}"])

    def dob(self, style: str) -> str:
        day = date(1930, 1, 1) + timedelta(days=self.r.randint(0, 75 * 365))
        suffix = "th" if 11 <= day.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day.day % 10, "th")
        return {
            "slash": day.strftime("%d/%m/%Y"),
            "dots": day.strftime("%d.%m.%Y"),
            "long": f"{day.day} {day.strftime('%B %Y')}",
            "ordinal": f"{day.day}{suffix} {day.strftime('%B %Y')}",
        }[style]

    def address(self) -> str:
        return f"{self.uk.street_address().replace(chr(10), ', ')}, {self.uk.city()}"


def fill(template: str, source: str, v: Values) -> dict[str, object]:
    """One letter with fresh values, each labelled as it is written."""

    note = Note(
        f"written in the style of an {source}" if source[0] in "AEIOU" else f"written in the style of a {source}"
    )
    pos = 0
    for m in _SLOT.finditer(template):
        note.add(template[pos : m.start()])
        pos = m.end()
        slot = m.group(1)
        first, last = v.name()
        if slot == "name":
            note.add(f"{first} {last}", "PERSON")
        elif slot == "title_name":
            note.add(v.r.choice(["Mr ", "Mrs ", "Ms ", "Mx "]))
            note.add(f"{first} {last}", "PERSON")
        elif slot == "first":
            note.add(first, "PERSON")
        elif slot == "phone":
            note.add(v.phone(), "PHONE")
        elif slot == "email":
            note.add(v.email(first, last), "EMAIL")
        elif slot == "nhs":
            note.add(v.nhs(), "NHS_NUMBER")
        elif slot == "ni":
            note.add(v.ni(), "NI_NUMBER")
        elif slot.startswith("dob_"):
            note.add(v.dob(slot[4:]), "DATE_OF_BIRTH")
        elif slot == "address":
            note.add(v.address(), "ADDRESS")
        elif slot == "postcode":
            note.add(v.postcode(), "POSTCODE")
        elif slot == "condition":
            note.add(v.r.choice(CONDITIONS), "HEALTH")
        elif slot == "org":
            note.add(v.uk.company(), negative="organisation")
        elif slot == "town":
            note.add(v.uk.city(), negative="place")
        elif slot == "public_body":
            note.add(v.r.choice(PUBLIC_BODIES), negative="organisation")
        else:
            raise KeyError(slot)
    note.add(template[pos:])
    return note.item()


#: Negatives in spaCy's English example sentences: (text, kind).
SPACY_NEGATIVES = [("Apple", "organisation"), ("U.K.", "place"), ("San Francisco", "place"), ("London", "place"),
                   ("United Kingdom", "place"), ("France", "place"), ("United States", "place")]  # fmt: skip


def spacy_note(sentence: str, v: Values) -> dict[str, object]:
    """One of spaCy's example sentences; the person it names is replaced by a fresh one."""

    note = Note("spaCy spacy.lang.en.examples (MIT)")
    if "Barack Obama" in sentence:
        before, after = sentence.split("Barack Obama")
        first, last = v.name()
        note.add(before)
        note.add(f"{first} {last}", "PERSON")
        note.add(after)
    else:
        note.add(sentence)
    item = note.item()
    for word, kind in SPACY_NEGATIVES:
        for m in re.finditer(re.escape(word), note.text):
            item["negatives"].append({"start": m.start(), "end": m.end(), "kind": kind})  # type: ignore[attr-defined]
    return item


def build(seed: int, rounds: int) -> list[dict[str, object]]:
    """Every letter ``rounds`` times and every spaCy sentence twice, with fresh values each time."""

    from spacy.lang.en.examples import sentences

    v = Values(seed)
    items = [fill(template, source, v) for template, source in TEMPLATES for _ in range(rounds)]
    items += [spacy_note(sentence, v) for sentence in sentences for _ in range(2)]
    for item in items:
        spans = item["spans"]
        verify({**item, "spans": [s for s in spans if s["type"] != "PHONE"]})  # type: ignore[attr-defined]
        text = str(item["text"])
        for s in spans:  # type: ignore[attr-defined]
            value = text[s["start"] : s["end"]]
            assert s["type"] != "NI_NUMBER" or ni_valid(value.replace(" ", "")), value
            assert s["type"] != "NHS_NUMBER" or nhs_valid(value), value
            assert s["type"] != "PHONE" or phone_ok(value), value
    return items


def main(argv: list[str] | None = None) -> int:
    args = cli_args(__doc__, argv, seed=1714, rounds=20, output=OUT)
    return write_or_check(build(args.seed, args.rounds), args.output, check=args.check, negatives="negatives")


if __name__ == "__main__":
    sys.exit(main())
