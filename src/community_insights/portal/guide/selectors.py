"""Reads of the guide area: the published version, the history, proposals, a section as text, a difference.

Every read is of the current programme's guide (issue 22): another programme's
versions and proposals are never listed, and asking for one answers 404.

A section is shown and edited as YAML, the national guide's own notation, so a
proposal reads exactly like the files the guide started from, and a
difference is a line-by-line comparison of the two texts (difflib).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

import yaml
from django.db.models import QuerySet
from django.http import Http404

from community_insights.portal import guide
from community_insights.portal.guide.models import GuideVersion
from community_insights.portal.programme.current import current_programme_id
from community_insights.portal.reflections.models import RetroCard

#: Lines of unchanged text shown around each change.
CONTEXT_LINES = 2


def _programmes_versions() -> QuerySet[GuideVersion]:
    return GuideVersion.objects.filter(programme_id=current_programme_id())


def published_version() -> GuideVersion | None:
    """The version the current programme reads (its newest published one); None before it has one."""
    published = _programmes_versions().filter(status=GuideVersion.Status.PUBLISHED)
    return published.select_related("programme").order_by("-number").first()


def version_list() -> QuerySet[GuideVersion]:
    """Every published version of the programme's guide, newest first, with who published it: its change history."""
    return (
        _programmes_versions()
        .filter(status=GuideVersion.Status.PUBLISHED)
        .select_related("published_by", "prompted_by__project")
    )


def version_get(*, number: int) -> GuideVersion:
    version = version_list().filter(number=number).first()
    if version is None:
        raise Http404("No such version of the guide.")
    return version


def proposal_list() -> QuerySet[GuideVersion]:
    """Proposed changes to the programme's guide waiting to be published or discarded, oldest first."""
    return (
        _programmes_versions()
        .filter(status=GuideVersion.Status.DRAFT)
        .select_related("proposed_by", "based_on", "prompted_by__project")
        .order_by("created_at")
    )


def proposal_get(*, pk: int) -> GuideVersion:
    proposal = proposal_list().filter(pk=pk).first()
    if proposal is None:
        raise Http404("No such proposed change.")
    return proposal


def section_title(name: str) -> str:
    return dict(guide.SECTIONS)[name]


def section_text(content: dict[str, Any], name: str) -> str:
    """A section as YAML, in the guide's order of fields and with its own characters (not escapes)."""
    return yaml.safe_dump(content[name], sort_keys=False, allow_unicode=True, width=100)


@dataclass(frozen=True)
class DiffLine:
    """One line of a difference: ``kind`` is "same", "removed", "added" or "gap" (unchanged lines left out)."""

    kind: str
    old_number: int | None
    new_number: int | None
    text: str


def diff_lines(old: str, new: str) -> list[DiffLine]:
    """The lines that changed between ``old`` and ``new``, with a little unchanged text around each."""
    a, b = old.splitlines(), new.splitlines()
    lines: list[DiffLine] = []
    for group in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_grouped_opcodes(CONTEXT_LINES):
        if lines:
            lines.append(DiffLine("gap", None, None, ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [DiffLine("same", i + 1, j1 + (i - i1) + 1, a[i]) for i in range(i1, i2)]
                continue
            lines += [DiffLine("removed", i + 1, None, a[i]) for i in range(i1, i2)]
            lines += [DiffLine("added", None, j + 1, b[j]) for j in range(j1, j2)]
    return lines


def proposal_diff(proposal: GuideVersion) -> list[DiffLine]:
    """What the proposal changes in its section, against the version now published."""
    current = published_version()
    base = current.content if current else guide.national_content()
    name = proposal.section
    return diff_lines(section_text(base, name), section_text(proposal.content, name))


def version_changes(version: GuideVersion) -> list[str]:
    """The titles of the sections a published version changed from the one before it."""
    before = (
        GuideVersion.objects.filter(
            programme=version.programme_id, status=GuideVersion.Status.PUBLISHED, number__lt=version.number
        )
        .order_by("-number")
        .only("content")
        .first()
    )
    if before is None:
        return []
    return [title for name, title in guide.SECTIONS if before.content.get(name) != version.content.get(name)]


def prompting_card(*, card_id: str | None) -> RetroCard | None:
    """The retrospective card a change starts from (staff only reach this), or None when there is none."""
    if not card_id or not str(card_id).isdigit():
        return None
    return (
        RetroCard.objects.select_related("project")
        .filter(pk=int(card_id), project__programme_id=current_programme_id())
        .first()
    )
