"""Every write of the governance area (house style: permission, validate, save, audit, notify on commit).

The audit entries name sentence keys, risk keys, versions and organisations; never the wording, which
is the team's and may quote the project.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from community_insights.portal.core import audit
from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.notifications import Message, notify
from community_insights.portal.datasets.models import DataSource
from community_insights.portal.governance import documents, permissions, selectors
from community_insights.portal.governance.models import (
    AgreementSignature,
    Dpia,
    DpiaEdit,
    DpiaRiskRating,
    DpiaVersion,
    Level,
    Severity,
    SharingAgreement,
)
from community_insights.portal.projects.models import Project

AGREEMENT_FIELDS = (
    "purpose",
    "legal_basis",
    "article9_condition",
    "data_items",
    "security",
    "retention",
    "review_date",
)


def _require(allowed: bool, message: str = "You do not have permission to do that.") -> None:
    if not allowed:
        raise NotPermitted(message)


def _emails_of_role(project: Project, *roles: str) -> list[str]:
    return sorted({r.user.email for r in project.roles.filter(role__in=roles).select_related("user") if r.user.email})


def _record_and_tell(
    actor: Any, action: str, target: Any, changes: dict[str, Any], to: list[str], subject: str, **email: Any
) -> None:
    """One audit entry, and one email queued for after the commit (template and context in ``email``)."""
    audit.record(actor=actor, action=action, target=target, changes=changes)
    notify(Message(to=to, subject=subject, template=email["template"], context=email["context"]))


def _dpia(actor: Any, project: Project) -> Dpia:
    dpia, _ = Dpia.objects.get_or_create(project=project, defaults={"created_by": actor})
    return dpia


@transaction.atomic
def dpia_sentence_edit(*, actor: Any, project: Project, key: str, text: str) -> None:
    """Put the team's wording in place of a drafted sentence; an empty text goes back to the draft."""
    _require(permissions.can_edit_dpia(actor, project))
    sentence = selectors.dpia_draft(project).sentence(key)
    if sentence is None:
        raise ApplicationError("This sentence is no longer in the draft: the evidence behind it has changed.")
    dpia = _dpia(actor, project)
    text = text.strip()
    if not text or text == sentence.drafted:
        DpiaEdit.objects.filter(dpia=dpia, key=key).delete()
    else:
        DpiaEdit.objects.update_or_create(
            dpia=dpia, key=key, defaults={"text": text, "drafted_text": sentence.drafted, "edited_by": actor}
        )
    audit.record(
        actor=actor, action="governance.dpia_edit", target=dpia, changes={"key": key, "back_to_draft": not text}
    )


@transaction.atomic
def dpia_risk_rate(
    *, actor: Any, project: Project, risk_key: str, likelihood: str, severity: str, accepted_reason: str = ""
) -> DpiaRiskRating:
    _require(permissions.can_edit_dpia(actor, project))
    if not any(r.key == risk_key for r in selectors.dpia_draft(project).risks):
        raise ApplicationError("This risk is no longer in the draft: the evidence behind it has changed.")
    if likelihood not in Level.values:
        raise ApplicationError("Choose how likely harm is.", field="likelihood")
    if severity not in Severity.values:
        raise ApplicationError("Choose how severe harm would be.", field="severity")
    dpia = _dpia(actor, project)
    rating, _ = DpiaRiskRating.objects.update_or_create(
        dpia=dpia,
        risk_key=risk_key,
        defaults={
            "likelihood": likelihood,
            "severity": severity,
            "accepted_reason": accepted_reason.strip(),
            "rated_by": actor,
        },
    )
    changes = {"risk": risk_key, "likelihood": likelihood, "severity": severity, "accepted": bool(accepted_reason)}
    audit.record(actor=actor, action="governance.dpia_risk_rate", target=dpia, changes=changes)
    return rating


@transaction.atomic
def dpia_submit(*, actor: Any, project: Project) -> DpiaVersion:
    """Freeze the draft as a new version and ask the information rights expert to decide on it."""
    _require(permissions.can_edit_dpia(actor, project))
    draft = selectors.dpia_draft(project)
    if draft.uncovered:
        titles = "; ".join(r.title for r in draft.uncovered)
        raise ApplicationError(f"Give every risk a measure, or accept it with a reason, before sending: {titles}.")
    dpia = _dpia(actor, project)
    dpia.versions.filter(decision=DpiaVersion.Decision.PENDING).update(decision=DpiaVersion.Decision.SUPERSEDED)
    number = (dpia.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = DpiaVersion.objects.create(
        dpia=dpia, number=number, snapshot=draft.to_snapshot(), section_hashes=draft.hashes, submitted_by=actor
    )
    _record_and_tell(
        actor,
        "governance.dpia_submit",
        version,
        {"number": number},
        to=_emails_of_role(project, *permissions.DECIDER_ROLES),
        subject=f"DPIA version {number} of {project.title} needs your decision",
        template="governance/email/dpia_submitted",
        context={"project": project, "version": version},
    )
    return version


@transaction.atomic
def dpia_decide(
    *, actor: Any, version: DpiaVersion, decision: str, dpo_advice: str = "", residual_risk: str = "", comment: str = ""
) -> DpiaVersion:
    """The information rights officer's decision, the DPO's advice and the residual risk, on one version."""
    project = version.dpia.project
    _require(permissions.can_decide_dpia(actor, project))
    if version.decision != DpiaVersion.Decision.PENDING:
        raise ApplicationError("This version has already been decided or replaced.")
    if decision not in (DpiaVersion.Decision.APPROVED, DpiaVersion.Decision.CHANGES_NEEDED):
        raise ApplicationError("Choose approve or changes needed.", field="decision")
    if decision == DpiaVersion.Decision.APPROVED:
        if version.submitted_by_id == actor.pk:
            raise NotPermitted("Someone other than the person who sent this version must approve it.")
        if not dpo_advice.strip():
            raise ApplicationError("Record the data protection officer's advice.", field="dpo_advice")
        if residual_risk not in Level.values:
            raise ApplicationError("Choose the residual risk.", field="residual_risk")
        if selectors.dpia_draft(project).hashes != version.section_hashes:
            raise ApplicationError("The evidence or the wording changed after this version was sent: send it again.")
    elif not comment.strip():
        raise ApplicationError("Say what needs to change.", field="comment")
    version.decision = decision
    version.dpo_advice = dpo_advice.strip()
    version.residual_risk = residual_risk if decision == DpiaVersion.Decision.APPROVED else ""
    version.comment = comment.strip()
    version.decided_by = actor
    version.decided_at = timezone.now()
    version.save(
        update_fields=["decision", "dpo_advice", "residual_risk", "comment", "decided_by", "decided_at", "updated_at"]
    )
    _record_and_tell(
        actor,
        "governance.dpia_decide",
        version,
        {"number": version.number, "decision": decision, "residual_risk": version.residual_risk},
        to=[getattr(version.submitted_by, "email", "")],
        subject=f"Decision on DPIA version {version.number} of {project.title}",
        template="governance/email/dpia_decided",
        context={"project": project, "version": version},
    )
    return version


def _agreement_errors(source: DataSource, values: dict[str, Any], today: dt.date) -> None:
    if values["review_date"] <= today:
        raise ApplicationError("The review date must be in the future.", field="review_date")
    special = [c for d in selectors.project_evidence_for_source(source) for c in d.columns("special_category")]
    if special and not str(values.get("article9_condition", "")).strip():
        raise ApplicationError(
            f"This data holds special category data ({', '.join(special)}): name the Article 9 condition.",
            field="article9_condition",
        )


@transaction.atomic
def agreement_save(*, actor: Any, source: DataSource, recipients: Iterable[Any], **values: Any) -> SharingAgreement:
    """Write the agreement of one data flow; any change starts a new version, which everyone signs again."""
    _require(permissions.can_edit_agreement(actor, source.project))
    values = {k: values.get(k, "") for k in AGREEMENT_FIELDS}
    _agreement_errors(source, values, timezone.localdate())
    recipients = list(recipients)
    if not recipients:
        raise ApplicationError("Name at least one organisation that receives the data.", field="recipients")
    agreement = SharingAgreement.objects.filter(source=source).first()
    if agreement is None:
        agreement = SharingAgreement.objects.create(source=source, project=source.project, created_by=actor, **values)
        changed = True
    else:
        changed = any(getattr(agreement, k) != v for k, v in values.items()) or {o.pk for o in recipients} != set(
            agreement.recipients.values_list("pk", flat=True)
        )
        if changed:
            for k, v in values.items():
                setattr(agreement, k, v)
            agreement.version += 1
            agreement.save()
    agreement.recipients.set(recipients)
    if changed:
        audit.record(
            actor=actor,
            action="governance.agreement_save",
            target=agreement,
            changes={"source": source.pk, "version": agreement.version, "recipients": sorted(o.pk for o in recipients)},
        )
    return agreement


@transaction.atomic
def agreement_sign(*, actor: Any, agreement: SharingAgreement, signer_name: str, job_title: str) -> AgreementSignature:
    """A named person approves the current version for their organisation."""
    _require(
        permissions.can_sign_agreement(actor, agreement),
        "Only a member of the team who works for one of the organisations in the agreement can sign it.",
    )
    if not signer_name.strip():
        raise ApplicationError("Enter the name of the person signing.", field="signer_name")
    if not job_title.strip():
        raise ApplicationError("Enter their job title.", field="job_title")
    organisation = actor.organisation
    if AgreementSignature.objects.filter(
        agreement=agreement, version=agreement.version, organisation=organisation
    ).exists():
        raise ApplicationError(f"{organisation.name} has already signed this version.")
    signature = AgreementSignature.objects.create(
        agreement=agreement,
        version=agreement.version,
        organisation=organisation,
        signed_by=actor,
        signer_name=signer_name.strip(),
        job_title=job_title.strip(),
    )
    _record_and_tell(
        actor,
        "governance.agreement_sign",
        agreement,
        {"version": agreement.version, "organisation": organisation.pk},
        to=[getattr(agreement.created_by, "email", "")],
        subject=f"{organisation.name} signed the sharing agreement for {agreement.source.name}",
        template="governance/email/agreement_signed",
        context={"agreement": agreement, "signature": signature},
    )
    return signature


def _audited_download(
    actor: Any, action: str, target: Any, document: documents.Document, fmt: str, **changes: Any
) -> bytes:
    """Render a document for download and record who took which version in which format."""
    if fmt not in documents.FORMATS:
        raise ApplicationError("Choose Word (docx) or PDF.")
    content, _ = documents.render(document, fmt)
    with transaction.atomic():
        audit.record(actor=actor, action=action, target=target, changes={**changes, "format": fmt})
    return content


def dpia_download(*, actor: Any, version: DpiaVersion, fmt: str) -> bytes:
    """One DPIA version as a document to file; every download is on the audit trail.

    A filed copy leaves the portal, so the information rights officer can see who took which version.
    """
    project = version.dpia.project
    _require(permissions.can_view_governance(actor, project))
    history = list(selectors.dpia_versions(project).order_by("number"))
    document = documents.dpia_document(version, history)
    return _audited_download(actor, "governance.dpia_download", version, document, fmt, number=version.number)


def agreement_download(*, actor: Any, agreement: SharingAgreement, fmt: str) -> bytes:
    """The current version of an agreement as a document to file, with its signatories; audited."""
    _require(permissions.can_view_governance(actor, agreement.project))
    parties = selectors.parties(agreement)
    history = list(agreement.signatures.select_related("organisation").order_by("version", "created_at"))
    document = documents.agreement_document(agreement, parties, selectors.current_signatures(agreement), history)
    return _audited_download(
        actor, "governance.agreement_download", agreement, document, fmt, version=agreement.version
    )
