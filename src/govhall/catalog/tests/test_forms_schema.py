import pytest
from django.core.exceptions import ValidationError

from govhall.catalog.forms_schema import definition_problems, validate_answers, validate_definition

CHOICES = [{"value": "yes", "label": "是"}, {"value": "no", "label": "否"}]

FORM = {
    "fields": [
        {"name": "applicant_name", "label": "申请人姓名", "type": "text", "required": True},
        {"name": "id_number", "label": "身份证号", "type": "identity_number", "required": True},
        {"name": "credit_code", "label": "统一社会信用代码", "type": "uscc"},
        {"name": "mobile", "label": "联系电话", "type": "phone"},
        {"name": "capital", "label": "注册资本（万元）", "type": "number"},
        {"name": "start_date", "label": "开业日期", "type": "date"},
        {"name": "has_agent", "label": "是否委托代理人", "type": "choice", "choices": CHOICES},
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
            "fields": [{"name": "partner_name", "label": "合伙人姓名", "type": "text", "required": True}],
        },
    ]
}

GOOD = {
    "applicant_name": "张三",
    "id_number": "11010519491231002X",
    "credit_code": "91350100M000100Y43",
    "mobile": "13800138000",
    "capital": 10,
    "start_date": "2026-12-01",
    "has_agent": "no",
    "partners": [{"partner_name": "李四"}],
}


def test_a_good_definition_has_no_problems():
    assert definition_problems(FORM) == []
    assert definition_problems({}) == []  # no form at all is allowed


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ([{"name": "x", "label": "X", "type": "signature"}], "未知的字段类型"),  # unknown field type refused
        ([{"name": "x", "label": "X"}], "格式不正确"),  # a field needs a type
        ([{"name": "X-1", "label": "X", "type": "text"}], "格式不正确"),  # names are snake_case identifiers
        ([{"name": "x", "label": "X", "type": "text", "colour": "red"}], "格式不正确"),  # no unknown keys
        ([{"name": "x", "label": "X", "type": "text"}, {"name": "x", "label": "Y", "type": "date"}], "重复"),
        ([{"name": "x", "label": "X", "type": "choice"}], "没有选项"),  # a choice field needs choices
        ([{"name": "x", "label": "X", "type": "text", "choices": CHOICES}], "不是选择字段"),
        ([{"name": "g", "label": "G", "type": "group", "fields": []}], "没有子字段"),
        ([{"name": "x", "label": "X", "type": "text", "repeatable": True}], "不是字段组"),
        (
            [{"name": "x", "label": "X", "type": "text", "required_if": {"field": "ghost", "equals": 1}}],
            "不存在的字段 ghost",
        ),  # a condition must name an existing field
    ],
)
def test_bad_definitions_are_refused(fields, expected):
    problems = definition_problems({"fields": fields})
    assert any(expected in problem for problem in problems), problems
    with pytest.raises(ValidationError):
        validate_definition({"fields": fields})


def test_good_answers_pass():
    assert validate_answers(FORM, GOOD) == {}


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"applicant_name": ""}, "applicant_name", "必填"),  # required
        ({"id_number": "110105194912310021"}, "id_number", "校验"),  # GB 11643 check digit
        ({"credit_code": "91350100M000100Y44"}, "credit_code", "校验位"),  # GB 32100 check character
        ({"mobile": "12345"}, "mobile", "手机号码"),
        ({"capital": "十万"}, "capital", "数字"),
        ({"start_date": "2026-02-30"}, "start_date", "日期"),
        ({"has_agent": "maybe"}, "has_agent", "选项"),
        ({"has_agent": "yes"}, "agent_name", "必填"),  # required_if triggered by another answer
        ({"partners": [{"partner_name": ""}]}, "partners[0].partner_name", "必填"),  # inside a repeatable group
        ({"partners": {"partner_name": "x"}}, "partners", "多组"),
        ({"favourite_colour": "red"}, "favourite_colour", "没有此字段"),
    ],
)
def test_bad_answers_are_reported_per_field(changes, field, expected):
    errors = validate_answers(FORM, {**GOOD, **changes})
    assert field in errors, errors
    assert any(expected in message for message in errors[field]), errors[field]


def test_landline_phone_numbers_are_accepted():
    assert validate_answers(FORM, {**GOOD, "mobile": "0431-88888888"}) == {}
