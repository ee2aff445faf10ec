"""Who may do what with appointments (Art. 8; Art. 23: no one beyond their scope).

Applicants book and change only their own visits; the centre's window staff (a centre-scoped role)
check in, serve and, with a reason, cancel visits at their centre; the office over the centre's
region (district or city) manages its capacity and reads the staff cancellations.
"""

from __future__ import annotations

import rules

from govhall.accounts.models import Role


def _centre(obj):
    """Predicates accept an ``Appointment`` (its centre) or a ``ServiceCentre``."""
    return getattr(obj, "centre", obj)


@rules.predicate
def is_applicant(user) -> bool:
    return user.is_applicant


@rules.predicate
def owns_appointment(user, appointment) -> bool:
    return appointment is not None and appointment.applicant_id == user.pk


@rules.predicate
def works_at_centre(user, obj) -> bool:
    """Window staff assigned to the appointment's (or the given) service centre."""
    centre = _centre(obj)
    return centre is not None and user.has_role(Role.WINDOW_STAFF, centre=centre.pk)


@rules.predicate
def oversees_centre(user, obj) -> bool:
    """The city office, or the district office of the region the centre lies in."""
    centre = _centre(obj)
    return centre is not None and (
        user.has_role(Role.CITY_ADMIN, region=centre.region_id)
        or user.has_role(Role.DISTRICT_ADMIN, region=centre.region_id)
    )


rules.add_perm("appointments.book", rules.is_authenticated & is_applicant)
rules.add_perm("appointments.change_own", rules.is_authenticated & owns_appointment)
rules.add_perm("appointments.check_in", rules.is_authenticated & works_at_centre)
rules.add_perm("appointments.cancel_by_staff", rules.is_authenticated & works_at_centre)
rules.add_perm("appointments.manage_capacity", rules.is_authenticated & oversees_centre)
rules.add_perm("appointments.view_supervision", rules.is_authenticated & oversees_centre)
