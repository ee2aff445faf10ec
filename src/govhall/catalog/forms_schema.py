"""Form definitions: the application form each guide version declares (issue 5, item 4).

A small declarative JSON, stored on ``GuideVersion.form_definition``::

    {"fields": [
        {"name": "applicant_name", "label": "申请人姓名", "type": "text", "required": true},
        {"name": "has_agent", "label": "是否委托代理人", "type": "choice",
         "choices": [{"value": "yes", "label": "是"}, {"value": "no", "label": "否"}]},
        {"name": "agent_id", "label": "代理人身份证号", "type": "identity_number",
         "required_if": {"field": "has_agent", "equals": "yes"}},
        {"name": "partners", "label": "合伙人", "type": "group", "repeatable": true,
         "fields": [{"name": "partner_name", "label": "姓名", "type": "text", "required": true}]}
    ]}

``validate_definition`` checks the shape (JSON Schema) and the meaning (unique names, choices, the
fields a condition names); ``validate_answers`` checks an applicant's answers against it, so an
application is validated against the version it was submitted under (Art. 10, Art. 12).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any

import jsonschema
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from govhall.core.validators import validate_mobile, validate_resident_id, validate_uscc

FIELD_TYPES = ("text", "number", "date", "choice", "identity_number", "uscc", "address", "phone", "group")

CONDITION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "field": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
        "equals": {},
        "in": {"type": "array", "minItems": 1},
    },
    "required": ["field"],
    "oneOf": [{"required": ["equals"]}, {"required": ["in"]}],
    "additionalProperties": False,
}

DEFINITION_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$defs": {
        "condition": CONDITION_SCHEMA,
        "choice": {
            "type": "object",
            "properties": {"value": {"type": "string", "minLength": 1}, "label": {"type": "string", "minLength": 1}},
            "required": ["value", "label"],
            "additionalProperties": False,
        },
        "field": {
            "type": "object",
            "properties": {
                "name": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$", "maxLength": 60},
                "label": {"type": "string", "minLength": 1, "maxLength": 100},
                "type": {"enum": list(FIELD_TYPES)},
                "required": {"type": "boolean"},
                "required_if": {"$ref": "#/$defs/condition"},
                "choices": {"type": "array", "items": {"$ref": "#/$defs/choice"}},
                "fields": {"type": "array", "items": {"$ref": "#/$defs/field"}},
                "repeatable": {"type": "boolean"},
                "help": {"type": "string"},
            },
            "required": ["name", "label", "type"],
            "additionalProperties": False,
        },
    },
    "type": "object",
    "properties": {"fields": {"type": "array", "items": {"$ref": "#/$defs/field"}}},
    "required": ["fields"],
    "additionalProperties": False,
}

_VALIDATOR = jsonschema.Draft202012Validator(DEFINITION_SCHEMA)


def _schema_message(error: jsonschema.ValidationError) -> str:
    where = "/".join(str(part) for part in error.absolute_path) or "（根）"
    if error.validator == "enum" and error.absolute_path and error.absolute_path[-1] == "type":
        return _("表单定义 %(where)s：未知的字段类型 %(value)s。") % {"where": where, "value": error.instance}
    return _("表单定义 %(where)s 格式不正确：%(detail)s") % {"where": where, "detail": error.message}


def walk_fields(fields: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every field of a definition, group members included (depth first)."""
    for field in fields:
        yield field
        if field.get("type") == "group":
            yield from walk_fields(field.get("fields", []))


def field_names(definition: dict[str, Any]) -> set[str]:
    """The names of a (schema-valid) definition's fields, group members included."""
    return {field["name"] for field in walk_fields(definition.get("fields", []))}


def _semantic_problems(definition: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    fields = list(walk_fields(definition["fields"]))
    for field in fields:
        name, kind = field["name"], field["type"]
        if name in seen:
            problems.append(_("字段名 %(name)s 重复。") % {"name": name})
        seen.add(name)
        if kind == "choice" and not field.get("choices"):
            problems.append(_("选择字段 %(name)s 没有选项。") % {"name": name})
        if kind != "choice" and "choices" in field:
            problems.append(_("字段 %(name)s 不是选择字段，不能设置选项。") % {"name": name})
        if kind == "group" and not field.get("fields"):
            problems.append(_("字段组 %(name)s 没有子字段。") % {"name": name})
        if kind != "group" and ("fields" in field or field.get("repeatable")):
            problems.append(_("字段 %(name)s 不是字段组，不能包含子字段或设为可重复。") % {"name": name})
    for field in fields:
        target = field.get("required_if", {}).get("field")
        if target is not None and (target not in seen or target == field["name"]):
            problems.append(
                _("字段 %(name)s 的必填条件引用了不存在的字段 %(target)s。") % {"name": field["name"], "target": target}
            )
    return problems


def definition_problems(definition: Any) -> list[str]:
    """Every problem of a form definition, in Chinese; ``[]`` when it is valid. ``{}`` means no form."""
    if definition in ({}, None):
        return []
    errors = sorted(_VALIDATOR.iter_errors(definition), key=lambda error: list(error.absolute_path))
    if errors:
        return [_schema_message(error) for error in errors]
    return _semantic_problems(definition)


def validate_definition(definition: Any) -> None:
    """Raise ``ValidationError({"form_definition": [...]})`` listing every problem."""
    problems = definition_problems(definition)
    if problems:
        raise ValidationError({"form_definition": problems})


def condition_holds(condition: dict[str, Any], answers: dict[str, Any]) -> bool:
    """``{"field": f, "equals": v}`` or ``{"field": f, "in": [..]}`` over the top-level answers."""
    value = answers.get(condition["field"])
    if "in" in condition:
        return value in condition["in"]
    return value == condition.get("equals")


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


PHONE_RE = re.compile(r"^(0\d{2,3}-?)?\d{7,8}(-\d{1,6})?$")


def _check_text(field: dict[str, Any], value: Any) -> str | None:
    return None if isinstance(value, str) else _("请输入文字。")


def _check_number(field: dict[str, Any], value: Any) -> str | None:
    if isinstance(value, bool):
        return _("请输入数字。")
    if isinstance(value, int | float):
        return None
    try:
        float(str(value))
    except ValueError:
        return _("请输入数字。")
    return None


def _check_date(field: dict[str, Any], value: Any) -> str | None:
    try:
        datetime.date.fromisoformat(str(value))
    except ValueError:
        return _("请输入有效日期（年-月-日）。")
    return None


def _check_choice(field: dict[str, Any], value: Any) -> str | None:
    if value in {choice["value"] for choice in field.get("choices", [])}:
        return None
    return _("请从选项中选择。")


def _check_with(validator: Any) -> Any:
    def check(field: dict[str, Any], value: Any) -> str | None:
        try:
            validator(str(value))
        except ValidationError as exc:
            return " ".join(exc.messages)
        return None

    return check


def _check_phone(field: dict[str, Any], value: Any) -> str | None:
    text = str(value).strip()
    if PHONE_RE.fullmatch(text):
        return None
    try:
        validate_mobile(text)
    except ValidationError:
        return _("请输入有效的手机号码或固定电话（如0431-88888888）。")
    return None


TYPE_CHECKS = {
    "text": _check_text,
    "address": _check_text,
    "number": _check_number,
    "date": _check_date,
    "choice": _check_choice,
    "identity_number": _check_with(validate_resident_id),
    "uscc": _check_with(validate_uscc),
    "phone": _check_phone,
}


def _validate_group(field: dict[str, Any], value: Any, key: str, root: dict[str, Any], errors: dict) -> None:
    entries = value if field.get("repeatable") else [value]
    if field.get("repeatable") and not isinstance(value, list):
        errors.setdefault(key, []).append(_("应为多组填写内容。"))
        return
    for index, entry in enumerate(entries):
        prefix = f"{key}[{index}]" if field.get("repeatable") else key
        if not isinstance(entry, dict):
            errors.setdefault(prefix, []).append(_("填写内容格式不正确。"))
            continue
        _validate_fields(field["fields"], entry, root, errors, prefix=f"{prefix}.")


def _validate_fields(
    fields: list[dict[str, Any]], answers: dict[str, Any], root: dict[str, Any], errors: dict, prefix: str = ""
) -> None:
    known = {field["name"] for field in fields}
    for name in sorted(set(answers) - known):
        errors.setdefault(prefix + name, []).append(_("表单中没有此字段。"))
    for field in fields:
        key, value = prefix + field["name"], answers.get(field["name"])
        condition = field.get("required_if")
        required = field.get("required", False) or (condition is not None and condition_holds(condition, root))
        if _is_blank(value):
            if required:
                errors.setdefault(key, []).append(_("%(label)s为必填项。") % {"label": field["label"]})
            continue
        if field["type"] == "group":
            _validate_group(field, value, key, root, errors)
            continue
        message = TYPE_CHECKS[field["type"]](field, value)
        if message:
            errors.setdefault(key, []).append(message)


def validate_answers(definition: dict[str, Any], answers: dict[str, Any]) -> dict[str, list[str]]:
    """Check an applicant's answers: ``{field key: [messages]}``, empty when all is well.

    Keys of group members are ``group.member`` or ``group[index].member`` for repeatable groups.
    Conditions (``required_if``) are evaluated over the top-level answers.
    """
    errors: dict[str, list[str]] = {}
    _validate_fields(definition.get("fields", []), answers or {}, answers or {}, errors)
    return errors
