"""咨询投诉与好差评 in the workbench (Art. 15, 16): the queues with green/yellow/red deadline markers,
answer / transfer / propose-as-FAQ with the department's standard replies, complaint handling
(every read audited, personal data masked in lists), rectification tasks, appeals, FAQ approval and
the office's supervision page (overdue by department, chasing)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.core.crypto import mask_name
from govhall.directory.models import Department
from govhall.feedback import evaluations, queries, rules, services, supervision
from govhall.feedback.models import Appeal, Complaint, Consultation, Evaluation, FaqEntry, Rectification
from govhall.workbench.decorators import staff_required
from govhall.workbench.menu import menu_for


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    base = {"menu": menu_for(request.user), "active": "feedback", "is_office": rules.is_office(request.user)}
    return render(request, template, {**base, **context})


def _done(request: HttpRequest, error: ValidationError | PermissionDenied | None, success: str) -> None:
    if error is None:
        messages.success(request, success)
    elif isinstance(error, PermissionDenied):
        messages.error(request, _("您没有执行此操作的权限。"))
    else:
        for message in error.messages:
            messages.error(request, message)


def _run(request: HttpRequest, success: str, action, *args: Any, **kwargs: Any) -> Any:
    try:
        result = action(*args, **kwargs)
    except (ValidationError, PermissionDenied) as error:
        _done(request, error, success)
        return None
    _done(request, None, success)
    return result


@staff_required
def queues(request: HttpRequest) -> HttpResponse:
    """The user's consultation and complaint queues, earliest deadline first; names masked."""
    complaints = queries.complaint_queue(request.user)
    for complaint in complaints:
        complaint.masked_name = mask_name(complaint.complainant.name)
    context = {
        "consultations": queries.consultation_queue(request.user),
        "complaints": complaints,
    }
    return _page(request, "workbench/feedback/queues.html", context)


def _consultation(request: HttpRequest, pk: int) -> Consultation:
    try:
        consultation = queries.consultation_for_staff(pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("feedback.view_consultation", consultation):
        raise Http404
    return consultation


@staff_required
def consultation(request: HttpRequest, pk: int) -> HttpResponse:
    found = _consultation(request, pk)
    context = {
        "consultation": found,
        "asker": mask_name(found.asker.name),
        "can_answer": request.user.has_perm("feedback.answer", found),
        "snippets": queries.snippets(found.department_id),
        "departments": Department.objects.filter(is_active=True).exclude(pk=found.department_id),
        "transfers": found.transfers.select_related("from_department", "to_department", "by"),
        "faq": FaqEntry.objects.filter(consultation=found).first(),
        "marker": queries.marker(found.due_date, supervision.today()),
    }
    return _page(request, "workbench/feedback/consultation.html", context)


@staff_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    found = _consultation(request, pk)
    _run(
        request,
        _("已答复，已短信通知咨询人。"),
        services.answer,
        found,
        request.user,
        text=request.POST.get("answer", ""),
    )
    return redirect("workbench:feedback_consultation", pk)


@staff_required
@require_POST
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    found = _consultation(request, pk)
    target = Department.objects.filter(pk=request.POST.get("to_department") or 0).first()
    moved = _run(
        request,
        _("已转办，答复期限不变。"),
        services.transfer,
        found,
        request.user,
        to_department=target,
        reason=request.POST.get("reason", ""),
    )
    if moved is not None:
        return redirect("workbench:feedback")
    return redirect("workbench:feedback_consultation", pk)


@staff_required
@require_POST
def propose_faq(request: HttpRequest, pk: int) -> HttpResponse:
    found = _consultation(request, pk)
    _run(
        request,
        _("已提交政务公开办审核。"),
        services.propose_faq,
        found,
        request.user,
        question=request.POST.get("question", ""),
        answer=request.POST.get("faq_answer", ""),
    )
    return redirect("workbench:feedback_consultation", pk)


@staff_required
def snippets(request: HttpRequest) -> HttpResponse:
    """The standard replies of the user's departments; add one."""
    departments = Department.objects.filter(
        pk__in=[a.department_id for a in request.user.active_assignments if a.department_id]
    )
    if request.method == "POST":
        department = get_object_or_404(departments, pk=request.POST.get("department") or 0)
        _run(
            request,
            _("已添加常用答复。"),
            services.add_snippet,
            department,
            request.user,
            title=request.POST.get("title", ""),
            text=request.POST.get("text", ""),
        )
        return redirect("workbench:feedback_snippets")
    rows = [(department, queries.snippets(department.pk)) for department in departments]
    return _page(request, "workbench/feedback/snippets.html", {"rows": rows, "departments": departments})


def _complaint(request: HttpRequest, pk: int) -> Complaint:
    """Read through the service: permission checked (a complained-about staff member gets 404) and
    the read audited."""
    try:
        return services.read_complaint(pk, request.user)
    except (ObjectDoesNotExist, PermissionDenied):
        raise Http404 from None


@staff_required
def complaint(request: HttpRequest, pk: int) -> HttpResponse:
    found = _complaint(request, pk)
    context = {
        "complaint": found,
        "complainant": mask_name(found.complainant.name),
        "can_reply": request.user.has_perm("feedback.reply_complaint", found),
        "can_conclude": request.user.has_perm("feedback.conclude_escalation", found),
        "snippets": queries.snippets(found.department_id),
        "events": found.events.select_related("actor"),
        "attachments": found.attachments.all(),
        "marker": queries.marker(found.current_due_date, supervision.today()),
    }
    return _page(request, "workbench/feedback/complaint.html", context)


@staff_required
@require_POST
def complaint_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    found = _complaint(request, pk)
    text = request.POST.get("text", "")
    if action == "reply":
        _run(request, _("已答复，已短信通知投诉人。"), services.reply_complaint, found, request.user, text=text)
    elif action == "note":
        _run(request, _("已记录办理情况。"), services.add_handling_note, found, request.user, note=text)
    elif action == "conclude":
        _run(request, _("已办结并通知投诉人。"), services.conclude_escalation, found, request.user, outcome=text)
    else:
        raise Http404
    return redirect("workbench:feedback_complaint", pk)


@staff_required
def complaint_attachment(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    try:
        found = services.attachment_for_viewing(attachment_id, request.user)
    except (ObjectDoesNotExist, PermissionDenied):
        raise Http404 from None
    if found.complaint_id != pk:
        raise Http404
    response = FileResponse(found.file.open("rb"), content_type=found.content_type)
    response["Content-Disposition"] = "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_required
def faqs(request: HttpRequest) -> HttpResponse:
    """The office approves or rejects proposed FAQ entries (published on the guide page)."""
    if request.method == "POST":
        faq = get_object_or_404(FaqEntry, pk=request.POST.get("faq") or 0)
        approve = request.POST.get("decision") == "approve"
        _run(
            request,
            _("已发布到办事指南。") if approve else _("已退回。"),
            services.decide_faq,
            faq,
            request.user,
            approve=approve,
            note=request.POST.get("note", ""),
        )
        return redirect("workbench:feedback_faqs")
    return _page(request, "workbench/feedback/faqs.html", {"faqs": queries.pending_faqs(request.user)})


@staff_required
def rectifications(request: HttpRequest) -> HttpResponse:
    """The department's call-back and rectification tasks from named bad reviews."""
    if request.method == "POST":
        task = get_object_or_404(Rectification, pk=request.POST.get("task") or 0)
        _run(
            request,
            _("整改结果已记录。"),
            evaluations.complete_rectification,
            task,
            request.user,
            callback_note=request.POST.get("callback_note", ""),
            outcome=request.POST.get("outcome", ""),
        )
        return redirect("workbench:feedback_rectifications")
    context = {
        "tasks": queries.rectifications(request.user),
        "evaluations": queries.department_evaluations(request.user)[:100],
        "today": supervision.today(),
    }
    return _page(request, "workbench/feedback/rectifications.html", context)


@staff_required
@require_POST
def evaluation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Annotate an evaluation (append-only) or appeal it as malicious (the department head)."""
    evaluation = get_object_or_404(Evaluation.objects.select_related("invitation__department"), pk=pk)
    text = request.POST.get("text", "")
    if action == "annotate":
        _run(request, _("已添加批注。"), evaluations.annotate, evaluation, request.user, text=text)
    elif action == "appeal":
        _run(request, _("申诉已提交政务公开办复核。"), evaluations.appeal, evaluation, request.user, reason=text)
    else:
        raise Http404
    return redirect("workbench:feedback_rectifications")


@staff_required
def appeals(request: HttpRequest) -> HttpResponse:
    """The office re-reviews appeals (申诉复核)."""
    if request.method == "POST":
        filed = get_object_or_404(Appeal, pk=request.POST.get("appeal") or 0)
        _run(
            request,
            _("复核结果已记录。"),
            evaluations.decide_appeal,
            filed,
            request.user,
            upheld=request.POST.get("decision") == "upheld",
            note=request.POST.get("note", ""),
        )
        return redirect("workbench:feedback_appeals")
    return _page(request, "workbench/feedback/appeals.html", {"appeals": queries.pending_appeals(request.user)})


@staff_required
def supervision_page(request: HttpRequest) -> HttpResponse:
    """Art. 15 para 3: overdue consultations and complaints by department; chase (催办)."""
    if not request.user.has_perm("feedback.supervise"):
        raise PermissionDenied
    if request.method == "POST":
        model = Consultation if request.POST.get("kind") == "consultation" else Complaint
        case = get_object_or_404(model, pk=request.POST.get("case") or 0)
        _run(
            request,
            _("已催办，催办记录已保存。"),
            supervision.chase,
            case,
            request.user,
            note=request.POST.get("note", ""),
        )
        return redirect("workbench:feedback_supervision")
    context = {
        "rows": queries.overdue_by_department(request.user),
        "rectifications": queries.overdue_rectifications(request.user),
    }
    return _page(request, "workbench/feedback/supervision.html", context)
