"""Output pages, under /outputs/: list, make, preview with its safety check, sign off, download.

Views stay thin: selectors read (404 for anyone outside the project team),
services write. Every page that shows an output, and every download, writes
an audit entry. The preview and the reasons for hidden cells are for the
team and the sign-off only; files leave the portal only once approved.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.viewtools import call_service, deny_unless, posted
from community_insights.portal.outputs import assemble, permissions, recipients, selectors, services
from community_insights.portal.outputs.forms import BoundaryForm, DashboardForm, OutputForm, OutputSignOffForm
from community_insights.portal.outputs.models import OutputVersion


@login_required
@require_GET
def project_outputs(request: HttpRequest, slug: str) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, slug=slug)
    services.record_view(actor=request.user, action="outputs.list_view", target=project, project_id=project.pk)
    outputs = [(o, selectors.latest_version(output=o)) for o in selectors.output_list(project=project)]
    return render(
        request,
        "outputs/list.html",
        {
            "project": project,
            "outputs": outputs,
            "copies": selectors.approved_safe_copies(project=project),
            "can_make": permissions.can_make_output(request.user, project),
            "approved": selectors.approved_outputs(project=project),
            "boundaries": selectors.boundary_files(project=project),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def boundary_new(request: HttpRequest, slug: str) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, slug=slug)
    deny_unless(permissions.can_make_output(request.user, project))
    form = BoundaryForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        ok, boundary = call_service(
            form, services.boundary_upload, actor=request.user, project=project,
            name=form.cleaned_data["name"], uploaded_file=form.cleaned_data["file"],
        )  # fmt: skip
        if ok and boundary is not None:
            messages.success(request, f"{boundary.name} was checked and added: {boundary.area_count} areas.")
            return redirect("outputs:project_outputs", slug=project.slug)
    return render(
        request, "outputs/boundary_form.html", {"project": project, "form": form, "title": "Add a boundary file"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def output_new(request: HttpRequest, slug: str, copy_id: int) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, slug=slug)
    deny_unless(permissions.can_make_output(request.user, project))
    copy = selectors.approved_safe_copies(project=project).filter(pk=copy_id).first()
    if copy is None:
        messages.info(request, "Outputs are made from a safe copy that information rights approved.")
        return redirect("outputs:project_outputs", slug=project.slug)
    form = OutputForm(
        posted(request), columns=selectors.safe_copy_columns(copy),
        boundaries=[(b.pk, b.name) for b in selectors.boundary_files(project=project)],
        organisations=recipients.organisation_choices(),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        ok, output = call_service(
            form, services.output_create, actor=request.user, safe_copy=copy,
            kind=form.cleaned_data["kind"], title=form.cleaned_data["title"],
        )  # fmt: skip
        if ok and output is not None:
            version = services.version_build(
                actor=request.user, output=output, settings=form.settings(),
                narrative=form.cleaned_data["narrative"], caveats=form.cleaned_data["caveats"],
            )  # fmt: skip
            _tell(request, version)
            return redirect("outputs:output_detail", output_id=output.pk)
    return render(
        request,
        "outputs/form_page.html",
        {"project": project, "form": form, "copy": copy, "title": f"Make an output from {copy.dataset.title}"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def dashboard_new(request: HttpRequest, slug: str) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, slug=slug)
    deny_unless(permissions.can_make_output(request.user, project))
    form = DashboardForm(posted(request), outputs=selectors.approved_outputs(project=project))
    if request.method == "POST" and form.is_valid():
        ok, output = call_service(
            form, services.dashboard_create, actor=request.user, project=project, title=form.cleaned_data["title"]
        )
        if ok and output is not None:
            version = services.version_build(
                actor=request.user, output=output, settings={"parts": [int(p) for p in form.cleaned_data["parts"]]},
                narrative=form.cleaned_data["narrative"], caveats=form.cleaned_data["caveats"],
            )  # fmt: skip
            _tell(request, version)
            return redirect("outputs:output_detail", output_id=output.pk)
    return render(
        request, "outputs/form_page.html", {"project": project, "form": form, "title": "Make a dashboard page"}
    )


def _tell(request: HttpRequest, version: OutputVersion) -> None:
    if version.status in (OutputVersion.Status.REFUSED, OutputVersion.Status.FAILED):
        messages.error(request, version.refusal)
    elif version.status == OutputVersion.Status.BUILDING:
        messages.info(request, "The output is being built and checked in the background; this page shows its progress.")
    else:
        messages.success(
            request, "The output was built and checked; information rights have been asked to sign it off."
        )


@login_required
@require_GET
def output_detail(request: HttpRequest, output_id: int) -> HttpResponse:
    output = selectors.output_get_for_user(user=request.user, output_id=output_id)
    version = selectors.latest_version(output=output)
    job = getattr(version, "job", None) if version is not None else None
    if job is not None and job.status == job.Status.RUNNING:
        services.retry_stale_jobs(job=job)  # a worker that died is noticed when someone looks
        job.refresh_from_db()
    services.record_view(actor=request.user, action="outputs.output_view", target=output, project_id=output.project_id)
    return render(
        request,
        "outputs/detail.html",
        {
            "project": output.project,
            "output": output,
            "version": version,
            "job": job,
            "versions": output.versions.all(),
            "preview": mark_safe(assemble.preview_svg(version)) if version else "",  # noqa: S308 - made by the engine
            "can_sign_off": version is not None and permissions.can_sign_off_version(request.user, version),
            "formats": [f.format for f in version.files.all()] if version else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def version_sign_off(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version_get_for_user(user=request.user, version_id=version_id)
    deny_unless(permissions.can_sign_off_version(request.user, version))
    if version.status != OutputVersion.Status.AWAITING_SIGN_OFF:
        messages.info(request, "This version is not waiting for sign-off.")
        return redirect("outputs:output_detail", output_id=version.output_id)
    form = OutputSignOffForm(posted(request))
    if request.method == "POST" and form.is_valid():
        ok, _ = call_service(
            form, services.version_sign_off, actor=request.user, version=version,
            approve=form.cleaned_data["decision"] == "approve", comment=form.cleaned_data["comment"],
        )  # fmt: skip
        if ok:
            messages.success(request, "Your decision was recorded and the analyst has been told.")
            return redirect("outputs:output_detail", output_id=version.output_id)
    services.record_view(
        actor=request.user, action="outputs.output_view", target=version, project_id=version.project_id
    )
    return render(
        request,
        "outputs/sign_off.html",
        {
            "project": version.output.project,
            "output": version.output,
            "version": version,
            "preview": mark_safe(assemble.preview_svg(version)),  # noqa: S308 - made by the engine
            "form": form,
        },
    )


@login_required
@require_GET
def version_download(request: HttpRequest, version_id: int, fmt: str) -> HttpResponse:
    version = selectors.version_get_for_user(user=request.user, version_id=version_id)
    try:
        data, content_type = services.version_download(actor=request.user, version=version, fmt=fmt)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("outputs:output_detail", output_id=version.output_id)
    response = HttpResponse(data, content_type=content_type)
    name = f"output-{version.output_id}-v{version.number}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
