"""Reading the working-day calendar: is a date a working day, and when does a period end.

Licensing Law Art. 82: periods are working days, statutory holidays excluded, make-up workdays
(调休上班) included. Civil Code Art. 201: the day of the triggering event is not counted; the period
starts the next day. Dates are Beijing dates.

Caching: a :class:`WorkCalendar` reads the ``CalendarYear`` rows once (one query) and takes each
year's days from a per-process memo keyed on the year's ``revision``, which every write renews. A
publication in another process therefore changes the key and is never served stale.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .models import CalendarDay, CalendarYear
from .services import ONE_DAY, ensure_year

BEIJING = ZoneInfo("Asia/Shanghai")
_WORKING = frozenset(CalendarDay.WORKING_KINDS)


@dataclass(frozen=True)
class YearDays:
    """One year's days as read in a single statement (consistent with its revision)."""

    year: int
    revision: uuid.UUID
    provisional: bool
    kinds: tuple[str, ...]  # index: day of the year - 1

    def kind(self, day: datetime.date) -> str:
        return self.kinds[day.toordinal() - datetime.date(self.year, 1, 1).toordinal()]


@dataclass(frozen=True)
class Deadline:
    """A computed due date; ``provisional`` if any counted day lies in a year whose official
    schedule is not yet published, so the date may move when it is (and will be recomputed)."""

    due: datetime.date
    provisional: bool


# Memo of immutable values keyed on (year, revision): correct across processes by construction.
_MEMO: dict[int, YearDays] = {}


def _load_year(year: int) -> YearDays:
    rows = list(
        CalendarDay.objects.filter(year_id=year).order_by("date").values_list("kind", "year__revision", "year__status")
    )
    expected = (datetime.date(year + 1, 1, 1) - datetime.date(year, 1, 1)).days
    if len(rows) != expected:
        raise RuntimeError(f"{year}年工作日历不完整：{len(rows)}/{expected}天")
    _, revision, status = rows[0]
    kinds = tuple(kind for kind, _, _ in rows)
    return YearDays(year, revision, status == CalendarYear.Status.PROVISIONAL, kinds)


def as_date(value: datetime.date) -> datetime.date:
    """A date, or an aware datetime taken as its Beijing date; a naive datetime is refused."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise TypeError("需要日期或带时区的时间，不能用不带时区的时间")
        return value.astimezone(BEIJING).date()
    if not isinstance(value, datetime.date):
        raise TypeError(f"需要日期，得到的是{type(value).__name__}")
    return value


def _check_count(n: int) -> None:
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"工作日数必须是正整数，得到的是{n!r}")


class WorkCalendar:
    """A view of the calendar for one computation or one batch (e.g. a page of deadlines).

    Build a new one per request or task: it never re-reads the year list, so a long-lived instance
    would miss a later publication."""

    def __init__(self) -> None:
        self._revisions: dict[int, uuid.UUID] | None = None
        self._years: dict[int, YearDays] = {}

    def _year_revisions(self, *, refresh: bool = False) -> dict[int, uuid.UUID]:
        if self._revisions is None or refresh:
            self._revisions = dict(CalendarYear.objects.values_list("year", "revision"))
        return self._revisions

    def _fetch(self, year: int) -> YearDays:
        revisions = self._year_revisions()
        if year not in revisions:
            ensure_year(year)
            revisions = self._year_revisions(refresh=True)
        memo = _MEMO.get(year)
        if memo is not None and memo.revision == revisions[year]:
            return memo
        loaded = _MEMO[year] = _load_year(year)
        return loaded

    def year(self, year: int) -> YearDays:
        days = self._years.get(year)
        if days is None:
            days = self._years[year] = self._fetch(year)
        return days

    def kind(self, day: datetime.date) -> str:
        """``workday``, ``rest``, ``holiday`` or ``makeup_workday`` (see ``CalendarDay.Kind``)."""
        day = as_date(day)
        return self.year(day.year).kind(day)

    def is_working_day(self, day: datetime.date) -> bool:
        """Licensing Law Art. 82: Mon–Fri and make-up weekend days, except statutory holidays."""
        return self.kind(day) in _WORKING

    def is_provisional(self, day: datetime.date) -> bool:
        """True if the day's year has no official schedule yet (bridging/make-up days unknown)."""
        return self.year(as_date(day).year).provisional

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        """The n-th working day strictly after ``start`` (Civil Code Art. 201: the day of the event
        is not counted; Licensing Law Art. 82: working days only). ``n >= 1``."""
        return self.add_working_days_detail(start, n).due

    def add_working_days_detail(self, start: datetime.date, n: int) -> Deadline:
        """:meth:`add_working_days` plus whether any day in (start, due] is provisional."""
        _check_count(n)
        first = as_date(start) + ONE_DAY
        day, remaining = first, n
        while True:
            remaining -= self.is_working_day(day)
            if not remaining:
                break
            day += ONE_DAY
        provisional = any(self.year(y).provisional for y in range(first.year, day.year + 1))
        return Deadline(due=day, provisional=provisional)

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days in (start, end] (Civil Code Art. 201); negative if ``end`` is before
        ``start``: the inverse of :meth:`add_working_days`, e.g. for days overdue."""
        start, end = as_date(start), as_date(end)
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start + ONE_DAY
        while day <= end:
            count += self.is_working_day(day)
            day += ONE_DAY
        return count


def is_working_day(day: datetime.date) -> bool:
    """Licensing Law Art. 82: is ``day`` a working day (make-up weekend days included)?"""
    return WorkCalendar().is_working_day(day)


def day_kind(day: datetime.date) -> str:
    """The ``CalendarDay.Kind`` of ``day``."""
    return WorkCalendar().kind(day)


def is_provisional(day: datetime.date) -> bool:
    """True if ``day``'s year still awaits the State Council's notice."""
    return WorkCalendar().is_provisional(day)


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The n-th working day strictly after ``start`` (Civil Code Art. 201; Licensing Law Art. 82)."""
    return WorkCalendar().add_working_days(start, n)


def add_working_days_detail(start: datetime.date, n: int) -> Deadline:
    """:func:`add_working_days` with the provisional flag (Licensing Law Art. 82)."""
    return WorkCalendar().add_working_days_detail(start, n)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days in (start, end] (Civil Code Art. 201; Licensing Law Art. 82)."""
    return WorkCalendar().working_days_between(start, end)
