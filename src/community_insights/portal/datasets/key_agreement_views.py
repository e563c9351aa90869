"""Pages for key sharing agreements: two programmes matching pseudonyms, only by a recorded agreement (issue 22).

An information rights officer of the current programme sees its agreements on
either side, proposes one (the other programme, why, until when) and approves
one for their own programme. Another programme's agreement answers 404, like
any record of it; everyone else here is refused (403). The rules, the audit
entries and the emails are the services' (``datasets.key_agreements``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from community_insights.portal.core.forms import ConfirmForm
from community_insights.portal.core.viewtools import call_service, deny_unless, posted
from community_insights.portal.datasets import key_agreements, permissions, selectors
from community_insights.portal.datasets.forms import KeyAgreementProposeForm
from community_insights.portal.programme.current import current_programme

GET_POST = require_http_methods(["GET", "POST"])


@login_required
@require_GET
def key_agreement_list(request: HttpRequest) -> HttpResponse:
    deny_unless(permissions.can_manage_key_agreements(request.user))
    today = timezone.localdate()
    agreements = [(a, key_agreements.agreement_state(a, on=today)) for a in selectors.key_agreement_list()]
    context = {
        "agreements": agreements,
        "can_propose": selectors.key_agreement_partners().exists(),
        "programme": current_programme(),
    }
    return render(request, "datasets/key_agreements.html", context)


@login_required
@GET_POST
def key_agreement_propose(request: HttpRequest) -> HttpResponse:
    deny_unless(permissions.can_manage_key_agreements(request.user))
    form = KeyAgreementProposeForm(posted(request), partners=selectors.key_agreement_partners())
    if form.is_valid():
        ok, agreement = call_service(
            form, key_agreements.key_agreement_propose, actor=request.user, programme=current_programme(),
            **form.cleaned_data,
        )  # fmt: skip
        if ok and agreement is not None:
            messages.success(request, f"The agreement is proposed. {agreement.partner} has been told.")
            return redirect("datasets:key_agreement_detail", agreement_id=agreement.pk)
    intro = (
        "Nothing is shared until an information rights officer of each programme approves it. "
        "While it is in force, both programmes' safe copies use one shared key, so their pseudonyms match."
    )
    return render(request, "datasets/form_page.html", {"form": form, "title": form.Layout.TITLE, "intro": intro})


@login_required
@GET_POST
def key_agreement_detail(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """One agreement: who, why, until when and each side's approval; approving it for this programme."""
    deny_unless(permissions.can_manage_key_agreements(request.user))
    agreement = selectors.key_agreement_get(agreement_id=agreement_id)
    programme = current_programme()
    form = ConfirmForm(posted(request), button=f"Approve for {programme}")
    if form.is_valid():
        ok, approved = call_service(
            form, key_agreements.key_agreement_approve, actor=request.user, agreement=agreement, programme=programme
        )
        if ok and approved is not None:
            done = "It is in force: both programmes now use the shared key." if approved.is_approved else ""
            messages.success(request, f"You approved the agreement for {programme}. {done}".strip())
            return redirect("datasets:key_agreement_detail", agreement_id=agreement.pk)
    own_side = agreement.programme_id == programme.pk
    context = {
        "agreement": agreement,
        "state": key_agreements.agreement_state(agreement),
        "form": form,
        "can_approve": (agreement.approved_at if own_side else agreement.partner_approved_at) is None
        and key_agreements.agreement_state(agreement) != "Ended",
        "programme": programme,
    }
    return render(request, "datasets/key_agreement.html", context)
