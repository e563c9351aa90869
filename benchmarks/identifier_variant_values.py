"""The values the identifier-variants script writes into its notes, and the checks that label them.

Why a module of its own: the generator script had grown past the house limit
of 600 lines, and these parts change for a different reason from the sentence
templates and the labelling loop. Here live the published formats (NHS modulus
11, NI prefixes, postcode shape, UK phone numbers), checked by this code and
not by the engine under test; the people's names; and ``Values``, which makes
fresh identifiers in rotating written forms from one seeded generator, so the
same seed still writes the same bytes.
"""

from __future__ import annotations

import random
import re
import unicodedata

import phonenumbers

# --------------------------------------------------------------------------
# The published formats, written out here so that the labels do not depend
# on the engine being measured.
# --------------------------------------------------------------------------


def nhs_valid(text: str) -> bool:
    digits = re.sub(r"[\s\-.]", "", text)
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(c) * w for c, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


_NI_BANNED = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
_NI_RE = re.compile(r"^[ABCEGHJKLMNOPRSTWXYZ][ABCEGHJKLMNPRSTWXYZ]\d{6}[A-D]$")


def ni_valid(text: str) -> bool:
    compact = re.sub(r"[\s.\-]", "", text).upper()
    return bool(_NI_RE.match(compact)) and compact[:2] not in _NI_BANNED


_PC_RE = re.compile(
    r"^(?:[A-PR-UWYZ](?:\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRVWXY])"
    r"\d[ABD-HJLNP-UW-Z]{2}|GIR0AA)$"
)


def postcode_valid(text: str) -> bool:
    return bool(_PC_RE.match("".join(text.split()).upper()))


def phone_valid(text: str) -> bool:
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number) and phonenumbers.region_code_for_number(number) == "GB"


# --------------------------------------------------------------------------
# Names (labelled PERSON where they appear)
# --------------------------------------------------------------------------

PEOPLE = [
    ("Dafydd", "ap Rhys"),
    ("Gwenllian", "Pritchard"),
    ("Siân", "Llewellyn"),
    ("Rhys", "Evans"),
    ("Bethan", "Morgan"),
    ("Iolo", "Griffiths"),
    ("Cerys", "Jenkins"),
    ("Owain", "Prosser"),
    ("Priya", "Patel"),
    ("Mohammed", "Iqbal"),
    ("Nasreen", "Akhtar"),
    ("Gurpreet", "Kaur"),
    ("Harjit", "Singh"),
    ("Rukhsana", "Bibi"),
    ("Imran", "Hussain"),
    ("Farzana", "Begum"),
    ("Sunil", "Mistry"),
    ("Anjali", "Sharma"),
    ("Tahir", "Mahmood"),
    ("Shabana", "Khatun"),
    ("Abdul", "Haque"),
    ("Kwame", "Mensah"),
    ("Chinedu", "Okafor"),
    ("Abdirahman", "Warsame"),
    ("Agnieszka", "Nowak"),
    ("Siobhán", "O'Neill"),
    ("Delroy", "Campbell"),
    ("Margaret", "Holt"),
    ("John", "Smith"),
    ("Kerry", "Walsh"),
]

# --------------------------------------------------------------------------
# Value makers
# --------------------------------------------------------------------------


class Cycle:
    """Hands out the items in a shuffled order, every item once per round, so each format is used evenly."""

    def __init__(self, r: random.Random, items: list[str]) -> None:
        self.r, self.items, self.pool = r, items, list[str]()

    def next(self) -> str:
        if not self.pool:
            self.pool = list(self.items)
            self.r.shuffle(self.pool)
        return self.pool.pop()


def ascii_fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


OUTWARD = [
    "LS6", "LS8", "LS11", "B11", "B8", "B21", "M14", "M8", "CF10", "CF24", "SA1", "LL57", "NP20", "SW1A",
    "EC1A", "W1A", "E1", "E14", "N17", "SE15", "NW10", "BS5", "BD3", "BD8", "L8", "G12", "G51", "EH6", "BT9",
    "BT12", "NE4", "S2", "DE23", "LE5", "NG7", "CV6", "WV2", "HU5", "PR1", "BB1", "OL9", "ST4", "LU1", "SL1",
    "HA0", "UB1", "IG1", "CR0", "TW3", "OX4", "CB1", "NR3", "YO1", "HD1", "WF1", "TS1", "CH1", "SY23", "GL1",
    "EX1", "PL1", "SO14", "PO1", "BN1", "ME1", "SS1", "MK1", "NN1", "SK1", "W2", "N1C", "E1W", "SE1P",
]  # fmt: skip
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

DOMAINS = [
    "gmail.com", "hotmail.co.uk", "yahoo.co.uk", "outlook.com", "btinternet.com", "icloud.com", "live.co.uk",
    "sky.com", "nhs.net", "leeds.gov.uk", "cardiff.gov.uk", "birmingham.gov.uk", "wales.nhs.uk",
    "student.manchester.ac.uk", "leeds.ac.uk", "cardiffmet.ac.uk", "ageuk.org.uk", "citizensadvice.org.uk",
    "mail.bradford.gov.uk", "virginmedia.com",
]  # fmt: skip

DRAMA_GEO = ["0113496", "0114496", "0115496", "0116496", "0117496", "0118496", "0121496", "0131496"]
DRAMA_GEO += ["0141496", "0151496", "0161496", "0191498"]
AREAS_4 = ["0113", "0114", "0121", "0161", "0117", "0151", "0191", "0131", "0141", "0116"]
AREAS_5 = ["01248", "01970", "01274", "01484", "01902", "01782", "01267", "01792"]

# Attachments named after the person's number, as uploaded to a claim or case file ({} is the number).
NI_FILE_NAMES = [
    "P60_{}.pdf", "{}_payslip.pdf", "ni_{}_p60.pdf", "UC_evidence_{}_2024.pdf", "{}_P45.jpg", "scan_{}.png",
    "DWP_letter_{}.docx", "PIP2_{}_signed.pdf", "{}.pdf",
]  # fmt: skip
NHS_FILE_NAMES = [
    "NHS_{}.pdf", "referral_{}.pdf", "discharge_summary_{}_2024.pdf", "{}_GP_letter.pdf", "nhs_no_{}.jpg",
]  # fmt: skip


class Values:
    """Fresh identifier values in rotating written forms, from one seeded generator."""

    def __init__(self, seed: int | str) -> None:
        self.r = random.Random(seed)
        r = self.r
        self.person = Cycle(r, [f"{f}|{s}" for f, s in PEOPLE])
        self.nhs_fmt = Cycle(r, ["plain", "spaces", "dashes", "dots"])
        self.ni_fmt = Cycle(r, ["plain", "pairs", "2-6-1", "suffix-apart", "lower", "lower-pairs", "pairs-glued"])
        self.pc_fmt = Cycle(r, ["upper", "lower", "no-space", "no-space-lower", "two-spaces", "capitalised"])
        self.phone_kind = Cycle(r, ["mobile", "mobile", "mobile", "geo4", "geo4", "london", "geo5"])
        self.mobile_fmt = Cycle(r, ["5-6", "11", "5-3-3", "+44", "+44-glued", "+44(0)", "0044", "dashes", "+44-10"])
        self.geo4_fmt = Cycle(r, ["4-3-4", "11", "brackets", "dashes", "+44", "4-7"])
        self.london_fmt = Cycle(r, ["3-4-4", "4-3-4", "brackets", "11", "+44", "dashes"])
        self.geo5_fmt = Cycle(r, ["5-6", "5-3-3", "brackets", "11"])
        self.local_fmt = Cycle(r, ["first.last", "f.last", "firstlast99", "first_last", "last.first99", "plus"])
        self.email_case = Cycle(r, ["lower", "lower", "lower", "caps", "title"])
        self.obf_fmt = Cycle(r, ["at-dot", "(at)", "[at][dot]", "at"])
        self.domain = Cycle(r, DOMAINS)
        self.outward = Cycle(r, OUTWARD)
        self.ni_bad = Cycle(r, ["QQ-example", "QQ-example-pairs", "banned", "banned", "first-letter", "second-O"])
        # File names and dashes (the notes written after the others; see build()).
        self.ni_file = Cycle(r, NI_FILE_NAMES)
        self.ni_file_case = Cycle(r, ["upper", "lower"])
        self.ni_dash_fmt = Cycle(r, ["dashes", "dashes", "dashes-2-6-1"])
        self.nhs_file = Cycle(r, NHS_FILE_NAMES)
        self.nhs_file_fmt = Cycle(r, ["plain", "plain", "spaces", "dashes"])
        self.file_bad = Cycle(
            r,
            ["ni-example", "ni-invalid", "longer-code", "longer-code", "no-suffix", "reference", "date", "date"],
        )

    # -- identifiers ------------------------------------------------------

    def nhs(self) -> tuple[str, str]:
        while True:
            digits = self.r.choice("467") + "".join(self.r.choice("0123456789") for _ in range(9))
            if nhs_valid(digits):
                break
        fmt = self.nhs_fmt.next()
        a, b, c = digits[:3], digits[3:6], digits[6:]
        text = {"plain": digits, "spaces": f"{a} {b} {c}", "dashes": f"{a}-{b}-{c}", "dots": f"{a}.{b}.{c}"}[fmt]
        return text, fmt

    def _ni_parts(self) -> tuple[str, str, str]:
        while True:
            prefix = self.r.choice("ABCEGHJKLMNOPRSTWXYZ") + self.r.choice("ABCEGHJKLMNPRSTWXYZ")
            if prefix not in _NI_BANNED:
                break
        return prefix, "".join(self.r.choice("0123456789") for _ in range(6)), self.r.choice("ABCD")

    def ni(self) -> tuple[str, str]:
        p, n, s = self._ni_parts()
        fmt = self.ni_fmt.next()
        pairs = f"{n[:2]} {n[2:4]} {n[4:]}"
        text = {
            "plain": f"{p}{n}{s}",
            "pairs": f"{p} {pairs} {s}",
            "2-6-1": f"{p} {n} {s}",
            "suffix-apart": f"{p}{n} {s}",
            "lower": f"{p}{n}{s}".lower(),
            "lower-pairs": f"{p} {pairs} {s}".lower(),
            "pairs-glued": f"{p} {pairs}{s}",
        }[fmt]
        return text, fmt

    def ni_dashed(self) -> tuple[str, str]:
        p, n, s = self._ni_parts()
        fmt = self.ni_dash_fmt.next()
        if fmt == "dashes":
            return f"{p}-{n[:2]}-{n[2:4]}-{n[4:]}-{s}", fmt
        return f"{p}-{n}-{s}", fmt

    def ni_file_name(self) -> tuple[str, str, str]:
        """A document's file name with an NI number glued in by underscores: (before, number, after)."""

        p, n, s = self._ni_parts()
        number = f"{p}{n}{s}"
        if self.ni_file_case.next() == "lower":
            number = number.lower()
        before, after = self.ni_file.next().split("{}")
        return before, number, after

    def nhs_file_name(self) -> tuple[str, str, str]:
        """A document's file name with an NHS number in it: (before, number, after)."""

        while True:
            digits = self.r.choice("467") + "".join(self.r.choice("0123456789") for _ in range(9))
            if nhs_valid(digits):
                break
        a, b, c = digits[:3], digits[3:6], digits[6:]
        number = {"plain": digits, "spaces": f"{a} {b} {c}", "dashes": f"{a}-{b}-{c}"}[self.nhs_file_fmt.next()]
        before, after = self.nhs_file.next().split("{}")
        return before, number, after

    def postcode(self) -> tuple[str, str]:
        out = self.outward.next()
        inward = f"{self.r.randint(0, 9)}{self.r.choice(INWARD_LETTERS)}{self.r.choice(INWARD_LETTERS)}"
        fmt = self.pc_fmt.next()
        text = {
            "upper": f"{out} {inward}",
            "lower": f"{out} {inward}".lower(),
            "no-space": f"{out}{inward}",
            "no-space-lower": f"{out}{inward}".lower(),
            "two-spaces": f"{out}  {inward}",
            "capitalised": f"{out} {inward}".capitalize(),
        }[fmt]
        return text, fmt

    def _phone_digits(self, kind: str) -> str:
        r = self.r
        while True:
            if kind == "mobile":
                digits = f"07{r.choice('12345789')}{r.randint(0, 99_999_999):08d}"
            elif kind == "geo4":
                if r.random() < 0.5:
                    digits = f"{r.choice(DRAMA_GEO)}0{r.randint(0, 999):03d}"
                else:
                    digits = f"{r.choice(AREAS_4)}{r.randint(2, 8)}{r.randint(0, 999_999):06d}"
            elif kind == "london":
                digits = f"020{r.choice('378')}{r.randint(0, 9_999_999):07d}"
                if r.random() < 0.4:
                    digits = f"02079460{r.randint(0, 999):03d}"
            else:
                digits = f"{r.choice(AREAS_5)}{r.randint(2, 9)}{r.randint(0, 99_999):05d}"
            if phone_valid(digits):
                return digits

    def phone(self) -> tuple[str, str]:
        kind = self.phone_kind.next()
        d = self._phone_digits(kind)
        if kind == "mobile":
            fmt = self.mobile_fmt.next()
            a, b = d[:5], d[5:]
            text = {
                "5-6": f"{a} {b}",
                "11": d,
                "5-3-3": f"{a} {b[:3]} {b[3:]}",
                "+44": f"+44 {a[1:]} {b}",
                "+44-glued": f"+44{d[1:]}",
                "+44(0)": f"+44 (0){a[1:]} {b}",
                "0044": f"0044 {a[1:]} {b}",
                "dashes": f"{a}-{b[:3]}-{b[3:]}",
                "+44-10": f"+44 {d[1:]}",
            }[fmt]
        elif kind == "geo4":
            fmt = self.geo4_fmt.next()
            a, b, c = d[:4], d[4:7], d[7:]
            text = {
                "4-3-4": f"{a} {b} {c}",
                "11": d,
                "brackets": f"({a}) {b} {c}",
                "dashes": f"{a}-{b}-{c}",
                "+44": f"+44 {a[1:]} {b} {c}",
                "4-7": f"{a} {b}{c}",
            }[fmt]
        elif kind == "london":
            fmt = self.london_fmt.next()
            a, b, c = d[:3], d[3:7], d[7:]
            text = {
                "3-4-4": f"{a} {b} {c}",
                "4-3-4": f"{d[:4]} {d[4:7]} {d[7:]}",
                "brackets": f"({a}) {b} {c}",
                "11": d,
                "+44": f"+44 {a[1:]} {b} {c}",
                "dashes": f"{a}-{b}-{c}",
            }[fmt]
        else:
            fmt = self.geo5_fmt.next()
            a, b = d[:5], d[5:]
            text = {"5-6": f"{a} {b}", "5-3-3": f"{a} {b[:3]} {b[3:]}", "brackets": f"({a}) {b}", "11": d}[fmt]
        assert phone_valid(text), text
        return text, f"{kind}:{fmt}"

    def _local(self, first: str, last: str) -> tuple[str, str]:
        f = ascii_fold(first).lower().replace("'", "")
        s = ascii_fold(last).lower().replace("'", "").replace(" ", "")
        n = f"{self.r.randint(1, 99)}"
        fmt = self.local_fmt.next()
        tag = self.r.choice(["housing", "council", "uc", "benefits"])
        local = {
            "first.last": f"{f}.{s}",
            "f.last": f"{f[0]}.{s}",
            "firstlast99": f"{f}{s}{n}",
            "first_last": f"{f}_{s}",
            "last.first99": f"{s}.{f}{n}",
            "plus": f"{f}.{s}+{tag}",
        }[fmt]
        return local, fmt

    def email(self, first: str, last: str) -> tuple[str, str]:
        local, fmt = self._local(first, last)
        domain = self.domain.next()
        case = self.email_case.next()
        text = f"{local}@{domain}"
        if case == "caps":
            text = text.upper()
        elif case == "title":
            text = ".".join(p.capitalize() for p in local.split(".")) + "@" + domain.capitalize()
        return text, f"{fmt}:{case}"

    def spoken_email(self, first: str, last: str) -> tuple[str, str]:
        local, _ = self._local(first, last)
        local = local.split("+")[0]
        domain = self.domain.next()
        fmt = self.obf_fmt.next()
        text = {
            "at-dot": f"{local} at {domain.replace('.', ' dot ')}",
            "(at)": f"{local}(at){domain}",
            "[at][dot]": f"{local} [at] {domain.replace('.', ' [dot] ')}",
            "at": f"{local} at {domain}",
        }[fmt]
        return text, f"spoken:{fmt}"

    # -- negatives ----------------------------------------------------------

    def ref10(self) -> str:
        r = self.r
        if r.random() < 0.4:
            return f"{r.choice(['2023', '2024', '2025'])}{r.randint(0, 999_999):06d}"
        return f"{r.randint(1, 9)}{r.randint(0, 999_999_999):09d}"

    def acct(self) -> str:
        return f"{self.r.randint(10_000_000, 99_999_999)}"

    def sort_code(self) -> str:
        r = self.r
        return f"{r.randint(10, 99)}-{r.randint(0, 99):02d}-{r.randint(0, 99):02d}"

    def ni_lookalike(self) -> str:
        r = self.r
        digits = "".join(r.choice("0123456789") for _ in range(6))
        kind = self.ni_bad.next()
        suffix = r.choice("ABCD")
        if kind == "QQ-example":
            text = "QQ123456C"
        elif kind == "QQ-example-pairs":
            text = "QQ 12 34 56 C"
        elif kind == "banned":
            text = f"{r.choice(sorted(_NI_BANNED))}{digits}{suffix}"
        elif kind == "first-letter":
            text = f"{r.choice('DFIQUV')}{r.choice('ABCEHJKLMNPRSTWXYZ')}{digits}{suffix}"
        else:
            text = f"{r.choice('ABCEHJKLMNPRSTWYZ')}O{digits}{suffix}"
        assert not ni_valid(text), text
        return text

    def file_lookalike(self) -> tuple[str, str]:
        """A document's file name holding a code shaped like an NI or NHS number that is neither: (name, kind)."""

        r = self.r
        kind = self.file_bad.next()
        p, n, s = self._ni_parts()
        stem = r.choice(["P60", "scan", "payslip", "UC_evidence", "DWP_letter", "claim"])
        ext = r.choice([".pdf", ".pdf", ".jpg", ".png", ".docx"])
        if kind == "ni-example":
            code = r.choice(["QQ123456C", "qq123456c", "QQ123456A"])
        elif kind == "ni-invalid":
            code = self.ni_lookalike().replace(" ", "")
        elif kind == "longer-code":
            # A valid NI number with a letter or digit glued on: one longer code, not an NI number.
            code = r.choice([f"REF{p}{n}{s}{r.randint(0, 9)}", f"X{p}{n}{s}", f"{p}{n}{s}{r.randint(10, 99)}"])
            assert ni_valid(f"{p}{n}{s}") and not ni_valid(code), code
        elif kind == "no-suffix":
            code = f"{p}{n}"
        elif kind == "reference":
            label = r.choice(["invoice", "order", "case_ref", "INV", "Order_no"])
            return f"{label}_{self.ref10()}{ext}", "file-ten-digit-reference"
        else:
            y, m, dd = r.randint(2019, 2025), r.randint(1, 12), r.randint(1, 28)
            return r.choice(
                [
                    f"IMG_{y}{m:02d}{dd:02d}_{r.randint(0, 23):02d}{r.randint(0, 59):02d}{r.randint(0, 59):02d}.jpg",
                    f"scan_{y}-{m:02d}-{dd:02d}_p{r.randint(1, 4)}{ext}",
                    f"{stem}_{y - 1}-{y % 100:02d}{ext}",
                ]
            ), "file-date"
        assert not ni_valid(code), code
        return r.choice([f"{stem}_{code}{ext}", f"{code}_{stem}{ext}", f"{stem.lower()}_{code.lower()}_p60{ext}"]), (
            f"file-{kind}"
        )

    def suffixless_ref(self) -> str:
        p, n, _ = self._ni_parts()
        return f"{p}{n}" if self.r.random() < 0.5 else f"{p} {n[:2]} {n[2:4]} {n[4:]}"

    def handle(self, first: str, last: str) -> str:
        f = ascii_fold(first).lower()
        s = ascii_fold(last).lower().replace("'", "").replace(" ", "")
        return self.r.choice([f"@{f}{s}{self.r.randint(1, 99)}", f"@{f}_{s[0]}", f"@{f.capitalize()}{s[:3]}"])
