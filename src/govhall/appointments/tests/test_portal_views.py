"""The portal booking flow (Art. 8): guide page → centre → day → slot → confirm → code and QR;
my bookings with cancel and reschedule; every refusal explained; nobody sees another's booking.

Today is Friday 2026-09-18 10:00 (Beijing); the hall's centre has two windows per 30-minute slot.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from govhall.appointments import services
from govhall.appointments.models import Appointment, BookingRestriction, Slot, Status
from govhall.appointments.slots import ensure_slots
from govhall.appointments.tests.conftest import at
from govhall.notifications.models import Message

pytestmark = pytest.mark.django_db
D = __import__("datetime").date


@pytest.fixture(autouse=True)
def _today(travel):
    travel("2026-09-18 10:00")


def slot_at(capacity, when: str) -> Slot:
    day = D.fromisoformat(when[:10])
    ensure_slots(capacity, day, day)
    return Slot.objects.get(capacity=capacity, start=at(when))


def text(response) -> str:
    return response.content.decode()


def test_the_flow_needs_a_login(client, hall):
    url = reverse("portal:appointment_book", args=[hall.item.implementation_code])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))


def test_a_citizen_books_from_centre_to_code(client, hall):
    hall.alice.mobile = "13912345678"
    hall.alice.save()
    client.force_login(hall.alice)
    code = hall.item.implementation_code

    centres = client.get(reverse("portal:appointment_book", args=[code]))
    assert hall.centre.name in text(centres)
    assert hall.other_centre.name in text(centres)

    days = client.get(reverse("portal:appointment_days", args=[code, hall.centre.code]))
    assert "2026年9月21日" in text(days)  # Monday
    assert "2026年9月19日" not in text(days)  # Saturday: no slots
    assert "2026年10月1日" not in text(days)  # National Day holiday

    slots = client.get(reverse("portal:appointment_slots", args=[code, hall.centre.code, "2026-09-21"]))
    assert "09:00–09:30" in text(slots)
    assert "余2个号" in text(slots)

    slot = slot_at(hall.capacity, "2026-09-21 09:00")
    confirm_url = reverse("portal:appointment_confirm", args=[code, slot.pk])
    confirm = client.get(confirm_url)
    assert "请携带以下材料" in text(confirm)
    done = client.post(confirm_url, follow=True)

    appointment = Appointment.objects.get(applicant=hall.alice)
    assert done.redirect_chain[-1][0] == reverse("portal:appointment", args=[appointment.pk])
    page = text(done)
    assert "预约成功" in page
    assert appointment.code in page
    assert "<svg" in page  # the QR code
    assert appointment.code in Message.objects.get(object_id=str(appointment.pk)).text


def test_the_business_number_is_carried_to_the_booking(client, hall):
    client.force_login(hall.alice)
    code = hall.item.implementation_code
    days = client.get(
        reverse("portal:appointment_days", args=[code, hall.centre.code]) + "?business_number=YS2026-0001"
    )
    assert "business_number=YS2026-0001" in text(days)
    slot = slot_at(hall.capacity, "2026-09-21 09:00")
    url = reverse("portal:appointment_confirm", args=[code, slot.pk])
    assert "YS2026-0001" in text(client.get(url + "?business_number=YS2026-0001"))
    client.post(url, {"business_number": "YS2026-0001"})
    assert Appointment.objects.get(applicant=hall.alice).business_number == "YS2026-0001"


def test_slot_just_taken_is_explained(client, hall):
    slot = slot_at(hall.capacity, "2026-09-21 09:00")
    services.book(hall.bob, hall.item, slot)
    Slot.objects.filter(pk=slot.pk).update(seats=1)
    client.force_login(hall.alice)
    response = client.post(
        reverse("portal:appointment_confirm", args=[hall.item.implementation_code, slot.pk]), follow=True
    )
    assert "该时段刚刚约满，请选择其他时段" in text(response)
    assert not Appointment.objects.filter(applicant=hall.alice).exists()


def test_a_restriction_is_explained_with_its_end_date(client, hall):
    BookingRestriction.objects.create(applicant=hall.alice, until=D(2026, 10, 18), reason="3次未到")
    client.force_login(hall.alice)
    slot = slot_at(hall.capacity, "2026-09-21 09:00")
    response = client.post(
        reverse("portal:appointment_confirm", args=[hall.item.implementation_code, slot.pk]), follow=True
    )
    assert "2026-10-18前不能网上预约" in text(response)


def test_the_open_booking_limit_is_explained(client, hall):
    for when in ("2026-09-21 09:00", "2026-09-21 10:00", "2026-09-22 09:00"):
        services.book(hall.alice, hall.item, slot_at(hall.capacity, when))
    client.force_login(hall.alice)
    slot = slot_at(hall.capacity, "2026-09-23 09:00")
    response = client.post(
        reverse("portal:appointment_confirm", args=[hall.item.implementation_code, slot.pk]), follow=True
    )
    assert "最多可同时持有3个有效预约" in text(response)


def test_an_item_without_booking_has_no_flow(client, hall):
    hall.item.booking = False
    hall.item.save()
    client.force_login(hall.alice)
    assert client.get(reverse("portal:appointment_book", args=[hall.item.implementation_code])).status_code == 404


def test_my_bookings_cancel_and_reschedule(client, hall):
    appointment = services.book(hall.alice, hall.item, slot_at(hall.capacity, "2026-09-21 09:00"))
    client.force_login(hall.alice)
    mine = text(client.get(reverse("portal:appointments")))
    assert appointment.code in mine
    assert "可改约或取消" in mine

    days = client.get(reverse("portal:appointment_reschedule", args=[appointment.pk]))
    assert "选择新的日期" in text(days)
    slots = client.get(reverse("portal:appointment_reschedule", args=[appointment.pk]) + "?date=2026-09-22")
    assert "09:00–09:30" in text(slots)
    new_slot = slot_at(hall.capacity, "2026-09-22 09:00")
    moved = client.post(
        reverse("portal:appointment_reschedule", args=[appointment.pk]), {"slot": new_slot.pk}, follow=True
    )
    assert "改约成功" in text(moved)
    appointment.refresh_from_db()
    assert appointment.slot == new_slot

    cancelled = client.post(reverse("portal:appointment_cancel", args=[appointment.pk]), follow=True)
    assert "预约已取消" in text(cancelled)
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED_BY_APPLICANT


def test_cancel_after_the_cut_off_is_refused_with_the_reason(client, hall, travel):
    appointment = services.book(hall.alice, hall.item, slot_at(hall.capacity, "2026-09-21 09:00"))
    travel("2026-09-21 07:30")
    client.force_login(hall.alice)
    detail = text(client.get(reverse("portal:appointment", args=[appointment.pk])))
    assert "取消预约" not in detail  # the buttons are gone after the cut-off
    response = client.post(reverse("portal:appointment_cancel", args=[appointment.pk]), follow=True)
    assert "已超过取消截止时间" in text(response)
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED


def test_another_citizens_booking_is_not_found(client, hall):
    appointment = services.book(hall.alice, hall.item, slot_at(hall.capacity, "2026-09-21 09:00"))
    client.force_login(hall.bob)
    assert client.get(reverse("portal:appointment", args=[appointment.pk])).status_code == 404
    assert client.post(reverse("portal:appointment_cancel", args=[appointment.pk])).status_code == 404
    assert client.get(reverse("portal:appointment_reschedule", args=[appointment.pk])).status_code == 404
    assert appointment.code not in text(client.get(reverse("portal:appointments")))
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED
