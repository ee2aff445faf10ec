"""预约办理 on the portal (Art. 8): guide page → centre → day → slot → confirm → code and QR code;
"my bookings" with cancel and reschedule until the cut-off.

Every step is a plain GET page with links (usable on a phone, no JavaScript); only booking,
cancelling and rescheduling POST. ``?business_number=`` (a pre-reviewed application, Art. 12) is
carried through every link and stored on the booking.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.appointments import queries, services
from govhall.appointments.models import Appointment, Slot, Status
from govhall.appointments.slots import available_slots, cutoff
from govhall.catalog.models import ServiceItem
from govhall.core.workdays.calendar import BEIJING
from govhall.directory.models import ServiceCentre

LOGIN = "portal:login"


def _carry(request: HttpRequest) -> str:
    """The query string that follows the citizen through the flow (the application's number)."""
    number = (request.GET.get("business_number") or request.POST.get("business_number") or "").strip()[:48]
    return "?" + urlencode({"business_number": number}) if number else ""


def _item(code: str) -> ServiceItem:
    item = queries.bookable_item(code)
    if item is None:
        raise Http404
    return item


def _centre(item: ServiceItem, centre_code: str) -> ServiceCentre:
    centre = queries.bookable_centre(item, centre_code)
    if centre is None:
        raise Http404
    return centre


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise Http404 from None


def _mine(request: HttpRequest, pk: int) -> Appointment:
    """The user's own booking; another citizen's booking is not found (it is not theirs to know of)."""
    appointment = queries.my_appointment(request.user, pk)
    if appointment is None:
        raise Http404
    return appointment


def _refuse(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, PermissionDenied):
        messages.error(request, _("只有实名认证的个人或法人账号可以预约。"))
        return
    for message in error.messages:
        messages.error(request, message)


@login_required(login_url=LOGIN)
def choose_centre(request: HttpRequest, code: str) -> HttpResponse:
    """Step 1: the service centres of the published guide that take bookings for this item."""
    item = _item(code)
    centres = queries.bookable_centres(item)
    if len(centres) == 1:
        return redirect(reverse("portal:appointment_days", args=[code, centres[0].code]) + _carry(request))
    return render(
        request, "portal/appointments/centres.html", {"item": item, "centres": centres, "carry": _carry(request)}
    )


@login_required(login_url=LOGIN)
def choose_day(request: HttpRequest, code: str, centre: str) -> HttpResponse:
    """Step 2: working days within the horizon that still have free seats (provisional ones marked)."""
    item = _item(code)
    place = _centre(item, centre)
    context = {"item": item, "centre": place, "days": queries.bookable_days(place, item), "carry": _carry(request)}
    return render(request, "portal/appointments/days.html", context)


@login_required(login_url=LOGIN)
def choose_slot(request: HttpRequest, code: str, centre: str, day: str) -> HttpResponse:
    """Step 3: the day's free slots with the seats left."""
    item = _item(code)
    place = _centre(item, centre)
    date = _date(day)
    context = {
        "item": item,
        "centre": place,
        "date": date,
        "slots": available_slots(place, item, date),
        "carry": _carry(request),
    }
    return render(request, "portal/appointments/slots.html", context)


@login_required(login_url=LOGIN)
def confirm(request: HttpRequest, code: str, slot_id: int) -> HttpResponse:
    """Step 4: what, where, when and the materials to bring; POST books (every refusal explained)."""
    item = _item(code)
    slot = get_object_or_404(Slot.objects.select_related("capacity__centre"), pk=slot_id)
    centre = slot.capacity.centre
    if request.method == "POST":
        try:
            appointment = services.book(request.user, item, slot, business_number=request.POST.get("business_number"))
        except (ValidationError, PermissionDenied) as error:
            _refuse(request, error)
            days = reverse("portal:appointment_slots", args=[code, centre.code, slot.date.isoformat()])
            return redirect(days + _carry(request))
        messages.success(request, _("预约成功，确认短信已发送。"))
        return redirect("portal:appointment", pk=appointment.pk)
    context = {
        "item": item,
        "centre": centre,
        "slot": slot,
        "materials": queries.materials_to_bring(item),
        "business_number": request.GET.get("business_number", "")[:48],
        "carry": _carry(request),
    }
    return render(request, "portal/appointments/confirm.html", context)


def _qr(code: str) -> str:
    """The booking code as a QR code (inline SVG): a USB scanner at the window types it back."""
    return segno.make(code, error="m").svg_inline(scale=5, title=_("预约号二维码"))


def _changeable(appointment: Appointment) -> bool:
    return appointment.status == Status.BOOKED and cutoff(appointment.slot) > timezone.now()


@login_required(login_url=LOGIN)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 5 and later: the booking code and its QR code, time, place, what to bring."""
    appointment = _mine(request, pk)
    context = {
        "appointment": appointment,
        "qr": _qr(appointment.code) if appointment.is_live else "",
        "materials": queries.materials_to_bring(appointment.item),
        "changeable": _changeable(appointment),
        "cutoff": cutoff(appointment.slot).astimezone(BEIJING),
    }
    return render(request, "portal/appointments/detail.html", context)


@login_required(login_url=LOGIN)
def mine(request: HttpRequest) -> HttpResponse:
    """我的预约: every booking of the user, newest first."""
    rows = [(row, _changeable(row)) for row in queries.my_appointments(request.user)[:100]]
    return render(request, "portal/appointments/mine.html", {"rows": rows})


@require_POST
@login_required(login_url=LOGIN)
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _mine(request, pk)
    try:
        services.cancel_by_applicant(appointment, request.user)
    except ValidationError as error:
        _refuse(request, error)
        return redirect("portal:appointment", pk=pk)
    messages.success(request, _("预约已取消，号源已释放。"))
    return redirect("portal:appointments")


@login_required(login_url=LOGIN)
def reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Pick another day (GET), or another slot on ``?date=`` (GET), and move the booking (POST)."""
    appointment = _mine(request, pk)
    if not _changeable(appointment):
        messages.error(request, _("该预约已不能改约（已超过截止时间或已不是有效预约）。"))
        return redirect("portal:appointment", pk=pk)
    if request.method == "POST":
        chosen = request.POST.get("slot", "")
        slot = get_object_or_404(Slot, pk=int(chosen) if chosen.isdigit() else 0)
        try:
            services.reschedule(appointment, slot, request.user)
        except ValidationError as error:
            _refuse(request, error)
            return redirect("portal:appointment_reschedule", pk=pk)
        messages.success(request, _("改约成功，新的时间已短信通知您。"))
        return redirect("portal:appointment", pk=pk)
    context = {"appointment": appointment, "item": appointment.item, "centre": appointment.centre}
    if request.GET.get("date"):
        date = _date(request.GET["date"])
        context.update(date=date, slots=available_slots(appointment.centre, appointment.item, date))
        return render(request, "portal/appointments/reschedule_slots.html", context)
    context["days"] = queries.bookable_days(appointment.centre, appointment.item)
    return render(request, "portal/appointments/reschedule_days.html", context)
