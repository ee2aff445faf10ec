"""SMS of the feedback domain, queued through the outbox in the caller's transaction.

Citizens without a mobile number get none (everything stays readable in their account); staff
without one are skipped. Every message has a dedupe key, so a retried service or sweep never sends
twice.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from govhall.accounts.models import Role, region_ancestor_ids
from govhall.notifications import services as notifications
from govhall.notifications.catalog import TemplateCode

from .rules import HANDLING_ROLES


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def to_person(person: Any, code: str, context: dict[str, str], key: str, obj: Any = None) -> bool:
    if person is None or not person.mobile:
        return False
    notifications.send(code, person, context, dedupe_key=f"{code}:{key}:{person.pk}", obj=obj)
    return True


def to_people(people: Iterable[Any], code: str, context: dict[str, str], key: str, obj: Any = None) -> int:
    return sum(to_person(person, code, context, key, obj) for person in people)


def _active(users):
    return users.filter(is_active=True, role_assignments__revoked_at__isnull=True).distinct()


def handlers(department: Any, *, exclude: int | None = None) -> list[Any]:
    """The department's responders and head (the handling chain), without ``exclude``."""
    users = _active(
        get_user_model().objects.filter(
            role_assignments__role__in=HANDLING_ROLES, role_assignments__department=department
        )
    )
    return [user for user in users if user.pk != exclude]


def office(department: Any) -> list[Any]:
    """The city office and the district office over the department's region."""
    regions = region_ancestor_ids(department.region_id)
    users = _active(
        get_user_model().objects.filter(
            Q(role_assignments__role__in=[Role.CITY_ADMIN, Role.DISTRICT_ADMIN]),
            role_assignments__region_id__in=regions,
        )
    )
    return list(users)


def rating_link(invitation: Any) -> str:
    base = getattr(settings, "LICENSES_PUBLIC_BASE_URL", "").rstrip("/")
    return base + reverse("portal:feedback_rate", args=[invitation.pk])


def invite(invitation: Any, event_label: str) -> bool:
    context = {"event": event_label, "number": invitation.reference, "link": rating_link(invitation)}
    return to_person(
        invitation.citizen, TemplateCode.FEEDBACK_EVALUATION_INVITE, context, f"invitation:{invitation.pk}", invitation
    )


def remind(invitation: Any, event_label: str) -> bool:
    """The one reminder of an unrated invitation, with the last day it can be rated."""
    context = {
        "event": event_label,
        "number": invitation.reference,
        "deadline": chinese_date(invitation.expires_on),
        "link": rating_link(invitation),
    }
    return to_person(
        invitation.citizen,
        TemplateCode.FEEDBACK_EVALUATION_REMINDER,
        context,
        f"invitation-reminder:{invitation.pk}",
        invitation,
    )


def replied(person: Any, kind: str, number: str, key: str, obj: Any) -> bool:
    """Art. 15: the asker or complainant learns at once that the answer is there."""
    return to_person(person, TemplateCode.REPLY_NOTICE, {"kind": kind, "number": number}, key, obj)
