"""Art. 15 deadlines in working days across holidays and make-up days (Civil Code Art. 201: the day
of the question is not counted; the date is the Beijing date)."""

from __future__ import annotations

import datetime

import pytest

from govhall.feedback import queries, services
from govhall.feedback.tests.conftest import at

D = datetime.date
UTC = datetime.UTC

CONSULTATIONS = [
    ("2026-11-25 10:00", D(2026, 11, 27)),  # Wed -> Fri
    ("2026-11-27 16:00", D(2026, 12, 1)),  # Fri -> the weekend rests -> Tue
    ("2026-09-30 10:00", D(2026, 10, 9)),  # before the 国庆 break 10/1-10/7: 10/8, 10/9
    ("2026-10-09 10:00", D(2026, 10, 12)),  # make-up Saturday 10/10 counts, then Monday
    ("2026-02-13 10:00", D(2026, 2, 24)),  # make-up Saturday 2/14, then the 9-day 春节 break
    ("2026-09-18 10:00", D(2026, 9, 21)),  # Sat 9/19 rests, make-up Sunday 9/20 counts
    ("2026-12-31 10:00", D(2027, 1, 5)),  # 元旦 2027 (provisional year): 1/1 off, weekend, Mon, Tue
]

COMPLAINTS = [
    ("2026-11-25 10:00", D(2026, 12, 2)),  # Wed -> five working days later
    ("2026-09-30 10:00", D(2026, 10, 13)),  # 10/8, 10/9, make-up 10/10, 10/12, 10/13
    ("2026-09-23 10:00", D(2026, 10, 8)),  # 中秋 9/25-27 and 国庆 10/1-7 both skipped
    ("2026-04-29 10:00", D(2026, 5, 9)),  # 劳动节 5/1-5/5 skipped, make-up Saturday 5/9 is the 5th
]


@pytest.mark.parametrize(("asked", "due"), CONSULTATIONS)
def test_consultation_is_due_two_working_days_later(hall, asked, due):
    consultation = services.ask(hall.alice, question="营业执照怎么办？", item=hall.item, now=at(asked))
    assert consultation.due_date == due


@pytest.mark.parametrize(("filed", "due"), COMPLAINTS)
def test_complaint_is_due_five_working_days_later(hall, filed, due):
    complaint = services.complain(
        hall.alice, subject="department", department=hall.department, content="窗口态度差", now=at(filed)
    )
    assert complaint.due_date == due


def test_a_question_just_before_midnight_in_beijing_counts_from_that_day(hall):
    late = services.ask(hall.alice, question="周三深夜的问题", item=hall.item, now=at("2026-11-25 23:30"))
    after_midnight = services.ask(
        hall.alice, question="周四凌晨的问题", item=hall.item, now=datetime.datetime(2026, 11, 25, 16, 30, tzinfo=UTC)
    )
    assert (late.due_date, after_midnight.due_date) == (D(2026, 11, 27), D(2026, 11, 30))


def test_a_year_without_the_state_councils_notice_gives_a_provisional_deadline(hall):
    consultation = services.ask(hall.alice, question="年底的问题", item=hall.item, now=at("2026-12-31 10:00"))
    assert consultation.due_provisional is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("today", "marker"),
    [
        (D(2026, 11, 25), "green"),  # two working days left
        (D(2026, 11, 26), "yellow"),  # one left
        (D(2026, 11, 27), "yellow"),  # the last working day
        (D(2026, 11, 30), "red"),  # overdue
    ],
)
def test_queue_markers(today, marker):
    assert queries.marker(D(2026, 11, 27), today) == marker


def test_a_provisional_due_date_becomes_official_when_the_notice_is_published(hall):
    from govhall.core.workdays.services import publish_official_year
    from govhall.core.workdays.tests.test_provisional import MAKEUP_2027, NOTICE_2027

    consultation = services.ask(hall.alice, question="春节后的问题", item=hall.item, now=at("2027-02-08 10:00"))
    assert (consultation.due_date, consultation.due_provisional) == (D(2027, 2, 10), True)
    publish_official_year(2027, NOTICE_2027, MAKEUP_2027, "国务院办公厅通知（测试用虚构文号）", by_id=None)
    consultation.refresh_from_db()
    assert (consultation.due_date, consultation.due_provisional) == (D(2027, 2, 16), False)
