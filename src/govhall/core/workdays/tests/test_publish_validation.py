"""Bad notices are refused whole, with Chinese messages, and change nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from govhall.core.workdays.calendar import is_working_day, publish_official_year
from govhall.core.workdays.models import CalendarDay, CalendarYear

D = datetime.date
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_calendar")]

GOOD_RANGES = [("春节", D(2027, 2, 5), D(2027, 2, 12)), ("国庆节", D(2027, 10, 1), D(2027, 10, 7))]
SOURCE = "国务院办公厅通知（测试）"


@pytest.mark.parametrize(
    ("ranges", "makeups", "source", "message"),
    [
        # a make-up day must be a Saturday or Sunday
        (GOOD_RANGES, [D(2027, 2, 17)], SOURCE, "调休上班日2027年2月17日（周三）不是周六或周日"),
        # a break reaching into the previous year
        (
            [("元旦", D(2026, 12, 31), D(2027, 1, 2))],
            [],
            SOURCE,
            "元旦：放假日期2026年12月31日（周四）至2027年1月2日（周六）不在2027年内",
        ),
        # a make-up day in another year
        (GOOD_RANGES, [D(2026, 12, 26)], SOURCE, "调休上班日2026年12月26日（周六）不在2027年内"),
        # two breaks overlapping
        (
            [("中秋节", D(2027, 9, 28), D(2027, 10, 2)), ("国庆节", D(2027, 10, 1), D(2027, 10, 7))],
            [],
            SOURCE,
            "中秋节与国庆节的放假日期重叠",
        ),
        # a make-up day inside a break
        (GOOD_RANGES, [D(2027, 2, 6)], SOURCE, "调休上班日2027年2月6日（周六）落在春节放假期间"),
        # end before start
        (
            [("春节", D(2027, 2, 12), D(2027, 2, 5))],
            [],
            SOURCE,
            "春节：开始日期2027年2月12日（周五）晚于结束日期",
        ),
        # an unnamed break
        ([(" ", D(2027, 2, 5), D(2027, 2, 12))], [], SOURCE, "每段放假安排都必须写明节日名称"),
        # a duplicated make-up day
        (GOOD_RANGES, [D(2027, 2, 20), D(2027, 2, 20)], SOURCE, "调休上班日2027年2月20日（周六）重复填写"),
        # a name longer than the column
        ([("春" * 41, D(2027, 2, 5), D(2027, 2, 12))], [], SOURCE, "超过40个字"),
        # no breaks at all
        ([], [], SOURCE, "放假安排不能为空"),
        # no source
        (GOOD_RANGES, [], "  ", "请填写来源"),
        # a datetime instead of a date
        ([("春节", datetime.datetime(2027, 2, 5), D(2027, 2, 12))], [], SOURCE, "春节：放假起止必须是日期"),
    ],
)
def test_bad_notice_is_refused_and_changes_nothing(
    ranges: list, makeups: list, source: str, message: str, recorded_changes: list
) -> None:
    before = CalendarYear.objects.get(year=2027)
    days_before = list(CalendarDay.objects.filter(year_id=2027).values_list("date", "kind", "holiday_name"))

    with pytest.raises(ValidationError) as excinfo:
        publish_official_year(2027, ranges, makeups, source, by_id=1)

    assert any(message in m for m in excinfo.value.messages), excinfo.value.messages
    after = CalendarYear.objects.get(year=2027)
    assert (after.status, after.revision, after.source) == ("provisional", before.revision, before.source)
    assert list(CalendarDay.objects.filter(year_id=2027).values_list("date", "kind", "holiday_name")) == days_before
    assert recorded_changes == []
    assert is_working_day(D(2027, 2, 9))


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ValidationError) as excinfo:
        publish_official_year(
            2027, [("元旦", D(2026, 12, 31), D(2027, 1, 1))], [D(2027, 3, 3), D(2028, 1, 1)], "", by_id=None
        )
    # no source; 元旦 reaches into 2026; 3/3 is a Wednesday; 2028-01-01 (a Saturday) is in another year
    assert len(excinfo.value.messages) == 4, excinfo.value.messages


def test_year_outside_the_supported_range_is_refused() -> None:
    with pytest.raises(ValidationError, match="2101年超出工作日历支持的范围"):
        publish_official_year(2101, [("元旦", D(2101, 1, 1), D(2101, 1, 1))], [], SOURCE, by_id=None)
