"""Online identifiers and international account numbers in free text.

Why a module of its own: both were left readable by ``redact`` on the second
external set, and neither fits the UK formats of ``identifiers``:

* **A social-media handle** ("@julia_brown99", "@Sam.Okafor") is an online
  identifier, which UK GDPR Article 4(1) names as personal data. It is found
  as one span of type ``ONLINE_ID``, so the name inside it is not counted as
  a person of its own and the rest of the handle does not stay behind. The
  same holds for a username after its label ("Username: sam_o22") and an
  account name in a log line ("User sam_o22 logged in", "Invalid user jdoe
  from 192.0.2.4"). The
  ``@`` must start a word: after a letter or a digit it is an email's
  mailbox ("julia@…", found as ``EMAIL``). Not a handle: an email's domain
  ("@nhs.net"), a time ("@ 3pm", "@10:30") or an amount ("@£5").
* **An IBAN** (``detectors.iban``): country letters, check digits that pass
  ISO 13616's mod-97 check, and the country's registered length. Where the
  words around it say "IBAN", the shape alone counts, because a mistyped IBAN
  still holds the sort code and account number: the word "IBAN" just before
  it ("My IBAN is …"), or ISO 13616's paper form (a registered country code in
  capitals, two check digits, then groups of four: "DE89 3704 0044 0532 0130
  01") with a banking word near it ("transfer to other bank accounts") or
  filling a field of a person's record ("…,AB123456C,FR67 0512 2694 …,"). A
  paper-form value with neither ("Old reference GB28 NWBK …") is left alone.
  Found as
  ``BANK_ACCOUNT``, and it wins over any sort code, account number, phone or
  card found inside it.
"""

from __future__ import annotations

import re

from community_insights.safety.detectors.iban import IBAN_LENGTHS, IBAN_TEXT_PATTERN, is_iban
from community_insights.safety.detectors.identifiers import IPV4_PATTERN
from community_insights.safety.text.records import banking_word_near, fills_a_field
from community_insights.safety.types import PiiType

__all__ = [
    "HANDLE_GATE",
    "IBAN_GATE",
    "USERNAME_GATE",
    "handle_spans",
    "iban_spans",
    "username_spans",
    "without_overlaps",
]

#: X (Twitter) allows 15 characters, Instagram and TikTok 30, letters, digits, "_" and (Instagram) ".".
_HANDLE = re.compile(r"(?<![\w@.+\-/])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?)(?![\w@])")
#: What follows "@" that is not a handle: a time ("@3pm", "@10:30", "@1930hrs").
_TIME = re.compile(r"^\d{1,4}(?:[:.]\d{2})?(?:am|pm|hrs?)?$", re.IGNORECASE)
#: A domain after "@": "@nhs.net", "@leeds.gov.uk" (an email written without its mailbox).
_DOMAIN = re.compile(
    r"^[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.(?i:com|net|org|uk|gov|ac|nhs|co|io|edu|info|biz|me|ie|eu|scot|wales|"
    r"cymru|london|de|fr|es|it|nl|pl|in|pk|ng|gh|za|au|ca|us)$"
)
_RX_IBAN = re.compile(IBAN_TEXT_PATTERN)
#: A username after its label ("Username: sam_o22", "login id = jbrown", "screen name: Priya.S"): the label says it is
#: an account name, whatever its letters. The value must hold a digit, "_" or "." or be after a colon or "=".
_USERNAME = re.compile(
    r"\b(?i:user\s?name|user\s?id|login(?:\s?id|\s?name)?|screen\s?name|gamertag)\s*[:=]\s*([^\W\d][\w.\-]{1,29}[\w])(?![\w@])"
)
_IBAN_LABEL = re.compile(r"\bIBAN\b(?:\s*(?:no|number)\b\.?)?(?:\s+(?:is|was))?[\s:#=\-]{0,4}$", re.IGNORECASE)
#: ISO 13616-1's paper form: country letters in capitals, check digits, three or more groups of four, a short last one.
_PAPER_FORM = re.compile(r"^[A-Z]{2}\d{2}(?: [A-Z0-9]{4}){3,8}(?: [A-Z0-9]{1,3})?$")
HANDLE_GATE = r"(?:^|[^\w@.+\-/])@[A-Za-z0-9_]"
#: Account names in log lines ("User sam_o22 logged in", OpenSSH's "Accepted password for jdoe from 192.0.2.4"):
#: after "user" with a digit, "_" or "." in it or before "logged in", "signed in", "from <IP address>"; after "for" or
#: "invalid user" only before "from <IP address>", the way OpenSSH's sshd writes its authentication lines.
_ACCOUNT = r"([^\W\d][\w.\-]{0,30}[\w])"
_FROM_IP = rf"from\s+{IPV4_PATTERN}"
_LOG_USER = re.compile(
    rf"\b(?i:user)\s+{_ACCOUNT}(?=\s+(?i:(?:logged|signed)\s+(?:in|on|out|off)|failed|authenticated|{_FROM_IP})\b)"
    rf"|\b(?i:for(?:\s+invalid\s+user)?|invalid\s+user)\s+{_ACCOUNT}(?=\s+{_FROM_IP}(?!\w))"
)
_NOT_PLAIN_WORD = re.compile(r"[\d_.]")
USERNAME_GATE = (
    r"(?i)(?:user\s?name|user\s?id|login|screen\s?name|gamertag)(?:\s?(?:id|name))?\s*[:=]"
    r"|(?:user|for)\s+[^\W\d][\w.\-]*\s+(?:logged|signed|failed|authenticated|from\s+\d)"
)
IBAN_GATE = r"[A-Za-z]{2}\d{2}(?:[ \-]?[A-Za-z0-9]){11,}"


def handle_spans(text: str) -> list[tuple[int, int, PiiType]]:
    """Every social-media handle, "@" included, as (start, end, ONLINE_ID)."""

    out = []
    for m in _HANDLE.finditer(text):
        body = m.group(1)
        if _TIME.match(body) or _DOMAIN.match(body) or not any(ch.isalpha() for ch in body):
            continue
        out.append((m.start(), m.end(), PiiType.ONLINE_ID))
    return out


def username_spans(text: str) -> list[tuple[int, int, PiiType]]:
    """Every value after a username label, and every account name in a log line, as (start, end, ONLINE_ID): an
    account name identifies its holder.

    In a log line, after "user" an account name that is a plain word ("User support logged a ticket") counts only
    before "from <IP address>", where the line says who connected.
    """

    out = [(m.start(1), m.end(1), PiiType.ONLINE_ID) for m in _USERNAME.finditer(text)]
    for m in _LOG_USER.finditer(text):
        if m.group(1) is not None:
            after = text[m.end(1) : m.end(1) + 12].lstrip()
            if not _NOT_PLAIN_WORD.search(m.group(1)) and after[:4].lower() != "from":
                continue
            out.append((m.start(1), m.end(1), PiiType.ONLINE_ID))
        else:
            out.append((m.start(2), m.end(2), PiiType.ONLINE_ID))
    return sorted(set(out))


def iban_spans(text: str, *, in_record: bool = False) -> list[tuple[int, int, PiiType]]:
    """Every IBAN, as (start, end, BANK_ACCOUNT).

    Anywhere in the text an IBAN must pass the registry length and the mod-97
    check. Just after the word "IBAN", or written in the paper form with a
    registered country code near a banking word or in a field of a person's
    record (``in_record``: the row holds two or more of a person's
    identifiers), a value of the IBAN's shape counts even when a digit was
    mistyped or the length is wrong: the sort code and account number are
    still in it. The pattern
    is greedy and an IBAN in groups of four may be followed by more words
    ("GB29 NWBK 6016 1331 9268 19 for rent"), so each candidate is shortened
    a group at a time until it checks (or, after the label, until it ends in
    a group with a digit).
    """

    out = []
    for m in _RX_IBAN.finditer(text):
        raw = m.group()
        labelled = bool(_IBAN_LABEL.search(text[max(0, m.start() - 20) : m.start()]))
        while raw:
            shape_says = labelled or _paper_form(text, m.start(), raw, in_record)
            if is_iban(raw) or (shape_says and not raw.rsplit(" ", 1)[-1].isalpha()):
                out.append((m.start(), m.start() + len(raw), PiiType.BANK_ACCOUNT))
                break
            cut = max(raw.rfind(" "), raw.rfind("-"))
            if cut < 4:
                break
            raw = raw[:cut]
    return out


def _paper_form(text: str, start: int, raw: str, in_record: bool) -> bool:
    """In ISO 13616's paper form, with a country code the SWIFT registry lists, and a banking word near it or
    filling a field of a person's record."""

    if raw[:2] not in IBAN_LENGTHS or not _PAPER_FORM.match(raw):
        return False
    end = start + len(raw)
    return banking_word_near(text, start, end) or (in_record and fills_a_field(text, start, end))


def without_overlaps(
    found: list[tuple[int, int, PiiType]], winners: list[tuple[int, int, PiiType]]
) -> list[tuple[int, int, PiiType]]:
    """``found`` less every span that overlaps one of ``winners``, then the winners, in order."""

    if not winners:
        return found
    kept = [f for f in found if all(f[1] <= w[0] or f[0] >= w[1] for w in winners)]
    return sorted(kept + winners)
