"""Names that the wording of a letter or a record gives away, whatever community they come from.

The name lists cannot hold every given name and surname, and names from
communities the lists cover thinly ("Sterre van Velzen", "Pəri Sadiqov")
came out of letters unfound. Where a letter or a record says a person is
meant, the words there are a name even when no list has them:

* **The subject line of a clinical or casework letter.** "Re: Pippa de
  Gruijter, DOB 20.07.1949, NHS No. …": the words between "Re:" and a date of
  birth or an NHS, hospital or NI number are the patient's or client's name
  (the layout of the Professional Record Standards Body's outpatient letter:
  name, date of birth, NHS number), English words too ("Mads" is a Danish
  given name), but no organisation, place or title.
* **The addressee of a letter.** A line of capitalised words above an
  address that starts with a house number or a flat, studio or unit and ends
  in a postcode is the person it is addressed to (Royal Mail's layout: name,
  premises, street, town, postcode), when each word is a listed name or no
  English word ("Housing Options" over an address names no one).
* **Who a request was passed to or reported by.** "Passed to Emanuelly in the
  Highways team", "Repair reported by Sterre van Velzen": after "passed to",
  "referred to", "reported by", "requested by" … the words are a name when
  each is a listed name or no English word, and none names an organisation
  or a place ("passed to Highways", "reported by Ofsted" and "referred to
  Leeds" name no one).

Surname particles in lower case join the name ("van der", "de", "bin").
Notes written all in capitals are left alone (every word is capitalised
there). Tested with sentences from other sources than the set that revealed
the gaps (``tests/safety/test_letter_names.py``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from community_insights.safety.text.cued_identifiers import free
from community_insights.safety.text.people import PARTICLE_PATTERN, member_is_name
from community_insights.safety.types import PiiType

__all__ = ["LETTERS_GATE", "letter_names"]

Found = tuple[int, int, PiiType, str]

_WORD = r"[A-ZÀ-Þ][^\W\d_]+(?:['’\-][^\W\d_]+)*"
_PARTICLE = PARTICLE_PATTERN
#: One to four capitalised words, lower-case particles between them ("Mads van der Wal").
_PHRASE = rf"({_WORD}(?:[ \t]+(?:(?:{_PARTICLE})[ \t]+)*{_WORD}){{0,3}})"
_HANDOVER = (
    r"(?:passed|referred|forwarded|handed(?: over)?|transferred|escalated|allocated|assigned|reassigned) to"
    r"|(?:reported|raised|requested|submitted|logged|completed|signed|approved|authorised|inspected) by"
)
_HANDED = re.compile(rf"\b(?:{_HANDOVER})[ \t]+{_PHRASE}(?![\w'’\-])")
_SUBJECT_AFTER = r",?[ \t]+(?:DOB|D\.O\.B|[Dd]ate of [Bb]irth|[Bb]orn|NHS|Hospital|MRN|CHI|NI)\b"
_SUBJECT = re.compile(rf"(?m)^[ \t]*R[Ee]:[ \t]+{_PHRASE}(?={_SUBJECT_AFTER})")
#: The first line of an address (a house number, or a flat, studio or unit and its number), after a line break.
_PREMISES = r"\n[ \t]*(?:(?:Flat|Studio|Unit|Apartment|Apt)\.?[ \t]+\w+|\d+[A-Za-z]?),?[ \t]+[A-Z0-9]"
_ADDRESSEE = re.compile(rf"(?m)^[ \t]*{_PHRASE}[ \t]*(?={_PREMISES})")
#: For Polars: a superset of the three patterns (a cue, then a capital letter; a line ending in a letter over
#: premises).
LETTERS_GATE = (
    rf"(?:{_HANDOVER})[ \t]+[A-ZÀ-Þ]|R[Ee]:[ \t]+[A-ZÀ-Þ]"
    rf"|[^\W\d_][ \t]*\n[ \t]*(?:(?:Flat|Studio|Unit|Apartment|Apt)\.?[ \t]+\w+|\d+[A-Za-z]?),?[ \t]+[A-Z0-9]"
)
#: How far below the addressee's line the postcode may close the address (five lines of a long address).
_POSTCODE_WITHIN = 160
_SPLIT_PARTICLES = re.compile(rf"[ \t]+(?:(?:{_PARTICLE})[ \t]+)*")


def _reads_as_name(phrase: str, *, english_ok: bool) -> bool:
    """Each word a listed name, or no English word (unless ``english_ok``), and no organisation, place or
    title (particles aside)."""

    words = _SPLIT_PARTICLES.split(phrase)
    if any(w.isupper() for w in words):
        return False  # "HMRC", "NHS": an acronym, not a name
    return all(member_is_name(w, english_ok=english_ok) for w in words)


def _postcode_below(end: int, taken: Sequence[Found]) -> bool:
    """A postcode closes the address below the line (Royal Mail's layout: name, premises, street, town, postcode)."""

    return any(t[2] is PiiType.POSTCODE and end < t[0] <= end + _POSTCODE_WITHIN for t in taken)


def letter_names(text: str, taken: Sequence[Found]) -> list[Found]:
    """Names after a letter's "Re:" before a date of birth or NHS number, and after "passed to", "reported by" …"""

    if text.isupper():
        return []
    out: list[Found] = []
    # Before a date of birth the words can only be a name, English words too ("Re: Mads van der Wal, DOB");
    # after "passed to" they could be a team ("passed to Highways"), so each must read as a name alone.
    cued = [(m, True) for m in _SUBJECT.finditer(text)] + [(m, False) for m in _HANDED.finditer(text)]
    if "\n" in text:
        cued += [(m, False) for m in _ADDRESSEE.finditer(text) if _postcode_below(m.end(), taken)]
    for m, subject in cued:
        s, e = m.start(1), m.end(1)
        if free(s, e, taken) and free(s, e, out) and _reads_as_name(m.group(1), english_ok=subject):
            out.append((s, e, PiiType.PERSON, "rule"))
    return out
