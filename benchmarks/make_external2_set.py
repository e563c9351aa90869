"""Write ``tests/safety/data/external2/notes.jsonl``: a second external set, from sources the rules never saw.

Why: the rules added for issue 17 were written after looking at the first
external set's misses (``make_external_set.py``: presidio-research's
templates), so that set no longer measures unseen text for them. This set
comes from other hands, and was built before any rule was tuned to it:

* **pii-anon's evaluation templates** — ``_TEMPLATES`` and
  ``_FILLER_SENTENCES`` of ``pii_anon/eval_framework/datasets/generator.py``
  in the ``pii-anon`` 1.3.0 package on PyPI (Apache-2.0), read from the
  installed package, not copied by hand: form-like records (HR files,
  discharge summaries, transactions, survey answers, log lines, CSV rows,
  a case file) rather than presidio's narrative sentences. Its own pools
  give the diagnoses, ethnic origins, religions, nationalities,
  organisations and the values no UK check reads (employee ids, MAC
  addresses, tokens …).
* **Faker's locales** (``faker`` on PyPI, MIT) give the names, street
  addresses, postcodes, phone numbers, emails, card numbers, IP addresses
  and number plates: ``en_GB`` for addresses, phones (Faker writes Ofcom's
  drama ranges: 0113 496 0xxx, 020 7946 0xxx) and plates, and names from
  the ``en_GB``, ``en_IE``, ``en_IN``, ``en_PK``, ``en_NG``, ``yo_NG``,
  ``tw_GH``, ``pl_PL``, ``ro_RO``, ``lt_LT`` and ``tr_TR`` locales, none of
  them picked by the project.

US-only slots get their UK counterpart, labelled as such: a social security
number becomes a National Insurance number, a medical record number an NHS
number, a ZIP code a postcode, a routing number a sort code. The template
wording ("SSN:", "MRN:", "Routing:") is kept as published. A date of birth
is written in UK forms. What is labelled: ``PERSON`` (first and last name),
``ADDRESS`` (the street lines and the town, not the postcode), ``POSTCODE``,
``PHONE``, ``EMAIL``, ``DATE_OF_BIRTH``, ``NHS_NUMBER``, ``NI_NUMBER``,
``PAYMENT_CARD`` (Luhn), ``IP_ADDRESS``, ``PASSPORT``, ``BANK_ACCOUNT``,
``SORT_CODE``, ``VEHICLE_REGISTRATION`` (current DVLA format), the IBAN
(``BANK_ACCOUNT``, as written by pii-anon: random check digits, not always
the country's length), the handle and the username (``ONLINE_ID``), and the
diagnosis, ethnic origin and religion as ``HEALTH``, ``ETHNICITY`` and
``RELIGION``. Organisations and nationalities are negatives (never a person
or a special category). Values checked against the UK formats before use
(postcode format, NHS modulus 11, HMRC prefixes, Ofcom's plan or a drama
range, Luhn). Seeded: the same seed writes the same bytes.

Usage::

    pip install --no-deps pii-anon faker     # only their data and generators are used
    python benchmarks/make_external2_set.py            # writes the file
    python benchmarks/make_external2_set.py --check    # compares, writes nothing
"""

from __future__ import annotations

import importlib.util
import random
import re
import sys
import unicodedata
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from identifier_variant_values import nhs_valid, ni_valid, phone_valid, postcode_valid
from make_external_set import Note, verify
from make_identifier_variants import cli_args, write_or_check

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "safety" / "data" / "external2" / "notes.jsonl"

NAME_LOCALES = ["en_GB", "en_GB", "en_GB", "en_IE", "en_IN", "en_PK", "en_NG", "yo_NG", "tw_GH", "pl_PL",
                "ro_RO", "lt_LT", "tr_TR"]  # fmt: skip
#: Slot → label of the value put there (slots not here are filled from pii-anon's own makers, unlabelled).
LABEL = {
    "name": "PERSON", "contact_name": "PERSON", "email": "EMAIL", "email2": "EMAIL", "phone": "PHONE",
    "phone2": "PHONE", "ssn": "NI_NUMBER", "mrn": "NHS_NUMBER", "dob": "DATE_OF_BIRTH", "cc": "PAYMENT_CARD",
    "ip": "IP_ADDRESS", "passport": "PASSPORT", "bank_account": "BANK_ACCOUNT", "routing_number": "SORT_CODE",
    "zip_code": "POSTCODE", "license_plate": "VEHICLE_REGISTRATION", "diagnosis": "HEALTH",
    "ethnic_origin": "ETHNICITY", "religious_belief": "RELIGION", "username": "ONLINE_ID",
}  # fmt: skip
#: Slots filled by pii-anon's own makers that are personal data all the same. Labelled since the rules for IBANs
#: and handles (issue 17): the first labels left them out, which hid that ``redact`` kept them.
OTHER_LABEL = {"iban": "BANK_ACCOUNT", "social_handle": "ONLINE_ID"}
NEGATIVE = {"org": "organisation", "nationality": "nationality"}
DOB_FORMATS = ["%d/%m/%Y", "%d %B %Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %b %Y"]
_SLOT = re.compile(r"(?<!\{)\{([a-z_0-9]+)\}(?!\})")
# Current DVLA format: two letters, an age identifier of a real half-year (2001–2025), three letters.
_PLATE = re.compile(r"^[A-Z]{2}(?:0[2-9]|1\d|2[0-5]|5[1-9]|6\d|7[0-5]) ?[A-Z]{3}$")


#: Ofcom's ranges for drama (national number after the 0), which Faker's en_GB phone numbers use.
DRAMA = ("7700900", "1134960", "1144960", "1154960", "1164960", "1174960", "1184960", "1214960", "1314960",
         "1414960", "1514960", "1614960", "1914980", "2079460", "2890180", "2920180", "1632960", "3069990",
         "8081570", "9098790")  # fmt: skip


def phone_ok(value: str) -> bool:
    """A valid UK number, or one in a drama range: unallocated, but a phone number in a note all the same."""

    national = re.sub(r"\D", "", value).removeprefix("44").removeprefix("0")
    return national.startswith(DRAMA) or phone_valid(value)


def pii_anon_generator() -> ModuleType:
    """pii-anon's generator module, loaded from the installed package (it needs nothing but the standard library)."""

    spec = importlib.util.find_spec("pii_anon")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("pii-anon is not installed: run `pip install --no-deps pii-anon faker` first.")
    path = Path(next(iter(spec.submodule_search_locations))) / "eval_framework" / "datasets" / "generator.py"
    module_spec = importlib.util.spec_from_file_location("pii_anon_generator", path)
    assert module_spec and module_spec.loader
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


class Values:
    """Values for one note: UK ones from Faker and the project's format checks, the rest from pii-anon."""

    def __init__(self, seed: int, gen: ModuleType) -> None:
        from faker import Faker

        self.r = random.Random(seed)
        self.gen = gen
        self.fakers = {loc: Faker(loc) for loc in sorted(set(NAME_LOCALES))}
        for i, f in enumerate(self.fakers.values()):
            f.seed_instance(seed + i)
        self.uk = self.fakers["en_GB"]
        self.dob_fmt = 0

    def name(self) -> tuple[str, str]:
        f = self.fakers[self.r.choice(NAME_LOCALES)]
        return f.first_name(), f.last_name()

    def email(self, first: str, last: str) -> str:
        ascii_name = [
            unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode().lower() for w in (first, last)
        ]
        local = self.r.choice(["{f}.{l}", "{f}{l}", "{i}.{l}", "{f}_{l}{n}", "{l}{n}"]).format(
            f=re.sub(r"[^a-z]", "", ascii_name[0]), l=re.sub(r"[^a-z]", "", ascii_name[1]),
            i=ascii_name[0][:1], n=self.r.randint(1, 99),
        )  # fmt: skip
        return f"{local}@{self.uk.free_email_domain()}"

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

    def address(self) -> tuple[str, str]:
        """(street lines and town, postcode): Faker's en_GB address, its lines joined by commas."""

        street = self.uk.street_address().replace("\n", ", ")
        return f"{street}, {self.uk.city()}", self.postcode()

    def nhs(self) -> str:
        while True:
            digits = self.r.choice("467") + "".join(self.r.choice("0123456789") for _ in range(9))
            if nhs_valid(digits):
                return self.r.choice([digits, f"{digits[:3]} {digits[3:6]} {digits[6:]}"])

    def ni(self) -> str:
        while True:
            p = self.r.choice("ABCEGHJKLMNOPRSTWXYZ") + self.r.choice("ABCEGHJKLMNPRSTWXYZ")
            n = "".join(self.r.choice("0123456789") for _ in range(6))
            plain, spaced = f"{p}{n}{self.r.choice('ABCD')}", f"{p} {n[:2]} {n[2:4]} {n[4:]} {self.r.choice('ABCD')}"
            value = self.r.choice([plain, spaced])
            if ni_valid(value):
                return value

    def dob(self) -> str:
        day = date(1940, 1, 1) + timedelta(days=self.r.randint(0, 65 * 365))
        fmt = DOB_FORMATS[self.dob_fmt % len(DOB_FORMATS)]
        self.dob_fmt += 1
        return day.strftime(fmt)

    def plate(self) -> str:
        while True:
            value = self.uk.license_plate()
            if _PLATE.match(value):
                return value

    def values(self) -> dict[str, Any]:
        """A fresh value for every slot pii-anon's templates use; names are (first, last) pairs."""

        g, r = self.gen, self.r
        name, contact = self.name(), self.name()
        address, postcode = self.address()
        return {
            "name": name, "contact_name": contact, "email": self.email(*name), "email2": self.email(*contact),
            "phone": self.phone(), "phone2": self.phone(), "ssn": self.ni(), "mrn": self.nhs(), "dob": self.dob(),
            "address": (address, postcode), "zip_code": self.postcode(), "cc": self.uk.credit_card_number(),
            "ip": self.uk.ipv4_public(), "passport": f"{r.randint(1, 9)}{r.randint(0, 99_999_999):08d}",
            "bank_account": f"{r.randint(0, 99_999_999):08d}",
            "routing_number": f"{r.randint(1, 99):02d}-{r.randint(0, 99):02d}-{r.randint(0, 99):02d}",
            "license_plate": self.plate(), "diagnosis": r.choice(g._DIAGNOSES),
            "ethnic_origin": g._fake_ethnic_origin(r), "religious_belief": g._fake_religious_belief(r),
            "org": r.choice(g._ORGS), "nationality": r.choice(g._NATIONALITIES),
            "username": name[0].lower() + str(r.randint(1, 999)),
            "filler_medium": g._generate_filler(r, 80), "filler_long": g._generate_filler(r, 200),
            "filler_long2": g._generate_filler(r, 150), "claim_id": str(r.randint(100000, 999999)),
            "case_id": f"CF-{r.randint(100000, 999999)}",
        }  # fmt: skip

    def other(self, slot: str, name: tuple[str, str]) -> str:
        """A slot no UK check reads, filled by pii-anon's own maker."""

        g, r = self.gen, self.r
        if slot in ("url_pii", "social_handle"):
            maker = "_fake_url_with_pii" if slot == "url_pii" else "_fake_social_media_handle"
            return str(getattr(g, maker)(r, " ".join(name)))
        pools = {"insurance_id": g._INSURANCE_IDS, "job_title": g._JOB_TITLES, "salary": g._SALARIES}
        if slot in pools:
            return str(r.choice(pools[slot]))
        return str(getattr(g, f"_fake_{'employee_id' if slot == 'emp_id' else slot}")(r))


def fill(template: dict[str, Any], v: Values) -> dict[str, object]:
    """One template filled slot by slot; a slot used twice in a template gets the same value both times."""

    note = Note(f"pii-anon generator.py template {template['id']}")
    values = v.values()
    text = template["template"]
    seen: dict[str, str] = {}
    pos = 0
    for m in _SLOT.finditer(text):
        note.add(text[pos : m.start()].replace("{{", "{").replace("}}", "}"))
        pos = m.end()
        slot = m.group(1)
        value = values.get(slot)
        if slot in ("name", "contact_name"):
            first, last = value
            note.add(f"{first} {last}", "PERSON")
        elif slot == "address":
            street, postcode = value
            note.add(street, "ADDRESS")
            note.add(", ")
            note.add(postcode, "POSTCODE")
        elif slot in NEGATIVE:
            note.add(str(value), negative=NEGATIVE[slot])
        elif value is not None:
            note.add(str(value), LABEL.get(slot))
        else:
            seen.setdefault(slot, v.other(slot, values["name"]))
            note.add(seen[slot], OTHER_LABEL.get(slot))
    note.add(text[pos:].replace("{{", "{").replace("}}", "}"))
    return note.item()


def build(seed: int, rounds: int) -> list[dict[str, object]]:
    """Every pii-anon template ``rounds`` times (those with special categories twice as often)."""

    gen = pii_anon_generator()
    v = Values(seed, gen)
    items = []
    for template in gen._TEMPLATES:
        special = any(s in template["template"] for s in ("{diagnosis}", "{ethnic_origin}", "{religious_belief}"))
        for _ in range(rounds * (2 if special else 1)):
            items.append(fill(template, v))
    for item in items:
        spans: list[dict[str, Any]] = item["spans"]  # type: ignore[assignment]
        verify({**item, "spans": [s for s in spans if s["type"] != "PHONE"]})  # postcodes, cards
        text = str(item["text"])
        for s in spans:
            value = text[s["start"] : s["end"]]
            assert s["type"] != "NHS_NUMBER" or nhs_valid(value.replace(" ", "")), value
            assert s["type"] != "NI_NUMBER" or ni_valid(value), value
            assert s["type"] != "PHONE" or phone_ok(value), value
    return items


def main(argv: list[str] | None = None) -> int:
    args = cli_args(__doc__, argv, seed=2026, rounds=12, output=OUT)
    return write_or_check(build(args.seed, args.rounds), args.output, check=args.check, negatives="negatives")


if __name__ == "__main__":
    sys.exit(main())
