"""Factories for appointments: an applicant, a bookable item handled at a centre, a capacity."""

from __future__ import annotations

import factory

from govhall.accounts.models import User
from govhall.accounts.tests.factories import RoleAssignmentFactory, StaffFactory
from govhall.appointments.models import BookingCapacity
from govhall.catalog.models import GuideVersion, VersionStatus
from govhall.catalog.tests.factories import ServiceItemFactory
from govhall.directory.models import ServiceCentre
from govhall.directory.tests.factories import ServiceCentreFactory


class ApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"applicant{n}")
    name = factory.Sequence(lambda n: f"申请人{n}")
    kind = "person"


class BookingCapacityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BookingCapacity

    centre = factory.SubFactory(ServiceCentreFactory)
    item = None
    slot_minutes = 30
    windows = 2


def bookable_item(*centres: ServiceCentre, booking: bool = True, **fields):
    """A service item whose published guide names ``centres`` as its places (Art. 8: bookable there)."""
    item = ServiceItemFactory(booking=booking, **fields)
    version = GuideVersion.objects.create(item=item, number=1, status=VersionStatus.PUBLISHED)
    version.centres.set(centres)
    item.published_version = version
    item.save(update_fields=["published_version"])
    return item


def window_staff(centre: ServiceCentre) -> User:
    """A comprehensive-window staff member assigned to ``centre`` (a centre-scoped role)."""
    user = StaffFactory()
    RoleAssignmentFactory(user=user, role="window_staff", department=None, centre=centre)
    return user
