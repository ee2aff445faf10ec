"""Office hours as a value: the periods a hall or department is open on a working day.

Stored as JSON on service centres and departments, passed into ``core.workdays`` arithmetic so the
calendar never needs to know who is asking.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, gettext_lazy, pgettext

Period = tuple[datetime.time, datetime.time]

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_LABELS = (
    gettext_lazy("周一"),
    gettext_lazy("周二"),
    gettext_lazy("周三"),
    gettext_lazy("周四"),
    gettext_lazy("周五"),
    gettext_lazy("周六"),
    gettext_lazy("周日"),
)

# 09:00-12:00 and 13:30-17:00 Monday to Friday: the common schedule of Changchun's centres.
DEFAULT_PERIODS: tuple[Period, ...] = (
    (datetime.time(9, 0), datetime.time(12, 0)),
    (datetime.time(13, 30), datetime.time(17, 0)),
)


@dataclass(frozen=True)
class OfficeHours:
    """Opening periods per weekday (0 = Monday). A make-up workday (调休) on a weekend uses
    ``makeup_weekday``'s periods; a weekday the calendar marks as a holiday has none."""

    weekly: dict[int, tuple[Period, ...]] = field(default_factory=lambda: dict.fromkeys(range(5), DEFAULT_PERIODS))
    makeup_weekday: int = 0

    def periods_on(self, weekday: int, *, makeup: bool = False) -> tuple[Period, ...]:
        if makeup:
            return self.weekly.get(self.makeup_weekday, ())
        return self.weekly.get(weekday, ())

    def to_json(self) -> dict[str, Any]:
        return {
            WEEKDAY_NAMES[day]: [[start.strftime("%H:%M"), end.strftime("%H:%M")] for start, end in periods]
            for day, periods in sorted(self.weekly.items())
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> OfficeHours:
        """Parse ``{"mon": [["09:00", "12:00"], ["13:30", "17:00"]], ...}``; empty means the default."""
        if not data:
            return cls()
        weekly: dict[int, tuple[Period, ...]] = {}
        for name, periods in data.items():
            day = WEEKDAY_NAMES.index(name)
            parsed = tuple(
                (datetime.time.fromisoformat(start), datetime.time.fromisoformat(end)) for start, end in periods
            )
            for start, end in parsed:
                if start >= end:
                    raise ValueError(f"{name}: period {start}-{end} ends before it starts")
            for (_, end), (start, _) in itertools.pairwise(parsed):
                if start < end:
                    raise ValueError(f"{name}: periods overlap or are out of order")
            weekly[day] = parsed
        return cls(weekly=weekly)

    def describe(self) -> str:
        """Human-readable summary for guide and centre pages: 周一至周五 09:00-12:00、13:30-17:00, in the
        active language (Mon–Fri 09:00-12:00, 13:30-17:00 in English)."""
        labels = [str(label) for label in WEEKDAY_LABELS]
        groups: list[tuple[list[int], tuple[Period, ...]]] = []
        for day in range(7):
            periods = self.weekly.get(day, ())
            if not periods:
                continue
            if groups and groups[-1][1] == periods and groups[-1][0][-1] == day - 1:
                groups[-1][0].append(day)
            else:
                groups.append(([day], periods))
        parts = []
        for days, periods in groups:
            first, last = labels[days[0]], labels[days[-1]]
            span = first if len(days) == 1 else gettext("%(first)s至%(last)s") % {"first": first, "last": last}
            times = pgettext("office hours", "、").join(f"{s:%H:%M}-{e:%H:%M}" for s, e in periods)
            parts.append(f"{span} {times}")
        if not parts:
            return pgettext("office hours", "暂无")
        return gettext("%(hours)s（法定节假日除外）") % {"hours": pgettext("office hours", "；").join(parts)}
