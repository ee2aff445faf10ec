"""Workbench pages (staff). Every page needs a staff login verified with the second factor."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from govhall.workbench.decorators import staff_required
from govhall.workbench.menu import menu_for


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    assignments = request.user.active_assignments
    return render(request, "workbench/home.html", {"menu": menu_for(request.user), "assignments": assignments})
