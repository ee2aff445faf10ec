"""Staff look up an applicant: masked by default; the unmasked numbers only with a stated reason,
and every such view is an audit event."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from govhall.accounts import services as account_services
from govhall.accounts.models import User
from govhall.core.permissions import ensure_permission
from govhall.core.web import errors_to_form
from govhall.workbench.decorators import staff_required
from govhall.workbench.forms import ApplicantLookupForm, RevealForm
from govhall.workbench.menu import menu_for


def _check(user) -> None:
    ensure_permission(user, "accounts.view_unmasked")


@staff_required
def lookup(request: HttpRequest) -> HttpResponse:
    _check(request.user)
    form = ApplicantLookupForm(request.GET or None)
    found = account_services.find_applicant(form.cleaned_data["identifier"]) if form.is_valid() else None
    context = {"menu": menu_for(request.user), "form": form, "found": found, "reveal_form": RevealForm()}
    return render(request, "workbench/applicants/lookup.html", context)


@staff_required
def reveal(request: HttpRequest, user_id: int) -> HttpResponse:
    _check(request.user)
    target = get_object_or_404(User, pk=user_id, kind__in=["person", "enterprise"])
    form = RevealForm(request.POST or None)
    revealed = None
    if request.method == "POST" and form.is_valid():
        try:
            revealed = account_services.reveal_personal_data(
                target, by=request.user, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            errors_to_form(form, error)
    context = {
        "menu": menu_for(request.user),
        "form": ApplicantLookupForm(),
        "found": target,
        "reveal_form": form,
        "revealed": revealed,
    }
    return render(request, "workbench/applicants/lookup.html", context)
