"""The city office manages departments; district offices their sub-hall and centres (Art. 4, 6)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from govhall.core.web import errors_to_form
from govhall.directory import queries, services
from govhall.directory.models import Region, ServiceCentre, SubHall
from govhall.workbench.decorators import staff_required
from govhall.workbench.forms import CentreHoursForm, DepartmentForm, RegionForm, SubHallForm
from govhall.workbench.menu import menu_for


def _page(request: HttpRequest, template: str, status: int = 200, **context) -> HttpResponse:
    return render(request, template, {"menu": menu_for(request.user), **context}, status=status)


@staff_required
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (user.has_perm("directory.create_department") or queries.administered_region_ids(user)):
        raise PermissionDenied
    return _page(
        request,
        "workbench/directory/overview.html",
        sub_halls=queries.manageable_sub_halls(user),
        centres=queries.manageable_centres(user),
        departments=queries.departments() if user.has_perm("directory.create_department") else [],
        department_form=DepartmentForm(),
    )


@staff_required
def create_department(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("directory.create_department"):
        raise PermissionDenied
    form = DepartmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        region = Region.objects.filter(code=data.pop("region_code")).first()
        if region is None:
            form.add_error("region_code", _("区划代码不存在。"))
        else:
            try:
                department = services.create_department(by=request.user, request=request, region=region, **data)
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("已登记事项服务主体：%(name)s。") % {"name": department.name})
                return redirect("workbench:directory")
    return _page(request, "workbench/directory/department_form.html", status=400 if form.errors else 200, form=form)


@staff_required
def edit_sub_hall(request: HttpRequest, pk: int) -> HttpResponse:
    sub_hall = get_object_or_404(SubHall.objects.select_related("region"), pk=pk)
    if not request.user.has_perm("directory.edit_sub_hall", sub_hall):
        raise PermissionDenied
    form = SubHallForm(request.POST or None, initial={f: getattr(sub_hall, f) for f in SubHallForm.base_fields})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_sub_hall(sub_hall.pk, by=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("分厅页面已更新。"))
            return redirect("workbench:directory")
    return _page(request, "workbench/directory/edit.html", form=form, title=sub_hall.title)


@staff_required
def edit_centre(request: HttpRequest, pk: int) -> HttpResponse:
    centre = get_object_or_404(ServiceCentre.objects.select_related("region"), pk=pk)
    if not request.user.has_perm("directory.manage_centre", centre):
        raise PermissionDenied
    lines = "\n".join(
        f"{day} " + " ".join(f"{start}-{end}" for start, end in periods)
        for day, periods in centre.hours.to_json().items()
    )
    form = CentreHoursForm(
        request.POST or None, initial={"address": centre.address, "phone": centre.phone, "hours": lines}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_centre(
                centre.pk,
                by=request.user,
                request=request,
                address=data["address"],
                phone=data["phone"],
                office_hours=data["hours"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("服务中心信息已更新。"))
            return redirect("workbench:directory")
    return _page(request, "workbench/directory/edit.html", form=form, title=centre.name)


@staff_required
def create_region(request: HttpRequest) -> HttpResponse:
    """The city office adds a street, township, district or development zone (with its sub-hall)."""
    if not request.user.has_perm("directory.manage_regions"):
        raise PermissionDenied
    form = RegionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            region = services.create_region(by=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("已新增区划：%(name)s。") % {"name": region.name})
            return redirect("workbench:directory")
    return _page(
        request, "workbench/directory/edit.html", status=400 if form.errors else 200, form=form, title=_("新增区划")
    )
