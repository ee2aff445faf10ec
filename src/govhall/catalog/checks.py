"""Publication checks: a guide that breaks a rule is not published (Art. 7, Art. 10, Art. 17).

Each check looks at one rule and returns every violation as a Chinese message; ``problems`` collects
them all, so the editor sees the whole list at once (the same spirit as Art. 12's one-time notice).
"""

from __future__ import annotations

from collections.abc import Callable

import jsonschema
from django.utils.translation import gettext as _

from govhall.catalog.forms_schema import CONDITION_SCHEMA, definition_problems, field_names
from govhall.catalog.models import CaseType, GuideVersion, MaterialRequirement, MaterialSource, Necessity

# Online steps that have no window counterpart and are not counted (Art. 10, issue 5 item 6).
UNCOUNTED_ONLINE_STEP_KINDS = frozenset({"booking", "pre_review"})

STEP_SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "applicant_action": {"type": "string"},
        "kind": {"type": "string"},
    },
    "required": ["name", "applicant_action"],
}
# The shape of each structured guide element (Art. 17); fee amounts are checked with their own message.
ELEMENT_SCHEMAS: dict[str, dict] = {
    "window_steps": {"type": "array", "items": STEP_SCHEMA},
    "online_steps": {"type": "array", "items": STEP_SCHEMA},
    "review_stages": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "kind": {"enum": ["formal", "substantive", "procedural"]},
                "role": {"type": "string"},
                "days": {"type": "integer", "minimum": 0},
            },
            "required": ["name", "kind"],
        },
    },
    "fees": {"type": "array", "items": {"type": "object", "required": ["name", "amount_fen"]}},
    "special_procedures": {"type": "array", "items": {"type": "string", "minLength": 1}},
    "faq": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"q": {"type": "string", "minLength": 1}, "a": {"type": "string", "minLength": 1}},
            "required": ["q", "a"],
        },
    },
}

Check = Callable[[GuideVersion, list[MaterialRequirement]], list[str]]


def online_steps_not_more_than_window(version: GuideVersion, materials: list[MaterialRequirement]) -> list[str]:
    """Art. 10: online handling never has more steps than the window (booking and pre-review aside)."""
    online = [step for step in version.online_steps if step.get("kind") not in UNCOUNTED_ONLINE_STEP_KINDS]
    if len(online) > len(version.window_steps):
        return [
            _("网上办理环节（%(online)d个）多于窗口办理环节（%(window)d个），违反第十条。")
            % {"online": len(online), "window": len(version.window_steps)}
        ]
    return []


def promised_within_statutory(version: GuideVersion, materials: list[MaterialRequirement]) -> list[str]:
    """A promised limit may not be longer than the statutory one (compared when the units agree)."""
    statutory, promised = version.statutory_limit, version.promised_limit
    if statutory is None or promised is None or version.statutory_unit != version.promised_unit:
        return []
    if promised > statutory:
        return [_("承诺办结时限（%(p)d）长于法定办结时限（%(s)d）。") % {"p": promised, "s": statutory}]
    return []


def required_materials_have_standard(version: GuideVersion, materials: list[MaterialRequirement]) -> list[str]:
    """Art. 17: every required material states its acceptance standard."""
    return [
        _("必要材料“%(name)s”没有受理标准。") % {"name": material.name}
        for material in materials
        if material.necessity == Necessity.REQUIRED and not material.acceptance_standard.strip()
    ]


def fees_have_legal_basis(version: GuideVersion, materials: list[MaterialRequirement]) -> list[str]:
    """Every fee names its legal basis and is a whole, non-negative number of fen (分)."""
    messages = []
    for index, fee in enumerate(version.fees, start=1):
        name = fee.get("name") or _("第%(n)d项收费") % {"n": index}
        amount = fee.get("amount_fen")
        if not str(fee.get("legal_basis") or "").strip():
            messages.append(_("收费项目“%(name)s”没有收费依据。") % {"name": name})
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            messages.append(_("收费项目“%(name)s”的金额应为不小于0的整数（单位：分）。") % {"name": name})
    return messages


def e_license_materials_name_type(version: GuideVersion, materials: list[MaterialRequirement]) -> list[str]:
    """Art. 13: a material taken from the e-license library names the license type that replaces it."""
    return [
        _("材料“%(name)s”来源为电子证照，但未指定可替代的证照类型。") % {"name": material.name}
        for material in materials
        if material.source == MaterialSource.E_LICENSE and not material.replacing_license_types.all()
    ]


def instant_items_have_one_review_stage(version: GuideVersion, materials: list[MaterialRequirement]) -> list[str]:
    """Art. 9: an instant item (即办件) is decided on the spot — at most one review stage."""
    if version.item.case_type == CaseType.INSTANT and len(version.review_stages) > 1:
        return [_("即办件只能有一个审查环节，当前有%(n)d个。") % {"n": len(version.review_stages)}]
    return []


def form_definition_valid(version: GuideVersion, materials: list[MaterialRequirement]) -> list[str]:
    """The application form validates, and every conditional material's condition names a form field."""
    problems = definition_problems(version.form_definition)
    if problems:
        return problems
    names = field_names(version.form_definition) if version.form_definition else set()
    messages = []
    for material in materials:
        if material.necessity != Necessity.CONDITIONAL:
            continue
        target = (material.condition or {}).get("field")
        if target is None:
            messages.append(_("情形材料“%(name)s”没有适用条件。") % {"name": material.name})
        elif target not in names:
            messages.append(
                _("情形材料“%(name)s”的适用条件引用了表单中不存在的字段 %(field)s。")
                % {"name": material.name, "field": target}
            )
    return messages


def elements_well_formed(version: GuideVersion, materials: list[MaterialRequirement]) -> list[str]:
    """Every structured element (steps, review stages, fees, FAQ) and material condition has its shape."""
    messages = []
    for name, schema in ELEMENT_SCHEMAS.items():
        label = GuideVersion._meta.get_field(name).verbose_name
        for error in jsonschema.Draft202012Validator(schema).iter_errors(getattr(version, name)):
            where = "/".join(str(part) for part in error.absolute_path)
            messages.append(
                _("“%(label)s” %(where)s 格式不正确：%(detail)s")
                % {"label": label, "where": where, "detail": error.message}
            )
    for material in materials:
        if material.condition and not jsonschema.Draft202012Validator(CONDITION_SCHEMA).is_valid(material.condition):
            messages.append(_("材料“%(name)s”的适用条件格式不正确。") % {"name": material.name})
    return messages


CHECKS: tuple[Check, ...] = (
    elements_well_formed,
    online_steps_not_more_than_window,
    promised_within_statutory,
    required_materials_have_standard,
    fees_have_legal_basis,
    e_license_materials_name_type,
    instant_items_have_one_review_stage,
    form_definition_valid,
)


def problems(version: GuideVersion) -> list[str]:
    """Every publication problem of ``version`` (empty list: it may be published)."""
    materials = list(version.materials.prefetch_related("replacing_license_types"))
    return [message for check in CHECKS for message in check(version, materials)]
