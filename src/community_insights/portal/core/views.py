"""Pages every service needs: accessibility statement, privacy notice, health check, audit log."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from community_insights.portal.core import digests, selectors, services
from community_insights.portal.core.audit import ACTIONS
from community_insights.portal.core.forms_audit import AuditFilterForm
from community_insights.portal.core.forms_notifications import NotificationPreferencesForm
from community_insights.portal.core.permissions import can_view_audit_log
from community_insights.portal.core.viewtools import posted, submit_form


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Answer 200 when the database answers; used by ``insights serve`` and load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _audit_form(request: HttpRequest) -> AuditFilterForm:
    from community_insights.portal.projects.models import Project

    ids = selectors.audit_project_ids_for_user(user=request.user)
    from community_insights.portal.programme.current import current_programme_id

    projects = Project.objects.filter(programme_id=current_programme_id()).order_by("title")
    if ids is not None:
        projects = projects.filter(pk__in=ids)
    return AuditFilterForm(request.GET or None, projects=list(projects.values_list("pk", "title")))


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    if not can_view_audit_log(request.user):
        raise PermissionDenied
    form = _audit_form(request)
    filters = form.filters()
    entries = selectors.audit_entry_list(user=request.user, filters=filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "core/audit_log.html",
        {
            "form": form,
            "page": page,
            "actions": ACTIONS,
            "query_string": urlencode(query),
            "whole_log": selectors.audit_project_ids_for_user(user=request.user) is None,
        },
    )


@login_required
@require_GET
def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    if not can_view_audit_log(request.user):
        raise PermissionDenied
    filters = _audit_form(request).filters()
    entries = services.audit_export(actor=request.user, filters=filters)
    response = StreamingHttpResponse(selectors.audit_csv_rows(entries), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response


@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    """Each kind of email: straight away, or in a daily or weekly digest."""
    form = NotificationPreferencesForm(posted(request), initial=digests.preferences_of(user=request.user))
    done = submit_form(
        request, form, digests.preferences_save, "Your choices about emails are saved.", "people:account"
    )
    return done or render(request, "core/notification_preferences.html", {"form": form})
