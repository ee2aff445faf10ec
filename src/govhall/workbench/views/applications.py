"""办件 in the workbench (issue 7): the queues per role and scope with deadline markers, filters and
search, and one application's detail with its materials (viewed in the browser through a
permission-checked view), deadlines, timeline and notices. The actions are in
``applications_actions``.

Personal data is masked in lists and on the detail page (the unmasked numbers belong to the
audited reveal flow of the applicant lookup).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from govhall.applications import handling, queries
from govhall.applications.models import Application, Marker, MaterialSubmission, Notice, Status
from govhall.catalog.models import ServiceItem
from govhall.core.crypto import mask_id_number, mask_mobile, mask_name
from govhall.core.uploads import detect_type
from govhall.workbench.decorators import staff_required
from govhall.workbench.menu import menu_for

PAGE_SIZE = 50
MASKED_TYPES = {"identity_number": mask_id_number, "phone": mask_mobile}


def _queue_items(user: Any) -> list[ServiceItem]:
    departments = list(queries.roles_by_department(user))
    return list(ServiceItem.objects.filter(department_id__in=departments).only("pk", "name").order_by("name"))


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    """One queue tab, filtered, 50 a page; the page's rows come in one query."""
    tabs = queries.queues_for(request.user)
    if not tabs:
        raise PermissionDenied
    keys = [key for key, _label in tabs]
    current = request.GET.get("queue") if request.GET.get("queue") in keys else keys[0]
    filters = {
        "item": _int(request.GET.get("item")),
        "status": request.GET.get("status") if request.GET.get("status") in Status.values else None,
        "marker": request.GET.get("marker") if request.GET.get("marker") in Marker.values else None,
        "search": (request.GET.get("q") or "").strip()[:60],
    }
    rows = queries.staff_queue(request.user, current, **filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "menu": menu_for(request.user),
        "tabs": tabs,
        "current": current,
        "page": page,
        "rows": [_row(application) for application in page.object_list],
        "filters": filters,
        "items": _queue_items(request.user),
        "statuses": Status.choices,
        "markers": Marker.choices,
        "query": _query_without_page(request),
    }
    return render(request, "workbench/applications/queue.html", context)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _row(application: Application) -> dict[str, Any]:
    return {
        "application": application,
        "applicant": mask_name(application.applicant.name),
        "due": application.decision_due or application.acceptance_due,
    }


def answers(application: Application) -> list[dict[str, str]]:
    """The form answers with the bound version's labels; identity and phone numbers masked."""
    rows = []
    for field in (application.version.form_definition or {}).get("fields", []):
        name = field.get("name", "")
        value = application.form_data.get(name, "")
        choices = {choice.get("value"): choice.get("label") for choice in field.get("choices", [])}
        values = value if isinstance(value, list) else [value]
        text = ", ".join(str(choices.get(v, v)) for v in values if v not in (None, ""))
        masker = MASKED_TYPES.get(field.get("type", ""))
        text = masker(str(text)) if masker and text else text
        rows.append({"name": name, "label": field.get("label", name), "value": text})
    return rows


def load(request: HttpRequest, uid: Any) -> Application:
    """The application for a staff member allowed to read it; 404 otherwise (no probing)."""
    try:
        return queries.staff_application(request.user, uid)
    except PermissionDenied as refused:
        raise Http404 from refused


def detail_context(request: HttpRequest, application: Application, forms: dict[str, Any]) -> dict[str, Any]:
    applicant = application.applicant
    person = getattr(applicant, "person", None)
    return {
        "menu": menu_for(request.user),
        "application": application,
        "applicant_name": mask_name(applicant.name),
        "applicant_mobile": applicant.masked_mobile,
        "applicant_document": person.masked_document_number if person else "",
        # The numbers in full only through the audited reveal flow, for those allowed to use it.
        "can_reveal_applicant": request.user.has_perm("accounts.view_unmasked"),
        "answers": answers(application),
        "materials": list(queries.staff_materials(application)),
        "timeline": list(queries.timeline(application)),
        "notices": list(application.notices.order_by("created_at", "pk")),
        "suspensions": list(application.suspensions.all()),
        "stage": application.stage,
        "stages": application.stages,
        "forms": forms,
    }


@staff_required
def detail(request: HttpRequest, uid: Any) -> HttpResponse:
    from govhall.workbench.views.applications_actions import available_forms

    application = load(request, uid)
    context = detail_context(request, application, available_forms(request.user, application))
    return render(request, "workbench/applications/detail.html", context)


# The browser shows the file itself; it must not run anything from it, nor guess another type.
# Images are sandboxed outright; Chromium refuses to open its PDF viewer in a sandboxed document, so a
# PDF gets a CSP that allows nothing but itself.
CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'self'"
VIEWER_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
    "Referrer-Policy": "no-referrer",
}
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "application/ofd": "ofd"}


def _stream(handle: Any, content_type: str, filename: str) -> FileResponse:
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    for header, value in VIEWER_HEADERS.items():
        response[header] = value
    response["Content-Security-Policy"] = CSP if content_type == "application/pdf" else f"{CSP}; sandbox"
    return response


@staff_required
def material(request: HttpRequest, uid: Any, material_id: int) -> FileResponse:
    """A material file streamed after the permission check (never a storage URL); the filename is
    ours, from the detected type — the uploaded name is not trusted."""
    application = load(request, uid)
    try:
        submission = handling.material_for_viewing(material_id, request.user)
    except (MaterialSubmission.DoesNotExist, PermissionDenied) as refused:
        raise Http404 from refused
    if submission.application_id != application.pk or submission.license_id is not None:
        raise Http404
    extension = EXTENSIONS.get(submission.content_type, "bin")
    return _stream(submission.file.open("rb"), submission.content_type, f"material-{submission.pk}.{extension}")


@staff_required
def authorisation(request: HttpRequest, uid: Any) -> FileResponse:
    """The principal's signed authorisation of an agent (代办), which the acceptor checks before
    accepting; streamed like a material, its type detected again from the stored bytes."""
    application = load(request, uid)
    if not application.authorisation:
        raise Http404
    handle = application.authorisation.open("rb")
    content_type = detect_type(handle.read(2048))
    handle.seek(0)
    extension = EXTENSIONS.get(content_type, "bin")
    return _stream(handle, content_type, f"authorisation-{application.business_number or application.pk}.{extension}")


@staff_required
def notice(request: HttpRequest, uid: Any, notice_id: int) -> FileResponse:
    """A notice's PDF, for staff of the department (the same permission as the application)."""
    application = load(request, uid)
    found = Notice.objects.filter(pk=notice_id, application=application).exclude(pdf="").first()
    if found is None:
        raise Http404
    return _stream(found.pdf.open("rb"), "application/pdf", f"{found.number}.pdf")
