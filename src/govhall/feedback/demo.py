"""Demo consultations, complaints and evaluations (issue 10), so ``make run`` shows every face:
an answered question published as a FAQ on its guide page and rated 5 stars, an overdue open
question (red in the queue, on the office's supervision page), an open complaint, and a named
2-star review with its rectification task. Idempotent: nothing is added once any consultation exists.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from govhall.accounts.models import User
from govhall.accounts.services import mobile_hash
from govhall.catalog.models import ServiceItem
from govhall.core.workdays.calendar import BEIJING, WorkCalendar
from govhall.directory.models import Department

from . import evaluations, services
from .models import Consultation, Invitation

DEPARTMENT = "长春市市场监督管理局"
GOOD = {"level": 5, "efficiency": 5, "guide_accuracy": 5, "convenience": 4, "usability": 5}
BAD = {"level": 2, "efficiency": 2, "guide_accuracy": 3, "convenience": 2, "usability": 3}


def _ago(working_days: int) -> datetime.datetime:
    """10:00 Beijing on the day ``working_days`` working days before today (so the demo's overdue
    question is overdue whatever the season, holidays included)."""
    calendar, today = WorkCalendar(), timezone.localdate(timezone=BEIJING)
    day = today
    while calendar.working_days_between(day, today) < working_days:
        day -= datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=BEIJING)


@transaction.atomic
def load() -> int:
    """Returns the number of consultations and complaints created (0 if already loaded)."""
    if Consultation.objects.exists():
        return 0
    department = Department.objects.get(name=DEPARTMENT)
    item = ServiceItem.objects.filter(department=department, published_version__isnull=False).order_by("pk").first()
    citizen = User.objects.get(mobile_hash=mobile_hash("13800000001"))
    other = User.objects.filter(kind="person").exclude(pk=citizen.pk).order_by("pk").first() or citizen
    head, office = User.objects.get(username="amr_head"), User.objects.get(username="city_admin")

    answered = services.ask(citizen, question="个体工商户可以委托他人办理登记吗？", item=item, now=_ago(3))
    services.answer(answered, head, text="可以。受托人须提交授权委托书和本人身份证件。", now=_ago(2))
    faq = services.propose_faq(
        answered,
        head,
        question="个体工商户可以委托他人办理登记吗？",
        answer="可以。受托人须提交授权委托书和本人身份证件。",
    )
    services.decide_faq(faq, office, approve=True)
    evaluations.rate(Invitation.objects.get(consultation=answered), citizen, comment="答复及时。", **GOOD)

    services.ask(other, question="经营场所变更后需要办理哪些手续？", department=department, now=_ago(4))
    services.complain(citizen, subject="department", department=department, content="窗口排队时间过长。")

    second = services.ask(other, question="名称预先核准需要多久？", item=item, now=_ago(4))
    services.answer(second, head, text="一般当场办结。", now=_ago(3))
    evaluations.rate(Invitation.objects.get(consultation=second), other, comment="答复太简单。", **BAD)
    return 4
