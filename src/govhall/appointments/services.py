"""Every state change of an appointment (regulation Art. 8: a booked visit is honoured).

Each service is one transaction: lock, check the permission and the transition, write, append the
history row, queue any SMS, and record the audit event last (it takes the chain lock).

Why overbooking is impossible: a seat is taken only by :func:`take_seat`, a conditional UPDATE
(``booked = booked + 1 WHERE booked < seats``). On PostgreSQL concurrent UPDATEs of the same row
queue on its row lock and each re-checks the condition against the committed row, so once the last
seat is gone every other UPDATE matches no row; on SQLite write transactions are serialised. The
check constraint ``booked <= seats`` is the database's last word either way. Per-person limits are
serialised by locking the applicant's user row first, so two tabs of one person cannot both pass.
"""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.catalog.models import GuideVersion, ServiceItem
from govhall.core.audit.services import record
from govhall.core.permissions import ensure_permission
from govhall.core.workdays.calendar import BEIJING, WorkCalendar
from govhall.feedback import evaluations as feedback_evaluations

from .models import (
    ALLOWED_TRANSITIONS,
    Appointment,
    AppointmentEvent,
    BookingCapacity,
    BookingRestriction,
    CapacityException,
    Slot,
    StaffCancellation,
    Status,
)
from .slots import cutoff, ensure_slots, horizon

# Read out at a window or over the phone: no 0/O, 1/I (and no L, U to avoid look-alikes and words).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8
CODE_ATTEMPTS = 5
SLOT_TAKEN = "该时段刚刚约满，请选择其他时段"


def new_code() -> str:
    """30^8 ≈ 6.6·10^11 codes from ``secrets``: unguessable, and short enough to read out."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    """What staff type or a scanner reads: any case, spaces or dashes."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _today(now: datetime.datetime) -> datetime.date:
    return timezone.localdate(now, timezone=BEIJING)


# --- seats -----------------------------------------------------------------------------------------


def take_seat(slot_id: int) -> None:
    """Take one seat or fail with "slot just taken"; the only way ``booked`` grows."""
    if not Slot.objects.filter(pk=slot_id, booked__lt=F("seats")).update(booked=F("booked") + 1):
        raise ValidationError(_(SLOT_TAKEN), code="slot_full")


def release_seat(slot_id: int) -> None:
    """Give a seat back (cancellation, reschedule), in the caller's transaction."""
    Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def _move_seat(old_slot_id: int, new_slot_id: int) -> None:
    """Release one seat and take another, touching the two rows in primary-key order so two
    reschedules swapping slots cannot deadlock; a full new slot rolls the release back with the
    service's transaction (or savepoint)."""
    steps = sorted([(old_slot_id, release_seat), (new_slot_id, take_seat)], key=lambda step: step[0])
    for slot_id, step in steps:
        step(slot_id)


# --- checks ----------------------------------------------------------------------------------------


def _check_item_at_centre(item: ServiceItem, slot: Slot) -> None:
    """The item takes bookings, and the slot's centre is one of its published guide's places."""
    capacity = slot.capacity
    if not item.booking:
        raise ValidationError(_("该事项不提供网上预约。"), code="no_booking")
    if not capacity.is_active or capacity.item_id not in (None, item.pk):
        raise ValidationError(_("该时段不能预约此事项。"), code="wrong_capacity")
    places = GuideVersion.centres.through.objects.filter(
        guideversion_id=item.published_version_id, servicecentre_id=capacity.centre_id
    )
    if item.published_version_id is None or not places.exists():
        raise ValidationError(_("该服务中心不办理此事项，请选择办事指南中列出的办理地点。"), code="wrong_centre")


def _check_time(slot: Slot, now: datetime.datetime) -> None:
    """Within the horizon, on a working day, before the cut-off."""
    first, last = horizon(_today(now))
    if slot.start <= now:
        raise ValidationError(_("该时段已过，请选择其他时段。"), code="past")
    if not first <= slot.date <= last:
        raise ValidationError(
            _("只能预约%(days)s天内的时段。") % {"days": settings.APPOINTMENT_HORIZON_DAYS}, code="horizon"
        )
    if not WorkCalendar().is_working_day(slot.date) or slot.seats == 0:
        raise ValidationError(_("该日不办公，不能预约。"), code="closed")
    if cutoff(slot) <= now:
        raise ValidationError(
            _("该时段已截止预约（开始前%(minutes)s分钟截止）。") % {"minutes": settings.APPOINTMENT_CUTOFF_MINUTES},
            code="cutoff",
        )


def active_restriction(applicant: Any, today: datetime.date) -> BookingRestriction | None:
    return BookingRestriction.objects.filter(applicant=applicant, until__gte=today).order_by("-until").first()


def _check_person(applicant: Any, slot: Slot, now: datetime.datetime, *, exclude: int | None = None) -> None:
    """No active restriction, fewer than N open bookings, nothing else at the same time."""
    restriction = active_restriction(applicant, _today(now))
    if restriction is not None:
        raise ValidationError(
            _("您因多次预约后未到场，%(until)s前不能网上预约。") % {"until": f"{restriction.until:%Y-%m-%d}"},
            code="restricted",
        )
    mine = Appointment.objects.filter(applicant=applicant, status=Status.BOOKED, slot__end__gt=now)
    if exclude is not None:
        mine = mine.exclude(pk=exclude)
    if mine.count() >= settings.APPOINTMENT_MAX_OPEN:
        raise ValidationError(
            _("您最多可同时持有%(n)s个有效预约。") % {"n": settings.APPOINTMENT_MAX_OPEN}, code="too_many"
        )
    if mine.filter(slot__start__lt=slot.end, slot__end__gt=slot.start).exists():
        raise ValidationError(_("您在该时间已有其他预约。"), code="overlap")


def _lock_person(applicant: Any) -> None:
    """Serialise one person's bookings so the limits hold under concurrency."""
    get_user_model().objects.select_for_update().filter(pk=applicant.pk).first()


def _lock(appointment: Appointment | int) -> Appointment:
    pk = appointment if isinstance(appointment, int) else appointment.pk
    return Appointment.objects.select_for_update(of=("self",)).select_related("slot", "centre", "item").get(pk=pk)


def _move(appointment: Appointment, target: str, *, by: Any, action: str, note: str = "") -> None:
    if target not in ALLOWED_TRANSITIONS[appointment.status]:
        raise ValidationError(
            _("预约当前为“%(status)s”，不能执行此操作。") % {"status": appointment.get_status_display()},
            code="transition",
        )
    appointment.status = target
    _event(appointment, action, by=by, note=note)


def _event(appointment: Appointment, action: str, *, by: Any, note: str = "") -> None:
    actor = by if getattr(by, "pk", None) else None
    AppointmentEvent.objects.create(
        appointment=appointment, action=action, status=appointment.status, by=actor, note=note
    )


def _create_with_code(**fields: Any) -> Appointment:
    """Insert with a fresh code, retrying on the (astronomically rare) collision."""
    for _attempt in range(CODE_ATTEMPTS):
        code = new_code()
        try:
            with transaction.atomic():
                return Appointment.objects.create(code=code, **fields)
        except IntegrityError:
            if not Appointment.objects.filter(code=code).exists():
                raise
    raise RuntimeError("no free booking code after several attempts")


def _notify(appointment: Appointment, code: str, *, key: str, **extra: str) -> None:
    """Queue an SMS about ``appointment`` in the caller's transaction, if the applicant has a
    mobile number (an account without one still books; it just gets no SMS)."""
    from govhall.notifications import services as notifications

    if not appointment.applicant.mobile:
        return
    start = appointment.slot.start.astimezone(BEIJING)
    context = {
        "number": appointment.code,
        "item": appointment.item.name,
        "centre": appointment.centre.name,
        "time": f"{start.month}月{start.day}日 {start:%H:%M}",
        **extra,
    }
    notifications.send(code, appointment.applicant, context, dedupe_key=f"{code}:{key}", obj=appointment)


def _confirmation_sms(appointment: Appointment) -> None:
    """Confirmation on booking, and again with the new time on a reschedule (Art. 8)."""
    from govhall.notifications.catalog import TemplateCode

    _notify(appointment, TemplateCode.APPOINTMENT_CONFIRMATION, key=f"{appointment.pk}:{appointment.slot_id}")


def _cancellation_sms(appointment: Appointment, reason: str) -> None:
    from govhall.notifications.catalog import TemplateCode

    _notify(appointment, TemplateCode.APPOINTMENT_CANCELLED, key=str(appointment.pk), reason=reason)


def _own_application(applicant: Any, item: ServiceItem, business_number: str | None) -> Any:
    """The applicant's own application of this item with that number (issue 8: the visit continues
    a pre-reviewed application); ``None`` for a number that is not theirs (nothing is revealed)."""
    if not business_number:
        return None
    from django.db.models import Q

    from govhall.applications.models import Application

    return (
        Application.objects.filter(business_number=business_number, item=item)
        .filter(Q(applicant=applicant) | Q(acting_person=applicant))
        .first()
    )


# --- the applicant --------------------------------------------------------------------------------


@transaction.atomic
def book(
    applicant: Any,
    item: ServiceItem,
    slot: Slot,
    *,
    now: datetime.datetime | None = None,
    business_number: str | None = None,
) -> Appointment:
    """Book ``slot`` for ``item`` (Art. 8). Refuses with a clear message: past the horizon or cut-off,
    over the person's limits, while restricted, an item without booking or a centre not handling it,
    or "该时段刚刚约满" when another booking took the last seat first. ``business_number`` links the
    visit to a pre-reviewed application (Art. 12); the applications domain reads it."""
    now = _now(now)
    business_number = (business_number or "").strip()[:48] or None
    ensure_permission(applicant, "appointments.book")
    _lock_person(applicant)
    item = ServiceItem.objects.get(pk=item.pk)
    slot = Slot.objects.select_related("capacity__centre").get(pk=slot.pk)
    _check_item_at_centre(item, slot)
    _check_time(slot, now)
    _check_person(applicant, slot, now)
    take_seat(slot.pk)
    appointment = _create_with_code(
        applicant=applicant,
        item=item,
        centre=slot.capacity.centre,
        slot=slot,
        business_number=business_number,
        application=_own_application(applicant, item, business_number),
    )
    _event(appointment, "booked", by=applicant)
    _confirmation_sms(appointment)
    record(applicant, "appointments.booked", appointment, after={"code": appointment.code, "slot": slot.pk})
    return appointment


@transaction.atomic
def cancel_by_applicant(appointment: Appointment, by: Any, *, now: datetime.datetime | None = None) -> Appointment:
    """The applicant cancels their own booking, until the cut-off; the seat is free again at once."""
    now = _now(now)
    appointment = _lock(appointment)
    ensure_permission(by, "appointments.change_own", appointment)
    if appointment.status == Status.BOOKED and cutoff(appointment.slot) <= now:
        raise ValidationError(
            _("已超过取消截止时间（时段开始前%(minutes)s分钟）。") % {"minutes": settings.APPOINTMENT_CUTOFF_MINUTES},
            code="cutoff",
        )
    _move(appointment, Status.CANCELLED_BY_APPLICANT, by=by, action="cancelled")
    appointment.cancelled_at = now
    appointment.save(update_fields=["status", "cancelled_at"])
    release_seat(appointment.slot_id)
    _cancellation_sms(appointment, _("本人取消"))
    record(by, "appointments.cancelled_by_applicant", appointment, before={"status": Status.BOOKED})
    return appointment


@transaction.atomic
def reschedule(
    appointment: Appointment, new_slot: Slot, by: Any, *, now: datetime.datetime | None = None
) -> Appointment:
    """Move a booking to another slot in one transaction: a failure (slot just taken, cut-off)
    leaves the booking and both seat counts exactly as they were."""
    now = _now(now)
    appointment = _lock(appointment)
    ensure_permission(by, "appointments.change_own", appointment)
    if appointment.status != Status.BOOKED:
        raise ValidationError(_("只能改约尚未签到的有效预约。"), code="transition")
    if cutoff(appointment.slot) <= now:
        raise ValidationError(_("已超过改约截止时间。"), code="cutoff")
    _lock_person(appointment.applicant)
    new_slot = Slot.objects.select_related("capacity__centre").get(pk=new_slot.pk)
    if new_slot.pk == appointment.slot_id:
        raise ValidationError(_("新时段与原时段相同。"), code="same_slot")
    _check_item_at_centre(appointment.item, new_slot)
    _check_time(new_slot, now)
    _check_person(appointment.applicant, new_slot, now, exclude=appointment.pk)
    old_slot_id = appointment.slot_id
    _move_seat(old_slot_id, new_slot.pk)
    appointment.slot, appointment.centre = new_slot, new_slot.capacity.centre
    appointment.save(update_fields=["slot", "centre"])
    _event(appointment, "rescheduled", by=by)
    _confirmation_sms(appointment)
    record(by, "appointments.rescheduled", appointment, before={"slot": old_slot_id}, after={"slot": new_slot.pk})
    return appointment


# --- the centre -----------------------------------------------------------------------------------


@transaction.atomic
def cancel_by_staff(appointment: Appointment, by: Any, reason: str) -> Appointment:
    """Window staff cancel a booking only with a recorded reason, which the district office sees
    (Art. 8: a booked applicant may not be refused without one)."""
    reason = (reason or "").strip()
    appointment = _lock(appointment)
    ensure_permission(by, "appointments.cancel_by_staff", appointment)
    if not reason:
        raise ValidationError(_("工作人员取消预约必须填写原因。"), code="reason_required")
    _move(appointment, Status.CANCELLED_BY_STAFF, by=by, action="cancelled_by_staff", note=reason)
    appointment.cancel_reason, appointment.cancelled_at = reason, timezone.now()
    appointment.save(update_fields=["status", "cancel_reason", "cancelled_at"])
    release_seat(appointment.slot_id)
    StaffCancellation.objects.create(appointment=appointment, centre=appointment.centre, by=by, reason=reason)
    _cancellation_sms(appointment, reason)
    record(by, "appointments.cancelled_by_staff", appointment, reason=reason, scope=f"centre:{appointment.centre_id}")
    return appointment


@transaction.atomic
def check_in(code: str, by: Any, *, now: datetime.datetime | None = None) -> Appointment:
    """Window staff of the booked centre check the applicant in, on the day of the visit only."""
    now = _now(now)
    found = Appointment.objects.filter(code=normalise_code(code)).values_list("pk", flat=True).first()
    if found is None:
        raise ValidationError(_("未找到该预约号。"), code="unknown_code")
    appointment = _lock(found)
    ensure_permission(by, "appointments.check_in", appointment)
    if appointment.slot.date != _today(now):
        raise ValidationError(
            _("该预约的办理日期是%(date)s，只能当天签到。") % {"date": f"{appointment.slot.date:%Y-%m-%d}"},
            code="not_today",
        )
    _move(appointment, Status.CHECKED_IN, by=by, action="checked_in")
    appointment.checked_in_at = now
    appointment.save(update_fields=["status", "checked_in_at"])
    record(by, "appointments.checked_in", appointment, scope=f"centre:{appointment.centre_id}")
    return appointment


@transaction.atomic
def serve(appointment: Appointment, by: Any, *, now: datetime.datetime | None = None) -> Appointment:
    """The visit is served (its waiting time is ``served_at - checked_in_at``)."""
    appointment = _lock(appointment)
    ensure_permission(by, "appointments.check_in", appointment)
    _move(appointment, Status.SERVED, by=by, action="served")
    appointment.served_at, appointment.served_by = _now(now), by
    appointment.save(update_fields=["status", "served_at", "served_by"])
    feedback_evaluations.invite_for_appointment(appointment)  # Art. 16: invited once to rate
    record(by, "appointments.served", appointment, scope=f"centre:{appointment.centre_id}")
    return appointment


# --- capacity -------------------------------------------------------------------------------------


@transaction.atomic
def set_capacity(
    centre: Any, item: ServiceItem | None, *, slot_minutes: int, windows: int, by: Any, is_active: bool = True
) -> BookingCapacity:
    """Create or change how ``centre`` receives booked visits (for ``item``, or for all items)."""
    ensure_permission(by, "appointments.manage_capacity", centre)
    if not 5 <= slot_minutes <= 240 or windows < 1:
        raise ValidationError(_("时段长度须在5至240分钟之间，并行窗口数至少为1。"), code="invalid")
    capacity = (
        BookingCapacity.objects.select_for_update(of=("self",)).filter(centre=centre, item=item).order_by("pk").first()
    )
    before = capacity and {"slot_minutes": capacity.slot_minutes, "windows": capacity.windows}
    if capacity is None:
        capacity = BookingCapacity(centre=centre, item=item)
    capacity.slot_minutes, capacity.windows, capacity.is_active = slot_minutes, windows, is_active
    capacity.save()
    record(
        by,
        "appointments.capacity_set",
        capacity,
        before=before,
        after={"slot_minutes": slot_minutes, "windows": windows},
    )
    return capacity


@transaction.atomic
def add_exception(
    centre: Any,
    date: datetime.date,
    *,
    by: Any,
    reason: str,
    window: Any = None,
    windows_open: int | None = None,
    capacity: BookingCapacity | None = None,
) -> CapacityException:
    """The centre closes a window (or all but ``windows_open``) on a date; the day's slots are
    recomputed at once, never below what is already booked (booked visits are honoured)."""
    ensure_permission(by, "appointments.manage_capacity", centre)
    reason = (reason or "").strip()
    if not reason or (window is None and windows_open is None):
        raise ValidationError(_("请填写原因，并选择关闭的窗口或填写开放窗口数。"), code="invalid")
    if window is not None and window.centre_id != centre.pk:
        raise ValidationError(_("该窗口不属于此服务中心。"), code="invalid")
    exception = CapacityException.objects.create(
        centre=centre,
        date=date,
        window=window,
        windows_open=windows_open,
        capacity=capacity,
        reason=reason,
        created_by=by,
    )
    for row in BookingCapacity.objects.filter(centre=centre).select_related("centre"):
        if Slot.objects.filter(capacity=row, date=date).exists():
            ensure_slots(row, date, date)
    record(by, "appointments.exception_added", exception, reason=reason, after={"date": str(date)})
    return exception


# --- the sweep ------------------------------------------------------------------------------------


def _restrict_if_repeated(applicant_id: int, today: datetime.date) -> BookingRestriction | None:
    """After N no-shows within the window (counted since the last restriction), stop online booking."""
    since = timezone.now() - datetime.timedelta(days=settings.APPOINTMENT_NO_SHOW_WINDOW_DAYS)
    last = BookingRestriction.objects.filter(applicant_id=applicant_id).order_by("-created_at").first()
    if last is not None:
        if last.until >= today:
            return None
        since = max(since, last.created_at)
    count = Appointment.objects.filter(applicant_id=applicant_id, status=Status.NO_SHOW, slot__start__gte=since).count()
    if count < settings.APPOINTMENT_NO_SHOW_THRESHOLD:
        return None
    restriction = BookingRestriction.objects.create(
        applicant_id=applicant_id,
        until=today + datetime.timedelta(days=settings.APPOINTMENT_RESTRICTION_DAYS),
        reason=_("%(days)s天内%(count)s次预约未到")
        % {"days": settings.APPOINTMENT_NO_SHOW_WINDOW_DAYS, "count": count},
    )
    record("system", "appointments.restricted", restriction, after={"until": str(restriction.until)})
    return restriction


def sweep_no_shows(now: datetime.datetime | None = None) -> int:
    """Mark as no-show every booking whose slot ended more than the grace period ago without a
    check-in; restrict repeat offenders. Each appointment is its own short transaction (locked rows
    are skipped, the next run takes them). Returns the number marked."""
    now = _now(now)
    due = now - datetime.timedelta(minutes=settings.APPOINTMENT_NO_SHOW_GRACE_MINUTES)
    ids = list(Appointment.objects.filter(status=Status.BOOKED, slot__end__lt=due).values_list("pk", flat=True))
    marked = 0
    for pk in ids:
        with transaction.atomic():
            appointment = (
                Appointment.objects.select_for_update(skip_locked=True).filter(pk=pk, status=Status.BOOKED).first()
            )
            if appointment is None:
                continue
            _move(appointment, Status.NO_SHOW, by=None, action="no_show")
            appointment.save(update_fields=["status"])
            _restrict_if_repeated(appointment.applicant_id, _today(now))
            record("system", "appointments.no_show", appointment)
            marked += 1
    return marked


def send_reminders(now: datetime.datetime | None = None) -> int:
    """On a working day, queue a reminder for every booking on the next working day (and any rest
    days before it). Not urgent: the outbox holds it back during quiet hours. Bookings made today
    already got their confirmation today. Idempotent: returns the reminders newly queued."""
    from govhall.notifications.catalog import TemplateCode
    from govhall.notifications.models import Message

    now = _now(now)
    today = _today(now)
    calendar = WorkCalendar()
    if not calendar.is_working_day(today):
        return 0
    next_day = calendar.add_working_days(today, 1)
    start_of_today = datetime.datetime.combine(today, datetime.time(), tzinfo=BEIJING)
    due = Appointment.objects.filter(
        status=Status.BOOKED,
        slot__date__gt=today,
        slot__date__lte=next_day,
        created_at__lt=start_of_today,
    ).select_related("applicant", "item", "centre", "slot")
    sent = 0
    for appointment in due:
        key = f"{appointment.pk}:{appointment.slot_id}"
        if Message.objects.filter(dedupe_key=f"{TemplateCode.APPOINTMENT_REMINDER}:{key}").exists():
            continue
        with transaction.atomic():
            _notify(appointment, TemplateCode.APPOINTMENT_REMINDER, key=key)
        sent += 1
    return sent
