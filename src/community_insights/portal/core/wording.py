"""Small wording helpers shared by templates (as filters) and Python code (emails, selectors).

Django's ``time:"g:i a"`` writes "10:00 a.m.", which doubles the full stop at the
end of a sentence ("at 10:00 a.m.."). The house style (GOV.UK's) writes times as
"10am", "6:24pm", "midday" and "midnight", which never end in a full stop.

Role and skill names are written with a capital ("Advisory panel member",
"Using data from ... shadow IT systems"); inside a sentence they need "an" before
a vowel and a lower-case first letter that leaves acronyms alone, never ``|lower``
(which wrote "shadow it systems").
"""

from __future__ import annotations

from datetime import datetime, time

from django.utils import timezone


def clock(value: datetime | time | None) -> str:
    """The time of day in the house style: 10am, 6:24pm, midday, midnight."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    hour, minute = value.hour, value.minute
    if minute == 0 and hour in (0, 12):
        return "midnight" if hour == 0 else "midday"
    suffix = "am" if hour < 12 else "pm"
    twelve = hour % 12 or 12
    return f"{twelve}{suffix}" if minute == 0 else f"{twelve}:{minute:02d}{suffix}"


# Words whose first letter is a vowel but whose sound is not (a user, a one-off, a European).
_CONSONANT_SOUNDS = ("one", "once", "uni", "use", "usu", "eu", "ur")


def with_article(value: str) -> str:
    """The name with "a" or "an" in front: "an Advisory panel member", "a Facilitator"."""
    text = str(value)
    lowered = text.lower()
    vowel = lowered[:1] in "aeiou" and not lowered.startswith(_CONSONANT_SOUNDS)
    return f"{'an' if vowel else 'a'} {text}"


def lowerfirst(value: str) -> str:
    """Lower-case the first letter for use inside a sentence, leaving acronyms (IT, VCS, ONS) as they are."""
    text = str(value)
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return text
    return text[:1].lower() + text[1:]
