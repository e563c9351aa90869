"""Writes of the guide area: record the national guide, propose a change, discard it, publish a new version.

Each programme changes its own guide (issue 22): a proposal is made from the
current programme's published version, published as that programme's next
number, and told to that programme's staff. Each checks the named rule, validates the whole guide against the national
structure (:mod:`guide.schema`), writes one audit entry and tells programme
staff on commit. Publishing makes the proposal the newest version and tells the
loader to look again, so every page reads the new words from the next request.
"""

from __future__ import annotations

from typing import Any

import yaml
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from community_insights.portal import guide
from community_insights.portal.core import audit
from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.notifications import Message, notify
from community_insights.portal.guide import schema, selectors
from community_insights.portal.guide.models import GuideVersion, content_digest
from community_insights.portal.guide.permissions import can_propose_change, can_publish_version
from community_insights.portal.programme.current import current_programme_id
from community_insights.portal.programme.models import Programme, ProgrammeMembership
from community_insights.portal.reflections.models import RetroCard

#: The most text a section's form takes (the largest national section is under 7,000 characters).
MAX_SECTION_CHARACTERS = 60_000


class _NoAliases(yaml.SafeLoader):
    """YAML without anchors and aliases: a few lines of aliases can stand for gigabytes of JSON."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise ApplicationError("Write each entry out in full: references (*name) are not used in the guide.")
        return super().compose_node(parent, index)


def parse_section(name: str, text: str) -> Any:
    """A section's text as data, or an error that says where it went wrong, in plain words."""
    if len(text) > MAX_SECTION_CHARACTERS:
        raise ApplicationError("The section is too long to be part of the guide.", field="text")
    try:
        data = yaml.load(text, Loader=_NoAliases)  # noqa: S506 - a SafeLoader that also refuses aliases
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        where = f" on line {line}" if line else ""
        raise ApplicationError(f"The text could not be read{where}: {exc.problem}.", field="text") from None
    except yaml.YAMLError:
        raise ApplicationError("The text could not be read as the guide's notation.", field="text") from None
    try:
        schema.validate_section(name, data)
    except schema.SchemaError as exc:
        raise ApplicationError(str(exc), field="text") from None
    return data


def _staff_emails(*, but: Any = None) -> list[str]:
    """The current programme's staff: they look after its guide (staff of another programme are not told)."""
    staff = ProgrammeMembership.objects.filter(
        programme_id=current_programme_id(), role=ProgrammeMembership.Role.STAFF, user__is_active=True
    ).exclude(user__email="")
    return [m.user.email for m in staff.select_related("user").order_by("user__email") if m.user != but]


def _check_here(version: GuideVersion) -> None:
    """Refuse a proposal of another programme's guide (its pages answer 404 before this is reached)."""
    if version.programme_id != current_programme_id():
        raise NotPermitted("This is a change to another programme's guide.")


@transaction.atomic
def guide_version_seed(*, actor: Any = "national guide", programme: Programme | None = None) -> GuideVersion:
    """Record the national guide as ``programme``'s version 1 (the current one's by default), unless it has one.

    A programme's guide starts from the national guide (issue 22): setting up a
    programme calls this, and so does the first write that needs a version.
    """
    programme_id = programme.pk if programme is not None else current_programme_id()
    current = (
        GuideVersion.objects.filter(programme_id=programme_id, status=GuideVersion.Status.PUBLISHED)
        .order_by("-number")
        .first()
    )
    if current is not None:
        return current
    content = guide.national_content()
    schema.validate(content)
    version = GuideVersion.objects.create(
        programme_id=programme_id,
        number=1,
        status=GuideVersion.Status.PUBLISHED,
        content=content,
        digest=content_digest(content),
        change_note="The national Community Insights user guide.",
        published_at=timezone.now(),
    )
    audit.record(actor=actor, action="guide.version_seed", target=version, changes={"number": 1})
    guide.forget_published()
    return version


@transaction.atomic
def guide_change_propose(
    *, actor: Any, section: str, text: str, change_note: str, prompted_by: RetroCard | None = None
) -> GuideVersion:
    """Draft a new version: the published guide with one section replaced by ``text``."""
    if not can_propose_change(actor):
        raise NotPermitted("Only programme staff propose changes to the guide.")
    if section not in guide.SECTION_NAMES:
        raise ApplicationError("Choose a section of the guide to change.")
    if not change_note.strip():
        raise ApplicationError("Say what the change is and why, for the change history.", field="change_note")
    base = selectors.published_version() or guide_version_seed()
    data = parse_section(section, text)
    if data == base.content[section]:
        raise ApplicationError("The text is the same as the published guide: change something first.", field="text")
    content = {**base.content, section: data}
    proposal = GuideVersion(
        programme_id=base.programme_id,
        status=GuideVersion.Status.DRAFT,
        content=content,
        digest=content_digest(content),
        section=section,
        based_on=base,
        change_note=change_note.strip(),
        proposed_by=actor,
        prompted_by=prompted_by,
    )
    proposal.full_clean()
    proposal.save()
    audit.record(
        actor=actor,
        action="guide.change_propose",
        target=proposal,
        changes={"section": section, "based_on": base.number, "prompted_by_card": getattr(prompted_by, "pk", None)},
    )
    notify(
        Message(
            to=_staff_emails(but=actor),
            subject=f"A change to the guide is proposed: {selectors.section_title(section)}",
            template="guide/email/change_proposed",
            context={"section": selectors.section_title(section), "note": proposal.change_note},
        )
    )
    return proposal


@transaction.atomic
def guide_change_discard(*, actor: Any, proposal: GuideVersion) -> None:
    """Throw a proposed change away (the audit log keeps that it was proposed and discarded)."""
    if not can_publish_version(actor):
        raise NotPermitted("Only programme staff discard proposed changes to the guide.")
    _check_here(proposal)
    if proposal.status != GuideVersion.Status.DRAFT:
        raise ApplicationError("A published version stays in the guide's history.")
    audit.record(actor=actor, action="guide.change_discard", target=proposal, changes={"section": proposal.section})
    proposal.delete()


@transaction.atomic
def guide_version_publish(*, actor: Any, proposal: GuideVersion, change_note: str) -> GuideVersion:
    """Make a proposed change the guide's newest version, with the change note everyone reads in the history."""
    if not can_publish_version(actor):
        raise NotPermitted("Only programme staff publish a new version of the guide.")
    proposal = GuideVersion.objects.select_for_update().get(pk=proposal.pk)
    _check_here(proposal)
    if proposal.status != GuideVersion.Status.DRAFT:
        raise ApplicationError("This change is already published.")
    if not change_note.strip():
        raise ApplicationError("Write the change note everyone will read in the history.", field="change_note")
    current = selectors.published_version()
    if current is not None and proposal.based_on_id != current.pk:
        raise ApplicationError(
            f"The guide has changed since this was proposed (it is now at version {current.number}): "
            "propose the change again from the published text."
        )
    schema.validate(proposal.content)
    latest = GuideVersion.objects.filter(programme=proposal.programme_id).aggregate(latest=Max("number"))["latest"]
    latest = latest or 0
    proposal.number = latest + 1
    proposal.status = GuideVersion.Status.PUBLISHED
    proposal.change_note = change_note.strip()
    proposal.published_by = actor
    proposal.published_at = timezone.now()
    proposal.full_clean()
    proposal.save(update_fields=["number", "status", "change_note", "published_by", "published_at", "updated_at"])
    audit.record(
        actor=actor,
        action="guide.version_publish",
        target=proposal,
        changes={"number": proposal.number, "section": proposal.section},
    )
    notify(
        Message(
            to=_staff_emails(but=actor),
            subject=f"Version {proposal.number} of the guide is published",
            template="guide/email/version_published",
            context={
                "number": proposal.number,
                "section": selectors.section_title(proposal.section),
                "note": proposal.change_note,
            },
        )
    )
    guide.forget_published()
    transaction.on_commit(guide.forget_published)
    return proposal
