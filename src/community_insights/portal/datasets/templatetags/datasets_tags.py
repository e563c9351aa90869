"""Small display helpers for dataset pages (tags in GOV.UK colours, percentages, labels)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

TAG_COLOURS = {
    "checking": "govuk-tag--blue",
    "queued": "govuk-tag--grey",
    "running": "govuk-tag--blue",
    "check_failed": "govuk-tag--red",
    "failed": "govuk-tag--red",
    "checked": "govuk-tag--light-blue",
    "planning": "govuk-tag--yellow",
    "draft": "govuk-tag--yellow",
    "applying": "govuk-tag--blue",
    "awaiting_sign_off": "govuk-tag--orange",
    "approved": "govuk-tag--green",
    "succeeded": "govuk-tag--green",
    "rejected": "govuk-tag--red",
    "superseded": "govuk-tag--grey",
    "deleted": "govuk-tag--grey",
    "safe to share": "govuk-tag--green",
    "needs remedies": "govuk-tag--orange",
    "not shareable": "govuk-tag--red",
    "direct_identifier": "govuk-tag--red",
    "special_category": "govuk-tag--purple",
    "quasi_identifier": "govuk-tag--orange",
    "system_id": "govuk-tag--pink",
    "free_text": "govuk-tag--yellow",
    "other": "govuk-tag--grey",
    "accepted": "govuk-tag--green",
    "overridden": "govuk-tag--purple",
    "signed": "govuk-tag--green",
    "needed": "govuk-tag--orange",
    "in_progress": "govuk-tag--yellow",
    "not_needed": "govuk-tag--grey",
    "expired": "govuk-tag--red",
}

KIND_LABELS = {
    "direct_identifier": "Direct identifier",
    "quasi_identifier": "Quasi-identifier",
    "special_category": "Special category",
    "system_id": "System ID",
    "free_text": "Free text",
    "other": "Not personal data",
}

ACTION_LABELS = {
    "keep": "Keep",
    "drop": "Drop the column",
    "redact_spans": "Redact personal data in the text",
    "pseudonymise": "Replace with a pseudonym",
    "generalise": "Generalise",
    "suppress_small_groups": "Keep, suppress small groups",
    "hash_file_reference": "Keyed hash of the reference",
}


@register.filter
def tag_class(value: Any) -> str:
    return TAG_COLOURS.get(str(value), "govuk-tag--grey")


@register.filter
def kind_label(value: Any) -> str:
    return KIND_LABELS.get(str(value), str(value).replace("_", " "))


@register.filter
def action_label(value: Any) -> str:
    return ACTION_LABELS.get(str(value), str(value).replace("_", " "))


@register.filter
def pii_label(value: Any) -> str:
    text = str(value).replace("_", " ")
    return text.upper() if text in ("NHS NUMBER", "NI NUMBER", "UPN", "IP ADDRESS") else text.capitalize()


@register.filter
def of_records(count: Any, total: Any) -> str:
    """A count of records with its share of those the check counted: ``25,258 (78%)``.

    Reports stored before shares were recorded have no total; the count then stands alone.
    """
    from community_insights.safety import records_share

    return records_share(int(count or 0), int(total or 0), noun=False)


@register.filter
def measure_label(value: Any) -> str:
    """An optional measure's name in the words of the check form ("entropy-l" → how evenly … )."""
    from community_insights.portal.datasets.forms import MEASURE_LABELS

    text = MEASURE_LABELS.get(str(value), str(value))
    return text[:1].lower() + text[1:]


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def may_read_findings(user: Any, dataset: Any) -> bool:
    """The rule of the findings page, so a link to it is shown only to people it will not refuse."""
    from community_insights.portal.datasets import permissions

    return bool(permissions.can_work_on_dataset(user, dataset) or permissions.can_sign_off(user, dataset))
