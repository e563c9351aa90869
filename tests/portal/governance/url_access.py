"""Who may open each URL of the governance area (format: tests/portal/access.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from community_insights.portal.governance import selectors
from community_insights.portal.governance.models import Dpia, DpiaVersion, SharingAgreement
from tests.portal.access import LOGIN, MEMBERS, Case, expect
from tests.portal.governance.factories import health_csv, make_checked, make_source

EDITORS = ("facilitator", "delivery_lead", "data_analyst", "information_rights", "contracts_legal")
AGREEMENT_EDITORS = ("facilitator", "delivery_lead", "information_rights", "contracts_legal")
# People on the project who work for the council (the data's owner) or the food partnership (the recipient).
PARTIES = (
    "delivery_lead",
    "data_analyst",
    "communities_representative",
    "contracts_legal",
    "information_rights",
    "vcs_member_lead",
    "advisory_panel",
    "subject_matter_expert",
)


def _only(roles: tuple[str, ...], ok: int) -> dict[str, Any]:
    return expect(LOGIN, default=403, outsider=404, **dict.fromkeys(roles, ok))


def _slug(w: Any) -> dict[str, Any]:
    return {"slug": w.project.slug}


def _sentence(w: Any) -> dict[str, Any]:
    return {"slug": w.project.slug, "key": "description.purpose"}


def _risk(w: Any) -> dict[str, Any]:
    make_checked(w, make_source(w), health_csv(rows=20), plan=False)
    return {"slug": w.project.slug, "key": selectors.dpia_draft(w.project).risks[0].key}


def _version(w: Any) -> dict[str, Any]:
    draft = selectors.dpia_draft(w.project)
    dpia = Dpia.objects.create(project=w.project)
    DpiaVersion.objects.create(
        dpia=dpia,
        number=1,
        snapshot=draft.to_snapshot(),
        section_hashes=draft.hashes,
        submitted_by=w.user("facilitator"),
    )
    return {"slug": w.project.slug, "number": 1}


def _agreement(w: Any) -> SharingAgreement:
    source = make_source(w)
    agreement = SharingAgreement.objects.create(
        source=source,
        project=w.project,
        purpose="To answer the question.",
        legal_basis="Public task.",
        data_items="ward, visits",
        security="Encrypted.",
        retention="One year.",
        review_date=dt.date.today() + dt.timedelta(days=365),
    )
    agreement.recipients.set([w.organisations["vcs"]])
    return agreement


def _agreement_form(w: Any) -> dict[str, Any]:
    review = dt.date.today() + dt.timedelta(days=365)
    return {
        "recipients": [w.organisations["vcs"].pk],
        "purpose": "To answer the question.",
        "legal_basis": "Public task; Data Protection Act 2018.",
        "data_items": "ward, visits",
        "security": "Encrypted.",
        "retention": "One year.",
        "review_date_0": str(review.day),
        "review_date_1": str(review.month),
        "review_date_2": str(review.year),
    }


CASES = [
    Case(
        "governance:overview",
        expect=expect(LOGIN, default=403, information_rights=200, staff=200),
    ),
    Case("governance:project", kwargs=_slug, expect=MEMBERS),
    Case("governance:dpia", kwargs=_slug, expect=MEMBERS),
    Case("governance:dpia_edit", kwargs=_sentence, expect=_only(EDITORS, 200)),
    Case(
        "governance:dpia_edit",
        kwargs=_sentence,
        method="post",
        data=lambda w: {"text": "Our wording."},
        expect=_only(EDITORS, 302),
    ),
    Case("governance:dpia_risk", kwargs=_risk, expect=_only(EDITORS, 200)),
    Case(
        "governance:dpia_risk",
        kwargs=_risk,
        method="post",
        data=lambda w: {"likelihood": "low", "severity": "minimal", "accepted_reason": "Kept in the council."},
        expect=_only(EDITORS, 302),
    ),
    Case("governance:dpia_submit", kwargs=_slug, method="post", expect=_only(EDITORS, 302)),
    Case("governance:dpia_decide", kwargs=_version, expect=_only(("information_rights",), 200)),
    Case(
        "governance:dpia_decide",
        kwargs=_version,
        method="post",
        data=lambda w: {"decision": "approved", "dpo_advice": "Proceed.", "residual_risk": "low"},
        expect=_only(("information_rights",), 302),
    ),
    Case("governance:dpia_export", kwargs=lambda w: {**_version(w), "fmt": "docx"}, expect=MEMBERS),
    Case(
        "governance:agreement_edit",
        kwargs=lambda w: {"source_id": make_source(w).pk},
        expect=_only(AGREEMENT_EDITORS, 200),
    ),
    Case(
        "governance:agreement_edit",
        kwargs=lambda w: {"source_id": make_source(w).pk},
        method="post",
        data=_agreement_form,
        expect=_only(AGREEMENT_EDITORS, 302),
    ),
    Case("governance:agreement", kwargs=lambda w: {"pk": _agreement(w).pk}, expect=MEMBERS),
    Case("governance:agreement_sign", kwargs=lambda w: {"pk": _agreement(w).pk}, expect=_only(PARTIES, 200)),
    Case(
        "governance:agreement_sign",
        kwargs=lambda w: {"pk": _agreement(w).pk},
        method="post",
        data=lambda w: {"signer_name": "A Person", "job_title": "Director"},
        expect=_only(PARTIES, 302),
    ),
    Case("governance:agreement_export", kwargs=lambda w: {"pk": _agreement(w).pk, "fmt": "pdf"}, expect=MEMBERS),
]
