"""The sign-off page's companion: a sample of the safe copy's rows for the person deciding."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.datasets import permissions, selectors, sign_off


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
