"""Classes of wording slip a machine can catch, run over every page and email the tests produce.

The portal once sent "Northmoor Scouts &amp; Youth Club" in a plain-text email,
wrote "10:00 a.m..", "a Advisory panel member" and an empty ``<h1>``. Each
check below names the class of slip, so a new template cannot bring it back
unnoticed: ``tests/conftest.py`` runs :func:`email_slips` over every email a
test sends, and the browser tests run :func:`text_slips` and
:func:`empty_headings` over every page they check.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# An HTML entity in text meant to be read as plain text (a plain-text email body or subject).
ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{1,6}|#x[0-9a-fA-F]{1,6});")
# A time written with full stops followed by another: "10:00 a.m.." or "6:24a.m..".
DOUBLE_STOP_TIME = re.compile(r"\d\s?[ap]\.m\.\.")
# Any doubled full stop that is not an ellipsis.
DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")
# "a" before a word starting with a vowel sound: "a Advisory panel member", "a information rights".
# Words starting with "u" or "eu" and "one"/"once" are left alone (a user, a European, a one-off).
A_BEFORE_VOWEL = re.compile(r"\b[Aa] (?!one\b|once\b|one-)([AEIOaeio][\w-]*)")
# Markup left in text: an escaped tag or a select's empty choice.
LEFTOVERS = re.compile(r"-{5,}|&lt;|&gt;")


def text_slips(text: str) -> list[str]:
    """Slips in text a person reads (a page's visible text, an email)."""
    slips = []
    for pattern, label in (
        (DOUBLE_STOP_TIME, "a time followed by a second full stop"),
        (DOUBLE_STOP, "a doubled full stop"),
        (A_BEFORE_VOWEL, '"a" before a vowel'),
        (LEFTOVERS, "markup or a placeholder left in the text"),
    ):
        slips += [f"{label}: {_around(text, m)!r}" for m in pattern.finditer(text)]
    return slips


def email_slips(subject: str, body: str, html: str | None = None) -> list[str]:
    """Slips in one email: its plain text must hold no HTML entity, and read well."""
    slips = [f"HTML entity in plain text: {_around(body, m)!r}" for m in ENTITY.finditer(body)]
    slips += [f"HTML entity in the subject: {subject!r}" for _ in ENTITY.finditer(subject)]
    slips += text_slips(subject + "\n" + body)
    if html:
        slips += empty_headings(html)
    return slips


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[list[str]] = []
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self.open.append([tag, ""])

    def handle_data(self, data: str) -> None:
        for heading in self.open:
            heading[1] += data

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1][0] == tag:
            name, text = self.open.pop()
            self.found.append((name, text.strip()))


def empty_headings(html: str) -> list[str]:
    """Headings with no words in them (an empty <h1> reads as "heading level 1" and nothing else)."""
    parser = _Headings()
    parser.feed(html)
    return [f"empty <{name}>" for name, text in parser.found if not text]


def _around(text: str, match: re.Match[str]) -> str:
    return text[max(0, match.start() - 30) : match.end() + 10]
