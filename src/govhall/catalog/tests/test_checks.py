import pytest

from govhall.catalog import checks
from govhall.catalog.tests.factories import (
    GuideVersionFactory,
    LicenseTypeFactory,
    MaterialRequirementFactory,
    valid_guide,
)

pytestmark = pytest.mark.django_db

STEP = {"name": "步骤", "applicant_action": "操作"}
STAGE = {"name": "审查", "kind": "substantive", "role": "reviewer", "days": 2}


def _version(case_type="2", materials=(), **overrides):
    version = GuideVersionFactory(item__case_type=case_type, **valid_guide(**overrides))
    for material in materials:
        MaterialRequirementFactory(version=version, **material)
    return version


def test_a_complete_guide_passes():
    e_license = MaterialRequirementFactory(version=_version(), source="e_license")
    e_license.replacing_license_types.add(LicenseTypeFactory())
    assert checks.problems(e_license.version) == []


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        # Art. 10: online steps never more than window steps — booking and pre-review do not count
        ({"online_steps": [STEP, STEP, STEP]}, "网上办理环节（3个）多于窗口办理环节（2个）"),
        # the same three online steps pass when one of them is pre-review
        ({"online_steps": [STEP, STEP, {**STEP, "kind": "pre_review"}]}, None),
        # a promised limit may not exceed the statutory one in the same unit
        ({"statutory_limit": 5, "promised_limit": 6}, "承诺办结时限（6）长于法定办结时限（5）"),
        # ...but different units are not compared (hours against working days)
        ({"statutory_limit": 5, "promised_limit": 6, "promised_unit": "hours"}, None),
        # every required material states its acceptance standard
        ({"materials": [{"name": "身份证", "acceptance_standard": ""}]}, "必要材料“身份证”没有受理标准"),
        # a conditional material needs none (it is judged with its condition)
        (
            {
                "materials": [
                    {
                        "name": "委托书",
                        "acceptance_standard": "",
                        "necessity": "conditional",
                        "condition": {"field": "has_agent", "equals": "yes"},
                    }
                ]
            },
            None,
        ),
        # every fee names its legal basis
        ({"fees": [{"name": "工本费", "amount_fen": 100, "legal_basis": ""}]}, "收费项目“工本费”没有收费依据"),
        # money is whole fen: yuan with decimals is refused
        ({"fees": [{"name": "工本费", "amount_fen": 10.005, "legal_basis": "x"}]}, "整数（单位：分）"),
        ({"fees": [{"name": "工本费", "amount_fen": -1, "legal_basis": "x"}]}, "整数（单位：分）"),
        # Art. 13: a material from the e-license library names the license type that replaces it
        ({"materials": [{"name": "营业执照", "source": "e_license"}]}, "来源为电子证照，但未指定可替代的证照类型"),
        # Art. 9: an instant item has at most one review stage
        ({"case_type": "1", "review_stages": [STAGE, STAGE]}, "即办件只能有一个审查环节"),
        # a promised item may have several
        ({"case_type": "2", "review_stages": [STAGE, STAGE]}, None),
        # the form definition must validate
        ({"form_definition": {"fields": [{"name": "x", "label": "X", "type": "blob"}]}}, "未知的字段类型"),
        # a conditional material's condition must name a form field
        (
            {
                "materials": [
                    {"name": "委托书", "necessity": "conditional", "condition": {"field": "ghost", "equals": 1}}
                ]
            },
            "引用了表单中不存在的字段 ghost",
        ),
        # structured elements have their shape: a review stage kind is formal, substantive or procedural
        ({"review_stages": [{"name": "审查", "kind": "casual"}]}, "“审查环节” 0/kind 格式不正确"),
        # a step names what it is
        ({"window_steps": [{"applicant_action": "提交"}, STEP]}, "“窗口办理流程” 0 格式不正确"),
        # an FAQ entry has a question and an answer
        ({"faq": [{"q": "可以代办吗？"}]}, "“常见问题” 0 格式不正确"),
        # a material condition is {"field", "equals"} or {"field", "in"}
        (
            {"materials": [{"name": "委托书", "necessity": "conditional", "condition": {"field": "has_agent"}}]},
            "材料“委托书”的适用条件格式不正确",
        ),
        # ...and must have a condition at all
        ({"materials": [{"name": "委托书", "necessity": "conditional", "condition": {}}]}, "没有适用条件"),
    ],
)
def test_publication_rules(setup, expected):
    setup = dict(setup)
    version = _version(setup.pop("case_type", "2"), setup.pop("materials", ()), **setup)
    found = checks.problems(version)
    if expected is None:
        assert found == []
    else:
        assert any(expected in message for message in found), found


def test_every_problem_is_reported_not_only_the_first():
    version = _version(
        materials=[{"name": "身份证", "acceptance_standard": ""}],
        promised_limit=30,
        fees=[{"name": "工本费", "amount_fen": 100, "legal_basis": ""}],
    )
    assert len(checks.problems(version)) == 3
