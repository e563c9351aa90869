"""The final checks before an output is shared more widely (the guide's Phase 3, Part 2, Step 3).

The guide asks three things before sharing: does it behave as expected (does
the link open, does the document format properly), a final check for
personally identifiable information, and a security check (if it is a web
page or a protected file, are we confident it is working). The portal runs
what it can on the version's own files and asks a person the rest
(:data:`QUESTIONS`): only they can try the output where it will be shared.

Every row is plain words about the files, never a value from them: the rows
are shown to the team and kept on the record.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import resolve_url
from django.test.client import RequestFactory
from django.urls import Resolver404, resolve, reverse

from community_insights.portal.datasets.encryption import DecryptionError, open_bytes
from community_insights.safety import find_spans

PASS, FAIL = "pass", "fail"
MAX_LINKS = 50
_URL = re.compile(r"https?://[^\s<>\"'()\[\]]+")
_SVG_TEXT = re.compile(r">([^<>]+)<")
_SVG_HREF = re.compile(r"""\bhref=["']([^"']+)["']""")
_NAMES = {"pdf": "PDF", "html": "HTML page", "svg": "SVG picture", "png": "PNG picture", "csv": "CSV", "xlsx": "Excel"}


@dataclass(frozen=True)
class Question:
    """A final check only a person can answer, in the guide's words."""

    key: str
    text: str
    hint: str


QUESTIONS = (
    Question(
        "behaves_where_shared",
        "Does it behave as expected where people will find it?",
        "Open it the way the audience will: does the link open, does the document print and read properly?",
    ),
    Question(
        "protected_where_shared",
        "If it is a web page or a protected file, are we confident the protection is working?",
        "Try to open it as someone who should not be able to, and say what happened. "
        "If it will be fully public, answer yes and say so.",
    ),
)


def row(key: str, check: str, passed: bool, words: str) -> dict[str, str]:
    return {"key": key, "check": check, "outcome": PASS if passed else FAIL, "words": words}


@dataclass
class Contents:
    """What the version's files say: their text, their links, and what did not open."""

    texts: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def run(version: Any) -> list[dict[str, str]]:
    """Every automatic final check on ``version``, one row each, in the guide's order."""

    files = {}
    for stored in version.files.all():
        try:
            files[stored.format] = open_bytes(stored.sealed_bytes())
        except DecryptionError:
            continue  # the security row names a file that is not sealed with the portal's key
    contents = read_files(version, files)
    return [
        links_row(contents.links),
        renders_row(version, files, contents),
        personal_data_row(contents.texts),
        security_row(version),
        sign_off_row(version),
    ]


# --------------------------------------------------------------------------- reading the files


class _Page(HTMLParser):
    """The text, links and images without alternative text of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.links: list[str] = []
        self.unlabelled = 0
        self._figure = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("href", "src"):
            if found.get(name):
                self.links.append(str(found[name]))
        if tag == "figure":
            self._figure += 1
        if tag == "img" and not (found.get("alt") or "").strip():
            self.unlabelled += 1
        if tag == "svg" and not (found.get("aria-label") or found.get("aria-labelledby") or self._figure):
            self.unlabelled += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "figure":
            self._figure = max(0, self._figure - 1)

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.texts.append(data.strip())


def read_files(version: Any, files: dict[str, bytes]) -> Contents:
    """Open every file as its reader would; what cannot be opened, or lacks the title, is a problem."""

    contents = Contents(texts=[version.title, version.narrative, version.caveats, version.alt_text])
    title = _plain(version.title)
    for fmt, data in sorted(files.items()):
        try:
            texts, links, problem = _READERS[fmt](data, title)
        except Exception:  # noqa: BLE001 - a file that does not open is the finding, whatever the reason
            contents.problems.append(f"the {_NAMES.get(fmt, fmt)} does not open")
            continue
        contents.texts += texts
        contents.links += links
        if problem:
            contents.problems.append(problem)
    for text in (version.narrative, version.caveats, version.alt_text):
        contents.links += _URL.findall(text or "")
    contents.links = list(dict.fromkeys(contents.links))
    return contents


def _sentence(problems: list[str]) -> str:
    """Problems as one sentence: the first letter capital, the names (PDF, CSV) as they are."""
    text = "; ".join(problems)
    return f"{text[:1].upper()}{text[1:]}."


def _plain(text: str) -> str:
    return " ".join((text or "").split()).lower()


def _titled(fmt: str, texts: Iterable[str], title: str) -> str:
    return "" if title in _plain(" ".join(texts)) else f"the {_NAMES[fmt]} does not show the title"


def _pdf(data: bytes, title: str) -> tuple[list[str], list[str], str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    texts = [page.extract_text() or "" for page in reader.pages]
    links = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if action.get("/URI"):
                links.append(str(action["/URI"]))
    if not reader.pages:
        return [], [], "the PDF has no pages"
    return texts, links + _URL.findall(" ".join(texts)), _titled("pdf", texts, title)


def _html(data: bytes, title: str) -> tuple[list[str], list[str], str]:
    page = _Page()
    page.feed(data.decode("utf-8"))
    page.close()
    problem = _titled("html", page.texts, title)
    if page.unlabelled:
        problem = problem or f"{page.unlabelled} image(s) in the HTML page have no alternative text"
    return page.texts, page.links + _URL.findall(" ".join(page.texts)), problem


def _svg(data: bytes, title: str) -> tuple[list[str], list[str], str]:
    text = data.decode("utf-8")
    root = ET.fromstring(text)  # noqa: S314 - the engine's own SVG, opened to prove it parses
    texts = [t.strip() for t in _SVG_TEXT.findall(text) if t.strip()]
    labelled = root.get("aria-label") or root.get("aria-labelledby") or root.find("{http://www.w3.org/2000/svg}title")
    problem = _titled("svg", texts, title) or (
        "" if labelled is not None else "the SVG picture has no text alternative"
    )
    return texts, _SVG_HREF.findall(text) + _URL.findall(" ".join(texts)), problem


def _png(data: bytes, title: str) -> tuple[list[str], list[str], str]:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image.verify()
    return [], [], ""


def _csv(data: bytes, title: str) -> tuple[list[str], list[str], str]:
    text = data.decode("utf-8-sig")
    rows = [r for r in csv.reader(io.StringIO(text)) if r]
    cells = [cell for r in rows for cell in r if cell.strip()]
    return cells, _URL.findall(text), "" if rows else "the CSV is empty"


def _xlsx(data: bytes, title: str) -> tuple[list[str], list[str], str]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=False)
    cells, links = [], []
    for sheet in book.worksheets:
        for line in sheet.iter_rows():
            for cell in line:
                if cell.value is not None and str(cell.value).strip():
                    cells.append(str(cell.value))
                if cell.hyperlink is not None and cell.hyperlink.target:
                    links.append(str(cell.hyperlink.target))
    return cells, links + _URL.findall(" ".join(cells)), "" if cells else "the Excel file is empty"


_READERS = {"pdf": _pdf, "html": _html, "svg": _svg, "png": _png, "csv": _csv, "xlsx": _xlsx}


# --------------------------------------------------------------------------- the checks


def link_problem(link: str) -> str:
    """Why ``link`` does not open, or "" when it does: portal links by the portal's own URLs, others over the web."""

    if link.startswith(("#", "mailto:", "data:")):
        return ""
    if link.startswith("/"):
        try:
            resolve(link.split("?")[0].split("#")[0])
        except Resolver404:
            return "not a page of the portal"
        return ""
    if not link.startswith(("http://", "https://")):
        return "not a web link"
    timeout = float(getattr(settings, "INSIGHTS_LINK_TIMEOUT_SECONDS", 10))
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(link, method=method, headers={"User-Agent": "Community Insights link check"})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=timeout):  # noqa: S310 - http(s) only, checked above
                return ""
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in (403, 405, 501):
                continue  # some servers refuse HEAD; ask for the page itself
            return f"answered {error.code}"
        except (urllib.error.URLError, TimeoutError, OSError, ValueError):
            return "did not answer"
    return "did not answer"


def links_row(links: list[str]) -> dict[str, str]:
    check = "Does the link open?"
    if not links:
        return row("links", check, True, "The output has no links to follow.")
    if len(links) > MAX_LINKS:
        return row("links", check, False, f"The output has {len(links)} links; keep it to {MAX_LINKS} or fewer.")
    broken = [(link, why) for link in links if (why := link_problem(link))]
    if broken:
        listed = "; ".join(f"{link} ({why})" for link, why in broken)
        return row("links", check, False, f"{len(broken)} of {len(links)} links do not open: {listed}.")
    return row("links", check, True, f"All {len(links)} links open.")


def renders_row(version: Any, files: dict[str, bytes], contents: Contents) -> dict[str, str]:
    check = "Does the document format properly?"
    if not files:
        return row("renders", check, False, "No files were built for this version.")
    problems = list(contents.problems)
    if not (version.alt_text or "").strip():
        problems.append("the output has no alternative text for its picture")
    if problems:
        return row("renders", check, False, _sentence(problems))
    names = ", ".join(_NAMES.get(fmt, fmt) for fmt in sorted(files))
    return row("renders", check, True, f"Every file opens ({names}), shows the title and has alternative text.")


def personal_data_row(texts: list[str]) -> dict[str, str]:
    check = "Final check for personally identifiable information"
    spans = find_spans([t for t in texts if t and t.strip()], column="output text", use_model=False)
    kinds = sorted({str(getattr(s.type, "value", s.type)).replace("_", " ") for s in spans})
    if kinds:
        return row(
            "personal_data", check, False, f"The files' text may hold personal data ({', '.join(kinds)}); remove it."
        )
    return row("personal_data", check, True, "No names, identifiers or contact details were found in any file.")


def _portal_host() -> str:
    """A host name the portal answers to: a sign-in redirect builds a full address, and outside the tests
    RequestFactory's own "testserver" is refused as a disallowed host (``insights demo`` failed on it)."""
    named = [h for h in settings.ALLOWED_HOSTS if h and h != "*" and not h.startswith(".")]
    return named[0] if named else "localhost"


def _refuses(url: str, user: Any) -> bool:
    """Whether the portal refuses ``user`` the page or file at ``url`` (sign in first, or not found)."""

    request = RequestFactory(HTTP_HOST=_portal_host()).get(url)
    request.user = user
    match = resolve(url)
    try:
        response = match.func(request, *match.args, **match.kwargs)
    except Http404:
        return True
    if response.status_code == 302:
        return str(response["Location"]).startswith(resolve_url(settings.LOGIN_URL))
    return response.status_code in (403, 404)


def _storage_problem(stored: bytes, sha256: str) -> str:
    """Why a stored file is not safe at rest ("" when it is sealed and is the file that was built and approved)."""
    try:
        plain = open_bytes(stored)
    except DecryptionError:
        return "is not sealed"
    if plain and plain[:32] in stored:
        return "is not sealed"
    return "" if hashlib.sha256(plain).hexdigest() == sha256 else "has changed since it was built"


def security_row(version: Any) -> dict[str, str]:
    """The output's page and every download refuse someone not signed in and someone outside the project."""

    from community_insights.portal.people.models import User

    check = "Security: is the protected page or file really protected?"
    urls = [reverse("outputs:output_detail", args=[version.output_id])] + [
        reverse("outputs:version_download", args=[version.pk, f.format]) for f in version.files.all()
    ]
    outsider = User(pk=0, email="outsider@invalid", is_active=True)  # signed in, on no project, never saved
    open_to = [url for url in urls for user in (AnonymousUser(), outsider) if not _refuses(url, user)]
    stored = [(f.format, why) for f in version.files.all() if (why := _storage_problem(f.sealed_bytes(), f.sha256))]
    if open_to or stored:
        problems = [f"{url} opens for someone outside the project" for url in dict.fromkeys(open_to)]
        problems += [f"the stored {_NAMES.get(fmt, fmt)} {why}" for fmt, why in stored]
        return row("security", check, False, _sentence(problems))
    return row(
        "security",
        check,
        True,
        f"The output's page and its {len(urls) - 1} downloads refuse anyone not signed in and anyone outside "
        "the project; every stored file is sealed.",
    )


def sign_off_row(version: Any) -> dict[str, str]:
    check = "Approved for sharing by information rights"
    approval = version.sign_offs.filter(decision="approved").select_related("decided_by").first()
    if version.status != "approved" or approval is None:
        return row("sign_off", check, False, "Information rights have not approved this version for sharing yet.")
    who = approval.decided_by.get_full_name() if approval.decided_by else "information rights"
    when = approval.created_at
    return row("sign_off", check, True, f"Approved by {who} on {when.day} {when:%B %Y}.")
