"""Every write to the working-day calendar: seeding, provisional years, publishing the notice.

Licensing Law Art. 82 counts periods in working days with statutory holidays excluded; which days
those are in a given year is fixed by the State Council's notice (国务院办公厅关于部分节假日安排的
通知), published in November or December of the year before. Until then a year is *provisional*:
the statutory holidays of 全国年节及纪念日放假办法 (2024 revision) are known, bridging days (调休放假)
and make-up workdays (调休上班) are not.
"""

from __future__ import annotations

import datetime
import itertools
import logging
import uuid
from collections.abc import Callable, Iterable, Sequence

import chinese_calendar
import holidays
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import MAX_YEAR, MIN_YEAR, CalendarDay, CalendarYear

logger = logging.getLogger(__name__)

Kind = CalendarDay.Kind
HolidayRange = tuple[str, datetime.date, datetime.date]
Recomputer = Callable[[set[datetime.date]], None]
# date -> (kind, holiday name)
_Plan = dict[datetime.date, tuple[str, str]]

ONE_DAY = datetime.timedelta(days=1)
OFFICIAL = CalendarYear.Status.OFFICIAL
WEEKDAY_LABELS = "一二三四五六日"
CHINESECALENDAR_SOURCE = f"chinesecalendar {chinese_calendar.__version__}"
NAME_MAX = CalendarDay._meta.get_field("holiday_name").max_length
SOURCE_MAX = CalendarYear._meta.get_field("source").max_length
PROVISIONAL_SOURCE = f"holidays {holidays.__version__} 法定节假日（暂定）"

# chinesecalendar's English keys -> the names the State Council's notice uses.
_CC_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
# The statutory holidays of 全国年节及纪念日放假办法 as the ``holidays`` package names them (zh_CN);
# its other entries (补假, 休息日（由…调休）) are bridging days, which a provisional year must not guess.
_STATUTORY_NAMES = {
    "元旦": "元旦",
    "农历除夕": "春节",
    "春节": "春节",
    "清明节": "清明节",
    "劳动节": "劳动节",
    "端午节": "端午节",
    "中秋节": "中秋节",
    "国庆节": "国庆节",
}


# --- recomputation hook -------------------------------------------------------------------------

_RECOMPUTERS: list[Recomputer] = []


def register_deadline_recomputer(recompute: Recomputer) -> Recomputer:
    """Register ``recompute(changed_dates)``, called inside the transaction of every publication of
    an official year (also with an empty set, so provisional flags can be cleared). Register from an
    ``AppConfig.ready()``; usable as a decorator. An exception aborts the publication."""
    if recompute not in _RECOMPUTERS:
        _RECOMPUTERS.append(recompute)
    return recompute


def unregister_deadline_recomputer(recompute: Recomputer) -> None:
    if recompute in _RECOMPUTERS:
        _RECOMPUTERS.remove(recompute)


def _notify_recomputers(changed: set[datetime.date]) -> None:
    for recompute in list(_RECOMPUTERS):
        recompute(set(changed))


# --- building a year's days ---------------------------------------------------------------------


def _year_days(year: int) -> Iterable[datetime.date]:
    day = datetime.date(year, 1, 1)
    while day.year == year:
        yield day
        day += ONE_DAY


def _plan(year: int, holiday_names: dict[datetime.date, str], makeups: dict[datetime.date, str]) -> _Plan:
    """Every day of the year: a make-up day works, a holiday rests, else Mon–Fri work (Art. 82)."""
    plan: _Plan = {}
    for day in _year_days(year):
        if day in makeups:
            plan[day] = (Kind.MAKEUP_WORKDAY, makeups[day])
        elif day in holiday_names:
            plan[day] = (Kind.HOLIDAY, holiday_names[day])
        elif day.weekday() >= 5:
            plan[day] = (Kind.REST, "")
        else:
            plan[day] = (Kind.WORKDAY, "")
    return plan


def chinesecalendar_years() -> range:
    """The years whose official schedule the installed ``chinesecalendar`` ships."""
    years = [day.year for day in chinese_calendar.holidays]
    return range(min(years), max(years) + 1)


def _cc_name(value: str) -> str:
    return _CC_NAMES.get(value, value)


def _chinesecalendar_plan(year: int) -> _Plan:
    holidays_ = {d: _cc_name(v) for d, v in chinese_calendar.holidays.items() if d.year == year}
    makeups = {d: _cc_name(v) for d, v in chinese_calendar.workdays.items() if d.year == year}
    return _plan(year, holidays_, makeups)


def statutory_holidays(year: int) -> dict[datetime.date, str]:
    """The statutory holidays of ``year`` (放假办法 Art. 2), without bridging or make-up days."""
    _check_year(year)
    found = holidays.China(years=year, observed=False, language="zh_CN")
    result: dict[datetime.date, str] = {}
    for day, label in sorted(found.items()):
        names = [_STATUTORY_NAMES[n] for n in label.split("; ") if n in _STATUTORY_NAMES]
        if names:
            result[day] = "、".join(dict.fromkeys(names))
    return result


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"{year}年超出工作日历支持的范围（{MIN_YEAR}–{MAX_YEAR}年）")


# --- writing a year -----------------------------------------------------------------------------


def _is_working(kind: str | None) -> bool:
    return kind in CalendarDay.WORKING_KINDS


def _insert_days(year: int, plan: _Plan) -> None:
    CalendarDay.objects.bulk_create(
        CalendarDay(date=day, kind=kind, holiday_name=name, year_id=year) for day, (kind, name) in plan.items()
    )


def _insert_year(year: int, plan: _Plan, *, status: str, source: str, by_id: int | None) -> CalendarYear:
    row = CalendarYear.objects.create(
        year=year,
        status=status,
        source=source,
        published_at=timezone.now() if status == OFFICIAL else None,
        published_by_id=by_id,
    )
    _insert_days(year, plan)
    return row


def _replace_year(row: CalendarYear, plan: _Plan, *, status: str, source: str, by_id: int | None) -> set[datetime.date]:
    """Rewrite a locked year; return the dates whose working-day status changed."""
    before = dict(CalendarDay.objects.filter(year_id=row.year).values_list("date", "kind"))
    CalendarDay.objects.filter(year_id=row.year).delete()
    _insert_days(row.year, plan)
    row.status = status
    row.source = source
    row.published_at = timezone.now() if status == OFFICIAL else None
    row.published_by_id = by_id
    row.revision = uuid.uuid4()
    row.save()
    return {day for day, (kind, _) in plan.items() if day in before and _is_working(before[day]) != _is_working(kind)}


def _try_insert(year: int, plan: _Plan, *, status: str, source: str) -> CalendarYear | None:
    """Insert a year, or None if a concurrent creator got there first (unique year)."""
    try:
        with transaction.atomic():
            return _insert_year(year, plan, status=status, source=source, by_id=None)
    except IntegrityError:
        return None


def _create_year(year: int, plan: _Plan, *, status: str, source: str) -> CalendarYear:
    """The year's row, inserted from ``plan`` if missing."""
    existing = CalendarYear.objects.filter(year=year).first()
    if existing is not None:
        return existing
    return _try_insert(year, plan, status=status, source=source) or CalendarYear.objects.get(year=year)


def ensure_provisional_year(year: int) -> CalendarYear:
    """The year's row, creating it provisionally if missing: statutory holidays from the ``holidays``
    package, weekends rest, no bridging or make-up days (Licensing Law Art. 82)."""
    _check_year(year)
    plan = _plan(year, statutory_holidays(year), {})
    return _create_year(year, plan, status=CalendarYear.Status.PROVISIONAL, source=PROVISIONAL_SOURCE)


def ensure_year(year: int) -> CalendarYear:
    """The year's row, creating it if missing: official when ``chinesecalendar`` ships the year,
    provisional otherwise. Used by the read side so an unseeded date never crashes."""
    _check_year(year)
    if year in chinesecalendar_years():
        plan = _chinesecalendar_plan(year)
        return _create_year(year, plan, status=OFFICIAL, source=CHINESECALENDAR_SOURCE)
    return ensure_provisional_year(year)


@transaction.atomic
def seed_official_years(years: Iterable[int]) -> list[int]:
    """Write the official schedules ``chinesecalendar`` ships for ``years``; idempotent: a year that
    is already official (seeded or entered by the city office) is left alone. A provisional year is
    replaced and the recomputers are told. Returns the years written."""
    known = chinesecalendar_years()
    written: list[int] = []
    for year in years:
        if year not in known:
            raise ValueError(f"chinesecalendar {chinese_calendar.__version__} 没有{year}年的放假安排")
        row = CalendarYear.objects.select_for_update().filter(year=year).first()
        if row is not None and row.status == OFFICIAL:
            continue
        plan = _chinesecalendar_plan(year)
        if row is None:
            if _try_insert(year, plan, status=OFFICIAL, source=CHINESECALENDAR_SOURCE) is None:
                continue  # a concurrent seeder won the race
        else:
            _notify_recomputers(_replace_year(row, plan, status=OFFICIAL, source=CHINESECALENDAR_SOURCE, by_id=None))
        written.append(year)
    return written


# --- publishing the State Council notice --------------------------------------------------------


def _fmt(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日（周{WEEKDAY_LABELS[day.weekday()]}）"


def _is_date(value: object) -> bool:
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


def _range_errors(year: int, ranges: Sequence[HolidayRange]) -> list[str]:
    errors: list[str] = []
    for name, start, end in ranges:
        label = name.strip() or "（未命名）"
        if not name.strip():
            errors.append("每段放假安排都必须写明节日名称")
        elif len(name.strip()) > NAME_MAX:
            errors.append(f"节日名称“{label}”超过{NAME_MAX}个字")
        if not (_is_date(start) and _is_date(end)):
            errors.append(f"{label}：放假起止必须是日期")
            continue
        if start > end:
            errors.append(f"{label}：开始日期{_fmt(start)}晚于结束日期{_fmt(end)}")
        if start.year != year or end.year != year:
            errors.append(f"{label}：放假日期{_fmt(start)}至{_fmt(end)}不在{year}年内")
    dated = sorted((r for r in ranges if _is_date(r[1]) and _is_date(r[2])), key=lambda r: r[1])
    for (name_a, _, end_a), (name_b, start_b, _) in itertools.pairwise(dated):
        if start_b <= end_a:
            errors.append(f"{name_a}与{name_b}的放假日期重叠（{_fmt(start_b)}）")
    return errors


def _makeup_errors(year: int, ranges: Sequence[HolidayRange], makeups: Sequence[datetime.date]) -> list[str]:
    errors: list[str] = []
    for day in sorted(d for d in makeups if _is_date(d)):
        if day.year != year:
            errors.append(f"调休上班日{_fmt(day)}不在{year}年内")
        if day.weekday() < 5:
            errors.append(f"调休上班日{_fmt(day)}不是周六或周日：只有周末才能调休上班")
        for name, start, end in ranges:
            if _is_date(start) and _is_date(end) and start <= day <= end:
                errors.append(f"调休上班日{_fmt(day)}落在{name}放假期间")
    if any(not _is_date(d) for d in makeups):
        errors.append("调休上班日必须是日期")
    duplicates = sorted({d for d in makeups if _is_date(d) and makeups.count(d) > 1})
    errors.extend(f"调休上班日{_fmt(d)}重复填写" for d in duplicates)
    return errors


def _notice_errors(
    year: int, ranges: Sequence[HolidayRange], makeups: Sequence[datetime.date], source: str
) -> list[str]:
    errors: list[str] = []
    if not MIN_YEAR <= year <= MAX_YEAR:
        errors.append(f"{year}年超出工作日历支持的范围（{MIN_YEAR}–{MAX_YEAR}年）")
    if not ranges:
        errors.append("放假安排不能为空")
    if not source.strip():
        errors.append("请填写来源（国务院办公厅通知的文号）")
    elif len(source.strip()) > SOURCE_MAX:
        errors.append(f"来源超过{SOURCE_MAX}个字")
    return errors + _range_errors(year, ranges) + _makeup_errors(year, ranges, makeups)


def _expand(ranges: Sequence[HolidayRange]) -> dict[datetime.date, str]:
    days: dict[datetime.date, str] = {}
    for name, start, end in ranges:
        day = start
        while day <= end:
            days[day] = name.strip()
            day += ONE_DAY
    return days


def _warn_missing_statutory(year: int, holiday_days: dict[datetime.date, str]) -> None:
    missing = [day for day in statutory_holidays(year) if day not in holiday_days]
    if missing:
        logger.warning("%s年放假安排未包含法定节假日：%s", year, "、".join(_fmt(d) for d in missing))


def publish_official_year(
    year: int,
    holiday_ranges: Sequence[HolidayRange],
    makeup_days: Sequence[datetime.date],
    source: str,
    by_id: int | None,
) -> list[datetime.date]:
    """Enter the State Council's notice for ``year`` (Licensing Law Art. 82): ``holiday_ranges`` are
    the 放假 periods (name, first day, last day, inclusive), ``makeup_days`` the weekend days worked
    (调休上班). Validates everything first (``ValidationError`` listing every problem, nothing
    written), then replaces the year's days in one transaction, marks it official, calls the
    registered deadline recomputers with the changed dates, and returns those dates, sorted."""
    ranges = [(name, start, end) for name, start, end in holiday_ranges]
    makeups = list(makeup_days)
    errors = _notice_errors(year, ranges, makeups, source)
    if errors:
        raise ValidationError(errors)
    holiday_days = _expand(ranges)
    _warn_missing_statutory(year, holiday_days)
    plan = _plan(year, holiday_days, dict.fromkeys(makeups, ""))
    with transaction.atomic():
        ensure_year(year)
        row = CalendarYear.objects.select_for_update().get(year=year)
        changed = _replace_year(row, plan, status=OFFICIAL, source=source.strip(), by_id=by_id)
        _notify_recomputers(changed)
    return sorted(changed)


# --- the city office's form ---------------------------------------------------------------------
def preview_official_year(
    year: int, holiday_ranges: Sequence[HolidayRange], makeup_days: Sequence[datetime.date]
) -> dict[datetime.date, tuple[str, str]]:
    """What the year would look like after publishing (nothing written): date -> (kind, name)."""
    ranges = [(name, start, end) for name, start, end in holiday_ranges]
    errors = _notice_errors(year, ranges, list(makeup_days), "preview")
    if errors:
        raise ValidationError(errors)
    return _plan(year, _expand(ranges), dict.fromkeys(makeup_days, ""))


def publish_year(
    user,
    year: int,
    holiday_ranges: Sequence[HolidayRange],
    makeup_days: Sequence[datetime.date],
    source: str,
    *,
    request=None,
) -> list[datetime.date]:
    """The city office publishes the State Council's notice: permission, publication and audit
    event in one transaction (every open deadline is recomputed inside it)."""
    from govhall.core.audit.services import record
    from govhall.core.permissions import ensure_permission

    ensure_permission(user, "workdays.publish_year")
    with transaction.atomic():
        changed = publish_official_year(year, holiday_ranges, makeup_days, source, by_id=user.pk)
        row = CalendarYear.objects.get(year=year)
        record(
            user,
            "calendar.year_published",
            row,
            after={"year": year, "source": source, "changed_dates": [day.isoformat() for day in changed]},
            request=request,
        )
    return changed
