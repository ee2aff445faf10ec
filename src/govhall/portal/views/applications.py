"""在线办理 on the portal (issue 7, item 7): guide page → capacity → form → materials → review →
submit; 我的办件 with the timeline, notices, correction response and withdrawal; the public
progress query.

Every step saves the draft, so an application started on a computer can be finished on a phone.
The views parse, call one service or query, and render; an application that is not the user's is
not found (404), never "forbidden" (no probing for other people's business numbers).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.accounts.models import OperatorScope
from govhall.accounts.queries import authorisations_for
from govhall.applications import queries, services
from govhall.applications.models import WITHDRAWABLE, Application, Capacity, Channel, MaterialSubmission, Status
from govhall.applications.submission import needed_requirements
from govhall.catalog.form_render import SEPARATOR, build_form
from govhall.catalog.models import MaterialRequirement, ServiceItem

LOGIN = "portal:login"


# --- helpers ---------------------------------------------------------------------------------------


def _mine(request: HttpRequest, uid: Any) -> Application:
    application = queries.my_application(request.user, uid)
    if application is None:
        raise Http404
    return application


def _refuse(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, PermissionDenied):
        messages.error(request, _("您没有办理此事项的权限（需要实名认证的个人或法人账号）。"))
        return
    for message in error.messages:
        messages.error(request, message)


def _online_item(code: str) -> ServiceItem:
    """A published item that can be applied for online (全流程网上办理)."""
    item = (
        ServiceItem.objects.filter(implementation_code=code, published_version__isnull=False, full_online=True)
        .select_related("department", "published_version")
        .first()
    )
    if item is None:
        raise Http404
    return item


def flat_answers(definition: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """Stored (nested) answers as the field names of ``build_form``: ``group__member`` and
    ``group__<row>__member`` for repeatable groups, so a draft reopens exactly as it was left."""
    flat: dict[str, Any] = {}
    for spec in definition.get("fields", []):
        value = answers.get(spec["name"])
        if spec["type"] != "group":
            if value is not None:
                flat[spec["name"]] = value
            continue
        rows = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
        for index, row in enumerate(rows):
            for member, member_value in (row or {}).items():
                infix = f"{index}{SEPARATOR}" if spec.get("repeatable") else ""
                flat[f"{spec['name']}{SEPARATOR}{infix}{member}"] = member_value
    return flat


def _answer_form(application: Application, data: Any = None, definition: dict[str, Any] | None = None):
    """The guide version's form: bound to POST data, or showing the saved draft without errors."""
    definition = definition if definition is not None else (application.version.form_definition or {"fields": []})
    if data is not None:
        return build_form(definition, data)
    flat = flat_answers(definition, application.form_data or {})
    form = build_form(definition, flat, initial=flat)  # data only to count repeatable rows
    form.is_bound = False  # shown with the saved values, not validated yet
    return form


def _with_blank_row(data: QueryDict, definition: dict[str, Any], group: str) -> QueryDict:
    """POST data with one more (empty) row of a repeatable group (the 添加一组 button)."""
    data = data.copy()
    for spec in definition.get("fields", []):
        if spec["name"] == group and spec.get("repeatable"):
            prefix = f"{group}{SEPARATOR}"
            rows = {int(key[len(prefix) :].split(SEPARATOR)[0]) for key in data if key.startswith(prefix)}
            index = max(rows) + 1 if rows else 1
            for member in spec["fields"]:
                data[f"{prefix}{index}{SEPARATOR}{member['name']}"] = ""
    return data


def applicant_deadline(application: Application) -> tuple[str, datetime.date | None]:
    """The one date the applicant waits for now: acceptance, the promised decision, or delivery."""
    if application.status in (Status.SUBMITTED, Status.AWAITING_ACCEPTANCE):
        return _("受理期限"), application.acceptance_due
    if application.status in (Status.ACCEPTED, Status.IN_REVIEW, Status.SUSPENDED):
        return _("承诺办结期限"), application.decision_due
    if application.status in (Status.APPROVED, Status.REFUSED):
        return _("结果送达期限"), application.issuance_due
    return "", None


def _material_rows(application: Application) -> tuple[list[dict[str, Any]], list[MaterialRequirement]]:
    """Each material needed now with its current files; and conditional ones not needed (yet)."""
    requirements = list(application.version.materials.prefetch_related("replacing_license_types").order_by("order"))
    needed = {requirement.pk for requirement in needed_requirements(application)}
    files: dict[int, list[MaterialSubmission]] = {}
    for submission in queries.current_materials(application):
        files.setdefault(submission.requirement_id, []).append(submission)
    rows, not_needed = [], []
    for requirement in requirements:
        if requirement.pk in needed:
            rows.append(
                {
                    "requirement": requirement,
                    "files": files.get(requirement.pk, []),
                    "licenses": list(requirement.replacing_license_types.all()),
                }
            )
        else:
            not_needed.append(requirement)
    return rows, not_needed


def _labelled(application: Application, items: list[Any]) -> list[Any]:
    """Correction items with ``label``: the material's name or the form field's label."""
    labels = {spec["name"]: spec["label"] for spec in (application.version.form_definition or {}).get("fields", [])}
    for item in items:
        item.label = item.requirement.name if item.requirement_id else labels.get(item.field, item.field)
    return items


def _draft(request: HttpRequest, uid: Any) -> Application:
    application = _mine(request, uid)
    if application.status != Status.DRAFT:
        raise Http404
    return application


# --- starting and the draft steps -----------------------------------------------------------------


def _capacities(user: Any) -> list[tuple[str, str, str]]:
    """(value, label, enterprise id) the user may apply in: self, and each enterprise they operate for."""
    choices = [(Capacity.SELF, _("本人办理"), "")]
    for authorisation in authorisations_for(user).filter(scope__in=[OperatorScope.ALL, OperatorScope.APPLY]):
        label = _("以“%(name)s”经办人身份办理") % {"name": authorisation.enterprise.user.name}
        choices.append((Capacity.OPERATOR, label, str(authorisation.enterprise_id)))
    choices.append((Capacity.AGENT, _("代他人办理（代办）"), ""))
    return choices


@login_required(login_url=LOGIN)
def start(request: HttpRequest, code: str) -> HttpResponse:
    """Choose the capacity (self or an enterprise one operates for) and start a draft; earlier
    drafts of the same item are offered to resume."""
    item = _online_item(code)
    if request.method == "POST":
        capacity, _sep, enterprise_id = request.POST.get("capacity", Capacity.SELF).partition(":")
        enterprise = None
        if capacity == Capacity.OPERATOR:
            authorisation = authorisations_for(request.user).filter(enterprise_id=enterprise_id or 0).first()
            enterprise = authorisation.enterprise if authorisation else None
        channel = Channel.PRE_REVIEW if request.POST.get("channel") == Channel.PRE_REVIEW else Channel.ONLINE
        try:
            if capacity == Capacity.AGENT and "authorisation" not in request.FILES:
                raise ValidationError(_("请上传委托人签署的授权委托书。"), code="authorisation")
            if capacity == Capacity.AGENT:  # issue 8: 代办, the principal found by name and ID number
                application = services.start_agent_draft(
                    request.user,
                    item,
                    principal_name=request.POST.get("principal_name", ""),
                    principal_document_number=request.POST.get("principal_document_number", ""),
                    authorisation=request.FILES["authorisation"],
                    channel=channel,
                )
            else:
                application = services.start_draft(
                    request.user, item, capacity=capacity, enterprise=enterprise, channel=channel
                )
        except (ValidationError, PermissionDenied) as error:
            _refuse(request, error)
            return redirect("portal:application_start", code=code)
        return redirect("portal:application_form", uid=application.uid)
    context = {
        "item": item,
        "capacities": _capacities(request.user),
        "drafts": queries.my_drafts_of(request.user, item.pk)[:5],
    }
    return render(request, "portal/applications/start.html", context)


@login_required(login_url=LOGIN)
def fill_form(request: HttpRequest, uid: Any) -> HttpResponse:
    """Step 2: the guide version's form. Every POST saves what is valid so far (the draft); "下一步"
    goes on only when the whole form is valid."""
    application = _draft(request, uid)
    definition = application.version.form_definition or {"fields": []}
    if request.method != "POST":
        return _render_form(request, application, _answer_form(application))
    data = request.POST
    if request.POST.get("add_row"):
        data = _with_blank_row(request.POST, definition, request.POST["add_row"])
    form = _answer_form(application, data)
    valid = form.is_valid()
    try:
        services.save_draft(application, request.user, form.answers())
    except ValidationError as error:
        _refuse(request, error)
        return _render_form(request, application, form)
    if valid and request.POST.get("action") == "next":
        return redirect("portal:application_materials", uid=application.uid)
    if request.POST.get("action") == "save":
        messages.success(request, _("草稿已保存，可在“我的办件”中继续办理（电脑或手机均可）。"))
    return _render_form(request, application, form)


def _render_form(request: HttpRequest, application: Application, form: Any) -> HttpResponse:
    return render(request, "portal/applications/form.html", {"application": application, "form": form, "step": "form"})


@login_required(login_url=LOGIN)
def materials(request: HttpRequest, uid: Any) -> HttpResponse:
    """Step 3: each material needed (required, and conditional ones the answers call for), its
    files, and an upload per material; POST uploads files to one material."""
    application = _draft(request, uid)
    if request.method == "POST":
        requirement = request.POST.get("requirement", "")
        requirement = requirement if requirement.isdigit() else "0"
        uploads = request.FILES.getlist("files")
        if not uploads:
            messages.error(request, _("请选择要上传的文件。"))
        for upload in uploads:
            try:
                services.add_material(application, request.user, int(requirement), upload)
            except ValidationError as error:
                _refuse(request, error)
                break
        else:
            if uploads:
                messages.success(request, _("已上传%(n)s个文件。") % {"n": len(uploads)})
        return redirect(reverse("portal:application_materials", args=[application.uid]) + f"#m{requirement}")
    rows, not_needed = _material_rows(application)
    context = {"application": application, "rows": rows, "not_needed": not_needed, "step": "materials"}
    return render(request, "portal/applications/materials.html", context)


@require_POST
@login_required(login_url=LOGIN)
def remove_file(request: HttpRequest, uid: Any, pk: int) -> HttpResponse:
    application = _draft(request, uid)
    submission = queries.current_materials(application).filter(pk=pk).first()
    if submission is None:
        raise Http404
    try:
        services.remove_material(submission, request.user)
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, _("已删除文件“%(name)s”。") % {"name": submission.original_name})
    return redirect("portal:application_materials", uid=application.uid)


def _answer_rows(application: Application) -> list[tuple[str, Any]]:
    """The answers with their labels, for the review page and the detail page."""
    rows = []
    for spec in (application.version.form_definition or {}).get("fields", []):
        value = application.form_data.get(spec["name"])
        if value in (None, "", [], {}):
            continue
        if spec["type"] == "choice":
            value = {c["value"]: c["label"] for c in spec.get("choices", [])}.get(value, value)
        elif spec["type"] == "group":
            entries = value if isinstance(value, list) else [value]
            labels = {member["name"]: member["label"] for member in spec["fields"]}
            value = "；".join("，".join(f"{labels.get(k, k)}：{v}" for k, v in entry.items()) for entry in entries)
        rows.append((spec["label"], value))
    return rows


@login_required(login_url=LOGIN)
def review(request: HttpRequest, uid: Any) -> HttpResponse:
    """Step 4: everything at a glance, every missing piece listed at once; POST submits."""
    application = _draft(request, uid)
    if request.method == "POST":
        try:
            application = services.submit(application, request.user)
        except ValidationError as error:
            _refuse(request, error)
            return redirect("portal:application_review", uid=application.uid)
        messages.success(
            request,
            _("申请已提交，业务编号 %(number)s。回执短信已发送，请留意受理结果。")
            % {"number": application.business_number},
        )
        return redirect("portal:application", uid=application.uid)
    rows, _not_needed = _material_rows(application)
    errors = [message for messages_ in services.completeness_errors(application).values() for message in messages_]
    context = {
        "application": application,
        "answers": _answer_rows(application),
        "rows": rows,
        "problems": errors,
        "step": "review",
    }
    return render(request, "portal/applications/review.html", context)


# --- my applications -------------------------------------------------------------------------------


@login_required(login_url=LOGIN)
def mine(request: HttpRequest) -> HttpResponse:
    """我的办件: drafts to resume and submitted applications, newest first."""
    rows = [(row, *applicant_deadline(row)) for row in queries.mine(request.user)[:200]]
    drafts = [row for row in rows if row[0].status == Status.DRAFT]
    submitted = [row for row in rows if row[0].status != Status.DRAFT]
    return render(request, "portal/applications/mine.html", {"drafts": drafts, "submitted": submitted})


@login_required(login_url=LOGIN)
def detail(request: HttpRequest, uid: Any) -> HttpResponse:
    """One application: status, deadline, timeline with notices, correction notice, withdraw."""
    application = _mine(request, uid)
    if application.status == Status.DRAFT:
        return redirect("portal:application_form", uid=application.uid)
    label, due = applicant_deadline(application)
    context = {
        "application": application,
        "deadline_label": label,
        "deadline": due,
        "timeline": queries.timeline(application),
        "answers": _answer_rows(application),
        "files": queries.current_materials(application).select_related("requirement"),
        "corrections": _labelled(application, queries.correction_items(application)),
        "withdrawable": application.status in WITHDRAWABLE,
    }
    return render(request, "portal/applications/detail.html", context)


@login_required(login_url=LOGIN)
def notice_pdf(request: HttpRequest, uid: Any, notice_id: int) -> FileResponse:
    """A notice PDF, streamed after the permission check (never a storage URL)."""
    notice = queries.notice_of(_mine(request, uid), notice_id)
    if notice is None:
        raise Http404
    response = FileResponse(notice.pdf.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{notice.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required(login_url=LOGIN)
def material_file(request: HttpRequest, uid: Any, pk: int) -> FileResponse:
    """One of the applicant's own files (downloaded, never rendered inline from our origin)."""
    application = _mine(request, uid)
    if not application.materials.filter(pk=pk, license__isnull=True).exists():
        raise Http404
    submission = services.material_for_viewing(pk, request.user)
    return FileResponse(
        submission.file.open("rb"),
        content_type=submission.content_type,
        as_attachment=True,
        filename=submission.original_name,
    )


@login_required(login_url=LOGIN)
def withdraw(request: HttpRequest, uid: Any) -> HttpResponse:
    """Confirm (GET), then withdraw (POST) before a decision."""
    application = _mine(request, uid)
    if request.method == "POST":
        try:
            services.withdraw(
                application, request.user, reason=request.POST.get("reason", "")[:500], expected=application.status
            )
        except ValidationError as error:
            _refuse(request, error)
            return redirect("portal:application", uid=application.uid)
        messages.success(request, _("申请已撤回。"))
        return redirect("portal:applications")
    if application.status not in WITHDRAWABLE:
        messages.error(request, _("已作出决定的申请不能撤回。"))
        return redirect("portal:application", uid=application.uid)
    return render(request, "portal/applications/withdraw.html", {"application": application})


def _correction_definition(application: Application, fields: set[str]) -> dict[str, Any]:
    definition = application.version.form_definition or {"fields": []}
    return {"fields": [spec for spec in definition.get("fields", []) if spec["name"] in fields]}


def _unlisted_changes(application: Application, data: QueryDict, listed: set[str]) -> dict[str, Any]:
    """Values posted for fields the notice does not list: passed on so the service refuses them
    (Art. 12) rather than silently dropping them."""
    definition = application.version.form_definition or {"fields": []}
    return {
        spec["name"]: data[spec["name"]]
        for spec in definition.get("fields", [])
        if spec["type"] != "group" and spec["name"] not in listed and spec["name"] in data
    }


@login_required(login_url=LOGIN)
def correct(request: HttpRequest, uid: Any) -> HttpResponse:
    """The correction response: only the fields and materials the notice lists can be changed."""
    application = _mine(request, uid)
    items = _labelled(application, queries.correction_items(application))
    if not items:
        raise Http404
    fields = {item.field for item in items if item.field}
    definition = _correction_definition(application, fields)
    form = _answer_form(application, request.POST if request.method == "POST" else None, definition)
    if request.method == "POST" and form.is_valid():
        uploads = {
            item.requirement_id: request.FILES.getlist(f"material_{item.requirement_id}")
            for item in items
            if item.requirement_id and request.FILES.getlist(f"material_{item.requirement_id}")
        }
        answers = {**_unlisted_changes(application, request.POST, fields), **form.answers()}
        try:
            services.respond_to_correction(application, request.user, answers=answers, uploads=uploads)
        except ValidationError as error:
            _refuse(request, error)
        else:
            messages.success(request, _("补正材料已提交，请等待受理。"))
            return redirect("portal:application", uid=application.uid)
    context = {"application": application, "items": items, "form": form}
    return render(request, "portal/applications/correct.html", context)


# --- public progress query -------------------------------------------------------------------------


def progress(request: HttpRequest) -> HttpResponse:
    """办件进度查询: business number + the applicant's mobile number → status steps only. A wrong
    pair and an unknown number get the same answer; attempts are limited per IP and per number."""
    context: dict[str, Any] = {"number": "", "asked": False}
    status = 200
    if request.method == "POST":
        number = request.POST.get("business_number", "").strip()[:48]
        mobile = request.POST.get("mobile", "").strip()[:20]
        context.update(number=number, asked=True)
        if not queries.progress_allowed(getattr(request, "client_ip", ""), number):
            context["limited"] = True
            status = 429
        else:
            context["progress"] = queries.public_progress(number, mobile)
    return render(request, "portal/applications/progress.html", context, status=status)
