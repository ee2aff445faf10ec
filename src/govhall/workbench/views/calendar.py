"""The city office enters the State Council's holiday notice, previews the year, and publishes it."""

from __future__ import annotations

import calendar
import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from govhall.core.permissions import ensure_permission
from govhall.core.web import errors_to_form
from govhall.core.workdays import services as workdays
from govhall.core.workdays.models import CalendarYear
from govhall.workbench.decorators import staff_required
from govhall.workbench.forms import CalendarNoticeForm
from govhall.workbench.menu import menu_for


def _months(year: int, plan: dict[datetime.date, tuple[str, str]]) -> list[dict]:
    """Twelve month grids for the preview: each cell is (day, kind, holiday name) or None."""
    months = []
    for month in range(1, 13):
        weeks = []
        for week in calendar.Calendar().monthdatescalendar(year, month):
            weeks.append([(day, *plan.get(day, ("", ""))) if day.month == month else None for day in week])
        months.append({"month": month, "weeks": weeks})
    return months


@staff_required
def notice(request: HttpRequest) -> HttpResponse:
    ensure_permission(request.user, "workdays.publish_year")
    form = CalendarNoticeForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("action") == "publish":
                changed = workdays.publish_year(
                    request.user, data["year"], data["holidays"], data["makeup_days"], data["source"], request=request
                )
                messages.success(
                    request,
                    _("%(year)d年工作日历已发布为正式版，%(n)d个日期的工作日状态发生变化，相关期限已重新计算。")
                    % {"year": data["year"], "n": len(changed)},
                )
                return redirect("workbench:calendar")
            preview = _months(
                data["year"], workdays.preview_official_year(data["year"], data["holidays"], data["makeup_days"])
            )
        except ValidationError as error:
            errors_to_form(form, error)
    context = {
        "menu": menu_for(request.user),
        "form": form,
        "preview": preview,
        "years": CalendarYear.objects.order_by("-year")[:10],
    }
    return render(request, "workbench/calendar/notice.html", context)
