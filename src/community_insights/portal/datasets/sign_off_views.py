"""Small pages beside the main dataset views: a sample of the safe copy for the person signing it
off, and accepting every finding at once."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from community_insights.portal.core.exceptions import ApplicationError
from community_insights.portal.core.viewtools import deny_unless
from community_insights.portal.datasets import permissions, review, selectors, sign_off


@login_required
@require_GET
def plan_sample(request: HttpRequest, dataset_id: int, number: int) -> HttpResponse:
    dataset = selectors.dataset_get_for_user(user=request.user, dataset_id=dataset_id)
    plan = selectors.plan_get_for_user(user=request.user, dataset=dataset, number=number)
    deny_unless(permissions.can_sign_off_plan(request.user, plan))
    try:
        sample = sign_off.safe_copy_sample(actor=request.user, plan=plan)
    except ApplicationError:  # no longer waiting for sign-off
        return redirect("datasets:plan_detail", dataset_id=dataset.pk, number=plan.number)
    context = {"project": dataset.project, "dataset": dataset, "plan": plan, "sample": sample}
    return render(request, "datasets/sign_off_sample.html", context)


@login_required
@require_POST
def findings_accept_all(request: HttpRequest, dataset_id: int) -> HttpResponse:
    dataset = selectors.dataset_get_for_user(user=request.user, dataset_id=dataset_id)
    result = selectors.latest_check(dataset=dataset)
    deny_unless(result is not None and permissions.can_work_on_dataset(request.user, dataset))
    assert result is not None
    accepted = review.findings_accept_all(actor=request.user, result=result)
    if accepted:
        messages.success(request, f"You accepted the findings for {len(accepted)} columns.")
    else:
        messages.info(request, "Every column already had a decision.")
    return redirect("datasets:findings", dataset_id=dataset.pk)
