"""Dataset pages for getting data out and keeping track of it (guide, Phase 2, Part 2, Step 1).

The signed-off safe copy's report and download, the raw file's download for
its owners, deleting a dataset's files, the project's data audit trail and the
programme's pseudonymisation key. Downloads are streamed with permission
checked on every request (never a public or cached URL), and every look at
data is recorded on the audit trail.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from community_insights.portal.core.audit import ACTIONS
from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.viewtools import call_service, deny_unless, posted
from community_insights.portal.datasets import permissions, selectors, services
from community_insights.portal.datasets.forms import ConfirmForm, KeyRotateForm
from community_insights.portal.datasets.models import PseudonymisationKey, RemedyPlanVersion
from community_insights.portal.programme.current import current_programme_id
from community_insights.portal.projects import membership

CONTENT_TYPES = {
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "parquet": "application/vnd.apache.parquet",
    "jsonl": "application/jsonl",
}


# -- safe copies and downloads -----------------------------------------------------------------


@login_required
@require_GET
def safe_copy_report(request: HttpRequest, copy_id: int) -> HttpResponse:
    copy = selectors.safe_copy_get_for_user(user=request.user, copy_id=copy_id)
    dataset = copy.dataset
    deny_unless(
        permissions.can_work_on_dataset(request.user, dataset)
        or permissions.can_sign_off(request.user, dataset)
        or (
            permissions.can_download_safe_copy(request.user, dataset)
            and copy.plan.status == RemedyPlanVersion.Status.APPROVED
        )
    )
    services.record_view(
        actor=request.user, action="datasets.safe_copy_report_view", target=copy, project_id=dataset.project_id
    )
    return render(
        request,
        "datasets/safe_copy_report.html",
        {"project": dataset.project, "dataset": dataset, "copy": copy, "report": copy.report, "plan": copy.plan},
    )


def _attachment(chunks: Iterator[bytes], file_name: str, fmt: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES.get(fmt, "application/octet-stream"))
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _download(
    request: HttpRequest, dataset: Any, start: Callable[[], Iterator[bytes]], name: str, fmt: str
) -> HttpResponseBase:
    """Stream what ``start()`` opens: 403 when the rule says no, back to the dataset with the reason otherwise."""
    try:
        chunks = start()
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("datasets:dataset_detail", dataset_id=dataset.pk)
    return _attachment(chunks, name, fmt)


@login_required
@require_GET
def safe_copy_download(request: HttpRequest, copy_id: int) -> HttpResponseBase:
    copy = selectors.safe_copy_get_for_user(user=request.user, copy_id=copy_id)
    start = partial(services.safe_copy_download, actor=request.user, copy=copy)
    return _download(request, copy.dataset, start, copy.file_name, copy.format)


@login_required
@require_GET
def raw_download(request: HttpRequest, dataset_id: int) -> HttpResponseBase:
    dataset = selectors.dataset_get_for_user(user=request.user, dataset_id=dataset_id)
    start = partial(services.raw_download, actor=request.user, dataset=dataset)
    return _download(request, dataset, start, dataset.original_name, dataset.format)


@login_required
@require_http_methods(["GET", "POST"])
def dataset_delete(request: HttpRequest, dataset_id: int) -> HttpResponse:
    dataset = selectors.dataset_get_for_user(user=request.user, dataset_id=dataset_id)
    deny_unless(permissions.can_delete_dataset(request.user, dataset))
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        ok, _ = call_service(
            form, services.dataset_delete, actor=request.user, dataset=dataset, reason=form.cleaned_data["reason"]
        )
        if ok:
            messages.success(request, f"The files of {dataset.title} were deleted. Its record and audit trail remain.")
            return redirect("datasets:inventory", slug=dataset.project.slug)
    return render(request, "datasets/delete.html", {"project": dataset.project, "dataset": dataset, "form": form})


# -- audit -------------------------------------------------------------------------------------


def _audit_project(request: HttpRequest, slug: str, action: str) -> Any:
    """The project whose trail is asked for: 404 to outsiders, 403 to members without the right, and recorded."""
    project = membership.project_get_for_user(user=request.user, slug=slug, rule=permissions.can_view_datasets)
    deny_unless(permissions.can_view_audit(request.user, project))
    services.record_view(actor=request.user, action=action, target=project, project_id=project.pk)
    return project


@login_required
@require_GET
def audit(request: HttpRequest, slug: str) -> HttpResponse:
    project = _audit_project(request, slug, "datasets.audit_view")
    entries = list(selectors.audit_entries(project=project)[:500])
    for entry in entries:
        entry.label = ACTIONS.get(entry.action, entry.action)  # type: ignore[attr-defined]
    return render(request, "datasets/audit.html", {"project": project, "entries": entries})


def _csv_safe(value: Any) -> str:
    """Neutralise spreadsheet formulas in exported cells (the engine's one rule for CSV injection)."""
    from community_insights.safety import escape_formula

    return str(escape_formula("" if value is None else str(value)))


@login_required
@require_GET
def audit_export(request: HttpRequest, slug: str) -> HttpResponseBase:
    project = _audit_project(request, slug, "datasets.audit_export")

    def rows() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(
            ["when", "who", "action", "what happened", "object type", "object id", "object", "from", "details"]
        )
        for entry in selectors.audit_entries(project=project).iterator():
            writer.writerow(
                [
                    _csv_safe(timezone.localtime(entry.at).isoformat(timespec="seconds")),
                    _csv_safe(entry.actor_label),
                    _csv_safe(entry.action),
                    _csv_safe(ACTIONS.get(entry.action, "")),
                    _csv_safe(entry.target_type),
                    _csv_safe(entry.target_id),
                    _csv_safe(entry.target_label),
                    _csv_safe(entry.ip_address or ""),
                    _csv_safe(json.dumps(entry.changes, sort_keys=True)),
                ]
            )
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        if buffer.getvalue():
            yield buffer.getvalue()

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{project.slug}-dataset-audit-{stamp}.csv"'
    response["Cache-Control"] = "no-store, private"
    return response


# -- pseudonymisation keys ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def keys(request: HttpRequest) -> HttpResponse:
    deny_unless(permissions.can_rotate_key(request.user))
    form = KeyRotateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        ok, new = call_service(form, services.key_rotate, actor=request.user, reason=form.cleaned_data["reason"])
        if ok and new is not None:
            messages.success(request, f"The key was rotated. The new key's fingerprint is {new.key_id}.")
            return redirect("datasets:keys")
    return render(
        request,
        "datasets/keys.html",
        {
            "keys": PseudonymisationKey.objects.filter(programme_id=current_programme_id())
            .select_related("created_by")
            .order_by("-created_at")[:20],
            "form": form,
        },
    )
