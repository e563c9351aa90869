"""Dataset pages: thin views that look objects up through scoped selectors, ask a rule and call one service.

They serve the guide's Phase 2: the inventory of data sources from scoping
(Part 1) and the data safety check (Part 2, Step 1): upload, findings, remedy
plan and sign-off. Getting data out, the audit trail and the key are in
``datasets.release_views``.

Downloads are streamed, and permission is checked on every request (never a
public or cached URL). Looking at a dataset's pages writes an audit entry; the
progress poll does not (it shows no data, only how far the work has got).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.permissions import is_programme_staff
from community_insights.portal.core.viewtools import (
    call_service,
    call_service_with_message,
    deny_unless,
    posted,
    submit_form,
)
from community_insights.portal.datasets import engine, measure, permissions, selectors, services, sign_off
from community_insights.portal.datasets.forms import (
    CheckOptionsForm,
    ColumnReviewForm,
    DataSourceEditForm,
    DataSourceForm,
    PlanEditForm,
    SignOffForm,
    UploadForm,
    params_to_text,
)
from community_insights.portal.datasets.models import (
    Dataset,
    DatasetJob,
    RemedyPlanVersion,
)
from community_insights.portal.datasets.uploads import EncryptedUploadHandler
from community_insights.portal.governance.selectors import agreement_summary_for_source
from community_insights.portal.projects import membership

# -- overview and inventory --------------------------------------------------------------------


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    projects = membership.project_list_for_user(user=request.user, order_by=membership.BY_TITLE)
    context = {"projects": projects, "can_manage_keys": permissions.can_manage_key_agreements(request.user)}
    return render(request, "datasets/overview.html", context)


@login_required
@require_GET
def inventory(request: HttpRequest, slug: str) -> HttpResponse:
    project = membership.project_get_for_user(user=request.user, slug=slug, rule=permissions.can_view_datasets)
    sources = list(selectors.data_source_list(project=project))
    for source in sources:
        source.dataset_rows = list(selectors.dataset_list(source=source))  # type: ignore[attr-defined]
        source.can_upload = permissions.can_upload_dataset(request.user, source)  # type: ignore[attr-defined]
        source.agreement = agreement_summary_for_source(source)  # type: ignore[attr-defined]
    services.record_view(actor=request.user, action="datasets.inventory_view", target=project, project_id=project.pk)
    return render(
        request,
        "datasets/inventory.html",
        {
            "project": project,
            "sources": sources,
            "data_needs": selectors.scoped_data_needs(project=project, sources=sources),
            "can_edit": permissions.can_edit_inventory(request.user, project),
            "can_view_audit": permissions.can_view_audit(request.user, project),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def source_create(request: HttpRequest, slug: str) -> HttpResponse:
    project = membership.project_get_for_user(user=request.user, slug=slug, rule=permissions.can_view_datasets)
    deny_unless(permissions.can_edit_inventory(request.user, project))
    # Links from the scoping session's "data we might need" fill in what is already known.
    initial = {k: request.GET[k] for k in selectors.PREFILL_FIELDS if request.GET.get(k)}
    form: Any = DataSourceForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _ = call_service(
            form, services.data_source_create, actor=request.user, project=project, **form.cleaned_data
        )
        if ok:
            messages.success(request, "The data source was added to the inventory.")
            return redirect("datasets:inventory", slug=project.slug)
    return render(request, "datasets/form_page.html", {"project": project, "form": form, "title": "Add a data source"})


@login_required
@require_http_methods(["GET", "POST"])
def source_edit(request: HttpRequest, source_id: int) -> HttpResponse:
    source = selectors.data_source_get_for_user(user=request.user, source_id=source_id)
    deny_unless(permissions.can_edit_inventory(request.user, source))
    form: Any = DataSourceEditForm(posted(request), instance=source)
    if not is_programme_staff(request.user):
        # The owner decides who may download the raw files: only staff change it (the service checks too).
        owner = form.fields["owner_organisation"]
        owner.disabled = True
        owner.help_text = "Only programme staff can change this."
    if request.method == "POST" and form.is_valid():
        ok, _ = call_service(form, services.data_source_update, actor=request.user, source=source, **form.cleaned_data)
        if ok:
            messages.success(request, "The data source was changed.")
            return redirect("datasets:inventory", slug=source.project.slug)
        source.refresh_from_db()
    return render(
        request, "datasets/form_page.html", {"project": source.project, "form": form, "title": f"Change {source.name}"}
    )


# -- upload ------------------------------------------------------------------------------------


class UploadLimitHandler(FileUploadHandler):
    """Stops reading an upload as soon as it passes the size limit, so a huge file never fills the disk."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: int, boundary: Any, encoding: Any = None
    ) -> None:
        # Only flagged here: Django does not catch StopUpload raised at this point (it answered 500);
        # the first piece of the file stops the upload instead, and the page shows the message.
        if content_length and content_length > self.limit + 64 * 1024:
            self.request.upload_too_large = True  # type: ignore[union-attr]

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit or getattr(self.request, "upload_too_large", False):
            self.request.upload_too_large = True  # type: ignore[union-attr]
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, source_id: int) -> HttpResponse:
    source = selectors.data_source_get_for_user(user=request.user, source_id=source_id)
    deny_unless(permissions.can_upload_dataset(request.user, source))
    if request.method == "POST":
        # The limit first, then encryption as the pieces arrive: no plaintext copy waits in a temp folder.
        request.upload_handlers = [
            UploadLimitHandler(request, services.max_upload_bytes()),
            EncryptedUploadHandler(request),
        ]
    return _upload_protected(request, source)


@csrf_protect
def _upload_protected(request: HttpRequest, source: Any) -> HttpResponse:
    form = UploadForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST":
        if getattr(request, "upload_too_large", False):
            form.is_valid()
            form.errors.pop("file", None)
            form.add_error("file", f"The file must be smaller than {services.human_size(services.max_upload_bytes())}.")
        elif form.is_valid():
            ok, dataset = call_service(
                form,
                services.dataset_upload,
                actor=request.user,
                source=source,
                title=form.cleaned_data["title"],
                uploaded_file=form.cleaned_data["file"],
            )
            if ok and dataset is not None:
                messages.success(request, "The file was uploaded and encrypted. The data safety check has started.")
                return redirect("datasets:dataset_detail", dataset_id=dataset.pk)
            # Show a service's refusal against the file field, where the person will look.
            for error in form.non_field_errors():
                form.add_error("file", error)
            form.errors.pop("__all__", None)
    return render(
        request,
        "datasets/upload.html",
        {
            "project": source.project,
            "source": source,
            "form": form,
            "max_size": services.human_size(services.max_upload_bytes()),
            "max_columns": services.max_columns(),
        },
    )


# -- a dataset and its background work ---------------------------------------------------------


def _dataset_context(request: HttpRequest, dataset: Dataset) -> dict[str, Any]:
    user = request.user
    job = selectors.latest_job(dataset=dataset)
    plan = selectors.current_plan(dataset=dataset)
    return {
        "project": dataset.project,
        "dataset": dataset,
        "job": job,
        "check": selectors.latest_check(dataset=dataset),
        "plan": plan,
        "plans": selectors.plan_list(dataset=dataset),
        "approved_copy": selectors.approved_safe_copy(dataset=dataset),
        "can_work": permissions.can_work_on_dataset(user, dataset),
        "can_download_raw": permissions.can_download_raw(user, dataset) and dataset.has_raw_file,
        "can_download_safe": permissions.can_download_safe_copy(user, dataset),
        "can_sign_off": plan is not None and permissions.can_sign_off_plan(user, plan),
        "can_delete": permissions.can_delete_dataset(user, dataset) and dataset.status != Dataset.Status.DELETED,
    }


@login_required
@require_GET
@never_cache
def dataset_detail(request: HttpRequest, dataset_id: int) -> HttpResponse:
    dataset = selectors.dataset_get_for_user(user=request.user, dataset_id=dataset_id)
    job = selectors.latest_job(dataset=dataset)
    if job is not None and job.status == DatasetJob.Status.RUNNING:
        services.retry_stale_jobs(job=job)
    services.record_view(
        actor=request.user, action="datasets.dataset_view", target=dataset, project_id=dataset.project_id
    )
    return render(
        request, "datasets/dataset_detail.html", {**_dataset_context(request, dataset), "hide_dataset_crumb": True}
    )


@login_required
@require_GET
@never_cache
def job_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    """The progress panel of a background job (polled by htmx every two seconds; not audited)."""
    job = selectors.job_get_for_user(user=request.user, job_id=job_id)
    if job.status == DatasetJob.Status.RUNNING:
        services.retry_stale_jobs(job=job)
        job.refresh_from_db()
    return render(request, "datasets/_progress.html", {"job": job, "dataset": job.dataset, "polling": True})


@login_required
@require_POST
def dataset_recheck(request: HttpRequest, dataset_id: int) -> HttpResponse:
    dataset = selectors.dataset_get_for_user(user=request.user, dataset_id=dataset_id)
    deny_unless(permissions.can_work_on_dataset(request.user, dataset))
    restarted = "The data safety check has started again."
    call_service_with_message(request, services.dataset_recheck, success=restarted, actor=request.user, dataset=dataset)
    return redirect("datasets:dataset_detail", dataset_id=dataset.pk)


@login_required
@require_http_methods(["GET", "POST"])
def check_options(request: HttpRequest, dataset_id: int) -> HttpResponse:
    """Run the check again, choosing more sensitive columns and the optional measures of them."""
    dataset = selectors.dataset_get_for_user(user=request.user, dataset_id=dataset_id)
    deny_unless(permissions.can_work_on_dataset(request.user, dataset))
    check = selectors.latest_check(dataset=dataset)
    if check is None:
        raise Http404("No check has finished yet.")
    asked = check.job.options if check.job else {}
    form = CheckOptionsForm(
        posted(request),
        columns=selectors.check_columns(dataset=dataset),
        measures=engine.optional_measures(),
        initial={"sensitive": asked.get("sensitive", []), "measures": asked.get("measures", [])},
    )
    then = reverse("datasets:dataset_detail", kwargs={"dataset_id": dataset.pk})
    started = "The data safety check has started again with your choices."
    done = submit_form(request, form, services.dataset_recheck, started, then, dataset=dataset)
    intro = "Choose what else the check should look at. Your choices are kept with the check and shown in its findings."
    return done or render(
        request,
        "datasets/form_page.html",
        {"project": dataset.project, "dataset": dataset, "form": form, "title": form.Layout.TITLE, "intro": intro},
    )


# -- findings ----------------------------------------------------------------------------------


def _findings_columns(check: Any) -> list[dict[str, Any]]:
    reviews = {r.column: r for r in check.reviews.all()}
    columns = []
    for index, col in enumerate(check.report.get("columns", [])):
        evidence = col.get("evidence") or {}
        # For free text the engine counts spans per value, which is not a share of values.
        raw_shares = {} if col.get("kind") == "free_text" else (evidence.get("match_share") or {})
        shares = sorted(
            ((name, min(share, 1.0)) for name, share in raw_shares.items() if share),
            key=lambda item: -item[1],
        )
        columns.append(
            {
                "index": index,
                "name": col.get("name"),
                "kind": col.get("kind"),
                "pii_types": col.get("pii_types") or [],
                "recommended_action": col.get("recommended_action"),
                "reason": col.get("reason", ""),
                "span_count": col.get("span_count", 0),
                "examples": evidence.get("masked_examples") or [],
                "shares": [{"name": n, "percent": round(100 * s)} for n, s in shares[:4]],
                "header_hint": evidence.get("header_hint"),
                "checksum": evidence.get("checksum_pass_rate"),
                "review": reviews.get(col.get("name")),
            }
        )
    return columns


@login_required
@require_GET
def findings(request: HttpRequest, dataset_id: int) -> HttpResponse:
    dataset = selectors.dataset_get_for_user(user=request.user, dataset_id=dataset_id)
    deny_unless(
        permissions.can_work_on_dataset(request.user, dataset) or permissions.can_sign_off(request.user, dataset)
    )
    check = selectors.latest_check(dataset=dataset)
    if check is None:
        messages.info(request, "The data safety check has not finished yet.")
        return redirect("datasets:dataset_detail", dataset_id=dataset.pk)
    services.record_view(
        actor=request.user, action="datasets.findings_view", target=dataset, project_id=dataset.project_id
    )
    columns = _findings_columns(check)
    return render(
        request,
        "datasets/findings.html",
        {
            **_dataset_context(request, dataset),
            "check": check,
            "report": check.report,
            # What every count's share is of; reports stored before shares were recorded have none.
            "records_total": (check.report.get("mosaic") or {}).get("records")
            or (check.report.get("small_areas") or {}).get("records")
            or 0,
            "columns": columns,
            "reviewed": sum(1 for c in columns if c["review"]),
            # What the person asked of this check beyond the defaults (sensitive columns, measures).
            "asked": check.job.options if check.job else {},
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def column_review(request: HttpRequest, dataset_id: int, index: int) -> HttpResponse:
    dataset = selectors.dataset_get_for_user(user=request.user, dataset_id=dataset_id)
    deny_unless(permissions.can_work_on_dataset(request.user, dataset))
    check = selectors.latest_check(dataset=dataset)
    if check is None:
        raise Http404("No findings yet.")
    columns = _findings_columns(check)
    if not 0 <= index < len(columns):
        raise Http404("No such column.")
    column = columns[index]
    initial = {"kind": column["kind"]}
    if column["review"] is not None:
        initial = {
            "decision": column["review"].decision,
            "kind": column["review"].kind,
            "comment": column["review"].comment,
        }
    form = ColumnReviewForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _ = call_service(
            form,
            services.column_review,
            actor=request.user,
            result=check,
            column=column["name"],
            decision=form.cleaned_data["decision"],
            kind=form.cleaned_data["kind"] or column["kind"],
            comment=form.cleaned_data["comment"],
        )
        if ok:
            messages.success(request, f"Your decision on {column['name']} was saved.")
            return redirect(reverse("datasets:findings", kwargs={"dataset_id": dataset.pk}) + f"#column-{index}")
    return render(
        request,
        "datasets/column_review.html",
        {"project": dataset.project, "dataset": dataset, "column": column, "form": form},
    )


# -- remedy plans ------------------------------------------------------------------------------


@login_required
@require_POST
def plan_create(request: HttpRequest, dataset_id: int) -> HttpResponse:
    dataset = selectors.dataset_get_for_user(user=request.user, dataset_id=dataset_id)
    deny_unless(permissions.can_work_on_dataset(request.user, dataset))
    try:
        plan = services.plan_create(actor=request.user, dataset=dataset)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except (ApplicationError, engine.EngineError) as exc:
        messages.error(request, exc.message)
        return redirect("datasets:dataset_detail", dataset_id=dataset.pk)
    messages.success(request, f"Remedy plan version {plan.number} was drafted from the findings.")
    return redirect("datasets:plan_detail", dataset_id=dataset.pk, number=plan.number)


def _plan_rows(plan: RemedyPlanVersion) -> dict[str, Any]:
    data = engine.plan_to_dict(engine.load_plan_text(plan.plan_yaml))
    for entry in data["columns"]:
        entry["params_text"] = params_to_text(entry.get("params"))
    return data


@login_required
@require_GET
def plan_detail(request: HttpRequest, dataset_id: int, number: int) -> HttpResponse:
    dataset = selectors.dataset_get_for_user(user=request.user, dataset_id=dataset_id)
    deny_unless(
        permissions.can_work_on_dataset(request.user, dataset) or permissions.can_sign_off(request.user, dataset)
    )
    plan = selectors.plan_get_for_user(user=request.user, dataset=dataset, number=number)
    services.record_view(
        actor=request.user,
        action="datasets.plan_view",
        target=plan,
        project_id=dataset.project_id,
        changes={"plan_version": plan.number},
    )
    context = _dataset_context(request, dataset)
    plan_data = _plan_rows(plan)
    check = selectors.latest_check(dataset=dataset)
    safe_copy = getattr(plan, "safe_copy", None)
    removed = measure.columns_removed(getattr(safe_copy, "report", {}))
    likely = [] if safe_copy or check is None else measure.columns_likely_removed(check.report, plan_data)
    context.update(
        {
            "plan": plan,
            "plan_data": plan_data,
            "sign_offs": plan.sign_offs.select_related("decided_by"),
            "safe_copy": safe_copy,
            "removal_warnings": [sentence for _, sentence in removed],
            "likely_removals": [sentence for _, sentence in likely],
            # The alternative the analyst can pick: each warned ethnicity column, grouped in the plan editor.
            "ethnic_alternatives": measure.ethnicity_alternatives(removed + likely, plan_data),
            "can_sign_off": permissions.can_sign_off_plan(request.user, plan),
            "is_author": permissions.is_plan_author(request.user, plan),
        }
    )
    return render(request, "datasets/plan_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, dataset_id: int, number: int) -> HttpResponse:
    dataset = selectors.dataset_get_for_user(user=request.user, dataset_id=dataset_id)
    deny_unless(permissions.can_work_on_dataset(request.user, dataset))
    plan = selectors.plan_get_for_user(user=request.user, dataset=dataset, number=number)
    if plan.status not in (RemedyPlanVersion.Status.DRAFT, RemedyPlanVersion.Status.REJECTED):
        messages.info(request, "This version can no longer be edited; edit the latest version.")
        return redirect("datasets:plan_detail", dataset_id=dataset.pk, number=plan.number)
    plan_data = engine.plan_to_dict(engine.load_plan_text(plan.plan_yaml))
    # "Group it into the five ONS groups" on the plan page opens the editor with that change made, to check and save.
    grouped = measure.with_ethnic_groups(plan_data, request.GET.get("group_ethnicity", ""))
    note = "Ethnicity grouped into the five ONS high-level groups, so small-group suppression does not wipe it out."
    form = PlanEditForm(
        posted(request), plan_data=grouped or plan_data, initial={"change_note": note} if grouped else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            new = services.plan_update(
                actor=request.user,
                plan=plan,
                columns=form.cleaned_data["columns"],
                min_group_size=form.cleaned_data["min_group_size"],
                quasi_identifiers=form.cleaned_data["quasi_identifiers"],
                small_groups=form.cleaned_data["small_groups"],
                change_note=form.cleaned_data["change_note"],
            )
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        except (ApplicationError, engine.EngineError) as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Version {new.number} of the remedy plan was saved.")
            return redirect("datasets:plan_detail", dataset_id=dataset.pk, number=new.number)
    return render(
        request,
        "datasets/plan_edit.html",
        {
            "project": dataset.project,
            "dataset": dataset,
            "plan": plan,
            "form": form,
            "rows": form.rows(),
            "grouped_column": request.GET.get("group_ethnicity") if grouped else None,
        },
    )


@login_required
@require_POST
def plan_apply(request: HttpRequest, dataset_id: int, number: int) -> HttpResponse:
    dataset = selectors.dataset_get_for_user(user=request.user, dataset_id=dataset_id)
    deny_unless(permissions.can_work_on_dataset(request.user, dataset))
    plan = selectors.plan_get_for_user(user=request.user, dataset=dataset, number=number)
    started = "The safe copy is being made. The information rights expert is told when it is ready."
    if call_service_with_message(
        request, services.plan_apply, success=started, also_refused=(engine.EngineError,), actor=request.user, plan=plan
    ):
        return redirect("datasets:dataset_detail", dataset_id=dataset.pk)
    return redirect("datasets:plan_detail", dataset_id=dataset.pk, number=plan.number)


@login_required
@require_http_methods(["GET", "POST"])
def plan_sign_off(request: HttpRequest, dataset_id: int, number: int) -> HttpResponse:
    dataset = selectors.dataset_get_for_user(user=request.user, dataset_id=dataset_id)
    plan = selectors.plan_get_for_user(user=request.user, dataset=dataset, number=number)
    deny_unless(permissions.can_sign_off_plan(request.user, plan))
    copy = getattr(plan, "safe_copy", None)
    if plan.status != RemedyPlanVersion.Status.AWAITING_SIGN_OFF or copy is None:
        messages.info(request, "This plan is not waiting for sign-off.")
        return redirect("datasets:plan_detail", dataset_id=dataset.pk, number=plan.number)
    paperwork = sign_off.paperwork_problems(dataset.source)
    form = SignOffForm(posted(request), paperwork=bool(paperwork))
    if request.method == "POST" and form.is_valid():
        ok, _ = call_service(
            form,
            services.plan_sign_off,
            actor=request.user,
            plan=plan,
            approve=form.cleaned_data["decision"] == "approve",
            comment=form.cleaned_data["comment"],
            paperwork_reason=form.cleaned_data.get("paperwork_reason") or "",
        )
        if ok:
            messages.success(request, "Your decision was recorded and the team has been told.")
            return redirect("datasets:dataset_detail", dataset_id=dataset.pk)
    return render(
        request,
        "datasets/sign_off.html",
        {
            "project": dataset.project,
            "dataset": dataset,
            "plan": plan,
            "copy": copy,
            "report": copy.report,
            "form": form,
            "paperwork": paperwork,
            "agreement": agreement_summary_for_source(dataset.source),
            "removal_warnings": measure.removal_warnings(copy.report),
            "sample_url": reverse("datasets:plan_sample", kwargs={"dataset_id": dataset.pk, "number": plan.number}),
        },
    )
