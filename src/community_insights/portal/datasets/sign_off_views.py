"""Small pages beside the main dataset views: a sample of the safe copy for the person signing it
off, and accepting every finding at once."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.datasets import permissions, review, selectors, sign_off


@login_required
@require_GET
def plan_sample(request: HttpRequest, dataset_id: int, number: int) -> HttpResponse:
    dataset = selectors.dataset_get_for_user(user=request.user, dataset_id=dataset_id)
    plan = selectors.plan_get_for_user(user=request.user, dataset=dataset, number=number)
    if not permissions.can_sign_off_plan(request.user, plan):
        raise PermissionDenied
    try:
        sample = sign_off.safe_copy_sample(actor=request.user, plan=plan)
    except NotPermitted:
        raise PermissionDenied from None
    except ApplicationError:
        return redirect("datasets:plan_detail", dataset_id=dataset.pk, number=plan.number)
    context = {"project": dataset.project, "dataset": dataset, "plan": plan, "sample": sample}
    return render(request, "datasets/sign_off_sample.html", context)


@login_required
@require_POST
def findings_accept_all(request: HttpRequest, dataset_id: int) -> HttpResponse:
    dataset = selectors.dataset_get_for_user(user=request.user, dataset_id=dataset_id)
    result = selectors.latest_check(dataset=dataset)
    if result is None or not permissions.can_work_on_dataset(request.user, dataset):
        raise PermissionDenied
    try:
        accepted = review.findings_accept_all(actor=request.user, result=result)
    except NotPermitted:
        raise PermissionDenied from None
    if accepted:
        messages.success(request, f"You accepted the findings for {len(accepted)} columns.")
    else:
        messages.info(request, "Every column already had a decision.")
    return redirect("datasets:findings", dataset_id=dataset.pk)
