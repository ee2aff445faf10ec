"""The city office (and district / department admins, within their scope) manage staff and roles."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.accounts import queries
from govhall.accounts import services as account_services
from govhall.accounts.models import Role, User
from govhall.core.permissions import ensure_permission
from govhall.core.web import errors_to_form
from govhall.workbench.decorators import staff_required
from govhall.workbench.forms import RoleAssignmentForm, StaffForm
from govhall.workbench.menu import menu_for
from govhall.workbench.views import applications_assignment


def _require_admin(user: User) -> None:
    ensure_permission(user, "accounts.view_staff")


@staff_required
def staff_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request.user)
    context = {
        "menu": menu_for(request.user),
        "staff": queries.staff_list(),
        "staff_form": StaffForm(),
        "role_form": RoleAssignmentForm(),
        "can_create": request.user.has_perm("accounts.manage_staff"),
    }
    return render(request, "workbench/staff/list.html", context)


@staff_required
@require_POST
def create_staff(request: HttpRequest) -> HttpResponse:
    _require_admin(request.user)
    form = StaffForm(request.POST)
    if form.is_valid():
        try:
            user = account_services.create_staff(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("已创建工作人员账号 %(u)s，首次登录时绑定认证器。") % {"u": user.username})
            return redirect("workbench:staff")
    context = {
        "menu": menu_for(request.user),
        "staff": queries.staff_list(),
        "staff_form": form,
        "role_form": RoleAssignmentForm(),
        "can_create": True,
    }
    return render(request, "workbench/staff/list.html", context, status=400)


@staff_required
@require_POST
def assign_role(request: HttpRequest, user_id: int) -> HttpResponse:
    _require_admin(request.user)
    staff = get_object_or_404(User, pk=user_id, kind="staff")
    form = RoleAssignmentForm(request.POST)
    if form.is_valid():
        try:
            scope = queries.resolve_scope(form.cleaned_data["role"], form.cleaned_data["scope"])
            account_services.assign_role(staff, form.cleaned_data["role"], scope, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("已授予%(name)s%(role)s角色。") % {"name": staff.name, "role": Role(form.cleaned_data["role"]).label},
            )
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("workbench:staff")


@staff_required
@require_POST
def revoke_role(request: HttpRequest, assignment_id: int) -> HttpResponse:
    _require_admin(request.user)
    return applications_assignment.revoke_role(request, assignment_id)  # refused while it strands work (issue 8)
