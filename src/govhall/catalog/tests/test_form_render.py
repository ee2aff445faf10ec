"""The form renderer: a definition becomes a Django form that checks answers like ``validate_answers``."""

from __future__ import annotations

import pytest
from django import forms

from govhall.catalog.form_render import build_form
from govhall.catalog.forms_schema import validate_answers

YES_NO = [{"value": "yes", "label": "是"}, {"value": "no", "label": "否"}]
DEFINITION = {
    "fields": [
        {"name": "applicant_name", "label": "申请人姓名", "type": "text", "required": True},
        {"name": "id_number", "label": "身份证号码", "type": "identity_number", "required": True},
        {"name": "mobile", "label": "联系电话", "type": "phone"},
        {"name": "credit_code", "label": "统一社会信用代码", "type": "uscc"},
        {"name": "address", "label": "住所", "type": "address"},
        {"name": "capital", "label": "注册资本（万元）", "type": "number"},
        {"name": "start", "label": "开业日期", "type": "date"},
        {"name": "has_agent", "label": "是否委托代理人", "type": "choice", "choices": YES_NO},
        {
            "name": "agent_name",
            "label": "代理人姓名",
            "type": "text",
            "required_if": {"field": "has_agent", "equals": "yes"},
        },
        {
            "name": "partners",
            "label": "合伙人",
            "type": "group",
            "repeatable": True,
            "fields": [
                {"name": "partner_name", "label": "姓名", "type": "text", "required": True},
                {"name": "share", "label": "出资比例", "type": "number"},
            ],
        },
    ]
}
GOOD = {
    "applicant_name": "阿依古丽·买买提",
    "id_number": "11010519491231002X",
    "mobile": "13800000001",
    "has_agent": "no",
}


def test_each_type_becomes_the_matching_django_field():
    form = build_form(DEFINITION)
    assert isinstance(form.fields["applicant_name"], forms.CharField)
    assert isinstance(form.fields["capital"], forms.DecimalField)
    assert isinstance(form.fields["start"], forms.DateField)
    assert isinstance(form.fields["has_agent"], forms.ChoiceField)
    assert isinstance(form.fields["address"].widget, forms.Textarea)
    assert form.fields["mobile"].widget.input_type == "tel"
    assert form.fields["applicant_name"].required
    assert not form.fields["mobile"].required
    assert [value for value, _label in form.fields["has_agent"].choices] == ["", "yes", "no"]


def test_a_repeatable_group_shows_one_blank_row_in_the_preview():
    form = build_form(DEFINITION)
    group = next(block for block in form.blocks if block.name == "partners")
    assert group.kind == "group"
    assert group.repeatable
    assert [row.names for row in group.rows] == [["partners__0__partner_name", "partners__0__share"]]
    html = form.as_div()
    assert 'name="partners__0__partner_name"' in html
    assert "申请人姓名" in html


def test_valid_answers_come_back_nested_and_pass_validate_answers():
    data = {
        **GOOD,
        "partners__0__partner_name": "张三",
        "partners__0__share": "60",
        "partners__1__partner_name": "李四",
    }
    form = build_form(DEFINITION, data)
    assert form.is_valid(), form.errors
    answers = form.answers()
    assert answers["partners"] == [{"partner_name": "张三", "share": "60"}, {"partner_name": "李四"}]
    assert validate_answers(DEFINITION, answers) == {}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"id_number": "110105194912310021"}, "id_number", "校验"),  # wrong check digit (GB 11643)
        ({"mobile": "12345"}, "mobile", "手机号码或固定电话"),
        ({"credit_code": "91220101MA0000000X"}, "credit_code", ""),  # wrong USCC check character
        ({"start": "2026-02-30"}, "start", ""),  # no such day
        ({"capital": "很多"}, "capital", ""),
        ({"has_agent": "maybe"}, "has_agent", ""),  # not one of the choices
        ({"applicant_name": ""}, "applicant_name", ""),
        ({"has_agent": "yes"}, "agent_name", "代理人姓名为必填项"),  # required_if holds
        ({"partners__0__share": "50"}, "partners__0__partner_name", "姓名为必填项"),  # a started row
    ],
)
def test_bad_answers_are_refused_on_the_field(change, field, message):
    form = build_form(DEFINITION, {**GOOD, **change})
    assert not form.is_valid()
    assert field in form.errors
    assert message in " ".join(form.errors[field])


def test_a_blank_repeatable_row_is_ignored():
    form = build_form(DEFINITION, {**GOOD, "partners__0__partner_name": "", "partners__0__share": ""})
    assert form.is_valid(), form.errors
    assert "partners" not in form.answers()


def test_a_prefix_keeps_names_apart_and_still_counts_rows():
    data = {"preview-partners__0__partner_name": "甲", "preview-partners__1__partner_name": "乙", "preview-x": "1"}
    form = build_form(DEFINITION, data, prefix="preview")
    group = next(block for block in form.blocks if block.name == "partners")
    assert len(group.rows) == 2
    assert 'name="preview-applicant_name"' in form.as_div()


def test_an_empty_definition_is_an_empty_form():
    form = build_form({})
    assert form.blocks == []
    assert form.is_bound is False
