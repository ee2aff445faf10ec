"""Forms of the guide editor and the item list (issue 5, item 3): shape at the edge, the catalog
services validate the substance (publication checks, uploads, form definitions).

Each list element of a guide (fees, steps, review stages, special procedures, FAQ, materials) is a
Django formset; ``*_to_json`` / ``*_initial`` convert between rows and the JSON keys the catalog
stores (``catalog/demo.py``, ``catalog/checks.py``): keep those keys exactly.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from govhall.accounts.models import Role
from govhall.catalog.forms_schema import definition_problems
from govhall.catalog.models import (
    CaseType,
    ItemType,
    LicenseType,
    MaterialForm,
    MaterialSource,
    Necessity,
    ServiceObject,
    TimeUnit,
)
from govhall.catalog.themes import ENTERPRISE_THEMES, PERSONAL_THEMES
from govhall.directory.models import Department, Region, ServiceCentre

TEXT = {"class": "form-control"}
SMALL = {"class": "form-control form-control-sm"}


class StoredFile:
    """A material's stored file as the editor shows it: its own name, linked to the workbench download
    (never the storage path or ``MEDIA_URL``); ``name`` is what the service keeps."""

    def __init__(self, field: Any, url: str) -> None:
        self.name, self.url = field.name, url

    def __str__(self) -> str:
        return self.name.rsplit("/", 1)[-1]

    def __bool__(self) -> bool:
        return bool(self.name)


class StoredFileInput(forms.ClearableFileInput):
    initial_text = _("当前文件")
    input_text = _("更换")
    clear_checkbox_label = _("删除文件")


SELECT = {"class": "form-select"}
SMALL_SELECT = {"class": "form-select form-select-sm"}
CHECK = {"class": "form-check-input"}


def _area(rows: int = 3, small: bool = False) -> forms.Textarea:
    return forms.Textarea(attrs=(SMALL if small else TEXT) | {"rows": rows})


STATUS_FILTERS = [
    ("", _("全部")),
    ("to_review", _("待我审核")),
    ("draft", _("草稿")),
    ("submitted", _("已提交")),
    ("returned", _("已退回")),
    ("none", _("无未发布版本")),
]


class ItemFilterForm(forms.Form):
    """Filters of the item list (GET)."""

    q = forms.CharField(label=_("名称或实施编码"), required=False, widget=forms.TextInput(attrs=SMALL))
    status = forms.ChoiceField(
        label=_("状态"), choices=STATUS_FILTERS, required=False, widget=forms.Select(SMALL_SELECT)
    )
    region = forms.ModelChoiceField(
        label=_("区划"), queryset=Region.objects.none(), required=False, widget=forms.Select(SMALL_SELECT)
    )
    department = forms.ModelChoiceField(
        label=_("实施主体"), queryset=Department.objects.none(), required=False, widget=forms.Select(SMALL_SELECT)
    )

    def __init__(self, *args: Any, wide: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if wide:  # the city office filters the whole library by region and department
            self.fields["region"].queryset = Region.objects.filter(parent__parent__isnull=True)
            self.fields["department"].queryset = Department.objects.order_by("region__code", "name")
        else:
            del self.fields["region"], self.fields["department"]


THEME_CHOICES = list(dict((code, label) for code, label, _icon in PERSONAL_THEMES + ENTERPRISE_THEMES).items())


class ItemForm(forms.Form):
    """A new service item (its own fields; the guide comes after, as a draft)."""

    name = forms.CharField(label=_("事项名称"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    basic_code = forms.CharField(label=_("基本编码"), max_length=12, widget=forms.TextInput(attrs=TEXT))
    implementation_code = forms.CharField(label=_("实施编码"), max_length=31, widget=forms.TextInput(attrs=TEXT))
    item_type = forms.ChoiceField(label=_("事项类型"), choices=ItemType.choices, widget=forms.Select(SELECT))
    department = forms.ModelChoiceField(
        label=_("实施主体"), queryset=Department.objects.none(), widget=forms.Select(SELECT)
    )
    region = forms.ModelChoiceField(label=_("所属区划"), queryset=Region.objects.none(), widget=forms.Select(SELECT))
    service_object = forms.ChoiceField(label=_("服务对象"), choices=ServiceObject.choices, widget=forms.Select(SELECT))
    case_type = forms.ChoiceField(label=_("办件类型"), choices=CaseType.choices, widget=forms.Select(SELECT))
    booking = forms.BooleanField(label=_("网上预约"), required=False)
    pre_review = forms.BooleanField(label=_("网上预审"), required=False)
    full_online = forms.BooleanField(label=_("全流程网上办理"), required=False)
    online_payment = forms.BooleanField(label=_("网上支付"), required=False)
    delivery = forms.BooleanField(label=_("物流快递"), required=False)
    themes = forms.MultipleChoiceField(
        label=_("主题分类"), choices=THEME_CHOICES, required=False, widget=forms.SelectMultiple(SELECT | {"size": 6})
    )
    aliases = forms.CharField(label=_("别名"), max_length=300, required=False, widget=forms.TextInput(attrs=TEXT))
    keywords = forms.CharField(label=_("关键词"), max_length=300, required=False, widget=forms.TextInput(attrs=TEXT))
    result_license_types = forms.ModelMultipleChoiceField(
        label=_("办理结果证照"),
        queryset=LicenseType.objects.filter(is_active=True),
        required=False,
        widget=forms.SelectMultiple(SELECT),
    )

    def __init__(self, *args: Any, departments: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["region"].queryset = regions

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["result_license_types"] = [license_type.pk for license_type in data["result_license_types"]]
        return data


def _decode_definition(text: str) -> dict[str, Any]:
    """The form definition textarea as JSON; every problem as one message each."""
    if not text.strip():
        return {}
    try:
        definition = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError(
            _("申请表单定义不是有效的JSON（第%(line)d行第%(col)d列）：%(msg)s")
            % {"line": error.lineno, "col": error.colno, "msg": error.msg}
        ) from error
    problems = definition_problems(definition)
    if problems:
        raise ValidationError(problems)
    return definition


class DefinitionField(forms.CharField):
    """A JSON textarea holding a form definition (``catalog.forms_schema``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", forms.Textarea(attrs=TEXT | {"rows": 16, "class": "form-control font-monospace small"})
        )
        super().__init__(strip=False, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False, indent=2) if value else ""
        return value

    def clean(self, value: Any) -> dict[str, Any]:
        return _decode_definition(super().clean(value) or "")


class DefinitionForm(forms.Form):
    """The form definition alone: the preview endpoint reads it."""

    form_definition = DefinitionField(label=_("申请表单定义（JSON）"), required=False)


class GuideForm(forms.Form):
    """The guide's single-valued elements (Art. 17) and its places."""

    conditions = forms.CharField(label=_("受理条件"), required=False, widget=_area(4))
    legal_basis = forms.CharField(label=_("设定依据"), required=False, widget=_area(3))
    statutory_limit = forms.IntegerField(
        label=_("法定办结时限"), min_value=0, required=False, widget=forms.NumberInput(TEXT)
    )
    statutory_unit = forms.ChoiceField(label=_("法定时限单位"), choices=TimeUnit.choices, widget=forms.Select(SELECT))
    statutory_note = forms.CharField(
        label=_("法定时限说明"), max_length=300, required=False, widget=forms.TextInput(TEXT)
    )
    promised_limit = forms.IntegerField(
        label=_("承诺办结时限"), min_value=0, required=False, widget=forms.NumberInput(TEXT)
    )
    promised_unit = forms.ChoiceField(label=_("承诺时限单位"), choices=TimeUnit.choices, widget=forms.Select(SELECT))
    promised_note = forms.CharField(
        label=_("承诺时限说明"), max_length=300, required=False, widget=forms.TextInput(TEXT)
    )
    special_or_complex = forms.BooleanField(label=_("特殊复杂事项（不适用30分钟网上预审时限）"), required=False)
    on_site_visits = forms.IntegerField(label=_("到现场次数"), min_value=0, max_value=9, widget=forms.NumberInput(TEXT))
    consultation_phone = forms.CharField(
        label=_("咨询电话"), max_length=50, required=False, widget=forms.TextInput(TEXT)
    )
    complaint_phone = forms.CharField(label=_("投诉电话"), max_length=50, required=False, widget=forms.TextInput(TEXT))
    centres = forms.ModelMultipleChoiceField(
        label=_("办理地点（服务中心，可多选）"),
        queryset=ServiceCentre.objects.filter(is_active=True).select_related("region").order_by("region__code", "name"),
        required=False,
        widget=forms.SelectMultiple(SELECT | {"size": 6}),
    )
    form_definition = DefinitionField(label=_("申请表单定义（JSON）"), required=False)

    SCALARS = (
        "conditions",
        "legal_basis",
        "statutory_limit",
        "statutory_unit",
        "statutory_note",
        "promised_limit",
        "promised_unit",
        "promised_note",
        "special_or_complex",
        "on_site_visits",
        "consultation_phone",
        "complaint_phone",
        "form_definition",
    )

    @classmethod
    def initial_from(cls, version: Any) -> dict[str, Any]:
        initial = {name: getattr(version, name) for name in cls.SCALARS}
        initial["centres"] = list(version.centres.all())
        return initial


# --- list elements: one small form per row ---


class RowForm(forms.Form):
    """A formset row: ``to_json`` turns the cleaned row into the stored dict."""

    def to_json(self) -> Any:
        raise NotImplementedError

    @classmethod
    def initial_from(cls, entry: Any) -> dict[str, Any]:
        return dict(entry)


class FeeForm(RowForm):
    """A fee in yuan with at most two decimals; stored as integer fen (money is integers)."""

    name = forms.CharField(label=_("收费项目"), max_length=200, widget=forms.TextInput(SMALL))
    amount_yuan = forms.CharField(
        label=_("金额（元）"), max_length=20, widget=forms.TextInput(SMALL | {"inputmode": "decimal"})
    )
    legal_basis = forms.CharField(label=_("收费依据"), required=False, widget=_area(2, small=True))
    exemption = forms.CharField(label=_("减免说明"), required=False, widget=forms.TextInput(SMALL))

    def clean_amount_yuan(self) -> int:
        """Yuan with at most two decimals → fen; 10.005 yuan is no amount of money: refused."""
        text = self.cleaned_data["amount_yuan"].strip().replace("，", "").replace(",", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_("请输入金额，如 10 或 10.50。")) from None
        if not amount.is_finite() or amount < 0:
            raise ValidationError(_("金额不能为负数。"))
        fen = amount * 100
        if fen != fen.to_integral_value():
            raise ValidationError(_("金额最多保留两位小数（精确到分），“%(value)s”无法换算为整分。") % {"value": text})
        return int(fen)

    def to_json(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "amount_fen": data["amount_yuan"],
            "legal_basis": data["legal_basis"],
            "exemption": data["exemption"],
        }

    @classmethod
    def initial_from(cls, entry: dict[str, Any]) -> dict[str, Any]:
        amount = entry.get("amount_fen")
        yuan = f"{amount / 100:.2f}" if isinstance(amount, int) and not isinstance(amount, bool) else amount
        return {
            "name": entry.get("name", ""),
            "amount_yuan": yuan,
            "legal_basis": entry.get("legal_basis", ""),
            "exemption": entry.get("exemption", ""),
        }


class StepForm(RowForm):
    name = forms.CharField(label=_("环节名称"), max_length=100, widget=forms.TextInput(SMALL))
    applicant_action = forms.CharField(label=_("申请人需做什么"), max_length=300, widget=forms.TextInput(SMALL))

    def to_json(self) -> dict[str, Any]:
        return {"name": self.cleaned_data["name"], "applicant_action": self.cleaned_data["applicant_action"]}


STEP_KIND_CHOICES = [("", _("一般环节")), ("booking", _("网上预约")), ("pre_review", _("网上预审"))]


class OnlineStepForm(StepForm):
    """Online steps may be a booking or a pre-review, which Art. 10's comparison does not count."""

    kind = forms.ChoiceField(
        label=_("环节类型"), choices=STEP_KIND_CHOICES, required=False, widget=forms.Select(SMALL_SELECT)
    )

    def to_json(self) -> dict[str, Any]:
        step = super().to_json()
        if self.cleaned_data.get("kind"):
            step["kind"] = self.cleaned_data["kind"]
        return step


STAGE_KIND_CHOICES = [("formal", _("形式审查")), ("substantive", _("实质审查")), ("procedural", _("程序审查"))]
STAGE_ROLES = (Role.ACCEPTOR, Role.WINDOW_STAFF, Role.REVIEWER, Role.DECIDER, Role.DEPARTMENT_HEAD)


class StageForm(RowForm):
    """A review stage (Art. 9): formal, substantive or procedural, done by one role."""

    name = forms.CharField(label=_("环节名称"), max_length=100, widget=forms.TextInput(SMALL))
    kind = forms.ChoiceField(label=_("审查类型"), choices=STAGE_KIND_CHOICES, widget=forms.Select(SMALL_SELECT))
    role = forms.ChoiceField(
        label=_("承办角色"),
        choices=[("", "—"), *[(role.value, role.label) for role in STAGE_ROLES]],
        required=False,
        widget=forms.Select(SMALL_SELECT),
    )
    days = forms.IntegerField(label=_("时限（工作日）"), min_value=0, initial=0, widget=forms.NumberInput(SMALL))

    def to_json(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"name": data["name"], "kind": data["kind"], "role": data["role"], "days": data["days"]}


class ProcedureForm(RowForm):
    """A special procedure (hearing, testing, site inspection…): its time does not count (Art. 45)."""

    name = forms.CharField(label=_("特别程序"), max_length=100, widget=forms.TextInput(SMALL))

    def to_json(self) -> str:
        return self.cleaned_data["name"]

    @classmethod
    def initial_from(cls, entry: Any) -> dict[str, Any]:
        return {"name": entry}


class FaqForm(RowForm):
    q = forms.CharField(label=_("问题"), max_length=300, widget=forms.TextInput(SMALL))
    a = forms.CharField(label=_("回答"), widget=_area(2, small=True))

    def to_json(self) -> dict[str, Any]:
        return {"q": self.cleaned_data["q"], "a": self.cleaned_data["a"]}


class MaterialRowForm(RowForm):
    """One material (Art. 13, 17). An uploaded blank form / sample is kept unless replaced or cleared."""

    name = forms.CharField(label=_("材料名称"), max_length=200, widget=forms.TextInput(SMALL))
    necessity = forms.ChoiceField(label=_("必要性"), choices=Necessity.choices, widget=forms.Select(SMALL_SELECT))
    condition_field = forms.RegexField(
        label=_("适用情形：表单字段"),
        regex=r"^[a-z][a-z0-9_]*$",
        required=False,
        error_messages={"invalid": _("请填写表单定义中的字段名（小写字母、数字和下划线）。")},
        widget=forms.TextInput(SMALL | {"spellcheck": "false"}),
    )
    condition_values = forms.CharField(
        label=_("适用情形：取值（多个用逗号分隔）"), max_length=200, required=False, widget=forms.TextInput(SMALL)
    )
    form = forms.ChoiceField(label=_("材料形式"), choices=MaterialForm.choices, widget=forms.Select(SMALL_SELECT))
    source = forms.ChoiceField(label=_("来源渠道"), choices=MaterialSource.choices, widget=forms.Select(SMALL_SELECT))
    count = forms.IntegerField(label=_("份数"), min_value=1, initial=1, widget=forms.NumberInput(SMALL))
    paper_spec = forms.CharField(label=_("纸质规格"), max_length=50, required=False, widget=forms.TextInput(SMALL))
    acceptance_standard = forms.CharField(label=_("受理标准"), required=False, widget=_area(2, small=True))
    notes = forms.CharField(label=_("填报须知"), required=False, widget=_area(2, small=True))
    needed_for_pre_review = forms.BooleanField(label=_("网上预审需提交"), required=False)
    non_shareable_legal_basis = forms.CharField(
        label=_("不能共享获取的法律依据"), required=False, widget=_area(2, small=True)
    )
    replacing_license_types = forms.ModelMultipleChoiceField(
        label=_("可替代的电子证照"),
        queryset=LicenseType.objects.filter(is_active=True),
        required=False,
        widget=forms.SelectMultiple(SMALL_SELECT | {"size": 3}),
    )
    blank_form = forms.FileField(
        label=_("空白表格"),
        required=False,
        widget=StoredFileInput(SMALL | {"accept": ".pdf,.doc,.docx,.xls,.xlsx,.ofd"}),
    )
    sample = forms.FileField(
        label=_("示例样表"),
        required=False,
        widget=StoredFileInput(SMALL | {"accept": ".pdf,.doc,.docx,.xls,.xlsx,.ofd,.jpg,.jpeg,.png"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("condition_values") and not data.get("condition_field"):
            self.add_error("condition_field", _("填写了取值，请同时填写表单字段名。"))
        if data.get("condition_field") and not data.get("condition_values", "").strip():
            self.add_error("condition_values", _("请填写该字段取何值时需要此材料。"))
        return data

    def _condition(self) -> dict[str, Any]:
        field = self.cleaned_data.get("condition_field")
        values = [value.strip() for value in self.cleaned_data.get("condition_values", "").split(",") if value.strip()]
        if not field or not values:
            return {}
        return {"field": field, "equals": values[0]} if len(values) == 1 else {"field": field, "in": values}

    @staticmethod
    def _file(value: Any) -> Any:
        """A new upload (checked by the service), the stored name to keep, or ``""`` when cleared."""
        if value is False or value is None:
            return ""
        return value if hasattr(value, "chunks") and not hasattr(value, "storage") else value.name

    def to_json(self) -> dict[str, Any]:
        data = self.cleaned_data
        keys = (
            "name",
            "necessity",
            "form",
            "source",
            "count",
            "paper_spec",
            "notes",
            "acceptance_standard",
            "needed_for_pre_review",
        )
        material = {key: data[key] for key in keys}
        material.update(
            condition=self._condition(),
            non_shareable_legal_basis=data["non_shareable_legal_basis"],
            replacing_license_types=[license_type.pk for license_type in data["replacing_license_types"]],
            blank_form=self._file(data.get("blank_form")),
            sample=self._file(data.get("sample")),
        )
        return material

    @staticmethod
    def _stored(material: Any, field: str, kind: str) -> StoredFile | None:
        stored = getattr(material, field)
        if not stored:
            return None
        return StoredFile(stored, reverse("workbench:catalog_material_file", args=[material.pk, kind]))

    @classmethod
    def initial_from(cls, material: Any) -> dict[str, Any]:
        condition = material.condition or {}
        values = condition.get("in") or ([condition["equals"]] if "equals" in condition else [])
        return {
            "name": material.name,
            "necessity": material.necessity,
            "condition_field": condition.get("field", ""),
            "condition_values": ", ".join(str(value) for value in values),
            "form": material.form,
            "source": material.source,
            "count": material.count,
            "paper_spec": material.paper_spec,
            "acceptance_standard": material.acceptance_standard,
            "notes": material.notes,
            "needed_for_pre_review": material.needed_for_pre_review,
            "non_shareable_legal_basis": material.non_shareable_legal_basis,
            "replacing_license_types": list(material.replacing_license_types.all()),
            "blank_form": cls._stored(material, "blank_form", "blank-form"),
            "sample": cls._stored(material, "sample", "sample"),
        }


def _formset(form: type[RowForm]) -> type[forms.BaseFormSet]:
    return forms.formset_factory(form, extra=1, can_delete=True)


# guide field (also the formset prefix) -> (row form, legend)
LIST_ELEMENTS: dict[str, tuple[type[RowForm], Any]] = {
    "fees": (FeeForm, _("收费")),
    "window_steps": (StepForm, _("窗口办理流程")),
    "online_steps": (OnlineStepForm, _("网上办理流程")),
    "review_stages": (StageForm, _("审查环节")),
    "special_procedures": (ProcedureForm, _("特别程序")),
    "faq": (FaqForm, _("常见问题")),
}
FORMSETS = {name: _formset(form) for name, (form, _legend) in LIST_ELEMENTS.items()}
MaterialFormSet = _formset(MaterialRowForm)


def kept_forms(formset: forms.BaseFormSet) -> list[RowForm]:
    """The rows of a valid formset that are stored: blank extra rows and deleted rows left out.

    Their order is the stored order, so a service error ``materials[2].blank_form`` names ``kept[2]``.
    """
    initial = formset.initial_form_count()
    return [
        form
        for index, form in enumerate(formset.forms)
        if (index < initial or form.has_changed()) and not form.cleaned_data.get("DELETE")
    ]


def rows_json(formset: forms.BaseFormSet) -> list[Any]:
    """The kept rows as the JSON the catalog stores."""
    return [form.to_json() for form in kept_forms(formset)]


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), widget=_area(3))
