"""The demo data (``load_demo``): the bookable demo items can be booked at the city centre, their
guide page offers 预约办理, and a second load changes nothing."""

from __future__ import annotations

from govhall.appointments import demo as appointments_demo
from govhall.appointments import queries
from govhall.appointments.models import BookingCapacity, Slot
from govhall.catalog.models import ServiceItem

ITEM_CODE = "11220100MB0000019Q0000000000101"  # 个体工商户设立登记, bookable (demo_data/core.py)


def test_demo_centres_take_bookings_and_reloading_is_idempotent(demo, client):
    item = queries.bookable_item(ITEM_CODE)
    assert "cc-city" in [centre.code for centre in queries.bookable_centres(item)]
    capacities, slots = BookingCapacity.objects.count(), Slot.objects.count()
    assert slots > 0
    appointments_demo.load()
    assert (BookingCapacity.objects.count(), Slot.objects.count()) == (capacities, slots)

    page = client.get(f"/items/{ITEM_CODE}/").content.decode()
    assert f'href="/appointments/book/{ITEM_CODE}/"' in page
    assert "预约办理" in page


def test_an_item_without_booking_offers_no_button(demo, client):
    item = ServiceItem.objects.filter(booking=False, published_version__isnull=False).first()
    page = client.get(f"/items/{item.implementation_code}/").content.decode()
    assert "/appointments/book/" not in page
