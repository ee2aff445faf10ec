"""SMS about an application, queued through the outbox in the caller's transaction (issue 7, item 8).

The person who acted (the applicant, or the enterprise's operator) receives it; an account without a
mobile number gets none (the notices stay readable online). Each message has a dedupe key, so a
retried service never sends twice.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse

from govhall.core.workdays.calendar import BEIJING
from govhall.notifications import services as notifications
from govhall.notifications.catalog import TemplateCode

from .models import Application


def chinese_date(day: datetime.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _recipient(application: Application) -> Any:
    for person in (application.acting_person, application.applicant):
        if person.mobile:
            return person
    return None


def to_applicant(application: Application, code: str, key: str, **extra: str) -> None:
    recipient = _recipient(application)
    if recipient is None:
        return
    context = {"number": application.business_number, "item": application.item.name, **extra}
    notifications.send(code, recipient, context, dedupe_key=f"{code}:{application.pk}:{key}", obj=application)


RECEIPT_PROGRESS = "已提交，待受理"


def receipt(application: Application) -> None:
    """Art. 11: business number, item name and "已提交，待受理", sent at once — to whoever acted
    and, for an agent's application (代办, online or at the window), to the principal as well: the
    applicant is told, and learns at once that someone applied in their name."""
    to_applicant(application, TemplateCode.APPLICATION_RECEIPT, "receipt", progress=RECEIPT_PROGRESS)
    principal, sent_to = application.applicant, _recipient(application)
    if application.capacity == "agent" and principal.mobile and sent_to is not None and sent_to.pk != principal.pk:
        notifications.send(
            TemplateCode.APPLICATION_RECEIPT,
            principal,
            {"number": application.business_number, "item": application.item.name, "progress": RECEIPT_PROGRESS},
            dedupe_key=f"{TemplateCode.APPLICATION_RECEIPT}:{application.pk}:receipt:principal",
            obj=application,
        )


def to_staff(application: Application, people: list[Any], code: str, key: str, **extra: str) -> int:
    """A warning to responsible staff or the supervising office (those with a mobile number)."""
    sent = 0
    for person in people:
        if not person.mobile:
            continue
        context = {"number": application.business_number, "item": application.item.name, **extra}
        notifications.send(code, person, context, dedupe_key=f"{code}:{application.pk}:{key}:{person.pk}")
        sent += 1
    return sent


def now_text(moment: datetime.datetime) -> str:
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def booking_link(application: Application) -> str:
    """The short portal link that opens the booking flow for this application (Art. 12: after the
    pre-review the applicant comes on site once); short so the SMS fits two segments."""
    base = getattr(settings, "LICENSES_PUBLIC_BASE_URL", "").rstrip("/")
    return base + reverse("portal:pre_review_booking", args=[application.business_number])


def pre_review_passed(application: Application) -> None:
    """Art. 12: the pre-review passed; come on site with the originals, book a visit (link)."""
    to_applicant(application, TemplateCode.PRE_REVIEW_PASSED, "pre_review_passed", link=booking_link(application))


def window_account_created(person: Any) -> None:
    """A walk-in applicant's account opened by the window (Art. 9): how to log in later."""
    if person.mobile:
        notifications.send(
            TemplateCode.WINDOW_ACCOUNT_CREATED, person, {"name": person.name}, dedupe_key=f"window_account:{person.pk}"
        )
