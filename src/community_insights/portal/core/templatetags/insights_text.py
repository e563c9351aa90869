"""Wording filters every template can use (loaded as a builtin, so no ``{% load %}`` is needed).

Django's ``time:"g:i a"`` writes "10:00 a.m.", which doubles the full stop at the
end of a sentence ("at 10:00 a.m.."). The house style (GOV.UK's) writes times as
"10am", "6:24pm", "midday" and "midnight", which never end in a full stop.
"""

from __future__ import annotations

from datetime import datetime, time

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
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
