"""Crawl the portal as a visitor and read every figure a person could see, in pages, feeds and downloads.

The crawl starts at the landing page with no account and follows every link that stays on the site: links
in pages (and the feeds the landing page's ``<head>`` announces), links in Atom feeds, and redirects that are
not to the sign-in page. Each answer is read by its type:

- HTML pages: the visible text (not scripts or styles; inside a drawn chart, its title, description, data
  labels and legend, but not the axis ticks, which mark a scale, not a count) and every table, cell by cell;
- Atom feeds: each entry's title, summary and content, and the entries' links are followed;
- CSV and XLSX downloads: the figures, cell by cell, and the notes;
- PDF downloads: the text pypdf extracts; SVG downloads as a chart in a page; PNG only checked to be a PNG;
- calendar files: the summary, description and place.

A link that answers anything but 200, or a redirect to the sign-in page, fails the crawl: a visitor meets
no broken link. An answer of a type the crawl cannot read fails it too, so nothing is skipped unread.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import feedparser
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

#: Numbers that are not counts of anything: dates, times, versions, steps and phases of the guide.
NOT_COUNTS = [
    r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December)( \d{4})?\b",
    r"\b\d{1,2}(:\d{2})? ?(am|pm)\b",
    r"\b\d{1,2}:\d{2}\b",
    r"\b(version|phase|step|part|room|stage) \d+\b",
    r"\b\d+ (to|and) \d+\b(?= ?(days|years|minutes|hours))",
    r"\b\d+ (to \d+ |and over)",  # age bands like "65 to 74" and "85 and over" are category labels
    r"\b\d{4}\b",  # years
    r"\b\d+ areas\b",  # places on a map, not people
    r"\b\d+ of (its )?\d+ figures\b",  # how many cells of a table are hidden, not people
    r"\b\d+ times you can book\b",  # office hours the facilitator offers, not people
    r"(?:^|(?<=[.:!?] ))\d\. (?=[A-Z])",  # a numbered item ("3. From the ground up") after a sentence ends
]
#: Columns of a published table that count places, not people (a map's merged groups).
PLACE_COLUMNS = {"areas"}
#: A lone digit 1 to 9: not part of a longer number, a decimal, a percentage, a time, a fraction or a word.
SMALL_COUNT = re.compile(r"(?<![\w.,£%/:-])[1-9](?![\w%/]|[.,:]\d|-\w)")
#: Elements whose contents a visitor does not read as text.
SKIP = {"script", "style", "template", "noscript"}
#: HTML elements with no end tag.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SIGN_IN = "/accounts/"
NOT_CRAWLED = (SIGN_IN, "/django-admin/", "/static/")


class PageText(HTMLParser):
    """The text a visitor reads, the tables cell by cell, and the links (in ``<head>`` only the alternate ones)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.text: list[str] = []
        self.links: list[str] = []
        self.feeds: list[tuple[str, str]] = []  # (type, href) of <link rel="alternate">
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None
        self.svgs: list[dict[str, str]] = []  # each drawn chart's role, title and description

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "link" and "alternate" in found.get("rel", "").split() and found.get("href"):
            self.feeds.append((found.get("type", ""), found["href"]))
            self.links.append(found["href"])
        if tag == "a" and found.get("href"):
            self.links.append(found["href"])
        if tag == "svg":
            self.svgs.append({"role": found.get("role", ""), "title": "", "desc": ""})
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self.cell = []
        if tag in VOID:
            return
        axis = tag == "g" and "role-axis" in found.get("class", "")
        self.stack.append((tag, self.skipping or tag in SKIP or tag == "head" or axis or "hidden" in found))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break
        if tag in ("td", "th") and self.cell is not None and self.tables and self.tables[-1]:
            self.tables[-1][-1].append(" ".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        inside = self.stack[-1][0] if self.stack else ""
        if self.svgs and inside in ("title", "desc") and any(t == "svg" for t, _ in self.stack):
            self.svgs[-1][inside] += data
        if self.skipping:
            return
        if self.cell is not None:
            self.cell.append(data)
        else:
            self.text.append(data)


def small_counts(text: str) -> list[str]:
    """Each count 1 to 9 in ``text``, with the words around it."""
    cleaned = " ".join(text.split())
    for pattern in NOT_COUNTS:
        cleaned = re.sub(pattern, " ", cleaned, flags=re.IGNORECASE)
    return [
        m.group(0) + " in «" + " ".join(cleaned[max(0, m.start() - 40) : m.end() + 40].split()) + "»"
        for m in SMALL_COUNT.finditer(cleaned)
    ]


def table_counts(rows: list[list[str]]) -> list[str]:
    """Figures 1 to 9 in a table's columns of people (the header row names the columns); words in cells too."""
    if not rows:
        return []
    header = [h.strip().lower() for h in rows[0]]
    found = []
    for row in rows[1:]:
        for name, value in zip(header, row, strict=False):
            if name in PLACE_COLUMNS:
                continue
            if re.fullmatch(r"'?[1-9](\.0)?", value.strip()):
                found.append(f"{value} under {name!r} in row {row}")
            elif not re.fullmatch(r"'?[\d.,]+|\[c\]|", value.strip()):
                found += small_counts(value)
    return found


@dataclass
class Answer:
    """What the crawl read at one address."""

    kind: str
    text: str = ""
    counts: list[str] = field(default_factory=list)
    page: PageText | None = None


@dataclass
class Crawl:
    """Every address a visitor reached, what each answered, and what went wrong."""

    answers: dict[str, Answer] = field(default_factory=dict)
    broken: dict[str, str] = field(default_factory=dict)

    def small_counts(self) -> dict[str, list[str]]:
        return {path: a.counts for path, a in self.answers.items() if a.counts}


def crawl(client: Client, start: str) -> Crawl:
    """Visit everything a visitor can reach from ``start``."""
    result = Crawl()
    queue = [start]
    while queue:
        path = queue.pop()
        if path in result.answers or path in result.broken or path.startswith(NOT_CRAWLED):
            continue
        response = client.get(path)
        if response.status_code in (301, 302):
            target = _same_site(path, response["Location"])
            if target is None or target.startswith(SIGN_IN):
                result.broken[path] = f"redirects to {response['Location']}"
            else:
                queue.append(target)
            continue
        if response.status_code != 200:
            result.broken[path] = f"answers {response.status_code}"
            continue
        answer, links = read(response.get("Content-Type", ""), response.content)
        result.answers[path] = answer
        if answer.kind == "unreadable":
            result.broken[path] = f"cannot be read: {response.get('Content-Type')}"
        queue += [t for t in (_same_site(path, href) for href in links) if t is not None]
    return result


def _same_site(base: str, href: str) -> str | None:
    if href.startswith(("mailto:", "tel:", "#")):
        return None
    url = urlparse(urljoin(base, href))
    if url.scheme not in ("", "http", "https") or url.netloc not in ("", "testserver"):
        return None
    return url.path + (f"?{url.query}" if url.query else "")


def read(content_type: str, body: bytes) -> tuple[Answer, list[str]]:
    """Read one answer by its type: the visible text, the small counts in it, and its links."""
    kind = content_type.split(";")[0].strip()
    if kind == "text/html":
        page = PageText()
        page.feed(body.decode("utf-8"))
        text = " ".join(page.text)
        counts = small_counts(text) + [c for t in page.tables for c in table_counts(t)]
        return Answer("html", text, counts, page), page.links
    if kind in ("application/atom+xml", "application/rss+xml"):
        feed = feedparser.parse(body)
        parts = [feed.feed.get("title", ""), feed.feed.get("subtitle", "")]
        links = [feed.feed.get("link", "")]
        for entry in feed.entries:
            parts += [entry.get("title", ""), entry.get("summary", "")]
            parts += [c.get("value", "") for c in entry.get("content", [])]
            links.append(entry.get("link", ""))
        page = PageText()
        page.feed(" ".join(parts))
        text = " ".join(page.text)
        return Answer("feed", text, small_counts(text)), [link for link in links if link]
    if kind == "text/csv":
        figures, _, notes = body.decode("utf-8-sig").partition("\n\n")
        return Answer(
            "csv", body.decode(), table_counts(list(csv.reader(io.StringIO(figures)))) + small_counts(notes)
        ), []
    if kind == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
        book = load_workbook(io.BytesIO(body), read_only=True)
        counts = []
        for sheet in book.worksheets:
            rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            counts += table_counts([r for r in rows if any(r)])
        return Answer("xlsx", "", counts), []
    if kind == "application/pdf":
        text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(body)).pages)
        return Answer("pdf", text, small_counts(text)), []
    if kind == "image/svg+xml":
        page = PageText()
        page.feed(body.decode("utf-8"))
        text = " ".join(page.text) + " " + " ".join(s["title"] + " " + s["desc"] for s in page.svgs)
        return Answer("svg", text, small_counts(text), page), []
    if kind == "image/png":
        return Answer("png" if body.startswith(b"\x89PNG\r\n\x1a\n") else "unreadable"), []
    if kind == "text/calendar":
        lines = [line for line in body.decode().splitlines() if line.startswith(("SUMMARY", "DESCRIPTION", "LOCATION"))]
        text = " ".join(lines)
        return Answer("calendar", text, small_counts(text)), []
    return Answer("unreadable"), []
