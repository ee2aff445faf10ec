"""The appointments API (tag ``appointments``): the whole flow for an app, refusals as JSON with the
service's Chinese message, nobody else's bookings, staff check-in.

Today is Friday 2026-09-18 10:00 (Beijing).
"""

from __future__ import annotations

import pytest

from govhall.appointments import services
from govhall.appointments.models import Appointment, Slot, Status
from govhall.appointments.tests.test_portal_views import slot_at
from govhall.appointments.tests.test_workbench_views import verified

pytestmark = pytest.mark.django_db
BASE = "/api/v1/appointments"


@pytest.fixture(autouse=True)
def _today(travel):
    travel("2026-09-18 10:00")


def test_the_whole_flow(client, hall):
    code = hall.item.implementation_code
    centres = client.get(f"{BASE}/items/{code}/centres").json()
    assert {c["code"] for c in centres} == {hall.centre.code, hall.other_centre.code}
    days = client.get(f"{BASE}/items/{code}/centres/{hall.centre.code}/days").json()
    assert days[0] == {"date": "2026-09-18", "free": 14, "provisional": False}  # 13:30-17:00 today
    assert "2026-09-19" not in [d["date"] for d in days]
    slots = client.get(f"{BASE}/items/{code}/centres/{hall.centre.code}/slots?date=2026-09-21").json()
    assert slots[0]["start"] == "2026-09-21T09:00:00+08:00"
    assert slots[0]["free"] == 2

    client.force_login(hall.alice)
    booked = client.post(
        f"{BASE}/bookings",
        {"item": code, "slot": slots[0]["id"], "business_number": "YS1"},
        content_type="application/json",
    )
    assert booked.status_code == 201, booked.content
    body = booked.json()
    assert body["status"] == "booked"
    assert len(body["code"]) == 8
    assert body["business_number"] == "YS1"
    assert [b["code"] for b in client.get(f"{BASE}/bookings").json()] == [body["code"]]

    new_slot = slot_at(hall.capacity, "2026-09-22 09:00")
    moved = client.post(
        f"{BASE}/bookings/{body['id']}/reschedule", {"slot": new_slot.pk}, content_type="application/json"
    )
    assert moved.json()["start"] == "2026-09-22T09:00:00+08:00"
    cancelled = client.post(f"{BASE}/bookings/{body['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled_by_applicant"


def test_slot_just_taken_is_a_json_refusal(client, hall):
    slot = slot_at(hall.capacity, "2026-09-21 09:00")
    services.book(hall.bob, hall.item, slot)
    Slot.objects.filter(pk=slot.pk).update(seats=1)
    client.force_login(hall.alice)
    response = client.post(
        f"{BASE}/bookings", {"item": hall.item.implementation_code, "slot": slot.pk}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json() == {"code": "slot_full", "message": "该时段刚刚约满，请选择其他时段", "fields": {}}


def test_booking_needs_a_login(client, hall):
    slot = slot_at(hall.capacity, "2026-09-21 09:00")
    response = client.post(
        f"{BASE}/bookings", {"item": hall.item.implementation_code, "slot": slot.pk}, content_type="application/json"
    )
    assert response.status_code == 401
    assert response.json()["message"] == "请先登录。"


def test_another_citizens_booking_is_not_found(client, hall):
    appointment = services.book(hall.alice, hall.item, slot_at(hall.capacity, "2026-09-21 09:00"))
    client.force_login(hall.bob)
    assert client.get(f"{BASE}/bookings/{appointment.pk}").status_code == 404
    assert client.post(f"{BASE}/bookings/{appointment.pk}/cancel").status_code == 404
    assert client.get(f"{BASE}/bookings").json() == []
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED


def test_staff_check_in_over_the_api(client, hall, travel):
    appointment = services.book(hall.alice, hall.item, slot_at(hall.capacity, "2026-09-21 09:00"))
    travel("2026-09-21 08:50")
    verified(client, hall.other_staff)
    refused = client.post(f"{BASE}/check-in", {"code": appointment.code}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["message"] == "该预约不在您所在的服务中心，不能签到。"
    verified(client, hall.staff)
    response = client.post(f"{BASE}/check-in", {"code": appointment.code}, content_type="application/json")
    assert response.json()["status"] == "checked_in"
    assert Appointment.objects.get(pk=appointment.pk).status == Status.CHECKED_IN


def test_an_item_without_booking_answers_404(client, hall):
    hall.item.booking = False
    hall.item.save()
    response = client.get(f"{BASE}/items/{hall.item.implementation_code}/centres")
    assert response.status_code == 404


def test_the_endpoints_are_documented_under_their_tag(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    paths = {path for path in schema["paths"] if path.startswith(BASE)}
    assert f"{BASE}/bookings" in paths
    assert f"{BASE}/check-in" in paths
    tags = {tag for path in paths for operation in schema["paths"][path].values() for tag in operation["tags"]}
    assert tags == {"appointments"}
