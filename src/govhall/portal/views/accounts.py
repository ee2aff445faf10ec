"""Applicants' account pages: login, registration, password reset, operators, cancellation.

Pages work without JavaScript: the "send code" button submits the same form with
``action=send_code``; the server checks the image CAPTCHA, queues the SMS and shows the form again.
"""

from __future__ import annotations

import datetime

from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.accounts import queries as account_queries
from govhall.accounts import registration
from govhall.accounts import services as account_services
from govhall.accounts.models import CodePurpose, UserKind
from govhall.core.crypto import mask_mobile
from govhall.core.web import errors_to_form, safe_next
from govhall.portal.forms import (
    CancelAccountForm,
    CodeRequestForm,
    EnterpriseRegistrationForm,
    LoginForm,
    OperatorForm,
    PersonRegistrationForm,
    ResetPasswordForm,
)


def login(request: HttpRequest) -> HttpResponse:
    """Applicants log in with mobile number, identity number, USCC or account number and password."""
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = account_services.authenticate_applicant(
            request, form.cleaned_data["identifier"], form.cleaned_data["password"]
        )
        if result.user is not None:
            auth.login(request, result.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("登录成功，欢迎您，%(name)s。") % {"name": result.user.name})
            return redirect(safe_next(request))
        form.add_error(None, result.message)
    return render(request, "portal/accounts/login.html", {"form": form, "next": safe_next(request, "")})


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    messages.info(request, _("您已安全退出。"))
    return redirect("portal:home")


def _send_code(request: HttpRequest, form, purpose: str) -> None:
    """Check the CAPTCHA and queue the SMS code; errors land on the form."""
    code_form = CodeRequestForm(request.POST)
    if not code_form.is_valid():
        for field in ("mobile", "captcha"):
            for error in code_form.errors.get(field, []):
                form.add_error(field, error)
        return
    mobile = code_form.cleaned_data["mobile"]
    try:
        registration.send_code(mobile, purpose, ip=request.client_ip)
    except ValidationError as error:
        form.add_error("mobile", error.messages)
        return
    messages.success(request, _("验证码已发送至%(mobile)s，5分钟内有效。") % {"mobile": mask_mobile(mobile)})


def _fresh(form_class, request: HttpRequest):
    """Re-display the form keeping what was typed, except passwords and the spent CAPTCHA."""
    data = request.POST.copy()
    for field in ("password", "password2", "captcha_0", "captcha_1"):
        data.pop(field, None)
    return form_class(initial={key: data.get(key) for key in data})


def register(request: HttpRequest, kind: str = "person") -> HttpResponse:
    form_class = PersonRegistrationForm if kind == "person" else EnterpriseRegistrationForm
    if request.method != "POST":
        return _render_register(request, form_class(), kind)
    form = form_class(request.POST)
    if request.POST.get("action") == "send_code":
        _send_code(request, form, CodePurpose.REGISTER)
        if not form.errors:
            form = _fresh(form_class, request)
        return _render_register(request, form, kind)
    if form.is_valid():
        data = form.cleaned_data
        try:
            user = _register(kind, data, request.client_ip)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            auth.login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("注册成功，您的账号为%(username)s。") % {"username": user.username})
            return redirect("portal:account")
    return _render_register(request, form, kind)


def _register(kind: str, data: dict, ip: str):
    common = {key: data[key] for key in ("mobile", "code", "password", "password2", "consent")}
    common |= {"document_type": data["document_type"], "document_number": data["document_number"], "ip": ip}
    if kind == "person":
        return registration.register_person(name=data["name"], **common)
    return registration.register_enterprise(
        name=data["name"], uscc=data["uscc"], representative=data["representative"], **common
    )


def _render_register(request: HttpRequest, form, kind: str) -> HttpResponse:
    context = {"form": form, "kind": kind, "notice": account_queries.current_notice()}
    return render(request, "portal/accounts/register.html", context)


def reset_password(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "portal/accounts/reset.html", {"form": ResetPasswordForm()})
    form = ResetPasswordForm(request.POST)
    if request.POST.get("action") == "send_code":
        _send_code(request, form, CodePurpose.RESET_PASSWORD)
        if not form.errors:
            form = _fresh(ResetPasswordForm, request)
    elif form.is_valid():
        data = form.cleaned_data
        try:
            registration.reset_password(
                mobile=data["mobile"],
                code=data["code"],
                password=data["password"],
                password2=data["password2"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("密码已重置，请使用新密码登录。"))
            return redirect("portal:login")
    return render(request, "portal/accounts/reset.html", {"form": form})


def _applicant(request: HttpRequest):
    if not request.user.is_applicant:
        raise PermissionDenied
    return request.user


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = _applicant(request)
    context = {
        "account": user,
        "operator_form": OperatorForm(initial={"valid_until": timezone.localdate() + datetime.timedelta(days=365)}),
        "operators": account_queries.operators_of(user),
        "authorisations": account_queries.authorisations_for(user),
    }
    return render(request, "portal/accounts/account.html", context)


@login_required
@require_POST
def add_operator(request: HttpRequest) -> HttpResponse:
    user = _applicant(request)
    form = OperatorForm(request.POST)
    if form.is_valid():
        until = datetime.datetime.combine(form.cleaned_data["valid_until"], datetime.time(23, 59, 59))
        try:
            registration.authorise_operator(
                user,
                identifier=form.cleaned_data["identifier"],
                scope=form.cleaned_data["scope"],
                valid_until=timezone.make_aware(until),
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("经办人授权成功。"))
            return redirect("portal:account")
    context = {
        "account": user,
        "operator_form": form,
        "operators": account_queries.operators_of(user),
        "authorisations": account_queries.authorisations_for(user),
    }
    return render(request, "portal/accounts/account.html", context, status=400)


@login_required
@require_POST
def revoke_operator(request: HttpRequest, authorisation_id: int) -> HttpResponse:
    user = _applicant(request)
    if user.kind != UserKind.ENTERPRISE:
        raise PermissionDenied
    registration.revoke_operator(user, authorisation_id)
    messages.info(request, _("已撤销该经办人的授权。"))
    return redirect("portal:account")


@login_required
def cancel_account(request: HttpRequest) -> HttpResponse:
    user = _applicant(request)
    form = CancelAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration.cancel_account(
                user, password=form.cleaned_data["password"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            auth.logout(request)
            messages.success(request, _("账号已注销。感谢您使用长春市网上办事大厅。"))
            return redirect("portal:home")
    return render(request, "portal/accounts/cancel.html", {"form": form})
