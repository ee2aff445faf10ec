"""Appointment endpoints for apps (Art. 8): bookable centres, days and slots (public), booking, my
bookings, cancel and reschedule (the applicant), check-in (window staff). The same services and
queries as the portal and the workbench, so every face refuses with the same Chinese message.

A refusal is ``422 {"code": <reason>, "message": <the service's message>, "fields": {}}``, e.g.
``slot_full`` with "该时段刚刚约满，请选择其他时段".
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from govhall.api.auth import AUTH
from govhall.api.errors import error_response
from govhall.appointments import queries, services
from govhall.appointments.models import Appointment, Slot
from govhall.appointments.slots import available_slots, cutoff
from govhall.catalog.models import ServiceItem
from govhall.core.workdays.calendar import BEIJING

router = Router(tags=["appointments"])


class CentreOut(Schema):
    code: str
    name: str
    address: str
    hours: str


class DayOut(Schema):
    date: datetime.date
    free: int
    provisional: bool


class SlotOut(Schema):
    id: int
    start: datetime.datetime
    end: datetime.datetime
    free: int
    provisional: bool


class BookIn(Schema):
    item: str
    slot: int
    business_number: str | None = None


class RescheduleIn(Schema):
    slot: int


class CheckInIn(Schema):
    code: str


class AppointmentOut(Schema):
    id: int
    code: str
    status: str
    status_label: str
    item: str
    item_name: str
    centre: str
    centre_name: str
    start: datetime.datetime
    end: datetime.datetime
    changeable_until: datetime.datetime
    business_number: str | None
    cancel_reason: str


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


def _out(appointment: Appointment) -> AppointmentOut:
    return AppointmentOut(
        id=appointment.pk,
        code=appointment.code,
        status=appointment.status,
        status_label=str(appointment.get_status_display()),
        item=appointment.item.implementation_code,
        item_name=appointment.item.name,
        centre=appointment.centre.code,
        centre_name=appointment.centre.name,
        start=appointment.slot.start.astimezone(BEIJING),
        end=appointment.slot.end.astimezone(BEIJING),
        changeable_until=cutoff(appointment.slot).astimezone(BEIJING),
        business_number=appointment.business_number,
        cancel_reason=appointment.cancel_reason,
    )


def _refused(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """The service's own message and reason code, so an app can show it as it is."""
    return error_response(request, 422, error.code or "invalid", " ".join(error.messages))


def _item(code: str) -> ServiceItem:
    item = queries.bookable_item(code)
    if item is None:
        raise HttpError(404, "该事项不存在或不提供网上预约。")
    return item


def _place(item: ServiceItem, centre: str):
    place = queries.bookable_centre(item, centre)
    if place is None:
        raise HttpError(404, "该服务中心不办理此事项的预约。")
    return place


def _mine(request: HttpRequest, pk: int) -> Appointment:
    appointment = queries.my_appointment(request.auth, pk)
    if appointment is None:
        raise HttpError(404, "预约不存在。")
    return appointment


@router.get("/items/{code}/centres", response=list[CentreOut], summary="可预约的服务中心")
def centres(request: HttpRequest, code: str):
    return [
        CentreOut(code=c.code, name=c.name, address=c.address, hours=c.hours.describe())
        for c in queries.bookable_centres(_item(code))
    ]


@router.get("/items/{code}/centres/{centre}/days", response=list[DayOut], summary="可预约的日期")
def days(request: HttpRequest, code: str, centre: str):
    item = _item(code)
    return [
        DayOut(date=d.date, free=d.free, provisional=d.provisional)
        for d in queries.bookable_days(_place(item, centre), item)
    ]


@router.get("/items/{code}/centres/{centre}/slots", response=list[SlotOut], summary="某日可预约的时段")
def slots(request: HttpRequest, code: str, centre: str, date: datetime.date | None = None):
    """Without ``date``: the first bookable day (what an app shows first)."""
    item = _item(code)
    place = _place(item, centre)
    if date is None:
        first = queries.bookable_days(place, item)[:1]
        if not first:
            return []
        date = first[0].date
    return [
        SlotOut(
            id=s.pk,
            start=s.start.astimezone(BEIJING),
            end=s.end.astimezone(BEIJING),
            free=s.free,
            provisional=s.provisional,
        )
        for s in available_slots(place, item, date)
    ]


@router.post("/bookings", response={201: AppointmentOut, 422: ErrorOut}, auth=AUTH, summary="预约")
def book(request: HttpRequest, payload: BookIn):
    item = _item(payload.item)
    slot = get_object_or_404(Slot, pk=payload.slot)
    try:
        appointment = services.book(request.auth, item, slot, business_number=payload.business_number)
    except ValidationError as error:
        return _refused(request, error)
    except PermissionDenied as error:
        raise PermissionDenied("只有实名认证的个人或法人账号可以预约。") from error
    return Status(201, _out(appointment))


@router.get("/bookings", response=list[AppointmentOut], auth=AUTH, summary="我的预约")
def mine(request: HttpRequest):
    return [_out(a) for a in queries.my_appointments(request.auth)[:100]]


@router.get("/bookings/{pk}", response=AppointmentOut, auth=AUTH, summary="预约详情")
def detail(request: HttpRequest, pk: int):
    return _out(_mine(request, pk))


@router.post("/bookings/{pk}/cancel", response={200: AppointmentOut, 422: ErrorOut}, auth=AUTH, summary="取消预约")
def cancel(request: HttpRequest, pk: int):
    try:
        return Status(200, _out(services.cancel_by_applicant(_mine(request, pk), request.auth)))
    except ValidationError as error:
        return _refused(request, error)


@router.post("/bookings/{pk}/reschedule", response={200: AppointmentOut, 422: ErrorOut}, auth=AUTH, summary="改约")
def reschedule(request: HttpRequest, pk: int, payload: RescheduleIn):
    appointment = _mine(request, pk)
    slot = get_object_or_404(Slot, pk=payload.slot)
    try:
        return Status(200, _out(services.reschedule(appointment, slot, request.auth)))
    except ValidationError as error:
        return _refused(request, error)


@router.post("/check-in", response={200: AppointmentOut, 422: ErrorOut}, auth=AUTH, summary="窗口签到（工作人员）")
def check_in(request: HttpRequest, payload: CheckInIn):
    try:
        return Status(200, _out(services.check_in(payload.code, request.auth)))
    except ValidationError as error:
        return _refused(request, error)
    except PermissionDenied as error:
        raise PermissionDenied("该预约不在您所在的服务中心，不能签到。") from error
