"""The legal clocks over the real 2026 calendar (chinesecalendar: National Day 10-01..07 with the
make-up Saturday 10-10; Mid-Autumn 09-25..27 with the make-up Sunday 09-20) and the provisional
2027 (only statutory holidays known)."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from govhall.applications import clocks
from govhall.applications.tests.conftest import at
from govhall.core.workdays.calendar import WorkCalendar

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db


def version(promised=5, promised_unit="working_days", statutory=20, statutory_unit="working_days"):
    return SimpleNamespace(
        promised_limit=promised, promised_unit=promised_unit, statutory_limit=statutory, statutory_unit=statutory_unit
    )


@pytest.mark.parametrize(
    ("submitted", "due", "provisional"),
    [
        ("2026-09-30 16:50", "2026-10-13", False),  # Wed before National Day -> Oct 8, 9, Sat 10 (make-up), 12, 13
        ("2026-09-24 09:00", "2026-10-09", False),  # Thu before Mid-Autumn -> 28, 29, 30, (holidays), Oct 8, 9
        ("2026-09-18 10:00", "2026-09-24", False),  # Fri -> Sun 20 (make-up), 21, 22, 23, 24
        ("2026-11-20 23:59", "2026-11-27", False),  # Fri night -> Mon..Fri of the next week
        ("2026-12-28 10:00", "2027-01-05", True),  # Mon -> 29, 30, 31, (Jan 1 holiday, weekend) Jan 4, 5: provisional
    ],
)
def test_acceptance_is_due_five_working_days_after_the_materials_arrived(submitted, due, provisional):
    deadline = clocks.acceptance_due(at(submitted), WorkCalendar())
    assert (deadline.due, deadline.provisional) == (D(due), provisional)


@pytest.mark.parametrize(
    ("accepted", "guide", "extension", "decision", "statutory"),
    [
        # Fri -> promised 5 working days (Sun 20 is a make-up day); statutory 20 over the holiday week
        ("2026-09-18 10:00", version(), 0, "2026-09-24", "2026-10-22"),
        # extension of 10 working days moves both; the decision never passes the statutory limit
        ("2026-09-18 10:00", version(), 10, "2026-10-15", "2026-11-05"),
        # a promised limit longer than the statutory one is capped by it (Art. 42)
        ("2026-11-02 10:00", version(promised=30, statutory=20), 0, "2026-11-30", "2026-11-30"),
        # natural days: calendar days, holidays included
        ("2026-09-30 10:00", version(promised=10, promised_unit="natural_days", statutory=None), 0, "2026-10-10", None),
        # hours: elapsed hours
        ("2026-09-30 16:00", version(promised=24, promised_unit="hours", statutory=None), 0, "2026-10-01", None),
    ],
)
def test_decision_is_due_by_the_promised_limit_never_beyond_the_statutory_one(
    accepted, guide, extension, decision, statutory
):
    got_decision, got_statutory = clocks.decision_deadlines(
        at(accepted), guide, WorkCalendar(), extension_days=extension
    )
    assert got_decision.due == D(decision)
    assert (got_statutory.due if got_statutory else None) == (D(statutory) if statutory else None)


@pytest.mark.parametrize(
    ("started", "ended", "excluded"),
    [
        ("2026-11-20 15:00", "2026-11-23 09:00", 0),  # Fri -> Mon: the weekend never counted
        ("2026-11-18 10:00", "2026-11-25 10:00", 4),  # Wed -> next Wed: Thu, Fri, Mon, Tue
        ("2026-09-30 10:00", "2026-10-09 10:00", 1),  # over National Day: only Oct 8 lay inside
        ("2026-11-18 10:00", "2026-11-18 16:00", 0),  # same day
    ],
)
def test_special_procedures_exclude_the_working_days_wholly_inside_them(started, ended, excluded):
    assert clocks.excluded_units(at(started), at(ended), "working_days", WorkCalendar()) == excluded


def test_suspension_moves_the_decision_by_the_excluded_days():
    # Fri Sep 18 + 5 working days = Sep 24; 4 excluded days -> 9: 20 (make-up), 21-24, 28-30, Oct 8
    decision, _ = clocks.decision_deadlines(at("2026-09-18 10:00"), version(), WorkCalendar(), suspended=4)
    assert decision.due == D("2026-10-08")


def test_issuance_is_due_ten_working_days_after_the_decision():
    # Wed Sep 30 -> Oct 8, 9, 10 (make-up Sat), 12..16, 19, 20
    assert clocks.issuance_due(at("2026-09-30 17:00"), WorkCalendar()).due == D("2026-10-20")


@pytest.mark.parametrize(
    ("today", "marker"),
    [
        ("2026-11-11", "green"),  # 3 of 10 working days left
        ("2026-11-12", "yellow"),  # 2 of 10 left: 20 %
        ("2026-11-16", "yellow"),  # the due day itself
        ("2026-11-17", "red"),  # overdue
    ],
)
def test_markers_turn_yellow_at_twenty_percent_left_and_red_when_overdue(today, marker):
    assert clocks.marker(D("2026-11-02"), D("2026-11-16"), D(today), WorkCalendar()) == marker


def test_the_yellow_share_is_configurable(settings):
    settings.APPLICATIONS_YELLOW_SHARE = 0.5
    assert clocks.marker(D("2026-11-02"), D("2026-11-16"), D("2026-11-09"), WorkCalendar()) == "yellow"
