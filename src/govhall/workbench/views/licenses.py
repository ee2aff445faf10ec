"""Workbench faces of the licenses app (issue 9 step 2): outage notices (Art. 14 para 3) recorded by
a department and listed for the city office, and the license an application cites (Art. 13),
opened by the acceptor — each opening is a use the holder sees (purpose 受理审查)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from govhall.accounts.models import Role
from govhall.applications import handling
from govhall.applications.license_materials import ACCEPTANCE_PURPOSE
from govhall.applications.models import MaterialSubmission
from govhall.catalog.models import LicenseType
from govhall.directory.models import Department
from govhall.licenses import outages, queries
from govhall.licenses.models import Outage
from govhall.licenses.services import pdf_bytes
from govhall.licenses.wallet import record_staff_access
from govhall.workbench.decorators import staff_required
from govhall.workbench.menu import menu_for
from govhall.workbench.views.applications import load


@staff_required
def cited_license(request: HttpRequest, uid: Any, material_id: int) -> FileResponse:
    """The signed PDF of a license an application cites as a material, for its department's staff."""
    application = load(request, uid)
    try:
        submission = handling.material_for_viewing(material_id, request.user)
    except (MaterialSubmission.DoesNotExist, PermissionDenied) as refused:
        raise Http404 from refused
    if submission.application_id != application.pk or submission.license_id is None:
        raise Http404
    license = submission.license
    record_staff_access(
        license,
        request.user,
        purpose=ACCEPTANCE_PURPOSE,
        reference=application.business_number,
        department=application.item.department,
    )
    response = FileResponse(BytesIO(pdf_bytes(license)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{license.serial}-{license.version:03d}.pdf"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- outages ----------------------------------------------------------------------------------------


def _managed_departments(user) -> list[int]:
    return [
        a.department_id
        for a in user.active_assignments
        if a.role in (Role.DEPARTMENT_HEAD, Role.DEPARTMENT_ADMIN) and a.department_id
    ]


class OutageForm(forms.Form):
    department = forms.ModelChoiceField(label=gettext_lazy("部门"), queryset=Department.objects.none())
    license_types = forms.ModelMultipleChoiceField(
        label=gettext_lazy("受影响的证照类型"),
        queryset=LicenseType.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    starts_at = forms.DateTimeField(
        label=gettext_lazy("开始时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=gettext_lazy("预计恢复时间（可留空）"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    reason = forms.CharField(label=gettext_lazy("原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, departments: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(pk__in=departments)
        self.fields["license_types"].queryset = (
            LicenseType.objects.filter(is_active=True)
            .filter(Q(defining_department_id__in=departments) | Q(issuing_items__department_id__in=departments))
            .distinct()
        )
        for name, field in self.fields.items():
            if name != "license_types":
                field.widget.attrs.setdefault("class", "form-control")


@staff_required
def outage_list(request: HttpRequest) -> HttpResponse:
    """The city office sees every notice; a department's heads and admins see and record theirs."""
    departments = _managed_departments(request.user)
    if not queries.can_see_outages(request.user):
        raise PermissionDenied
    form = OutageForm(request.POST or None, departments=departments) if departments else None
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            outages.record_outage(
                data["department"],
                request.user,
                license_types=data["license_types"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                reason=data["reason"],
            )
        except ValidationError as refused:
            for field, errors in refused.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("已登记证照服务中断告知，市政务服务管理机构可见。"))
            return redirect("workbench:license_outages")
    context = {
        "menu": menu_for(request.user),
        "form": form,
        "outages": list(queries.outage_list(request.user)[:200]),
        "active_ids": set(outages.active().values_list("pk", flat=True)),
        "can_end": set(departments),
    }
    return render(request, "workbench/licenses/outages.html", context)


@require_POST
@staff_required
def end_outage(request: HttpRequest, pk: int) -> HttpResponse:
    outage = Outage.objects.filter(pk=pk).first()
    if outage is None:
        raise Http404
    try:
        outages.end_outage(outage, request.user)
    except PermissionDenied as refused:
        raise Http404 from refused
    except ValidationError as refused:
        messages.error(request, refused.messages[0])
    else:
        messages.success(request, _("证照服务已恢复，暂缓颁发的证照将自动颁发。"))
    return redirect("workbench:license_outages")
