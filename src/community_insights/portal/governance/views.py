"""Thin views of the governance area: the DPIA, the sharing agreements and the page of what is missing.

Each view finds its object through a scoped selector (404 for anyone outside the project), asks the
named rule, binds a form with ``posted(request)`` and calls one service; none writes or catches errors.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community_insights.portal.core.viewtools import call_service_with_message, deny_unless, posted, submit_form
from community_insights.portal.datasets.models import DataSource
from community_insights.portal.datasets.selectors import data_source_get_for_user
from community_insights.portal.governance import documents, forms, permissions, selectors, services
from community_insights.portal.governance.models import SharingAgreement
from community_insights.portal.projects.models import Project

GET_POST = require_http_methods(["GET", "POST"])
STATUS_LABELS = dict(DataSource.AgreementStatus.choices)


def _project(request: HttpRequest, slug: str) -> Project:
    return selectors.project_get_for_user(user=request.user, slug=slug)


def _agreement(request: HttpRequest, pk: int) -> SharingAgreement:
    agreement = SharingAgreement.objects.select_related("project", "source__owner_organisation").filter(pk=pk).first()
    if agreement is None or not permissions.can_view_governance(request.user, agreement.project):
        raise Http404("No such agreement.")
    return agreement


def _download(content: bytes, fmt: str, name: str) -> HttpResponse:
    content_type = documents.FORMATS[fmt][0]
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.{fmt}"'
    return response


def _form_page(request: HttpRequest, project: Project, form: Any, title: str, back: str, **extra: Any) -> HttpResponse:
    context = {"project": project, "form": form, "title": title, "back": back, **extra}
    return render(request, "governance/form_page.html", context)


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """The information rights officer's page: each project they oversee and what stops it publishing."""
    deny_unless(permissions.can_open_overview(request.user))
    return render(request, "governance/overview.html", {"gates": selectors.gates_for_user(request.user)})


@login_required
@require_GET
def project(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    agreements = {a.source_id: a for a in selectors.agreement_list(project)}
    flows = [
        {
            "source": s,
            "agreement": agreements.get(s.pk),
            "status": STATUS_LABELS[selectors.agreement_status_for_source(s)],
            "unsigned": selectors.unsigned_parties(agreements[s.pk]) if s.pk in agreements else [],
        }
        for s in project.data_sources.select_related("owner_organisation").order_by("name")
    ]
    context = {
        "project": project,
        "gate": selectors.project_may_publish(project),
        "approved": selectors.last_approved(project),
        "pending": selectors.pending_version(project),
        "flows": flows,
        "can_edit_agreement": permissions.can_edit_agreement(request.user, project),
    }
    return render(request, "governance/project.html", context)


@login_required
@require_GET
def dpia(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    draft = selectors.dpia_draft(project)
    context = {
        "project": project,
        "draft": draft,
        "changed": selectors.changed_since_approval(project, draft),
        "approved": selectors.last_approved(project),
        "pending": selectors.pending_version(project),
        "versions": selectors.dpia_versions(project),
        "can_edit": permissions.can_edit_dpia(request.user, project),
        "can_decide": permissions.can_decide_dpia(request.user, project),
    }
    return render(request, "governance/dpia.html", context)


@login_required
@GET_POST
def dpia_edit(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    project = _project(request, slug)
    deny_unless(permissions.can_edit_dpia(request.user, project))
    sentence = selectors.dpia_draft(project).sentence(key)
    if sentence is None:
        raise Http404("No such sentence.")
    back = reverse("governance:dpia", args=[slug]) + f"#{key.replace('.', '-')}"
    form = forms.SentenceForm(posted(request), initial={"text": sentence.text})
    done = submit_form(request, form, services.dpia_sentence_edit, "Sentence saved.", back, project=project, key=key)
    return done or _form_page(request, project, form, "Edit a sentence of the DPIA", back, sentence=sentence)


@login_required
@GET_POST
def dpia_risk(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    project = _project(request, slug)
    deny_unless(permissions.can_edit_dpia(request.user, project))
    risk = next((r for r in selectors.dpia_draft(project).risks if r.key == key), None)
    if risk is None:
        raise Http404("No such risk.")
    back = reverse("governance:dpia", args=[slug]) + f"#{key.replace('.', '-')}"
    initial = {"likelihood": risk.likelihood, "severity": risk.severity, "accepted_reason": risk.accepted_reason}
    form = forms.RiskForm(posted(request), initial=initial)
    done = submit_form(request, form, services.dpia_risk_rate, "Risk rated.", back, project=project, risk_key=key)
    return done or _form_page(request, project, form, f"Rate the risk: {risk.title}", back, risk=risk)


@login_required
@require_POST
def dpia_submit(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    success = "Sent to information rights for a decision."
    call_service_with_message(request, services.dpia_submit, success=success, actor=request.user, project=project)
    return redirect("governance:dpia", slug=slug)


@login_required
@GET_POST
def dpia_decide(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    project = _project(request, slug)
    deny_unless(permissions.can_decide_dpia(request.user, project))
    version = selectors.dpia_version_get(project=project, number=number)
    if version is None:
        raise Http404("No such version.")
    back = reverse("governance:dpia", args=[slug])
    form = forms.DecisionForm(posted(request))
    done = submit_form(request, form, services.dpia_decide, "Decision recorded.", back, version=version)
    return done or _form_page(request, project, form, f"Decide on DPIA version {number}", back, version=version)


@login_required
@require_GET
def dpia_export(request: HttpRequest, slug: str, number: int, fmt: str) -> HttpResponse:
    project = _project(request, slug)
    version = selectors.dpia_version_get(project=project, number=number)
    if version is None or fmt not in documents.FORMATS:
        raise Http404("No such version.")
    content = services.dpia_download(actor=request.user, version=version, fmt=fmt)
    return _download(content, fmt, f"dpia-{project.slug}-v{number}")


@login_required
@GET_POST
def agreement_edit(request: HttpRequest, source_id: int) -> HttpResponse:
    source = data_source_get_for_user(user=request.user, source_id=source_id)
    project = source.project
    deny_unless(permissions.can_edit_agreement(request.user, project))
    agreement = SharingAgreement.objects.filter(source=source).first()
    drafted = selectors.agreement_initial(source)
    if agreement is not None:
        initial: dict[str, Any] = {k: getattr(agreement, k) for k in services.AGREEMENT_FIELDS}
        initial["recipients"] = list(agreement.recipients.all())
    else:
        initial = {**drafted, "recipients": selectors.team_organisations(project, exclude=source.owner_organisation)}
    form = forms.AgreementForm(
        posted(request), initial=initial, organisations=selectors.organisations(), special=drafted["special_columns"]
    )
    back = reverse("governance:project", args=[project.slug])
    done = submit_form(request, form, services.agreement_save, "Agreement saved.", back, source=source)
    return done or _form_page(request, project, form, f"Sharing agreement: {source.name}", back, source=source)


@login_required
@require_GET
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    unsigned = selectors.unsigned_parties(agreement)
    context = {
        "project": agreement.project,
        "agreement": agreement,
        "parties": selectors.parties(agreement),
        "signatures": selectors.current_signatures(agreement),
        "unsigned": unsigned,
        "status_label": STATUS_LABELS[selectors.agreement_status(agreement)],
        "history": agreement.signatures.select_related("organisation").order_by("version", "created_at"),
        # Offered only while the person's organisation has still to sign this version.
        "can_sign": permissions.can_sign_agreement(request.user, agreement)
        and any(o.pk == getattr(request.user, "organisation_id", None) for o in unsigned),
        "can_edit": permissions.can_edit_agreement(request.user, agreement.project),
    }
    return render(request, "governance/agreement.html", context)


@login_required
@GET_POST
def agreement_sign(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    deny_unless(permissions.can_sign_agreement(request.user, agreement))
    back = reverse("governance:agreement", args=[pk])
    form = forms.SignForm(posted(request), initial={"signer_name": getattr(request.user, "full_name", "")})
    done = submit_form(request, form, services.agreement_sign, "Agreement signed.", back, agreement=agreement)
    title = f"Sign the sharing agreement for {agreement.source.name}"
    return done or _form_page(request, agreement.project, form, title, back, agreement=agreement)


@login_required
@require_GET
def agreement_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    agreement = _agreement(request, pk)
    if fmt not in documents.FORMATS:
        raise Http404("No such format.")
    content = services.agreement_download(actor=request.user, agreement=agreement, fmt=fmt)
    return _download(content, fmt, f"sharing-agreement-{agreement.source.name}-v{agreement.version}")
