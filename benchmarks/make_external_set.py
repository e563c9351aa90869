"""Write ``tests/safety/data/external/notes.jsonl``: sentences the project did not write, filled with UK values.

Why: every other free-text set was written by the same hands as the rules
(the generator, the hand-written notes, the identifier variants), so a rule
can fit their habits without anyone noticing. This set takes its sentences
from outside:

* **Presidio's evaluation templates** — ``templates.txt`` of Microsoft's
  presidio-research project (the ``presidio-evaluator`` package on PyPI,
  MIT licence, © Microsoft Corporation), read from the installed package,
  not copied by hand: customer-service requests, signatures, address
  blocks, music reviews, news headlines, clinical one-liners. Templates that
  need US-only values (social security, driving licence, ZIP and state
  codes) are left out. IBANs were filled but not scored until the engine
  found IBANs; they are labelled ``BANK_ACCOUNT`` since.
* **The published wording of UK equality-monitoring questions** — the ONS
  Census 2021 questions on ethnic group, religion, sexual orientation and
  health, and the NHS sexual orientation monitoring question (Crown
  copyright, Open Government Licence v3.0), each followed by an answer.

Slots are filled with UK values of every community: names from English,
Welsh, Scottish, Irish, South Asian, Somali, West African, Caribbean,
Polish, Chinese, Vietnamese, Arabic and Turkish families (some on no list
the engine ships); addresses with varied street types (Approach, Parade,
Row, Walk, Wynd) and Welsh ones (Heol, Ffordd, Stryd), some in lower case;
phone numbers in every written form, a third of them in Ofcom's reserved
drama ranges (07700 900xxx, 01632 960xxx: unallocated, but a phone number
in a note all the same); dates of birth in several formats ("July 17,
1959", "17/07/1959", "17th July 1959"); emails with accented letters before
the @; UK towns, countries, retailers, charities and NHS trusts where the
templates put a city, country or organisation (negatives: never a person).

What is labelled: ``PERSON`` (the name, not its title), ``ADDRESS`` (house
number to street type, with a flat number before it and the town after it
when the template has them), ``POSTCODE``, ``PHONE``, ``EMAIL``,
``DATE_OF_BIRTH`` (only where the sentence says birth, born or birthday),
``PAYMENT_CARD`` (Luhn-valid), ``IP_ADDRESS``, ``BANK_ACCOUNT`` (the IBAN, as
the template puts it after the word "IBAN"), and the special categories
``ETHNICITY``, ``RELIGION``, ``SEXUAL_ORIENTATION`` and ``HEALTH`` (the
answer, or the condition in a clinical template). A street named without a
house number is not labelled; towns, countries, organisations and
nationalities are negatives. It is seeded: the same seed writes the same
bytes. ``--check`` compares with the file and writes nothing.

Usage::

    python benchmarks/make_external_set.py            # needs presidio-evaluator installed
    python benchmarks/make_external_set.py --check
"""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from external_values import Values
from make_identifier_variants import cli_args, phone_valid, postcode_valid, write_or_check

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "safety" / "data" / "external" / "notes.jsonl"

#: Placeholders of templates left out: their values exist only in the United States.
US_ONLY = {"ssn", "us_driver_license", "zipcode", "state_abbr"}
#: Placeholder → label; a placeholder not here is filled but not labelled.
LABEL = {
    "person": "PERSON",
    "name": "PERSON",
    "name_male": "PERSON",
    "name_female": "PERSON",
    "first_name": "PERSON",
    "first_name_male": "PERSON",
    "first_name_female": "PERSON",
    "first_name_nonbinary": "PERSON",
    "last_name": "PERSON",
    "last_name_male": "PERSON",
    "last_name_female": "PERSON",
    "email": "EMAIL",
    "phone_number": "PHONE",
    "postcode": "POSTCODE",
    "credit_card_number": "PAYMENT_CARD",
    "ip_address": "IP_ADDRESS",
    # An IBAN holds the sort code and account number: labelled since the engine finds IBANs (issue 17).
    "iban": "BANK_ACCOUNT",
}
#: Placeholder → negative kind: whatever an engine reports there as personal data is a false finding.
NEGATIVE = {"city": "place", "country": "country", "organization": "organisation", "nationality": "nationality"}
#: Conditions the clinical templates of presidio-research name; labelled HEALTH, and varied in copies.
CLINICAL = {"a history of headaches": "headaches", "complaining of stomach pain": "stomach pain"}

#: ONS Census 2021 and NHS question wording (Crown copyright, Open Government Licence v3.0).
QUESTIONS = [
    ("ETHNICITY", "What is your ethnic group? {}"),
    ("RELIGION", "What is your religion? {}"),
    ("SEXUAL_ORIENTATION", "Which of the following best describes your sexual orientation? {}"),
    ("SEXUAL_ORIENTATION", "Which of the following options best describes how you think of yourself? {}"),
    ("HEALTH", "Do you have any physical or mental health conditions or illnesses lasting or expected to "
     "last 12 months or more? Yes, {}"),
]  # fmt: skip

_SLOT = re.compile(r"\{\{([a-z_]+)\}\}")


def presidio_templates() -> list[str]:
    """The templates as the installed ``presidio-evaluator`` ships them (one per line, ``\\n`` for a line break)."""

    # Found without importing the package: its __init__ pulls in dependencies this script does not need.
    spec = importlib.util.find_spec("presidio_evaluator")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("presidio-evaluator is not installed: run `pip install --no-deps presidio-evaluator` first.")
    root = Path(next(iter(spec.submodule_search_locations)))
    text = (root / "data_generator" / "raw_data" / "templates.txt").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        slots = set(_SLOT.findall(line))
        if line.strip() and not slots & US_ONLY:
            out.append(line.replace("\\n", "\n").replace("\\,", ","))
    return out


class Note:
    """A note being written piece by piece, with its spans and negatives."""

    def __init__(self, source: str) -> None:
        self.text = ""
        self.spans: list[dict[str, object]] = []
        self.negatives: list[dict[str, object]] = []
        self.source = source

    def add(self, piece: str, label: str | None = None, negative: str | None = None) -> None:
        start = len(self.text)
        self.text += piece
        if label and piece:
            self.spans.append({"start": start, "end": len(self.text), "type": label})
        if negative and piece:
            self.negatives.append({"start": start, "end": len(self.text), "kind": negative})

    def add_parts(self, parts: list[tuple[str, str | None]]) -> None:
        for piece, label in parts:
            self.add(piece, label)

    def item(self) -> dict[str, object]:
        return {"text": self.text, "spans": self.spans, "negatives": self.negatives, "source": self.source}


def _after(template: str, end: int) -> str:
    return template[end : end + 8].lower()


def fill(template: str, line_no: int, v: Values) -> dict[str, object]:
    """One template filled: each slot gets a fresh value in a rotating written form."""

    note = Note(f"presidio-research templates.txt line {line_no}")
    births = bool(re.search(r"born|birth", _SLOT.sub("", template), re.IGNORECASE))
    pos = 0
    for m in _SLOT.finditer(template):
        _add_fixed(note, template[pos : m.start()], v)
        slot = m.group(1)
        pos = m.end()
        if slot == "address":
            note.add_parts(v.address(with_postcode=True))
        elif slot == "street_name":
            # "{{street_name}} street" and "... St." need the name alone; after a house number, the whole street.
            bare = _after(template, m.end()).startswith((" street", " st"))
            numbered = template[max(0, m.start() - 20) : m.start()].endswith("{{building_number}} ")
            note.add(v.street(bare=bare), "ADDRESS" if numbered else None)
            if numbered:
                _join_address(note)
        elif slot == "building_number":
            note.add(v.house_number(), "ADDRESS")
        elif slot == "date_of_birth":
            note.add(v.date_of_birth(), "DATE_OF_BIRTH" if births else None)
        elif slot in NEGATIVE:
            note.add(v.negative(slot), negative=NEGATIVE[slot])
        else:
            note.add(v.slot(slot), LABEL.get(slot))
    _add_fixed(note, template[pos:], v)
    return note.item()


def _join_address(note: Note) -> None:
    """A house number, the space and the street that follows it make one ADDRESS span."""

    if len(note.spans) >= 2 and note.spans[-2]["type"] == "ADDRESS":
        street = note.spans.pop()
        note.spans[-1]["end"] = street["end"]


def _add_fixed(note: Note, text: str, v: Values) -> None:
    """Template text between slots; a condition the template names is labelled HEALTH (and varied)."""

    for phrase, condition in CLINICAL.items():
        at = text.find(phrase)
        if at >= 0:
            lead = phrase[: len(phrase) - len(condition)]
            note.add(text[:at] + lead)
            note.add(v.condition(default=condition), "HEALTH")
            note.add(text[at + len(phrase) :])
            return
    note.add(text)


def answer_note(label: str, question: str, v: Values) -> dict[str, object]:
    note = Note("ONS Census 2021 / NHS monitoring question wording")
    before, after = question.split("{}")
    note.add(before)
    note.add(v.answer(label), label)
    note.add(after)
    return note.item()


def verify(item: dict[str, object]) -> None:
    """Labels checked against the published formats, not against the engine."""

    text = str(item["text"])
    for s in item["spans"]:  # type: ignore[attr-defined]
        value = text[s["start"] : s["end"]]
        assert value == value.strip() and value, (s, text)
        if s["type"] == "POSTCODE":
            assert postcode_valid(value), value
        if s["type"] == "PAYMENT_CARD":
            digits = [int(c) for c in value if c.isdigit()][::-1]
            assert sum(d if i % 2 == 0 else (d * 2 - 9 if d > 4 else d * 2) for i, d in enumerate(digits)) % 10 == 0
        drama = re.sub(r"[^\d]", "", value).removeprefix("44").removeprefix("0").startswith(("7700900", "1632960"))
        if s["type"] == "PHONE" and not drama:
            assert phone_valid(value), value


def build(seed: int, rounds: int) -> list[dict[str, object]]:
    """Every presidio template ``rounds`` times, clinical ones four times more, and the monitoring questions."""

    v = Values(random.Random(seed))
    items = []
    for line_no, template in enumerate(presidio_templates(), start=1):
        # Rarer slots get more copies, so that each type has enough spans to give a steady figure.
        extra = 4 if any(p in template for p in CLINICAL) else 0
        extra += 12 if "{{date_of_birth}}" in template else 0
        extra += 3 if "{{email}}" in template or "{{phone_number}}" in template else 0
        for _ in range(rounds + extra):
            items.append(fill(template, line_no, v))
    for label, question in QUESTIONS:
        for _ in range(rounds * 8):
            items.append(answer_note(label, question, v))
    for item in items:
        verify(item)
    return items


def main(argv: list[str] | None = None) -> int:
    args = cli_args(__doc__, argv, seed=17, rounds=3, output=OUT)
    return write_or_check(build(args.seed, args.rounds), args.output, check=args.check, negatives="negatives")


if __name__ == "__main__":
    sys.exit(main())
