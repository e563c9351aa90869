"""Write ``tests/safety/data/external3/notes.jsonl``: a third external set, built after the rules it first measured.

Why a third set: the first set's misses (presidio-research templates) led to
the rules of issue 17, and the second set's (pii-anon templates) to the rules
for records laid out by other systems and for IBANs and handles, so neither
measures unseen text for those rules any more. This set was written after
the last rule change and its figures were recorded as they came out (the
unseen figures); its identifier misses later led to the rules of
``safety/text/outside_rules.py``, tested on other sources.

* **The sentences** are the test texts of scrubadub (LeapBeyond/scrubadub on
  GitHub, ``tests/*.py`` at version 2.0.1 and ``tests/example_real_data/
  document.txt``; Apache-2.0, © the scrubadub authors): the "BEFORE:" lines of
  its detector tests and the documents its name-title and entity tests use.
  The package on PyPI ships no tests, so the sentences are quoted here in
  ``TEMPLATES``, each with the file it comes from, and only its values are
  replaced: a US phone number by a UK one, a US address by a UK address
  written the same way, scrubadub's fixed names and numbers by fresh values.
* **The values** come from Faker (``faker`` on PyPI, MIT): ``en_GB`` for
  phone numbers (Ofcom's drama ranges), postcodes, streets, towns, company
  names and card numbers; names from ``en_GB``, ``en_IE``, ``ga_IE``,
  ``en_IN``, ``zu_ZA``, ``sw``, ``ha_NG``, ``ig_NG``, ``vi_VN``, ``pt_PT``,
  ``it_IT``, ``es_ES``, ``hu_HU`` and ``sk_SK`` (other locales than the second
  set's). NI numbers are drawn at random and checked with HMRC's prefix rules;
  dates of birth are written in the form each sentence uses; handles are made
  from the names the way X and Instagram allow (letters, digits, "_", ".").

Labelled before the engine was run: ``PERSON`` (the name without its title),
``ADDRESS`` (street and town; the postcode is its own ``POSTCODE``),
``POSTCODE`` (also in the lower-case and unspaced forms scrubadub tests:
"sw1A 0AA", "eh12ng"), ``PHONE``, ``EMAIL`` (also spelt "john at
gmail.com"), ``NI_NUMBER`` (every grouping scrubadub tests, "AZ 123 456 A"
included), ``PAYMENT_CARD``, ``DATE_OF_BIRTH`` and ``ONLINE_ID`` (handles).
Negatives (never a person): company names, towns and countries. Seeded: the
same seed writes the same bytes.

Usage::

    pip install faker                                  # only its generators are used
    python benchmarks/make_external3_set.py            # writes the file
    python benchmarks/make_external3_set.py --check    # compares, writes nothing
"""

from __future__ import annotations

import random
import re
import sys
import unicodedata
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from identifier_variant_values import ni_valid, postcode_valid
from make_external2_set import phone_ok
from make_external_set import Note, verify
from make_identifier_variants import cli_args, write_or_check

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "safety" / "data" / "external3" / "notes.jsonl"
NAME_LOCALES = ["en_GB", "en_GB", "en_GB", "en_IE", "ga_IE", "en_IN", "zu_ZA", "sw", "ha_NG", "ig_NG", "vi_VN",
                "pt_PT", "it_IT", "es_ES", "hu_HU", "sk_SK"]  # fmt: skip

_T = "tests/"
#: (sentence, file in scrubadub's repository). Slots: {name} first and last name, {first}, {first_lower},
#: {title_name} title and name (only the name labelled), {phone}, {phone2}, {email}, {spelt_email}, {handle}, {ni_*},
#: {card}, {dob_*} (the form the sentence uses), {address}, {postcode}, {org} and {town} (negatives).
TEMPLATES: list[tuple[str, str]] = [
    ("{first} is a cat", _T + "test_names.py"),
    ("{first_lower} is a friendly person", _T + "test_names.py"),
    ("Hello. Please testing.", _T + "test_names.py"),
    ("When was {first} born?", _T + "test_detector_spacy.py"),
    ("when was {first_lower} born", _T + "test_detector_spacy.py"),
    ("{first_lower} is a cat", _T + "test_detector_spacy.py"),
    ("She started working for {org} this year", _T + "test_detector_spacy.py"),
    ("But used to work for {org}", _T + "test_detector_spacy.py"),
    ("{town} is a city in England", _T + "test_detector_spacy.py"),
    ("Mr {name} said the measures would help our economy.", _T + "test_detector_spacy_name_title.py"),
    ("The name is Mrs {name}.", _T + "test_detector_spacy_name_title.py"),
    ("Can you please ask Mr {name}?", _T + "test_detector_spacy_name_title.py"),
    ("Please see Dr {name} in room 1.", _T + "test_detector_spacy_name_title.py"),
    ("Hello I am {first}", _T + "test_detector_known.py"),
    ("{first} is my favourite employee.", _T + "test_detector_user_supplied.py"),
    ("My phone number is {phone}", _T + "test_phone_numbers.py"),
    ("Call me on my cell {phone} or in my office {phone2}", _T + "test_phone_numbers.py"),
    ("Contact me at {phone} or {email}", _T + "test_postprocessor_filth_replacer.py"),
    ("My email is {email}", _T + "test_emails.py"),
    ("My email is {spelt_email}", _T + "test_emails.py"),
    ("contact me at {email}", _T + "test_api.py"),
    ("My email is {email} and i tweet at {handle}", _T + "test_detector_twitter.py"),
    ("My tweeter is {handle}", _T + "test_detector_twitter.py"),
    ("My NI number is {ni_pairs}", _T + "test_detector_en_GB_nino.py"),
    (
        "Enter a National Insurance number that is 2 letters, 6 numbers, then A, B, C or D, like {ni_plain}.",
        _T + "test_detector_en_GB_nino.py",
    ),
    (
        "It’s on your National Insurance card, benefit letter, payslip or P60. For example, {ni_pairs}.",
        _T + "test_detector_en_GB_nino.py",
    ),
    ("Please verify the NI {ni_six}.", _T + "test_detector_en_GB_nino.py"),
    ("The number is {ni_threes}.", _T + "test_detector_en_GB_nino.py"),
    ("My credit card is {card}.", _T + "test_detector_credit_card.py"),
    ("{card}.", _T + "test_detector_credit_card.py"),
    ("My date of birth is {dob_slash}.", _T + "test_detector_date_of_birth.py"),
    ("I was born {dob_ordinal}", _T + "test_detector_date_of_birth.py"),
    ("DOB: {dob_dots}", _T + "test_detector_date_of_birth.py"),
    ("The claimant's, d.o.b. is {dob_long}", _T + "test_detector_date_of_birth.py"),
    ("{dob_iso} is my birthday.", _T + "test_detector_date_of_birth.py"),
    ("this is a {address} test string", _T + "test_detector_address.py"),
    ("this is a {postcode} test string", _T + "test_detector_postal_codes.py"),
    (
        "\nThis is is an example document that has been labelled in known_pii.csv. This document contains filthy "
        "personal\ninfomation that we want to remove, such as an address for {name}:\n\n{address_lines}"
        "England\n\nor an example phone number {phone} and email address {email}.\n\n"
        "benchmark_accuracy_real_data.py checks to see if the personal information can be found in this file.\n",
        _T + "example_real_data/document.txt",
    ),
]
_SLOT = re.compile(r"\{([a-z_0-9]+)\}")
SOURCE = "scrubadub (LeapBeyond/scrubadub, Apache-2.0) "


class Values:
    """Fresh UK values from Faker and the project's format checks."""

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

    def _ascii(self, word: str) -> str:
        return re.sub(r"[^a-z]", "", unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower())

    def email(self, first: str, last: str, spelt: bool = False) -> str:
        f, last_a = self._ascii(first), self._ascii(last)
        local = self.r.choice([f"{f}.{last_a}", f"{f}{last_a}", f"{f[:1]}{last_a}", f"{f}{self.r.randint(1, 99)}"])
        domain = self.uk.free_email_domain()
        return f"{local} at {domain}" if spelt else f"{local}@{domain}"

    def handle(self, first: str, last: str) -> str:
        f, last_a = self._ascii(first), self._ascii(last)
        body = self.r.choice(
            [f"{f}_{last_a}", f"{f}.{last_a}", f"{f}{last_a}{self.r.randint(1, 99)}", f"_{f}_{last_a}_"]
        )
        body = body[:15] if "." not in body else body[:30]
        return "@" + (body.upper() if self.r.random() < 0.2 else body)

    def phone(self) -> str:
        while True:
            value = self.uk.phone_number()
            if phone_ok(value):
                return value

    def postcode(self, forms: bool = False) -> str:
        while True:
            value = self.uk.postcode()
            if postcode_valid(value):
                break
        if forms:  # the forms scrubadub's postcode test uses
            value = self.r.choice([value, value.lower(), value.replace(" ", ""), value[:2].lower() + value[2:]])
        return value

    def ni(self, style: str) -> str:
        while True:
            p = self.r.choice("ABCEGHJKLMNOPRSTWXYZ") + self.r.choice("ABCEGHJKLMNPRSTWXYZ")
            n = "".join(self.r.choice("0123456789") for _ in range(6))
            s = self.r.choice("ABCD")
            if ni_valid(f"{p}{n}{s}"):
                break
        return {
            "pairs": f"{p} {n[:2]} {n[2:4]} {n[4:]} {s}",
            "plain": f"{p}{n}{s}",
            "six": f"{p} {n} {s}",
            "threes": f"{p} {n[:3]} {n[3:]} {s}",
        }[style]

    def dob(self, style: str) -> str:
        day = date(1935, 1, 1) + timedelta(days=self.r.randint(0, 70 * 365))
        suffix = "th" if 11 <= day.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day.day % 10, "th")
        return {
            "slash": day.strftime("%d/%m/%Y"),
            "ordinal": f"{day.day}{suffix} {day.strftime('%B %Y')}",
            "dots": day.strftime("%d.%m.%Y"),
            "long": f"{day.day} {day.strftime('%B %Y')}",
            "iso": day.isoformat(),
        }[style]

    def street(self) -> str:
        return self.uk.street_address().replace("\n", ", ")


def fill(template: str, source: str, v: Values) -> dict[str, object]:
    """One sentence with fresh values, each labelled as it is written."""

    note = Note(SOURCE + source)
    first, last = v.name()
    pos = 0
    for m in _SLOT.finditer(template):
        note.add(template[pos : m.start()])
        pos = m.end()
        slot = m.group(1)
        if slot == "name":
            note.add(f"{first} {last}", "PERSON")
        elif slot == "first":
            note.add(first, "PERSON")
        elif slot == "first_lower":
            note.add(first.lower(), "PERSON")
        elif slot in ("phone", "phone2"):
            note.add(v.phone(), "PHONE")
        elif slot in ("email", "spelt_email"):
            note.add(v.email(first, last, spelt=slot == "spelt_email"), "EMAIL")
        elif slot == "handle":
            note.add(v.handle(first, last), "ONLINE_ID")
        elif slot.startswith("ni_"):
            note.add(v.ni(slot[3:]), "NI_NUMBER")
        elif slot == "card":
            note.add(v.uk.credit_card_number(), "PAYMENT_CARD")
        elif slot.startswith("dob_"):
            note.add(v.dob(slot[4:]), "DATE_OF_BIRTH")
        elif slot == "address":  # "59 High Road, East Finchley London, N2 8AW"
            note.add(f"{v.street()}, {v.uk.city()}", "ADDRESS")
            note.add(", ")
            note.add(v.postcode(), "POSTCODE")
        elif slot == "address_lines":  # "123 The Street,\nLondon,\nE2 2AA,\n"
            note.add(f"{v.street()},\n{v.uk.city()}", "ADDRESS")
            note.add(",\n")
            note.add(v.postcode(), "POSTCODE")
            note.add(",\n")
        elif slot == "postcode":
            note.add(v.postcode(forms=True), "POSTCODE")
        elif slot == "org":
            note.add(v.uk.company(), negative="organisation")
        elif slot == "town":
            note.add(v.uk.city(), negative="place")
        else:
            raise KeyError(slot)
    note.add(template[pos:])
    item = note.item()
    if "England" in note.text:
        at = note.text.index("England")
        item["negatives"].append({"start": at, "end": at + 7, "kind": "place"})  # type: ignore[attr-defined]
    return item


def build(seed: int, rounds: int) -> list[dict[str, object]]:
    """Every scrubadub sentence ``rounds`` times, with fresh values each time."""

    v = Values(seed)
    items = [fill(template, source, v) for template, source in TEMPLATES for _ in range(rounds)]
    for item in items:
        spans = item["spans"]
        verify({**item, "spans": [s for s in spans if s["type"] != "PHONE"]})  # type: ignore[attr-defined]
        text = str(item["text"])
        for s in spans:  # type: ignore[attr-defined]
            value = text[s["start"] : s["end"]]
            assert s["type"] != "NI_NUMBER" or ni_valid(value.replace(" ", "")), value
            assert s["type"] != "PHONE" or phone_ok(value), value
    return items


def main(argv: list[str] | None = None) -> int:
    args = cli_args(__doc__, argv, seed=1713, rounds=12, output=OUT)
    return write_or_check(build(args.seed, args.rounds), args.output, check=args.check, negatives="negatives")


if __name__ == "__main__":
    sys.exit(main())
