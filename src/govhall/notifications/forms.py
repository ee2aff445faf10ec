"""Forms of the city office's SMS pages: shape at the edge; ``services`` validate the substance."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

TEXT = {"class": "form-control"}


class TemplateForm(forms.Form):
    text_zh = forms.CharField(label=_("中文内容"), max_length=500, widget=forms.Textarea(attrs=TEXT | {"rows": 4}))
    text_en = forms.CharField(
        label=_("英文内容"), max_length=1000, required=False, widget=forms.Textarea(attrs=TEXT | {"rows": 3})
    )
    provider_template_id = forms.CharField(
        label=_("服务商模板ID"), max_length=64, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    note = forms.CharField(label=_("修改说明"), max_length=200, widget=forms.TextInput(attrs=TEXT))


class ResendForm(forms.Form):
    reason = forms.CharField(label=_("重发原因"), max_length=200, required=False)
