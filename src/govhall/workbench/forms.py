from django import forms
from django.utils.translation import gettext_lazy as _


class StaffLoginForm(forms.Form):
    username = forms.CharField(
        label=_("工作人员账号"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "username", "class": "form-control"}),
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "class": "form-control"}),
    )


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("动态口令"),
        regex=r"^\s*\d{6}(\d{2})?\s*$",
        error_messages={"invalid": _("请输入6位动态口令或8位恢复码。")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "form-control"}
        ),
    )
