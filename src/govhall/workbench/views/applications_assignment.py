"""Who holds an application, in the workbench (issue 8 item 4; regulation Art. 23 交接): claim and
release from the queue and the detail page; the department admin's page to reassign many at once
with a reason; the handover of everything one staff member holds; and the role removal that hands
the stranded work over (``revoke_role``, used by the staff page).

A reassignment form carries, per selected row, the holder the page showed: if someone claimed or
reassigned it meanwhile, the service refuses the whole batch as a conflict.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.accounts import services as account_services
from govhall.accounts.models import RoleAssignment, User
from govhall.applications import queries, services
from govhall.applications.assignment import held_by
from govhall.workbench.decorators import staff_required
from govhall.workbench.menu import menu_for
from govhall.workbench.views.applications import load

PAGE_SIZE = 50


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return redirect(target if target and allowed else default)


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- claim and release (any staff member who may act on it now) ----------------------------------


@staff_required
@require_POST
def claim(request: HttpRequest, uid: Any) -> HttpResponse:
    application = load(request, uid)
    try:
        services.claim(application, request.user)
    except ValidationError as error:
        _errors(request, error)
    except PermissionDenied:
        messages.error(request, _("您的角色不能办理该申请当前环节，不能认领。"))
    else:
        messages.success(request, _("已认领申请 %(number)s。") % {"number": application.business_number})
    return _back(request, reverse("workbench:application", args=[application.uid]))


@staff_required
@require_POST
def release(request: HttpRequest, uid: Any) -> HttpResponse:
    application = load(request, uid)
    try:
        services.release(application, request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request, _("已释放申请 %(number)s，其他人员可以认领。") % {"number": application.business_number}
        )
    return _back(request, reverse("workbench:application", args=[application.uid]))


# --- the department admin: reassignment and handover ---------------------------------------------


def _department(request: HttpRequest, department_id: Any = None) -> tuple[Any, list[Any]]:
    """The department the admin works on now (one they administer), and all of theirs."""
    departments = queries.administered_departments(request.user)
    if not departments:
        raise PermissionDenied
    wanted = str(department_id or request.GET.get("department") or request.POST.get("department") or "")
    chosen = next((d for d in departments if str(d.pk) == wanted), None)
    if wanted and chosen is None:
        raise Http404
    return chosen or departments[0], departments


def _expected(request: HttpRequest, pks: list[int]) -> dict[int, int | None]:
    seen = {}
    for pk in pks:
        value = request.POST.get(f"holder_{pk}", "")
        seen[pk] = int(value) if value.isdigit() else None
    return seen


def _colleague(department: Any, value: str | None) -> User | None:
    if not value or not value.isdigit():
        return None
    return next((user for user in queries.colleagues(department.pk) if user.pk == int(value)), None)


@staff_required
def assignment(request: HttpRequest) -> HttpResponse:
    """The department's open applications with their holders; select many, reassign with a reason."""
    department, departments = _department(request)
    if request.method == "POST":
        pks = [int(pk) for pk in request.POST.getlist("application") if pk.isdigit()]
        try:
            moved = services.reassign(
                pks,
                _colleague(department, request.POST.get("to")),
                by=request.user,
                reason=request.POST.get("reason", ""),
                expected=_expected(request, pks),
            )
        except ValidationError as error:
            _errors(request, error)
        except PermissionDenied:
            messages.error(request, _("只能改派本部门的申请。"))
        else:
            messages.success(
                request,
                _("已将%(count)d件申请改派给%(name)s。") % {"count": len(moved), "name": moved[0].assignee.name},
            )
        return redirect(f"{reverse('workbench:applications_assignment')}?department={department.pk}")
    holder = request.GET.get("holder", "")
    rows = queries.department_open(
        department.pk, holder=int(holder) if holder.isdigit() else None, unheld=holder == "none"
    )
    context = {
        "menu": menu_for(request.user),
        "department": department,
        "departments": departments,
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "holdings": queries.holdings(department.pk),
        "colleagues": queries.colleagues(department.pk),
        "holder": holder,
    }
    return render(request, "workbench/applications/assignment.html", context)


@staff_required
def handover(request: HttpRequest, department_id: int, user_id: int) -> HttpResponse:
    """Everything one staff member holds in the department, to one colleague, in one action."""
    department, _departments = _department(request, department_id)
    person = get_object_or_404(User, pk=user_id, kind="staff")
    if request.method == "POST":
        try:
            count = services.hand_over(
                person,
                _colleague(department, request.POST.get("to")),
                department=department,
                by=request.user,
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(
                request, _("已将%(name)s承办的%(count)d件申请交接完毕。") % {"name": person.name, "count": count}
            )
            return redirect(f"{reverse('workbench:applications_assignment')}?department={department.pk}")
    context = {
        "menu": menu_for(request.user),
        "department": department,
        "person": person,
        "held": list(held_by(person, department).select_related("item")),
        "colleagues": queries.colleagues(department.pk, exclude=person.pk),
    }
    return render(request, "workbench/applications/assignment_handover.html", context)


# --- role removal with handover (the staff page's × posts here through ``staff.revoke_role``) ----


def revoke_role(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Remove a role assignment; while it strands open applications the page asks for the colleague
    who takes them over, and the removal and the handover happen together."""
    role = get_object_or_404(RoleAssignment.objects.select_related("user", "department"), pk=assignment_id)
    to = None
    if request.POST.get("handover_to", "").isdigit() and role.department_id:
        to = _colleague(role.department, request.POST["handover_to"])
        if to is None:
            messages.error(request, _("请选择本部门的工作人员。"))
            return _revoke_page(request, role)
    try:
        account_services.revoke_role(
            assignment_id, by=request.user, reason=request.POST.get("reason", ""), handover_to=to
        )
    except ValidationError as error:
        _errors(request, error)
        return _revoke_page(request, role)
    messages.info(request, _("已撤销该角色。"))
    return redirect("workbench:staff")


def _revoke_page(request: HttpRequest, role: RoleAssignment) -> HttpResponse:
    context = {
        "menu": menu_for(request.user),
        "role": role,
        "colleagues": queries.colleagues(role.department_id, exclude=role.user_id) if role.department_id else [],
        "reason": request.POST.get("reason", ""),
    }
    return render(request, "workbench/applications/assignment_revoke.html", context, status=400)
