"""The kinds of notification a person can choose to get at once, or gathered in a daily or weekly digest.

Why a list of kinds rather than one switch: an information rights officer who
signs things off wants "waiting for your decision" at once, but may be happy to
read about projects moving on once a week. The kinds are derived from the
emails the portal sends today (each email template belongs to one kind). An
email that is not listed here - an invitation to join, a calendar invitation, a
reminder for tomorrow, or a message to someone from the public - always goes at
once: a digest would make it late, and the public have no preferences.
"""

from __future__ import annotations

from dataclasses import dataclass

IMMEDIATE, DAILY, WEEKLY = "immediate", "daily", "weekly"
FREQUENCIES: tuple[tuple[str, str], ...] = (
    (IMMEDIATE, "Straight away, one email each time"),
    (DAILY, "In a daily digest"),
    (WEEKLY, "In a weekly digest"),
)
DIGEST_FREQUENCIES = (DAILY, WEEKLY)


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    hint: str
    templates: tuple[str, ...]


KINDS: tuple[Kind, ...] = (
    Kind(
        "waiting_for_you",
        "Things waiting for your decision",
        "A DPIA to decide, a safe copy or an output to sign off, an evaluation to read, "
        "an output that may be used differently than planned, a proposed change to the guide, "
        "a proposal to share a pseudonymisation key with another programme.",
        (
            "governance/email/dpia_submitted",
            "datasets/email/sign_off_needed",
            "outputs/email/awaiting_sign_off",
            "selection/emails/evaluation_shared",
            "solutions/emails/used_differently",
            "guide/email/change_proposed",
            "datasets/email/key_agreement_proposed",
        ),
    ),
    Kind(
        "decisions",
        "Decisions on your work",
        "A DPIA decided, a sharing agreement signed, a remedy plan or an output approved or sent back, "
        "final checks done, a data safety check finished, news about an idea you put forward, "
        "a new version of the guide, an agreement to share a pseudonymisation key coming into force.",
        (
            "governance/email/dpia_decided",
            "governance/email/agreement_signed",
            "datasets/email/signed_off",
            "datasets/email/check_finished",
            "datasets/email/key_agreement_in_force",
            "outputs/email/signed_off",
            "solutions/emails/final_checks_done",
            "ideas/emails/idea_status",
            "selection/emails/outcome",
            "guide/email/version_published",
        ),
    ),
    Kind(
        "project_changes",
        "Changes to projects you work on",
        "A project moving to another phase, a new role for you, a solution chosen, a blog post you co-write.",
        (
            "projects/email/phase_advanced",
            "projects/email/role_assigned",
            "solutions/emails/option_chosen",
            "sharing/emails/blog_co_author",
        ),
    ),
    Kind(
        "from_the_public",
        "Ideas and messages from the public and partners",
        "A new idea, someone interested in taking part, an office hours booking or cancellation, "
        "an organisation that wants to use a project's insights.",
        (
            "ideas/emails/idea_for_facilitator",
            "ideas/emails/lead_for_facilitator",
            "ideas/emails/booking_booked_facilitator",
            "ideas/emails/booking_cancelled_facilitator",
            "sharing/emails/interest_for_team",
        ),
    ),
)

KINDS_BY_KEY: dict[str, Kind] = {kind.key: kind for kind in KINDS}
_KIND_OF_TEMPLATE: dict[str, str] = {template: kind.key for kind in KINDS for template in kind.templates}


def kind_of(template: str) -> str | None:
    """The kind an email template belongs to, or None when it always goes at once."""
    return _KIND_OF_TEMPLATE.get(template)
