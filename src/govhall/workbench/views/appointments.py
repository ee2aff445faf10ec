"""预约管理 in the workbench (Art. 8): the window's day view with check-in by code or QR scan, serving,
staff cancellation with a required reason; the office's capacity and exception forms; and the
supervision figures for district and city offices.

A USB QR scanner is a keyboard: it types the booking code into the check-in field and presses
Enter, so scanning and typing are the same form (no camera, no JavaScript).
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from govhall.applications.queries import pre_review_timeliness, supervised
from govhall.appointments import queries, services
from govhall.appointments.models import Appointment, BookingCapacity, CapacityException, Status
from govhall.core.crypto import mask_mobile, mask_name
from govhall.core.web import errors_to_form
from govhall.core.workdays.calendar import BEIJING
from govhall.directory.models import ServiceCentre, Window
from govhall.workbench.decorators import staff_required
from govhall.workbench.menu import menu_for

TEXT = {"class": "form-control"}


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_lazy("预约号"),
        max_length=20,
        widget=forms.TextInput(
            attrs={**TEXT, "autofocus": True, "autocomplete": "off", "autocapitalize": "characters"}
        ),
        help_text=_lazy("手工输入，或用扫码枪扫描预约二维码"),
    )


class StaffCancelForm(forms.Form):
    reason = forms.CharField(
        label=_lazy("取消原因"), max_length=300, widget=forms.Textarea(attrs={**TEXT, "rows": 3}), required=False
    )


class CapacityForm(forms.Form):
    slot_minutes = forms.IntegerField(
        label=_lazy("时段长度（分钟）"), min_value=5, max_value=240, widget=forms.NumberInput(attrs=TEXT)
    )
    windows = forms.IntegerField(
        label=_lazy("每时段并行窗口数"), min_value=1, max_value=50, widget=forms.NumberInput(attrs=TEXT)
    )
    is_active = forms.BooleanField(label=_lazy("启用网上预约"), required=False, initial=True)


class ExceptionForm(forms.Form):
    date = forms.DateField(label=_lazy("日期"), widget=forms.DateInput(attrs={**TEXT, "type": "date"}))
    window = forms.ModelChoiceField(
        label=_lazy("关闭的窗口"),
        queryset=Window.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    windows_open = forms.IntegerField(
        label=_lazy("或：当日开放窗口数（0为当日不接受预约）"),
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs=TEXT),
    )
    reason = forms.CharField(label=_lazy("原因"), max_length=200, widget=forms.TextInput(attrs=TEXT))

    def __init__(self, *args, centre: ServiceCentre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["window"].queryset = Window.objects.filter(centre=centre).order_by("number")


class FiguresForm(forms.Form):
    date_from = forms.DateField(label=_lazy("开始日期"), widget=forms.DateInput(attrs={**TEXT, "type": "date"}))
    date_to = forms.DateField(label=_lazy("结束日期"), widget=forms.DateInput(attrs={**TEXT, "type": "date"}))


def _page(request: HttpRequest, template: str, status: int = 200, **context) -> HttpResponse:
    return render(request, template, {"menu": menu_for(request.user), **context}, status=status)


def _today() -> datetime.date:
    return timezone.localdate(timezone=BEIJING)


def _visible_centres(user) -> list[ServiceCentre]:
    """Window staff see their centres; city and district offices the centres they oversee."""
    own = queries.staff_centres(user)
    overseen = [c for c in queries.overseen_centres(user) if c not in own]
    return own + overseen


def _row(appointment: Appointment) -> dict:
    """A list row: personal data masked (the full record is behind the audited reveal)."""
    applicant = appointment.applicant
    return {
        "appointment": appointment,
        "name": mask_name(applicant.name or ""),
        "mobile": mask_mobile(applicant.mobile or ""),
    }


@staff_required
def day(request: HttpRequest) -> HttpResponse:
    """The centre's bookings on one day, by time, with the check-in field on top."""
    centres = _visible_centres(request.user)
    if not centres:
        raise PermissionDenied
    centre = next((c for c in centres if str(c.pk) == request.GET.get("centre")), centres[0])
    try:
        date = datetime.date.fromisoformat(request.GET.get("date") or "") if request.GET.get("date") else _today()
    except ValueError:
        date = _today()
    can_check_in = request.user.has_perm("appointments.check_in", centre)
    return _page(
        request,
        "workbench/appointments/day.html",
        centres=centres,
        centre=centre,
        date=date,
        rows=[_row(a) for a in queries.day_list(centre, date)],
        form=CheckInForm(),
        can_check_in=can_check_in,
        can_manage=request.user.has_perm("appointments.manage_capacity", centre),
        can_supervise=bool(queries.overseen_centres(request.user).exists()),
    )


def _back(centre_id: int, date: datetime.date | None = None) -> str:
    return reverse("workbench:appointments") + f"?centre={centre_id}&date={(date or _today()).isoformat()}"


@require_POST
@staff_required
def check_in(request: HttpRequest) -> HttpResponse:
    """Check in by code (typed or scanned); a refusal says why (unknown code, not today, other centre)."""
    form = CheckInForm(request.POST)
    centre_id = request.POST.get("centre") or ""
    if form.is_valid():
        try:
            appointment = services.check_in(form.cleaned_data["code"], request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        except PermissionDenied:
            messages.error(request, _("该预约不在您所在的服务中心，不能签到。"))
        else:
            messages.success(
                request,
                _("%(code)s 已签到：%(item)s，%(time)s。")
                % {
                    "code": appointment.code,
                    "item": appointment.item.name,
                    "time": f"{appointment.slot.start.astimezone(BEIJING):%H:%M}",
                },
            )
            return redirect(_back(appointment.centre_id))
    else:
        messages.error(request, _("请输入预约号。"))
    return redirect(reverse("workbench:appointments") + (f"?centre={centre_id}" if centre_id.isdigit() else ""))


@require_POST
@staff_required
def serve(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_object_or_404(Appointment, pk=pk)
    try:
        services.serve(appointment, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(code)s 已办理完毕。") % {"code": appointment.code})
    return redirect(_back(appointment.centre_id, appointment.slot.date))


@staff_required
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff cancellation: the reason is required and goes to the district office (Art. 8)."""
    appointment = get_object_or_404(Appointment.objects.select_related("item", "slot", "centre"), pk=pk)
    if not request.user.has_perm("appointments.cancel_by_staff", appointment):
        raise PermissionDenied
    form = StaffCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_by_staff(appointment, request.user, form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error.messages)
        else:
            messages.success(request, _("预约 %(code)s 已取消，已短信通知申请人。") % {"code": appointment.code})
            return redirect(_back(appointment.centre_id, appointment.slot.date))
    return _page(
        request,
        "workbench/appointments/cancel.html",
        status=400 if form.errors else 200,
        form=form,
        row=_row(appointment),
    )


@staff_required
def capacity(request: HttpRequest, centre_id: int) -> HttpResponse:
    """The office sets the centre's general capacity and enters exceptions (a window closed)."""
    centre = get_object_or_404(ServiceCentre, pk=centre_id)
    if not request.user.has_perm("appointments.manage_capacity", centre):
        raise PermissionDenied
    general = BookingCapacity.objects.filter(centre=centre, item__isnull=True).first()
    initial = {"slot_minutes": 30, "windows": 1, "is_active": True}
    if general is not None:
        initial = {"slot_minutes": general.slot_minutes, "windows": general.windows, "is_active": general.is_active}
    action = request.POST.get("action")
    capacity_form = CapacityForm(request.POST if action == "capacity" else None, initial=initial)
    exception_form = ExceptionForm(request.POST if action == "exception" else None, centre=centre)
    if action == "capacity" and capacity_form.is_valid():
        try:
            services.set_capacity(centre, None, by=request.user, **capacity_form.cleaned_data)
        except ValidationError as error:
            errors_to_form(capacity_form, error)
        else:
            messages.success(request, _("预约容量已保存。"))
            return redirect("workbench:appointment_capacity", centre_id=centre.pk)
    if action == "exception" and exception_form.is_valid():
        try:
            services.add_exception(centre, by=request.user, **exception_form.cleaned_data)
        except ValidationError as error:
            errors_to_form(exception_form, error)
        else:
            messages.success(request, _("预约例外已登记，当日号源已重新计算（已预约的不受影响）。"))
            return redirect("workbench:appointment_capacity", centre_id=centre.pk)
    return _page(
        request,
        "workbench/appointments/capacity.html",
        status=400 if (capacity_form.errors or exception_form.errors) else 200,
        centre=centre,
        capacities=BookingCapacity.objects.filter(centre=centre).select_related("item"),
        exceptions=CapacityException.objects.filter(centre=centre, date__gte=_today()).select_related("window"),
        capacity_form=capacity_form,
        exception_form=exception_form,
    )


@staff_required
def figures(request: HttpRequest) -> HttpResponse:
    """Supervision (Art. 8): bookings, no-show rate, staff cancellations with reasons, waiting time."""
    if not queries.overseen_centres(request.user).exists():
        raise PermissionDenied
    today = _today()
    form = FiguresForm(
        request.GET or None, initial={"date_from": today - datetime.timedelta(days=30), "date_to": today}
    )
    date_from, date_to = today - datetime.timedelta(days=30), today
    if form.is_bound and form.is_valid():
        date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    cancellations = queries.staff_cancellations(request.user).filter(at__date__range=(date_from, date_to))
    return _page(
        request,
        "workbench/appointments/figures.html",
        form=form,
        date_from=date_from,
        date_to=date_to,
        figures=queries.supervision_figures(request.user, date_from, date_to),
        pre_review=pre_review_timeliness(
            supervised(request.user).filter(submitted_at__date__range=(date_from, date_to))
        ),
        cancellations=cancellations[:200],
        statuses=Status,
    )
