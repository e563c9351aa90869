"""Write ``tests/safety/data/identifier_variants.jsonl``: UK identifiers as people actually type them.

Why: the generated notes and the hand-written notes write NHS numbers, NI
numbers, postcodes, phone numbers and emails in their tidy textbook form, so
on those sets every rule-based engine scores 1.000 and nothing is learnt. Case
notes and exports are not tidy: ``485.777.3456``, ``NHS#4857773456``,
``ab 12 34 56 c.``, ``(ls6 2ab)``, ``LS6  2AB``, ``+44 (0)7911 123456``,
``J.SMITH@NHS.NET.``, ``<jane+housing@gmail.com>``. Next to them sit numbers
and codes that look like identifiers and are not: order and invoice numbers
of ten digits, "Acct 12345678", road numbers (M25, A1(M), B1234), the N11
bus, COVID-19, "PO Box", "Flat 2B", a postcode district on its own, the HMRC
example NI number ``QQ123456C``, social-media handles. Case files also
name their attachments after the person (``P60_AB123456C.pdf``,
``ni_ab123456c_p60.pdf``, ``NHS_4857773457.pdf``: underscores glue the
number to the words around it), and NI numbers are typed with dashes
(``AB-12-34-56-C``). This script composes such notes from hand-written
sentence templates (formal, terse, all caps,
lower case, misspelt, pasted export rows; Welsh, South Asian, African,
Irish, Polish and English names), fills the slots with freshly made values
in rotating formats, and writes each note with its true spans. It is seeded:
the same seed writes the same bytes.

What is labelled, and why (each label follows a published format, checked
by this script's own code in ``identifier_variant_values.py``, not by the engine under test):

* ``NHS_NUMBER`` — ten digits from the England and Wales ranges whose
  modulus 11 check digit holds (NHS data dictionary), written as ten digits,
  3-3-4 with spaces, dashes or dots, after "NHS no:", "NHS#", in brackets,
  or bare in a pasted row; and (format ``file-name``) inside a document's
  file name, plain, spaced or dashed, glued to its words by underscores
  (``NHS_4857773457.pdf``, ``referral_485 777 3457.pdf``). Only the
  number's characters are labelled.
* ``NI_NUMBER`` — HMRC's format (NIM39110): first letter not D, F, I, Q, U
  or V, second not D, F, I, O, Q, U or V, not BG, GB, KN, NK, NT, TN or ZZ,
  six digits, suffix A–D; spaced in pairs, 2-6-1, lower case, full stop
  after; with dashes for spaces (formats ``dashes``, ``AB-12-34-56-C``, and
  ``dashes-2-6-1``, ``AB-123456-C``); and (format ``file-name``) glued by
  underscores into a document's file name, in upper or lower case
  (``P60_AB123456C.pdf``, ``ab123456c_payslip.pdf``,
  ``ni_ab123456c_p60.pdf``), where only the nine characters of the number
  are labelled. **Decision:** an underscore separates, as a space does: a
  shared file that keeps ``P60_AB123456C.pdf`` leaks the number. A letter or
  digit glued on without a separator makes one longer code
  (``REFAB123456C9``, ``XAB123456C``, ``AB123456C42``), which is not an NI
  number and is a negative, as are file names holding the example number,
  an unissued prefix, a suffix-less reference, a tax year or a date, and a
  ten-digit invoice or order number. **Decision:** an NI number written
  without its suffix letter is not an NI number in HMRC's format, and eight
  characters of that shape (``HB123456``) are used by many other reference
  schemes, so the set labels none: suffix-less strings appear only as
  benefit or case references, as negatives. Notes that call something an NI number but leave the suffix off
  are not in the set, because either label there could be argued.
* ``POSTCODE`` — Royal Mail's format (the outward and inward letter rules),
  upper or lower case, no space or two spaces, glued to punctuation, at the
  end of a line, and the special ``GIR 0AA``. A district on its own
  ("SW1A", "the LS6 area") is not a full postcode and is not labelled.
* ``PHONE`` — numbers valid in Ofcom's numbering plan as the
  ``phonenumbers`` library encodes it (both engines use that library), in
  the UK region proper: mobiles, geographic numbers (including Ofcom's
  drama ranges such as 0113 496 0xxx, which are valid), written 0xxx xxx
  xxxx, 07xxx xxx xxx, with brackets, dashes, +44, +44 (0) and 0044. Ofcom's drama
  *mobile* range 07700 900xxx is reserved rather than valid, so it is not
  used.
* ``EMAIL`` — addresses in any case, with plus addressing, underscores,
  subdomains (nhs.net, gov.uk, ac.uk, org.uk), followed by a full stop, in
  angle brackets, after ``mailto:``. **Decision:** the spelt-out form
  ("jane.doe at gmail dot com", "a.khan(at)nhs.net") *is* labelled
  ``EMAIL``: it is the person's address written for a human to read, and a
  shared file that keeps it leaks exactly as much. A handle such as
  ``@jsmith88`` is not an email and is a negative. Both engines are scored
  on the same labels.
* ``PERSON`` and ``ADDRESS`` are labelled where a template puts a name or a
  house number and street, so that finding them is not counted as a false
  positive. This set is not meant to measure them. A handle such as
  ``@priya_p`` is personal data of no type scored here; a name found inside
  one counts as a PERSON false positive, for both engines alike.

The file-name and dash notes come after the rest and draw their values from
a seeded stream of their own (see ``build``), so adding them left every
earlier note byte for byte as it was.

Each line is ``{"text", "style", "spans": [{"start", "end", "type",
"format"}], "negatives": [{"start", "end", "kind"}]}``: ``format`` names the
written variant of a true span, and ``negatives`` marks the hard negatives,
which must not be reported as any of the five identifier types. Three kinds
have an identifier's shape and are told apart only by their words: a
ten-digit order or invoice number, in a sentence or in a file name
(``invoice_2023915031.pdf``), is random, so about one in eleven happens to
pass the NHS check, and it is still not an NHS number, because the note or
the file name says what it is; "off the A6 2nd exit" holds the postcode
shape ``A6 2ND`` and is a road and an ordinal.

Usage::

    python benchmarks/make_identifier_variants.py            # writes the file
    python benchmarks/make_identifier_variants.py --check    # compares with the file, writes nothing
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from identifier_variant_values import Values, nhs_valid, ni_valid, phone_valid, postcode_valid

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "safety" / "data" / "identifier_variants.jsonl"

# --------------------------------------------------------------------------
# Templates
#
# {NHS} {NI} {PC} {GIR} {PHONE} {EMAIL} {SPOKEN}: true identifiers. {FULL} {FIRST}
# {SUR}: one person's names, labelled PERSON ({SUR} follows a title). {ADDR}:
# house number and street, labelled ADDRESS. {REF10} {ACCT} {SORT} {NIBAD}
# {NOSUFFIX} {HANDLE}: made negatives. [[text|kind]]: a fixed negative.
# Style "caps" upper-cases and "lower" lower-cases the whole finished note.
# --------------------------------------------------------------------------

TEMPLATES: list[tuple[str, str]] = [
    # NHS numbers
    ("formal", "Referral received from the GP for {FULL}, NHS no: {NHS}. Assessment booked for next week."),
    ("terse", "NHS#{NHS} confirmed w/ surgery"),
    ("terse", "pt {FULL} (NHS {NHS}) dc'd from [[ward 4B|ward]] today"),
    ("formal", "Mrs {SUR}'s NHS number is {NHS}, taken from her discharge letter."),
    ("caps", "NHS NO. {NHS} - GP LETTER SCANNED TO FILE"),
    ("lower", "nhs no {NHS} checked on the spine, matches"),
    ("misspelt", "Got the NHS numbr off the hosptial: {NHS}. OT assesment nxt wk"),
    ("export", "nhs_no={NHS}; status=open; worker=JT"),
    ("formal", "{FIRST}'s NHS No. is {NHS} (from the repeat prescription)."),
    ("terse", "NHS: {NHS} / GP Dr {SUR}"),
    ("formal", "Carer asked us to put the NHS number ({NHS}) on the care plan."),
    ("terse", "DN visit booked. NHS {NHS}"),
    ("misspelt", "nhs nuber {NHS} - need to chek with GP"),
    ("formal", "Safeguarding referral for {FULL}, NHS {NHS}, who lives in the [[LS6|district]] area."),
    ("export", "{FULL}, {NHS}, {PC}"),
    ("formal", "Case ref {REF10} opened; the NHS number on the referral is {NHS}."),
    ("terse", "Invoice {REF10} paid. NHS no {NHS} added to the record."),
    # NI numbers
    ("formal", "NI number {NI} provided for the Universal Credit claim."),
    ("terse", "NINO {NI} - checked"),
    ("lower", "ni no {NI} given over the phone"),
    ("caps", "NI NO: {NI}. UC JOURNAL UPDATED"),
    ("misspelt", "national insurence no is {NI}."),
    ("formal", "{FULL} gave her National Insurance number as {NI}; copied to the PIP form."),
    ("terse", "NI: {NI}, DOB on file"),
    ("export", "NINO,{NI},{PC}"),
    ("formal", "Mr {SUR} (NI {NI}) asked for help with his Pension Credit."),
    ("terse", "nat ins {NI} / tel {PHONE}"),
    ("lower", "{FULL} - nino {NI}. pip form sent"),
    ("formal", "HB claim ref {NOSUFFIX}; her NI number is {NI}."),
    ("formal", "Her NI number is {NI}."),
    ("caps", "{FULL} NI {NI} - PIP REVIEW DUE"),
    ("misspelt", "Nat Insurence numbr {NI} - DWP want proof of ID"),
    ("export", "ni_number: {NI}"),
    ("terse", "NINo. {NI}"),
    # Postcodes
    ("formal", "{FULL} has moved to {ADDR}, {PC}."),
    ("terse", "new addr pc {PC}"),
    ("lower", "parcel left at the door, postcode {PC}, no answer"),
    ("caps", "HOME VISIT AT {PC} - NO ANSWER"),
    ("formal", "Food bank delivery to ({PC}) confirmed for Friday."),
    ("terse", "moved out of {PC}, fwd addr tbc"),
    ("misspelt", "postocde {PC} wrong on sytem, updated"),
    ("formal", "Address on file:\n{ADDR}\n{PC}"),
    ("formal", "She lives just off the [[M25|road]] near {PC}, about twenty minutes from the hub."),
    ("terse", "took the [[N11|bus]] bus from {PC} to the clinic"),
    ("formal", "Post returned from {PC}. Asked her to use [[PO Box 4021|po-box]] instead."),
    ("export", "Postcode: {PC}"),
    ("formal", "Rehoused from [[Flat 2B|flat]] to {ADDR}, {PC}, last month."),
    ("lower", "visit booked for tues am at\n{PC}"),
    ("terse", "pc {PC}. came via the [[A1(M)|road]], roadworks"),
    ("formal", "Letter for {FULL} sent to {PC}, then resent after [[COVID-19|covid]] isolation ended."),
    ("caps", "POSTCODE {PC}. KEY SAFE BY BACK DOOR"),
    ("misspelt", "livs at {PC} with her nan, [[B1234|road]] road side"),
    ("formal", "The cheque went to the old Girobank address, {GIR}, by mistake."),
    ("terse", "returned mail - envelope says {GIR}"),
    # Phone numbers
    ("formal", "Please call {FIRST} on {PHONE} after 3pm."),
    ("terse", "tel {PHONE}"),
    ("terse", "mob: {PHONE} / home {PHONE}"),
    ("caps", "CALLED {PHONE} NO ANSWER, LEFT VM"),
    ("lower", "rang {PHONE} twice, no reply"),
    ("misspelt", "her new mobil number is {PHONE} - pls update"),
    ("formal", "Her daughter ({FULL}) can be contacted on {PHONE}."),
    ("export", "Contact: {PHONE} | Email: {EMAIL}"),
    ("terse", "{PHONE} (mum's no.)"),
    ("formal", "The landline {PHONE} is disconnected; use the mobile, {PHONE}."),
    ("terse", "txt sent to {PHONE}."),
    ("formal", "Acct {ACCT}, sort code {SORT} for the DHP payment; client on {PHONE}."),
    ("lower", "order {REF10} arrived. {FIRST} says ring {PHONE} if any problems"),
    # Emails
    ("formal", "Email received from {EMAIL} about the council tax reduction."),
    ("terse", "email: {EMAIL}"),
    ("caps", "EMAIL {EMAIL} ADDED TO FILE"),
    ("lower", "sent the form to {EMAIL} this morning"),
    ("formal", "Her support worker's address is <{EMAIL}>."),
    ("formal", "Please reply to {EMAIL}."),
    ("misspelt", "emial adress {EMAIL} - confrimed"),
    ("terse", "mailto:{EMAIL}"),
    ("formal", "{FULL} asked us to copy {EMAIL} into replies."),
    ("terse", "e: {EMAIL}; t: {PHONE}"),
    ("formal", "Referral came from the practice ({EMAIL})."),
    ("formal", "She spelt out her email as {SPOKEN}."),
    ("lower", "email is {SPOKEN} (said over the phone)"),
    ("terse", "{FIRST} - email {SPOKEN}, no mobile"),
    ("formal", "{FIRST} uses {HANDLE} on Instagram but prefers email: {EMAIL}."),
    ("terse", "not on email. son messages her via {HANDLE}"),
    # Hard negatives only
    ("formal", "Order no. {REF10} for the bed has been delivered."),
    ("terse", "Invoice {REF10} paid by the hardship fund"),
    ("terse", "Case ref {REF10} closed"),
    ("formal", "Council tax account {REF10} is in arrears."),
    ("terse", "Acct {ACCT} sort {SORT} - DHP paid"),
    ("formal", "Travelled via the [[A1(M)|road]] and the [[M25|road]], arrived late."),
    ("formal", "Road closure on the [[B1234|road]] delayed the visit."),
    ("formal", "[[COVID-19|covid]] booster booked for Tuesday."),
    ("terse", "post to [[PO Box 4021|po-box]], not the flat"),
    ("formal", "Moved into [[Flat 2B|flat]] last month; settling in well."),
    ("formal", "Lives in [[SW1A|district]], near the station."),
    ("terse", "[[N11|bus]] stop right outside"),
    ("formal", "NI number not known - [[QQ123456C|ni-example]] entered as a placeholder."),
    ("formal", "Form shows NI {NIBAD}, which HMRC says is not a valid number; asked her to check her P60."),
    ("terse", "HB ref {NOSUFFIX} - claim closed"),
    ("terse", "NI given as {NIBAD} - doesn't validate, query with client"),
    ("formal", "Directions: off the [[A6 2nd|road-and-ordinal]] exit at the roundabout, blue door on the right."),
    ("formal", "Follow the food bank on Instagram at {HANDLE} for opening times."),
    ("terse", "drop-in [[@|at-sign]] 10:30 at the library"),
    ("terse", "bought 2 [[@|at-sign]] £4.50 for the pantry"),
    ("terse", "Tracking no {REF10} - parcel lost"),
    ("formal", "Pharmacy order {REF10} is ready to collect."),
    ("caps", "CASE REF {REF10} - NO FURTHER ACTION"),
    ("lower", "acct {ACCT} closed, new one to follow"),
    ("formal", "Take the [[M62|road]] to [[J27|junction]], then the [[A650|road]]; [[Ward 7A|ward]] is on the left."),
    ("terse", "[[Flat 2B|flat]] / [[Block C|block]] / [[Level 3|level]] - lift broken"),
    ("formal", "Template letter still shows the example NI number [[QQ 12 34 56 C|ni-example]]."),
    ("terse", "old payroll temp no [[TN 23 04 81 F|ni-temporary]] on file"),
    ("lower", "he follows {HANDLE} for job posts"),
]

# Written after the templates above and drawn from a stream of their own (see build()), so
# that adding them left every earlier note as it was. {NIFILE} {NHSFILE}: a document's file
# name with the number glued in (only the number is labelled). {NIDASH}: an NI number with
# dashes. {FILEBAD}: a file name holding a code of that shape that is neither number.
FILE_TEMPLATES: list[tuple[str, str]] = [
    ("formal", "Uploaded {NIFILE} to the claim."),
    ("terse", "scan saved as {NIFILE}"),
    ("export", "attachment={NIFILE}; status=received"),
    ("lower", "p60 uploaded - {NIFILE}"),
    ("caps", "DOCS RECEIVED: {NIFILE}"),
    ("formal", "{FULL} sent two payslips ({NIFILE} and {NIFILE}) for the HB claim."),
    ("misspelt", "atachment {NIFILE} recieved from DWP, pls check"),
    ("formal", "NI {NIDASH} on file."),
    ("terse", "nino {NIDASH} - checked w/ HMRC"),
    ("caps", "NI NO {NIDASH} CONFIRMED"),
    ("lower", "{FULL} - ni number {NIDASH}, pip form sent"),
    ("misspelt", "national insurence {NIDASH} - from her P60"),
    ("formal", "GP letter saved as {NHSFILE}."),
    ("terse", "referral attached: {NHSFILE}"),
    ("export", "file={NHSFILE}; from=GP"),
    # Hard negatives only
    ("formal", "Uploaded {FILEBAD} to the claim."),
    ("terse", "scan saved as {FILEBAD}"),
    ("export", "attachment={FILEBAD}; status=received"),
    ("lower", "docs in: {FILEBAD} and {FILEBAD}"),
    ("caps", "ATTACHMENT {FILEBAD} - NOT READABLE"),
    ("terse", "evidence uploaded: {FILEBAD}"),
    ("misspelt", "atachment {FILEBAD} recieved, cant open it"),
    ("formal", "Form shows NI {NIBADDASH}, which does not validate; asked for the P60."),
]

_SLOT = re.compile(r"\{([A-Z0-9]+)\}|\[\[([^|\]]+)\|([a-z\-]+)\]\]")


def compose(template: str, style: str, v: Values) -> dict[str, object]:
    first, last = v.person.next().split("|")
    pieces: list[str] = []
    spans: list[dict[str, object]] = []
    negatives: list[dict[str, object]] = []
    pos = 0

    def put(text: str, pii: str | None = None, fmt: str | None = None, neg: str | None = None) -> None:
        start = sum(len(p) for p in pieces)
        pieces.append(text)
        end = start + len(text)
        if pii:
            spans.append({"start": start, "end": end, "type": pii, "format": fmt})
        if neg:
            negatives.append({"start": start, "end": end, "kind": neg})

    makers: dict[str, Callable[[], None]] = {
        "NHS": lambda: _put_id(put, "NHS_NUMBER", v.nhs()),
        "NI": lambda: _put_id(put, "NI_NUMBER", v.ni()),
        "PC": lambda: _put_id(put, "POSTCODE", v.postcode()),
        "PHONE": lambda: _put_id(put, "PHONE", v.phone()),
        "EMAIL": lambda: _put_id(put, "EMAIL", v.email(first, last)),
        "SPOKEN": lambda: _put_id(put, "EMAIL", v.spoken_email(first, last)),
        "GIR": lambda: put(v.r.choice(["GIR 0AA", "GIR0AA"]), "POSTCODE", "GIR"),
        "FULL": lambda: put(f"{first} {last}", "PERSON", "full"),
        "FIRST": lambda: put(first, "PERSON", "first"),
        "SUR": lambda: put(last, "PERSON", "surname"),
        "ADDR": lambda: put(
            f"{v.r.randint(2, 120)} {v.r.choice(['Harehills Lane', 'Mandela Way', 'Nelson Road', 'Clifton Street'])}",
            "ADDRESS",
            "number-street",
        ),
        "REF10": lambda: put(v.ref10(), neg="ten-digit-reference"),
        "ACCT": lambda: put(v.acct(), neg="account"),
        "SORT": lambda: put(v.sort_code(), neg="sort-code"),
        "NIBAD": lambda: put(v.ni_lookalike(), neg="ni-invalid"),
        "NOSUFFIX": lambda: put(v.suffixless_ref(), neg="ni-no-suffix"),
        "NIDASH": lambda: _put_id(put, "NI_NUMBER", v.ni_dashed()),
        "NIFILE": lambda: _put_glued(put, "NI_NUMBER", v.ni_file_name()),
        "NHSFILE": lambda: _put_glued(put, "NHS_NUMBER", v.nhs_file_name()),
        "FILEBAD": lambda: _put_negative(put, v.file_lookalike()),
        "NIBADDASH": lambda: put(_dashed(v.ni_lookalike()), neg="ni-invalid"),
        "HANDLE": lambda: put(v.handle(first, last), neg="handle"),
    }
    for m in _SLOT.finditer(template):
        put(template[pos : m.start()])
        if m.group(1):
            makers[m.group(1)]()
        else:
            put(m.group(2), neg=m.group(3))
        pos = m.end()
    put(template[pos:])
    text = "".join(pieces)
    if style in ("caps", "lower"):
        changed = text.upper() if style == "caps" else text.lower()
        assert len(changed) == len(text), text
        text = changed
    return {"text": text, "style": style, "spans": spans, "negatives": negatives}


def _put_id(put: Callable[..., None], pii: str, made: tuple[str, str]) -> None:
    text, fmt = made
    put(text, pii, fmt)


def _put_glued(put: Callable[..., None], pii: str, made: tuple[str, str, str]) -> None:
    before, number, after = made
    put(before)
    put(number, pii, "file-name")
    put(after)


def _put_negative(put: Callable[..., None], made: tuple[str, str]) -> None:
    text, kind = made
    put(text, neg=kind)


def _dashed(ni_like: str) -> str:
    """``QQ123456C`` or ``QQ 12 34 56 C`` as ``QQ-12-34-56-C``."""

    c = ni_like.replace(" ", "")
    return f"{c[:2]}-{c[2:4]}-{c[4:6]}-{c[6:8]}-{c[8:]}"


def verify(item: dict[str, object]) -> None:
    """Every label checked against the published format, every made negative against it too."""

    text = str(item["text"])
    for s in item["spans"]:  # type: ignore[attr-defined]
        value = text[s["start"] : s["end"]]
        kind = s["type"]
        ok = {
            "NHS_NUMBER": nhs_valid,
            "NI_NUMBER": ni_valid,
            "POSTCODE": postcode_valid,
            "PHONE": phone_valid,
        }.get(kind, lambda _v: True)(value)
        assert ok, (kind, value)
        assert value == value.strip(), value
    for n in item["negatives"]:  # type: ignore[attr-defined]
        value = text[n["start"] : n["end"]]
        # A reference of ten digits not starting with 0 parses as a mobile without its
        # trunk 0; nobody writes a phone number that way, so only 0 or + counts here.
        dialled = value.startswith(("0", "+")) and phone_valid(value)
        assert not ni_valid(value) and not dialled, value
        # Two kinds have the identifier's shape and are told apart only by the words around them.
        if n["kind"] not in ("ten-digit-reference", "file-ten-digit-reference"):
            assert not nhs_valid(value), value
        if n["kind"] != "road-and-ordinal":
            assert not postcode_valid(value), value


def build(seed: int, rounds: int) -> list[dict[str, object]]:
    """Every template ``rounds`` times; the file-name and dash notes last, from a stream of their own.

    Why two streams: the file-name and dash notes were added after the set had
    been measured, and a shared stream would have changed every value after the
    first new draw. With their own stream (seeded from the same seed) the
    earlier notes stay byte for byte as they were, and figures before and
    after the addition can be compared on them.
    """

    items = []
    for templates, v in ((TEMPLATES, Values(seed)), (FILE_TEMPLATES, Values(f"{seed}/file-names"))):
        for _ in range(rounds):
            for style, template in templates:
                item = compose(template, style, v)
                verify(item)
                items.append(item)
    return items


def dumps(items: list[dict[str, object]]) -> str:
    return "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items)


def cli_args(doc: str, argv: list[str] | None, *, seed: int, rounds: int, output: Path) -> argparse.Namespace:
    """The options every set-making script takes: seed, notes per template, output file, --check."""

    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=seed)
    parser.add_argument("--rounds", type=int, default=rounds, help="notes per template")
    parser.add_argument("--output", type=Path, default=output)
    parser.add_argument("--check", action="store_true", help="compare with the file instead of writing it")
    return parser.parse_args(argv)


def write_or_check(
    items: list[dict[str, object]], output: Path, *, check: bool, negatives: str = "hard negatives"
) -> int:
    """Print what the set holds, then write it, or (``check``) say whether the file is what would be written."""

    text = dumps(items)
    counts = Counter(s["type"] for i in items for s in i["spans"])  # type: ignore[attr-defined]
    negs = Counter(n["kind"] for i in items for n in i["negatives"])  # type: ignore[attr-defined]
    print(f"{len(items)} notes; true spans: {dict(sorted(counts.items()))}")
    print(f"{negatives}: {sum(negs.values())} {dict(sorted(negs.items()))}")
    if check:
        same = output.exists() and output.read_text(encoding="utf-8") == text
        print("file is up to date" if same else "file differs from what this script writes")
        return 0 if same else 1
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = cli_args(__doc__, argv, seed=11, rounds=4, output=OUT)
    return write_or_check(build(args.seed, args.rounds), args.output, check=args.check)


if __name__ == "__main__":
    sys.exit(main())
