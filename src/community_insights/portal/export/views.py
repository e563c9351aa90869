"""Pages of the export area: ask for the programme's complete export, follow it, download it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from community_insights.portal.core.viewtools import call_service, call_service_with_message, posted
from community_insights.portal.export import permissions, selectors, services
from community_insights.portal.export.forms import ExportRequestForm
from community_insights.portal.export.permissions import can_export_programme


@login_required
def export_list(request: HttpRequest) -> HttpResponse:
    """The programme's exports and the form to ask for a new one (programme staff)."""
    if not can_export_programme(request.user):
        raise PermissionDenied
    form = ExportRequestForm(posted(request))
    if form.is_valid():
        ok, export = call_service(
            form, services.export_request, actor=request.user, include_raw=form.cleaned_data["include_raw"]
        )
        if ok and export is not None:
            return redirect("export:export_detail", export_id=export.pk)
    return render(
        request, "export/export_list.html", {"form": form, "exports": selectors.export_list(user=request.user)}
    )


@login_required
@require_GET
def export_detail(request: HttpRequest, export_id: int) -> HttpResponse:
    export = selectors.export_get(user=request.user, pk=export_id)
    if not export.is_finished:
        services.retry_stale_exports(export=export)  # a worker that died is noticed when someone looks
        export.refresh_from_db()
    template = "export/_progress.html" if request.headers.get("HX-Request") else "export/export_detail.html"
    may_download = permissions.may_download_export(request.user, export)
    return render(request, template, {"export": export, "may_download": may_download})


@login_required
@require_POST
def export_download(request: HttpRequest, export_id: int) -> HttpResponseBase:
    export = selectors.export_get(user=request.user, pk=export_id)
    if not export.stored_name:  # not ready yet (or failed): its page says which
        return redirect("export:export_detail", export_id=export.pk)
    _, chunks = call_service(None, services.export_download, actor=request.user, export=export)
    response = StreamingHttpResponse(chunks or iter(()), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{export.file_name}"'
    return response


@login_required
@require_POST
def export_delete(request: HttpRequest, export_id: int) -> HttpResponse:
    export = selectors.export_get(user=request.user, pk=export_id)
    call_service_with_message(
        request, services.export_delete, success="The ZIP file is deleted.", actor=request.user, export=export
    )
    return redirect("export:export_detail", export_id=export.pk)
