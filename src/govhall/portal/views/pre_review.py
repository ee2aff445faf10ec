"""The short link of the pre-review SMS (issue 8, Art. 12): ``/b/<business number>/`` opens the
booking flow for that application's item, carrying the number so the visit is linked to it.

Short because an SMS must fit two segments; only the applicant (or agent) of that application is
redirected, anyone else gets 404 (a number reveals nothing).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from govhall.applications import queries


@login_required(login_url="portal:login")
def book_for_application(request: HttpRequest, number: str) -> HttpResponse:
    application = queries.mine(request.user).filter(business_number=number).first()
    if application is None:
        raise Http404
    path = reverse("portal:appointment_book", args=[application.item.implementation_code])
    return redirect(f"{path}?{urlencode({'business_number': number})}")
