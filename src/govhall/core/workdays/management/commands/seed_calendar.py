"""``manage.py seed_calendar``: official years from chinesecalendar, then provisional years ahead."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from govhall.core.workdays.models import CalendarYear
from govhall.core.workdays.queries import BEIJING
from govhall.core.workdays.services import chinesecalendar_years, ensure_provisional_year, seed_official_years


class Command(BaseCommand):
    help = (
        "Seed the working-day calendar (idempotent): the official years chinesecalendar ships from "
        "--from-year on, then provisional years (statutory holidays only) up to the current year + --ahead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from-year", type=int, default=2020, help="first official year (default 2020)")
        parser.add_argument("--ahead", type=int, default=1, help="provisional years beyond the current one (default 1)")

    def handle(self, *args: Any, from_year: int, ahead: int, **options: Any) -> None:
        known = chinesecalendar_years()
        official = seed_official_years(range(max(from_year, known.start), known.stop))
        last = max(datetime.datetime.now(BEIJING).year + ahead, known.stop)
        provisional: list[int] = []
        for year in range(known.stop, last + 1):
            if not CalendarYear.objects.filter(year=year).exists():
                ensure_provisional_year(year)
                provisional.append(year)
        self.stdout.write(
            f"工作日历：写入正式年度 {official or '无'}，新建暂定年度 {provisional or '无'}；"
            f"共 {CalendarYear.objects.count()} 个年度"
        )
