"""Auditors search and export the audit trail (regulation Art. 20, 23)."""

from __future__ import annotations

import datetime

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from govhall.core.audit import queries
from govhall.core.audit.services import record
from govhall.core.permissions import ensure_permission
from govhall.workbench.decorators import staff_required
from govhall.workbench.forms import AuditSearchForm
from govhall.workbench.menu import menu_for


def _search(form: AuditSearchForm):
    data = form.cleaned_data
    day = datetime.timedelta(days=1)
    since = timezone.make_aware(datetime.datetime.combine(data["since"], datetime.time())) if data["since"] else None
    until = (
        timezone.make_aware(datetime.datetime.combine(data["until"] + day, datetime.time())) if data["until"] else None
    )
    return queries.search_events(
        actor=data["actor"] or None,
        action=data["action"] or None,
        object_type=data["object_type"] or None,
        object_id=data["object_id"] or None,
        since=since,
        until=until,
    )


@staff_required
def events(request: HttpRequest) -> HttpResponse:
    ensure_permission(request.user, "audit.view_events")
    form = AuditSearchForm(request.GET or None)
    page = None
    if form.is_valid() or not request.GET:
        if not request.GET:
            form = AuditSearchForm({})
            form.is_valid()
        page = Paginator(_search(form), 50).get_page(request.GET.get("page"))
    context = {"menu": menu_for(request.user), "form": form, "page": page, "query": request.GET.urlencode()}
    return render(request, "workbench/audit/events.html", context)


@staff_required
def export(request: HttpRequest) -> HttpResponse:
    """CSV export of the current search; the export itself is an audit event."""
    ensure_permission(request.user, "audit.view_events")
    form = AuditSearchForm(request.GET)
    if not form.is_valid():
        return HttpResponse("查询条件有误。", status=400, content_type="text/plain; charset=utf-8")
    record(request.user, "audit.exported", None, after={"filters": request.GET.dict()}, request=request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a BOM
    queries.export_csv(_search(form), response)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
