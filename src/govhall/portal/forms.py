"""Portal forms: validation at the edge, with Chinese messages on the field."""

from django import forms
from django.utils.translation import gettext_lazy as _


class LoginForm(forms.Form):
    identifier = forms.CharField(
        label=_("手机号码 / 证件号码 / 统一社会信用代码"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "username", "class": "form-control form-control-lg"}),
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "class": "form-control form-control-lg"}
        ),
    )
