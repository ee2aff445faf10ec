"""A provisional year (2027 in late 2026) and its recomputation once the notice is published.

Until the State Council's notice, only the statutory holidays of 全国年节及纪念日放假办法 (2024) are
known; a deadline crossing such a year is flagged provisional (Licensing Law Art. 82) and recomputed
when ``publish_official_year`` replaces the year.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest

from govhall.core.workdays.calendar import (
    Deadline,
    add_working_days,
    add_working_days_detail,
    day_kind,
    is_provisional,
    is_working_day,
    publish_official_year,
    register_deadline_recomputer,
    statutory_holidays,
    unregister_deadline_recomputer,
)
from govhall.core.workdays.models import CalendarYear

D = datetime.date
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_calendar")]

# 放假办法 (2024 revision) applied to 2027 by hand: 13 statutory days, no bridging days.
STATUTORY_2027 = [
    D(2027, 1, 1),  # 元旦
    D(2027, 2, 5),  # 春节: 农历除夕 (Fri)
    D(2027, 2, 6),  # 春节: 正月初一 (Sat)
    D(2027, 2, 7),  # 春节: 初二 (Sun)
    D(2027, 2, 8),  # 春节: 初三 (Mon)
    D(2027, 4, 5),  # 清明节
    D(2027, 5, 1),  # 劳动节 (Sat)
    D(2027, 5, 2),  # 劳动节 (Sun)
    D(2027, 6, 9),  # 端午节 (农历五月初五)
    D(2027, 9, 15),  # 中秋节 (农历八月十五)
    D(2027, 10, 1),  # 国庆节
    D(2027, 10, 2),  # 国庆节
    D(2027, 10, 3),  # 国庆节
]

# A MADE-UP notice for 2027 (the real one is not out yet), shaped like the 2025/2026 ones.
NOTICE_2027 = [
    ("元旦", D(2027, 1, 1), D(2027, 1, 3)),
    ("春节", D(2027, 2, 5), D(2027, 2, 12)),
    ("清明节", D(2027, 4, 3), D(2027, 4, 5)),
    ("劳动节", D(2027, 5, 1), D(2027, 5, 5)),
    ("端午节", D(2027, 6, 9), D(2027, 6, 9)),
    ("中秋节", D(2027, 9, 15), D(2027, 9, 15)),
    ("国庆节", D(2027, 10, 1), D(2027, 10, 7)),
]
MAKEUP_2027 = [D(2027, 2, 20), D(2027, 4, 25), D(2027, 9, 26), D(2027, 10, 9)]
# Working-day status that the made-up notice flips, worked out by hand.
CHANGED_2027 = {
    D(2027, 2, 9),  # Tue: provisional workday -> 春节 bridging holiday
    D(2027, 2, 10),
    D(2027, 2, 11),
    D(2027, 2, 12),
    D(2027, 2, 20),  # Sat: rest -> make-up workday
    D(2027, 4, 25),  # Sun: rest -> make-up workday
    D(2027, 5, 3),  # Mon-Wed: workday -> 劳动节 bridging holidays
    D(2027, 5, 4),
    D(2027, 5, 5),
    D(2027, 9, 26),  # Sun: rest -> make-up workday
    D(2027, 10, 4),  # Mon-Thu: workday -> 国庆节 bridging holidays
    D(2027, 10, 5),
    D(2027, 10, 6),
    D(2027, 10, 7),
    D(2027, 10, 9),  # Sat: rest -> make-up workday
}
# 1/2-1/3, 4/3-4/4 are weekend days inside a break: rest either way, so not "changed".


def _publish_2027() -> list[datetime.date]:
    return publish_official_year(2027, NOTICE_2027, MAKEUP_2027, "国务院办公厅通知（测试用虚构文号）", by_id=7)


def test_provisional_year_has_only_the_statutory_holidays() -> None:
    assert sorted(statutory_holidays(2027)) == STATUTORY_2027
    row = CalendarYear.objects.get(year=2027)
    assert row.status == "provisional"
    assert row.published_at is None
    assert "holidays" in row.source
    holidays_ = {d for d in row.days.values_list("date", flat=True).filter(kind="holiday")}
    assert sorted(holidays_) == STATUTORY_2027
    assert not row.days.filter(kind="makeup_workday").exists()
    assert day_kind(D(2027, 2, 5)) == "holiday"  # 除夕 is statutory since the 2024 revision
    assert statutory_holidays(2027)[D(2027, 2, 5)] == "春节"
    assert is_working_day(D(2027, 2, 9))  # no bridging days are guessed
    assert not is_working_day(D(2027, 2, 20))  # no make-up days are guessed
    assert is_provisional(D(2027, 3, 1))
    assert not is_provisional(D(2026, 12, 31))


@pytest.mark.parametrize(
    ("start", "n", "due", "provisional"),
    [
        (D(2027, 2, 3), 5, D(2027, 2, 12), True),  # crosses 2027 春节: only the 4 statutory days are known
        (D(2026, 12, 28), 5, D(2027, 1, 5), True),  # starts in official 2026, ends in provisional 2027
        (D(2026, 12, 31), 1, D(2027, 1, 4), True),  # the first counted day (1/1) is already provisional
        (D(2026, 12, 24), 3, D(2026, 12, 29), False),  # wholly inside official 2026
    ],
)
def test_deadlines_crossing_a_provisional_year_are_flagged(
    start: datetime.date, n: int, due: datetime.date, provisional: bool
) -> None:
    assert add_working_days_detail(start, n) == Deadline(due, provisional)


@dataclass
class FakeApplications:
    """Stands in for a domain (applications, consultations) that stores deadlines on its rows."""

    deadlines: dict[str, tuple[datetime.date, int, Deadline]] = field(default_factory=dict)
    history: list[tuple[str, Deadline, Deadline, frozenset[datetime.date]]] = field(default_factory=list)
    calls: list[set[datetime.date]] = field(default_factory=list)

    def open(self, key: str, start: datetime.date, n: int) -> None:
        self.deadlines[key] = (start, n, add_working_days_detail(start, n))

    def recompute(self, changed: set[datetime.date]) -> None:
        self.calls.append(changed)
        for key, (start, n, old) in self.deadlines.items():
            if not old.provisional:
                continue
            new = add_working_days_detail(start, n)
            self.deadlines[key] = (start, n, new)
            self.history.append((key, old, new, frozenset(changed)))


@pytest.fixture
def applications() -> FakeApplications:
    apps = FakeApplications()
    register_deadline_recomputer(apps.recompute)
    yield apps
    unregister_deadline_recomputer(apps.recompute)


def test_publishing_2027_recomputes_provisional_deadlines(applications: FakeApplications) -> None:
    applications.open("spring", D(2027, 2, 3), 5)  # Art. 32: 5 working days over 春节
    applications.open("new-year", D(2026, 12, 28), 5)
    applications.open("official", D(2026, 12, 24), 3)
    assert applications.deadlines["spring"][2] == Deadline(D(2027, 2, 12), provisional=True)

    changed = _publish_2027()

    assert set(changed) == CHANGED_2027
    assert changed == sorted(changed)
    assert applications.calls == [CHANGED_2027]  # called once, inside publish, with the changed dates
    # The recomputer ran inside the transaction and already saw the new calendar:
    assert applications.deadlines["spring"][2] == Deadline(D(2027, 2, 18), provisional=False)
    assert applications.deadlines["new-year"][2] == Deadline(D(2027, 1, 5), provisional=False)
    assert applications.deadlines["official"][2] == Deadline(D(2026, 12, 29), provisional=False)
    assert [entry[0] for entry in applications.history] == ["spring", "new-year"]  # only provisional ones

    row = CalendarYear.objects.get(year=2027)
    assert (row.status, row.published_by_id) == ("official", 7)
    assert row.published_at is not None
    assert not is_provisional(D(2027, 2, 10))
    assert add_working_days(D(2027, 2, 19), 1) == D(2027, 2, 20)  # the made-up make-up Saturday counts
    assert day_kind(D(2027, 2, 20)) == "makeup_workday"
    assert day_kind(D(2027, 2, 9)) == "holiday"


def test_republishing_the_same_notice_changes_nothing(recorded_changes: list[set[datetime.date]]) -> None:
    _publish_2027()
    assert _publish_2027() == []  # a corrected notice would return only what it moves
    assert recorded_changes == [CHANGED_2027, set()]  # still told, so provisional flags can be cleared


def test_a_failing_recomputer_aborts_the_publication() -> None:
    before = CalendarYear.objects.get(year=2027)

    def broken(changed: set[datetime.date]) -> None:
        raise RuntimeError("deadline store unavailable")

    register_deadline_recomputer(broken)
    try:
        with pytest.raises(RuntimeError):
            _publish_2027()
    finally:
        unregister_deadline_recomputer(broken)
    after = CalendarYear.objects.get(year=2027)
    assert (after.status, after.revision) == ("provisional", before.revision)
    assert is_working_day(D(2027, 2, 9))
