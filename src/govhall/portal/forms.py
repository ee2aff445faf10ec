"""Portal forms: presence and shape at the edge; the services validate the substance."""

from __future__ import annotations

from captcha.fields import CaptchaField
from django import forms
from django.utils.translation import gettext_lazy as _

from govhall.accounts.models import OperatorScope
from govhall.core.validators import IdentityDocumentType

TEXT = {"class": "form-control"}


def _text(label, *, max_length=100, autocomplete="off", **attrs) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        widget=forms.TextInput(attrs=TEXT | {"autocomplete": autocomplete} | attrs),
    )


def _password(label, autocomplete="new-password") -> forms.CharField:
    return forms.CharField(
        label=label, strip=False, widget=forms.PasswordInput(attrs=TEXT | {"autocomplete": autocomplete})
    )


class LoginForm(forms.Form):
    identifier = _text(_("手机号码 / 证件号码 / 统一社会信用代码"), max_length=50, autocomplete="username")
    password = _password(_("密码"), autocomplete="current-password")


class CodeRequestForm(forms.Form):
    """The image CAPTCHA guards the SMS code against SMS bombing (validated before sending)."""

    mobile = _text(_("手机号码"), max_length=20, autocomplete="tel", inputmode="tel")
    captcha = CaptchaField(label=_("图形验证码"), error_messages={"invalid": _("图形验证码错误，请重新输入。")})


class _WithCode(forms.Form):
    mobile = _text(_("手机号码"), max_length=20, autocomplete="tel", inputmode="tel")
    captcha = CaptchaField(
        label=_("图形验证码"), required=False, error_messages={"invalid": _("图形验证码错误，请重新输入。")}
    )
    code = forms.RegexField(
        label=_("短信验证码"),
        regex=r"^\s*\d{6}\s*$",
        required=False,
        error_messages={"invalid": _("请输入6位短信验证码。")},
        widget=forms.TextInput(attrs=TEXT | {"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    password = _password(_("设置密码"))
    password2 = _password(_("确认密码"))


class PersonRegistrationForm(_WithCode):
    field_order = [
        "name",
        "document_type",
        "document_number",
        "mobile",
        "captcha",
        "code",
        "password",
        "password2",
        "consent",
    ]
    name = _text(_("姓名"), max_length=100, autocomplete="name")
    document_type = forms.ChoiceField(
        label=_("证件类型"),
        choices=IdentityDocumentType.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    document_number = _text(_("证件号码"), max_length=30)
    consent = forms.BooleanField(label=_("我已阅读并同意《隐私政策》"), required=False)


class EnterpriseRegistrationForm(_WithCode):
    field_order = [
        "name",
        "uscc",
        "representative",
        "document_type",
        "document_number",
        "mobile",
        "captcha",
        "code",
        "password",
        "password2",
        "consent",
    ]
    name = _text(_("单位名称"), max_length=100, autocomplete="organization")
    uscc = _text(_("统一社会信用代码"), max_length=20)
    representative = _text(_("法定代表人姓名"), max_length=100)
    document_type = forms.ChoiceField(
        label=_("法定代表人证件类型"),
        choices=IdentityDocumentType.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    document_number = _text(_("法定代表人证件号码"), max_length=30)
    consent = forms.BooleanField(label=_("我已阅读并同意《隐私政策》"), required=False)


class ResetPasswordForm(_WithCode):
    password = _password(_("新密码"))
    password2 = _password(_("确认新密码"))


class OperatorForm(forms.Form):
    identifier = _text(_("经办人手机号码或身份证号码"), max_length=30)
    scope = forms.ChoiceField(
        label=_("授权范围"),
        choices=OperatorScope.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    valid_until = forms.DateField(
        label=_("授权截止日期"), widget=forms.DateInput(attrs=TEXT | {"type": "date"}, format="%Y-%m-%d")
    )


class CancelAccountForm(forms.Form):
    password = _password(_("登录密码"), autocomplete="current-password")
    reason = forms.CharField(
        label=_("注销原因（选填）"), required=False, max_length=200, widget=forms.TextInput(attrs=TEXT)
    )
    confirm = forms.BooleanField(label=_("我确认注销账号，注销后无法恢复"))
