"""Staff login: password, then TOTP (first login enrols an authenticator with a QR code)."""

from __future__ import annotations

import django_otp
from django.contrib import auth, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.accounts import mfa
from govhall.accounts.models import User
from govhall.core.audit.services import record
from govhall.workbench.forms import StaffLoginForm, TokenForm

PENDING_KEY = "workbench_pending_user"
NEXT_KEY = "workbench_next"


def _pending_user(request: HttpRequest) -> User | None:
    user_id = request.session.get(PENDING_KEY)
    return User.objects.filter(pk=user_id, kind="staff", is_active=True).first() if user_id else None


def _complete_login(request: HttpRequest, user: User, device) -> HttpResponse:
    target = request.session.pop(NEXT_KEY, "") or ""
    request.session.pop(PENDING_KEY, None)
    auth.login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    django_otp.login(request, device)
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    record(user, "staff.login", user, request=request)
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = ""
    return redirect(target or "workbench:home")


def login(request: HttpRequest) -> HttpResponse:
    form = StaffLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = mfa.check_staff_password(request, form.cleaned_data["username"], form.cleaned_data["password"])
        if result.user is not None:
            request.session.cycle_key()
            request.session[PENDING_KEY] = result.user.pk
            request.session[NEXT_KEY] = request.GET.get("next", "")
            return redirect("workbench:verify" if mfa.has_confirmed_device(result.user) else "workbench:enrol")
        form.add_error(None, result.message)
    return render(request, "workbench/login.html", {"form": form})


def verify(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return redirect("workbench:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = mfa.verify_second_factor(user, form.cleaned_data["token"], request)
        if device is not None:
            return _complete_login(request, user, device)
        form.add_error("token", _("动态口令错误或已使用，请输入认证器上的最新口令。"))
    return render(request, "workbench/verify.html", {"form": form, "staff": user})


def enrol(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return redirect("workbench:login")
    if mfa.has_confirmed_device(user):
        return redirect("workbench:verify")
    device = mfa.start_enrolment(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = mfa.confirm_enrolment(user, form.cleaned_data["token"], request)
        if confirmed is not None:
            totp, codes = confirmed
            response = _complete_login(request, user, totp)
            messages.success(request, _("认证器绑定成功。请妥善保存以下恢复码（每个只能使用一次）：") + " ".join(codes))
            return response
        form.add_error("token", _("动态口令不正确，请确认手机时间准确后重试。"))
    context = {"form": form, "staff": user, "qr": mfa.qr_svg(device), "secret": mfa.base32_secret(device)}
    return render(request, "workbench/enrol.html", context)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    return redirect("workbench:login")
