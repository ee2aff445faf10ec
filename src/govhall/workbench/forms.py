"""Workbench forms: shape at the edge; services validate the substance."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from govhall.accounts.models import Role

TEXT = {"class": "form-control"}


class StaffLoginForm(forms.Form):
    username = forms.CharField(
        label=_("工作人员账号"), max_length=50, widget=forms.TextInput(attrs=TEXT | {"autocomplete": "username"})
    )
    password = forms.CharField(
        label=_("密码"), strip=False, widget=forms.PasswordInput(attrs=TEXT | {"autocomplete": "current-password"})
    )


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("动态口令"),
        regex=r"^\s*\d{6}(\d{2})?\s*$",
        error_messages={"invalid": _("请输入6位动态口令或8位恢复码。")},
        widget=forms.TextInput(attrs=TEXT | {"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class AuditSearchForm(forms.Form):
    actor = forms.CharField(label=_("操作人账号"), required=False, widget=forms.TextInput(attrs=TEXT))
    action = forms.CharField(
        label=_("操作（可用 .* 结尾匹配前缀）"), required=False, widget=forms.TextInput(attrs=TEXT)
    )
    object_type = forms.CharField(label=_("对象类型"), required=False, widget=forms.TextInput(attrs=TEXT))
    object_id = forms.CharField(label=_("对象编号"), required=False, widget=forms.TextInput(attrs=TEXT))
    since = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs=TEXT | {"type": "date"}))
    until = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs=TEXT | {"type": "date"}))


def _parse_lines(text: str) -> list[list[str]]:
    return [line.split() for line in text.splitlines() if line.strip()]


def _date(value: str, line: int) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise forms.ValidationError(
            _("第%(n)d行的日期“%(v)s”格式应为 2027-02-05。") % {"n": line, "v": value}
        ) from None


class CalendarNoticeForm(forms.Form):
    """The State Council's notice, typed as it reads: one holiday range per line, make-up days."""

    year = forms.IntegerField(label=_("年度"), min_value=2020, max_value=2100, widget=forms.NumberInput(attrs=TEXT))
    source = forms.CharField(
        label=_("通知文号"),
        max_length=200,
        widget=forms.TextInput(attrs=TEXT | {"placeholder": "国办发明电〔2026〕x号"}),
    )
    holidays = forms.CharField(
        label=_("放假安排（每行：名称 起始日期 结束日期）"),
        widget=forms.Textarea(attrs=TEXT | {"rows": 8, "placeholder": "春节 2027-02-05 2027-02-12"}),
    )
    makeup_days = forms.CharField(
        label=_("调休上班日期（每行一个）"),
        required=False,
        widget=forms.Textarea(attrs=TEXT | {"rows": 4, "placeholder": "2027-02-14"}),
    )

    def clean_holidays(self) -> list[tuple[str, datetime.date, datetime.date]]:
        ranges = []
        for number, parts in enumerate(_parse_lines(self.cleaned_data["holidays"]), start=1):
            if len(parts) != 3:
                raise forms.ValidationError(_("第%(n)d行应为“名称 起始日期 结束日期”。") % {"n": number})
            ranges.append((parts[0], _date(parts[1], number), _date(parts[2], number)))
        return ranges

    def clean_makeup_days(self) -> list[datetime.date]:
        return [_date(parts[0], n) for n, parts in enumerate(_parse_lines(self.cleaned_data["makeup_days"]), 1)]


class StaffForm(forms.Form):
    username = forms.RegexField(
        label=_("账号"),
        regex=r"^[a-z][a-z0-9_]{2,49}$",
        error_messages={"invalid": _("账号由小写字母开头，只含小写字母、数字和下划线，3到50位。")},
        widget=forms.TextInput(attrs=TEXT),
    )
    name = forms.CharField(label=_("姓名"), max_length=100, widget=forms.TextInput(attrs=TEXT))
    password = forms.CharField(
        label=_("初始密码"), strip=False, widget=forms.PasswordInput(attrs=TEXT | {"autocomplete": "new-password"})
    )


class RoleAssignmentForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices, widget=forms.Select(attrs={"class": "form-select"}))
    scope = forms.CharField(
        label=_("范围（部门名称、区划代码或服务中心编码）"), max_length=100, widget=forms.TextInput(attrs=TEXT)
    )


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100, widget=forms.TextInput(attrs=TEXT))
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=20, widget=forms.TextInput(attrs=TEXT))
    legacy_uscc_reason = forms.CharField(
        label=_("校验位例外说明（仅历史代码校验不通过时填写）"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs=TEXT),
    )
    region_code = forms.CharField(label=_("所属区划代码"), max_length=12, widget=forms.TextInput(attrs=TEXT))
    level = forms.ChoiceField(
        label=_("层级"),
        choices=[("city", _("市级")), ("district", _("县（市）区、开发区级")), ("street", _("街道（乡镇）级"))],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    consultation_phone = forms.CharField(label=_("咨询电话"), max_length=50, widget=forms.TextInput(attrs=TEXT))
    complaint_phone = forms.CharField(label=_("投诉电话"), max_length=50, widget=forms.TextInput(attrs=TEXT))


class SubHallForm(forms.Form):
    title = forms.CharField(label=_("分厅名称"), max_length=100, widget=forms.TextInput(attrs=TEXT))
    banner_text = forms.CharField(
        label=_("横幅文字"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    notice = forms.CharField(label=_("通知公告"), required=False, widget=forms.Textarea(attrs=TEXT | {"rows": 4}))
    contact_phone = forms.CharField(
        label=_("咨询电话"), max_length=50, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    contact_address = forms.CharField(
        label=_("联系地址"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT)
    )


class CentreHoursForm(forms.Form):
    """Weekly office hours as the centre's notice board shows them, one line per weekday."""

    address = forms.CharField(label=_("地址"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    phone = forms.CharField(label=_("电话"), max_length=50, widget=forms.TextInput(attrs=TEXT))
    hours = forms.CharField(
        label=_("办公时间（每行：星期 时段，如 mon 09:00-12:00 13:30-17:00）"),
        widget=forms.Textarea(attrs=TEXT | {"rows": 7}),
    )

    def clean_hours(self) -> dict:
        hours: dict[str, list[list[str]]] = {}
        for number, line in enumerate(self.cleaned_data["hours"].splitlines(), start=1):
            parts = line.split()
            if not parts:
                continue
            periods = []
            for period in parts[1:]:
                start, _sep, end = period.partition("-")
                if not end:
                    raise forms.ValidationError(
                        _("第%(n)d行的时段“%(p)s”应写作 09:00-12:00。") % {"n": number, "p": period}
                    )
                periods.append([start, end])
            hours[parts[0].lower()] = periods
        return hours


class ApplicantLookupForm(forms.Form):
    identifier = forms.CharField(
        label=_("手机号码、证件号码或统一社会信用代码"), max_length=30, widget=forms.TextInput(attrs=TEXT)
    )


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("查看事由"), max_length=200, widget=forms.TextInput(attrs=TEXT))


class RegionForm(forms.Form):
    code = forms.RegexField(
        label=_("区划代码"),
        regex=r"^\d{6}(\d{3,6})?$",
        error_messages={"invalid": _("区划代码为6位（县级）或9至12位（乡级）数字。")},
        widget=forms.TextInput(attrs=TEXT),
    )
    name = forms.CharField(label=_("名称"), max_length=50, widget=forms.TextInput(attrs=TEXT))
    name_en = forms.CharField(label=_("英文名称"), max_length=100, required=False, widget=forms.TextInput(attrs=TEXT))
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[
            ("district", _("市辖区")),
            ("county", _("县")),
            ("county_city", _("县级市")),
            ("development_zone", _("开发区")),
            ("street", _("街道")),
            ("township", _("乡镇")),
        ],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    parent_code = forms.CharField(label=_("上级区划代码"), max_length=12, widget=forms.TextInput(attrs=TEXT))
