"""Demo applications (issue 7): the demo citizens' applications for 食品经营许可 of the city market
regulator in every queue of ``amr_acceptor``, ``amr_reviewer``, ``amr_decider`` and ``amr_head`` —
awaiting acceptance, correction requested, in review with a yellow and a red deadline, suspended
for a site inspection, decided — made through the services, so timelines, notices and SMS are real.

Idempotent: nothing is added once the demo citizens have applications for the item. The dates are
set back in working days so the sweep's markers come out yellow and red on any day.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govhall.accounts.models import User
from govhall.catalog.models import ServiceItem
from govhall.core.workdays.calendar import BEIJING, WorkCalendar

from . import clocks, services, submission, tasks
from .models import Application, Marker

ITEM_NAME = "食品经营许可"
DEPARTMENT = "长春市市场监督管理局"
CITIZENS = ("13800000001", "13800000002")
MATERIAL_FILE = Path(__file__).resolve().parents[1] / "catalog" / "demo_files" / "food-license-application.pdf"


def _staff(username: str) -> User:
    return User.objects.get(username=username)


def _answers(user: User) -> dict[str, Any]:
    person = getattr(user, "person", None)
    return {
        "applicant_name": user.name,
        "id_number": person.document_number if person else "",
        "mobile": user.mobile,
        "has_agent": "no",
    }


def _working_days_back(calendar: WorkCalendar, today: datetime.date, count: int) -> datetime.date:
    day = today
    while count:
        day -= datetime.timedelta(days=1)
        count -= calendar.is_working_day(day)
    return day


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=BEIJING)


def submit_demo_application(item: ServiceItem, citizen: User, when: datetime.datetime) -> Application:
    application = services.start_draft(citizen, item, answers=_answers(citizen))
    content = MATERIAL_FILE.read_bytes()
    for requirement in submission.needed_requirements(application):
        upload = SimpleUploadedFile(f"{requirement.name}.pdf", content, content_type="application/pdf")
        services.add_material(application, citizen, requirement, upload)
    return services.submit(application, citizen, now=when)


def _accepted(item: ServiceItem, citizen: User, day: datetime.date) -> Application:
    """Submitted and accepted on ``day``, the 受理 stage done: waiting in 审查 for the reviewer."""
    application = submit_demo_application(item, citizen, _at(day, 9))
    application = services.accept(application, _staff("amr_acceptor"), now=_at(day, 10))
    return services.complete_stage(application, _staff("amr_acceptor"), opinion="材料齐全，符合法定形式。")


def _accepted_with_marker(item, citizen, wanted: str, calendar: WorkCalendar, today: datetime.date) -> Application:
    """Accepted so many working days ago that the decision clock shows ``wanted`` today."""
    back = 1
    while back < 30:
        day = _working_days_back(calendar, today, back)
        decision, _statutory = clocks.decision_deadlines(_at(day, 10), item.published_version, calendar)
        if decision and clocks.marker(day, decision.due, today, calendar) == wanted:
            break
        back += 1
    return _accepted(item, citizen, day)


def load(now: datetime.datetime | None = None) -> int:
    """Create the demo applications once; returns how many were created."""
    item = (
        ServiceItem.objects.filter(name=ITEM_NAME, department__name=DEPARTMENT)
        .select_related("published_version")
        .first()
    )
    citizens = list(User.objects.filter(mobile_hash__isnull=False, kind="person").order_by("pk"))
    citizens = [user for user in citizens if user.mobile in CITIZENS]
    if item is None or item.published_version_id is None or len(citizens) < 2:
        return 0
    if Application.objects.filter(item=item, applicant__in=citizens).exists():
        return 0
    zhang, ayguli = citizens
    calendar, today = WorkCalendar(), timezone.localdate(now or timezone.now(), timezone=BEIJING)
    acceptor, reviewer, decider = _staff("amr_acceptor"), _staff("amr_reviewer"), _staff("amr_decider")

    submit_demo_application(item, zhang, now or timezone.now())  # 待受理

    correction = submit_demo_application(item, ayguli, _at(_working_days_back(calendar, today, 1), 15))
    requirement = item.published_version.materials.order_by("order").last()
    services.request_correction(
        correction,
        acceptor,
        [
            {"field": "mobile", "reason": "联系电话无法接通，请核对"},
            {"material": requirement.pk, "reason": "平面图未标明设备布局"},
        ],
    )

    yellow = _accepted_with_marker(item, zhang, Marker.YELLOW, calendar, today)
    red = _accepted_with_marker(item, ayguli, Marker.RED, calendar, today)

    suspended = _accepted(item, zhang, _working_days_back(calendar, today, 1))
    suspended = services.complete_stage(suspended, reviewer, opinion="需现场核查经营场所。")
    services.suspend(suspended, reviewer, procedure="site_inspection", reason="核查经营场所布局与申请材料是否一致")

    decided = _accepted(item, ayguli, _working_days_back(calendar, today, 2))
    decided = services.complete_stage(decided, reviewer, opinion="经审查，符合食品经营许可条件。")
    decided = services.complete_stage(decided, decider, opinion="同意准予许可。")
    # The demo loader stands in for the decider's re-entered TOTP code (the faces verify it).
    services.decide(
        decided,
        decider,
        approve=True,
        reasons="申请材料齐全，经营场所与设施符合要求。",
        legal_basis="《中华人民共和国食品安全法》第三十五条",
        stepped_up_at=timezone.now(),
    )
    for application in (yellow, red, decided):
        tasks.update_marker(application.pk, today, calendar)
    return 6
