"""Booking, cancelling, rescheduling, check-in and the no-show sweep (regulation Art. 8).

Today is Friday 2026-09-18 10:00 in every test unless a test travels on; the centre has the
default hours, 30-minute slots and two parallel windows.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from govhall.appointments import services
from govhall.appointments.models import (
    Appointment,
    AppointmentEvent,
    BookingRestriction,
    Slot,
    StaffCancellation,
    Status,
)
from govhall.appointments.slots import ensure_slots
from govhall.appointments.tests.conftest import at
from govhall.appointments.tests.factories import ApplicantFactory, bookable_item
from govhall.core.audit.models import AuditEvent
from govhall.notifications.models import Message

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(travel):
    travel("2026-09-18 10:00")


def slot_at(capacity, when: str) -> Slot:
    day = datetime.date.fromisoformat(when[:10])
    ensure_slots(capacity, day, day)
    return Slot.objects.get(capacity=capacity, start=at(when))


def audit_actions(obj) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def refused(code: str):
    """``pytest.raises`` for a ValidationError with this code."""
    return pytest.raises(ValidationError, check=lambda error: error.code == code)


# --- booking --------------------------------------------------------------------------------------


def test_a_booking_takes_a_seat_and_gets_a_readable_code(hall):
    hall.alice.mobile = "13912345678"
    hall.alice.save()
    slot = slot_at(hall.capacity, "2026-09-21 09:00")

    appointment = services.book(hall.alice, hall.item, slot)

    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{8}", appointment.code)  # no 0, O, 1, I
    assert (appointment.status, appointment.centre, appointment.slot) == (Status.BOOKED, hall.centre, slot)
    slot.refresh_from_db()
    assert slot.booked == 1
    assert audit_actions(appointment) == ["appointments.booked"]
    assert list(appointment.events.values_list("action", flat=True)) == ["booked"]
    sms = Message.objects.get(object_id=str(appointment.pk))
    assert appointment.code in sms.text
    assert "9月21日 09:00" in sms.text
    assert hall.centre.name in sms.text


def test_codes_are_unique_and_normalised_for_look_up():
    codes = {services.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert not set("".join(codes)) & set("01OI")
    assert services.normalise_code(" abcd-2345 ") == "ABCD2345"


def test_the_last_seat_goes_to_one_applicant_only(hall):
    hall.capacity.windows = 1
    hall.capacity.save()
    slot = slot_at(hall.capacity, "2026-09-21 09:00")
    services.book(hall.alice, hall.item, slot)

    with pytest.raises(ValidationError, match="该时段刚刚约满，请选择其他时段"):
        services.book(hall.bob, hall.item, slot)

    slot.refresh_from_db()
    assert (slot.booked, slot.seats) == (1, 1)
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize(
    ("when", "code"),
    [
        ("2026-09-18 11:30", "cutoff"),  # starts in 90 minutes: past the 120-minute cut-off
        ("2026-09-18 11:59", "cutoff"),  # not a slot start, but the nearest one (11:30) is past it too
        ("2026-10-08 09:00", "horizon"),  # 20 days ahead, the horizon is 14
    ],
)
def test_booking_times_outside_the_rules_are_refused(hall, when, code):
    day = datetime.date.fromisoformat(when[:10])
    ensure_slots(hall.capacity, day, day)
    slot = Slot.objects.filter(capacity=hall.capacity, start__lte=at(when)).order_by("-start").first()

    with refused(code):
        services.book(hall.alice, hall.item, slot)

    assert not Appointment.objects.exists()
    slot.refresh_from_db()
    assert slot.booked == 0


def test_a_slot_in_the_past_is_refused(hall, travel):
    slot = slot_at(hall.capacity, "2026-09-21 09:00")
    travel("2026-09-22 08:00")

    with pytest.raises(ValidationError, match="该时段已过"):
        services.book(hall.alice, hall.item, slot)


def test_an_item_without_online_booking_is_refused(hall):
    item = bookable_item(hall.centre, booking=False)

    with refused("no_booking"):
        services.book(hall.alice, item, slot_at(hall.capacity, "2026-09-21 09:00"))


def test_a_centre_that_does_not_handle_the_item_is_refused(hall):
    item = bookable_item(hall.other_centre)  # its guide names only the other centre

    with refused("wrong_centre"):
        services.book(hall.alice, item, slot_at(hall.capacity, "2026-09-21 09:00"))


def test_staff_cannot_book(hall):
    with pytest.raises(PermissionDenied):
        services.book(hall.staff, hall.item, slot_at(hall.capacity, "2026-09-21 09:00"))


def test_at_most_three_open_bookings(hall):
    for when in ("2026-09-21 09:00", "2026-09-22 09:00", "2026-09-23 09:00"):
        services.book(hall.alice, hall.item, slot_at(hall.capacity, when))

    with pytest.raises(ValidationError, match="最多可同时持有3个有效预约"):
        services.book(hall.alice, hall.item, slot_at(hall.capacity, "2026-09-24 09:00"))


def test_no_two_bookings_at_the_same_time(hall):
    services.book(hall.alice, hall.item, slot_at(hall.capacity, "2026-09-21 09:00"))

    with refused("overlap"):  # the same slot again
        services.book(hall.alice, hall.item, slot_at(hall.capacity, "2026-09-21 09:00"))
    with refused("overlap"):  # the same time at another centre
        services.book(hall.alice, hall.item, slot_at(hall.other_capacity, "2026-09-21 09:00"))
    services.book(hall.alice, hall.item, slot_at(hall.capacity, "2026-09-21 09:30"))  # back to back is fine


# --- cancelling and rescheduling ------------------------------------------------------------------


def test_the_applicant_cancels_until_the_cut_off_and_the_seat_is_free_again(hall, travel):
    slot = slot_at(hall.capacity, "2026-09-21 09:00")
    appointment = services.book(hall.alice, hall.item, slot)

    services.cancel_by_applicant(appointment, hall.alice)

    slot.refresh_from_db()
    appointment.refresh_from_db()
    assert (appointment.status, slot.booked) == (Status.CANCELLED_BY_APPLICANT, 0)
    assert audit_actions(appointment) == ["appointments.booked", "appointments.cancelled_by_applicant"]
    services.book(hall.bob, hall.item, slot)  # the seat is bookable again


@pytest.mark.parametrize(
    ("now", "allowed"),
    [
        ("2026-09-21 06:59", True),  # 2 h 1 min before 09:00
        ("2026-09-21 07:00", False),  # exactly at the cut-off
        ("2026-09-21 08:30", False),
    ],
)
def test_cancellation_cut_off(hall, travel, now, allowed):
    appointment = services.book(hall.alice, hall.item, slot_at(hall.capacity, "2026-09-21 09:00"))
    travel(now)

    if allowed:
        assert services.cancel_by_applicant(appointment, hall.alice).status == Status.CANCELLED_BY_APPLICANT
    else:
        with refused("cutoff"):
            services.cancel_by_applicant(appointment, hall.alice)
        appointment.refresh_from_db()
        assert appointment.status == Status.BOOKED


def test_a_citizen_cannot_cancel_or_move_anothers_booking(hall):
    appointment = services.book(hall.alice, hall.item, slot_at(hall.capacity, "2026-09-21 09:00"))

    with pytest.raises(PermissionDenied):
        services.cancel_by_applicant(appointment, hall.bob)
    with pytest.raises(PermissionDenied):
        services.reschedule(appointment, slot_at(hall.capacity, "2026-09-22 09:00"), hall.bob)

    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED


def test_reschedule_moves_the_seat_in_one_step(hall):
    old = slot_at(hall.capacity, "2026-09-21 09:00")
    new = slot_at(hall.other_capacity, "2026-09-22 14:00")
    appointment = services.book(hall.alice, hall.item, old)

    services.reschedule(appointment, new, hall.alice)

    old.refresh_from_db()
    new.refresh_from_db()
    appointment.refresh_from_db()
    assert (old.booked, new.booked) == (0, 1)
    assert (appointment.slot, appointment.centre, appointment.code) == (new, hall.other_centre, appointment.code)
    assert list(appointment.events.values_list("action", flat=True)) == ["booked", "rescheduled"]


def test_a_failed_reschedule_leaves_the_booking_as_it_was(hall):
    old = slot_at(hall.capacity, "2026-09-21 09:00")
    full = slot_at(hall.other_capacity, "2026-09-22 14:00")
    services.book(hall.bob, hall.item, full)  # the other centre has one window: now full
    appointment = services.book(hall.alice, hall.item, old)

    with refused("slot_full"):
        services.reschedule(appointment, full, hall.alice)

    old.refresh_from_db()
    appointment.refresh_from_db()
    assert (appointment.slot, old.booked) == (old, 1)


# --- the centre -----------------------------------------------------------------------------------


def test_staff_cancellation_needs_a_reason(hall):
    appointment = services.book(hall.alice, hall.item, slot_at(hall.capacity, "2026-09-21 09:00"))

    for reason in ("", "   "):
        with refused("reason_required"):
            services.cancel_by_staff(appointment, hall.staff, reason)

    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED
    assert not StaffCancellation.objects.exists()
    assert audit_actions(appointment) == ["appointments.booked"]


def test_staff_cancellation_is_audited_and_reported_to_supervision(hall):
    slot = slot_at(hall.capacity, "2026-09-21 09:00")
    appointment = services.book(hall.alice, hall.item, slot)

    services.cancel_by_staff(appointment, hall.staff, "系统故障，当日暂停受理")

    appointment.refresh_from_db()
    slot.refresh_from_db()
    assert (appointment.status, appointment.cancel_reason, slot.booked) == (
        Status.CANCELLED_BY_STAFF,
        "系统故障，当日暂停受理",
        0,
    )
    event = AuditEvent.objects.get(action="appointments.cancelled_by_staff")
    assert (event.object_id, event.actor_id, event.reason) == (
        str(appointment.pk),
        hall.staff.pk,
        "系统故障，当日暂停受理",
    )
    # what the district office sees: the centre's staff cancellations with reasons
    report = StaffCancellation.objects.filter(centre__region=hall.centre.region)
    assert list(report.values_list("appointment__code", "by", "reason")) == [
        (appointment.code, hall.staff.pk, "系统故障，当日暂停受理")
    ]


def test_staff_of_another_centre_cannot_cancel_or_check_in(hall, travel):
    appointment = services.book(hall.alice, hall.item, slot_at(hall.capacity, "2026-09-21 09:00"))
    travel("2026-09-21 08:50")

    with pytest.raises(PermissionDenied):
        services.cancel_by_staff(appointment, hall.other_staff, "无理由")
    with pytest.raises(PermissionDenied):
        services.check_in(appointment.code, hall.other_staff)
    with pytest.raises(PermissionDenied):
        services.check_in(appointment.code, hall.alice)

    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED


@pytest.mark.parametrize(
    ("now", "allowed"),
    [
        ("2026-09-20 16:00", False),  # the day before
        ("2026-09-21 08:30", True),  # early on the day
        ("2026-09-21 16:59", True),  # late on the day
        ("2026-09-22 09:00", False),  # the day after
    ],
)
def test_check_in_only_on_the_day(hall, travel, now, allowed):
    appointment = services.book(hall.alice, hall.item, slot_at(hall.capacity, "2026-09-21 09:00"))
    travel(now)

    if not allowed:
        with refused("not_today"):
            services.check_in(appointment.code, hall.staff)
        return
    checked = services.check_in(appointment.code.lower(), hall.staff)
    assert (checked.status, checked.checked_in_at) == (Status.CHECKED_IN, at(now))


def test_check_in_then_serve(hall, travel):
    appointment = services.book(hall.alice, hall.item, slot_at(hall.capacity, "2026-09-21 09:00"))
    travel("2026-09-21 08:55")
    services.check_in(appointment.code, hall.staff)
    travel("2026-09-21 09:12")

    served = services.serve(appointment, hall.staff)

    assert (served.status, served.served_by, served.served_at - served.checked_in_at) == (
        Status.SERVED,
        hall.staff,
        datetime.timedelta(minutes=17),
    )
    with refused("transition"):
        services.check_in(appointment.code, hall.staff)
    assert list(served.events.values_list("action", flat=True)) == ["booked", "checked_in", "served"]


def test_an_unknown_code_says_so(hall):
    with refused("unknown_code"):
        services.check_in("ZZZZZZZZ", hall.staff)


# --- no-shows -------------------------------------------------------------------------------------


def test_the_sweep_marks_no_shows_after_the_grace_period(hall, travel):
    appointment = services.book(hall.alice, hall.item, slot_at(hall.capacity, "2026-09-21 09:00"))
    present = services.book(hall.bob, hall.item, slot_at(hall.capacity, "2026-09-21 09:00"))
    travel("2026-09-21 09:10")
    services.check_in(present.code, hall.staff)

    travel("2026-09-21 09:44")  # slot ended 09:30, 15 minutes' grace
    assert services.sweep_no_shows() == 0
    travel("2026-09-21 09:46")
    assert services.sweep_no_shows() == 1
    assert services.sweep_no_shows() == 0  # idempotent

    appointment.refresh_from_db()
    present.refresh_from_db()
    assert (appointment.status, present.status) == (Status.NO_SHOW, Status.CHECKED_IN)
    assert audit_actions(appointment)[-1] == "appointments.no_show"


def test_repeated_no_shows_restrict_booking_with_the_end_date(hall, travel):
    for day in (21, 22, 23):
        services.book(hall.alice, hall.item, slot_at(hall.capacity, f"2026-09-{day} 09:00"))
    travel("2026-09-21 12:00")
    services.sweep_no_shows()
    travel("2026-09-22 12:00")
    services.sweep_no_shows()
    assert not BookingRestriction.objects.exists()  # two are not yet enough
    travel("2026-09-23 12:00")
    services.sweep_no_shows()

    restriction = BookingRestriction.objects.get(applicant=hall.alice)
    assert restriction.until == D(2026, 10, 23)  # 30 days
    with pytest.raises(ValidationError, match="2026-10-23前不能网上预约"):
        services.book(hall.alice, hall.item, slot_at(hall.capacity, "2026-09-24 09:00"))
    services.book(hall.bob, hall.item, slot_at(hall.capacity, "2026-09-24 09:00"))  # others are unaffected


def test_the_restriction_ends(hall, travel):
    BookingRestriction.objects.create(applicant=hall.alice, until=D(2026, 9, 18), reason="测试")
    with refused("restricted"):
        services.book(hall.alice, hall.item, slot_at(hall.capacity, "2026-09-21 09:00"))
    travel("2026-09-19 10:00")
    assert services.book(hall.alice, hall.item, slot_at(hall.capacity, "2026-09-21 09:00")).status == Status.BOOKED


def test_history_rows_name_the_actor(hall):
    appointment = services.book(hall.alice, hall.item, slot_at(hall.capacity, "2026-09-21 09:00"))
    services.cancel_by_staff(appointment, hall.staff, "窗口临时关闭")
    assert list(AppointmentEvent.objects.values_list("action", "by", "note")) == [
        ("booked", hall.alice.pk, ""),
        ("cancelled_by_staff", hall.staff.pk, "窗口临时关闭"),
    ]


def test_new_applicants_are_independent(hall):
    slot = slot_at(hall.capacity, "2026-09-21 09:00")
    services.book(ApplicantFactory(), hall.item, slot)
    services.book(ApplicantFactory(), hall.item, slot)
    slot.refresh_from_db()
    assert slot.booked == slot.seats == 2


def test_the_district_office_sees_staff_cancellations_of_its_centres_only(hall):
    from govhall.accounts.tests.factories import RoleAssignmentFactory, StaffFactory
    from govhall.appointments import queries, tasks
    from govhall.directory.tests.factories import RegionFactory

    appointment = services.book(hall.alice, hall.item, slot_at(hall.capacity, "2026-09-21 09:00"))
    services.cancel_by_staff(appointment, hall.staff, "窗口临时关闭")
    office, elsewhere = StaffFactory(), StaffFactory()
    RoleAssignmentFactory(user=office, role="district_admin", department=None, region=hall.centre.region)
    RoleAssignmentFactory(user=elsewhere, role="district_admin", department=None, region=RegionFactory())

    assert [row.reason for row in queries.staff_cancellations(office)] == ["窗口临时关闭"]
    assert list(queries.staff_cancellations(elsewhere)) == []
    assert list(queries.staff_cancellations(hall.alice)) == []
    assert list(queries.my_appointments(hall.bob)) == []
    assert tasks.sweep()["slots_created"] > 0  # the schedule materialises the horizon


# --- notices --------------------------------------------------------------------------------------


def sms_to(user) -> list[str]:
    """Template codes of the SMS queued about ``user``'s bookings, in order."""
    ids = [str(pk) for pk in user.appointments.values_list("pk", flat=True)]
    messages = Message.objects.filter(object_type="appointments.appointment", object_id__in=ids)
    return list(messages.order_by("created_at", "pk").values_list("template_code", flat=True))


def test_cancellations_are_notified_with_the_reason(hall):
    hall.alice.mobile = "13912345678"
    hall.alice.save()
    mine = services.book(hall.alice, hall.item, slot_at(hall.capacity, "2026-09-21 09:00"))
    theirs = services.book(hall.alice, hall.item, slot_at(hall.capacity, "2026-09-22 09:00"))

    services.cancel_by_applicant(mine, hall.alice)
    services.cancel_by_staff(theirs, hall.staff, "窗口设备故障")

    assert sms_to(hall.alice) == ["appointment_confirmation"] * 2 + ["appointment_cancelled"] * 2
    notice = Message.objects.get(object_id=str(theirs.pk), template_code="appointment_cancelled")
    assert "窗口设备故障" in notice.text
    assert theirs.code in notice.text


@pytest.mark.parametrize(
    ("now", "reminded"),
    [
        ("2026-09-17 10:00", []),  # Thursday: two working days before
        ("2026-09-18 10:00", ["Sun 20th"]),  # Friday: the make-up Sunday is the next working day
        ("2026-09-19 10:00", []),  # Saturday is no working day: the reminder went out on Friday
        ("2026-09-20 10:00", ["Mon 21st"]),  # the make-up Sunday reminds Monday's visit
    ],
)
def test_reminders_go_out_the_working_day_before(hall, travel, now, reminded):
    hall.alice.mobile = "13912345678"
    hall.alice.save()
    travel("2026-09-16 10:00")
    visits = {
        "Sun 20th": services.book(hall.alice, hall.item, slot_at(hall.capacity, "2026-09-20 09:00")),
        "Mon 21st": services.book(hall.alice, hall.item, slot_at(hall.capacity, "2026-09-21 09:00")),
    }
    travel(now)

    assert services.send_reminders() == len(reminded)
    assert services.send_reminders() == 0  # every five minutes, but once per visit

    reminders = Message.objects.filter(template_code="appointment_reminder")
    assert sorted(reminders.values_list("object_id", flat=True)) == sorted(str(visits[v].pk) for v in reminded)
