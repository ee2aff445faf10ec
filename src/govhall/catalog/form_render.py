"""Render a form definition (``catalog.forms_schema``) as a real Django form (issue 5, item 4).

The guide editor's preview shows it as an applicant will see it; the application pages reuse it to
collect answers. Validation per type reuses ``forms_schema.TYPE_CHECKS``, so the form and
``validate_answers`` can never disagree about what a valid identity number or phone number is.

Field names in the Django form: a top-level field keeps its name; a member of a group is
``<group>__<member>``; a member of a repeatable group is ``<group>__<row>__<member>`` (rows from 0).
``required_if`` is evaluated in ``clean()`` over the top-level answers, like ``validate_answers``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from govhall.catalog.forms_schema import TYPE_CHECKS, condition_holds

SEPARATOR = "__"
_ROW_RE = re.compile(rf"^(?P<row>\d+){SEPARATOR}")


@dataclass
class Row:
    """One filled (or blank) entry of a group: the Django field names of its members, in order."""

    index: int
    names: list[str]


@dataclass
class Block:
    """What the template draws, in order: a plain field, or a group (fieldset) with its rows."""

    name: str
    label: str
    kind: str = "field"  # "field" | "group"
    repeatable: bool = False
    rows: list[Row] = field(default_factory=list)
    help: str = ""


def _type_validator(spec: dict[str, Any]):
    """A Django validator that applies the schema's own check for ``spec``'s type."""
    check = TYPE_CHECKS[spec["type"]]

    def validate(value: Any) -> None:
        message = check(spec, value)
        if message:
            raise ValidationError(message)

    return validate


def _choices(spec: dict[str, Any]) -> list[tuple[str, str]]:
    return [("", _("请选择"))] + [(choice["value"], choice["label"]) for choice in spec.get("choices", [])]


def make_field(spec: dict[str, Any], *, required: bool) -> forms.Field:
    """One Django form field for a non-group field of a definition."""
    common = {"label": spec["label"], "required": required, "help_text": spec.get("help", "")}
    kind = spec["type"]
    if kind == "number":
        return forms.DecimalField(**common, widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}))
    if kind == "date":
        return forms.DateField(**common, widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}))
    if kind == "choice":
        return forms.ChoiceField(**common, choices=_choices(spec), widget=forms.Select(attrs={"class": "form-select"}))
    attrs: dict[str, str] = {"class": "form-control"}
    if kind == "address":
        widget: forms.Widget = forms.Textarea(attrs={**attrs, "rows": 2})
    else:
        if kind == "phone":
            attrs.update(type="tel", autocomplete="tel")
        if kind in ("identity_number", "uscc"):
            attrs.update(maxlength="18", autocomplete="off", spellcheck="false")
        widget = forms.TextInput(attrs=attrs)
    return forms.CharField(**common, max_length=500, widget=widget, validators=[_type_validator(spec)])


def _row_count(data: Any, group_key: str) -> int:
    """How many rows of a repeatable group the submitted data carries (at least one).

    ``group_key`` is the group's name with the form's prefix, as it appears in the data.
    """
    start = group_key + SEPARATOR
    rows = {
        int(match["row"])
        for key in (data or {})
        if key.startswith(start) and (match := _ROW_RE.match(key[len(start) :]))
    }
    return max(rows) + 1 if rows else 1


class DefinitionForm(forms.Form):
    """A form built from a definition; ``blocks`` tells the template how to draw groups."""

    def __init__(self, definition: dict[str, Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition or {"fields": []}
        self.blocks: list[Block] = []
        for spec in self.definition.get("fields", []):
            self._add(spec)

    def _add(self, spec: dict[str, Any]) -> None:
        if spec["type"] != "group":
            self.fields[spec["name"]] = make_field(spec, required=bool(spec.get("required")))
            self.blocks.append(Block(spec["name"], spec["label"], help=spec.get("help", "")))
            return
        block = Block(spec["name"], spec["label"], kind="group", repeatable=bool(spec.get("repeatable")))
        count = _row_count(self.data, self.add_prefix(spec["name"])) if block.repeatable else 1
        for index in range(count):
            names = []
            for member in spec["fields"]:
                name = self.member_name(spec, index, member)
                # Member requirement depends on whether the row is filled: checked in ``clean``.
                self.fields[name] = make_field(member, required=False)
                names.append(name)
            block.rows.append(Row(index, names))
        self.blocks.append(block)

    @staticmethod
    def member_name(group: dict[str, Any], index: int, member: dict[str, Any]) -> str:
        if group.get("repeatable"):
            return f"{group['name']}{SEPARATOR}{index}{SEPARATOR}{member['name']}"
        return f"{group['name']}{SEPARATOR}{member['name']}"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        answers = self._top_level(cleaned)
        for spec in self.definition.get("fields", []):
            if spec["type"] == "group":
                self._clean_group(spec, cleaned, answers)
            elif self._required_now(spec, answers) and _blank(cleaned.get(spec["name"])):
                self._require(spec["name"], spec)
        return cleaned

    def _clean_group(self, spec: dict[str, Any], cleaned: dict[str, Any], answers: dict[str, Any]) -> None:
        block = next(block for block in self.blocks if block.name == spec["name"])
        filled_rows = [row for row in block.rows if any(not _blank(cleaned.get(name)) for name in row.names)]
        if not filled_rows and self._required_now(spec, answers):
            self.add_error(block.rows[0].names[0], _("%(label)s为必填项。") % {"label": spec["label"]})
        for row in filled_rows:
            for member, name in zip(spec["fields"], row.names, strict=True):
                if self._required_now(member, answers) and _blank(cleaned.get(name)) and name not in self.errors:
                    self._require(name, member)

    def _require(self, name: str, spec: dict[str, Any]) -> None:
        self.add_error(name, _("%(label)s为必填项。") % {"label": spec["label"]})

    @staticmethod
    def _required_now(spec: dict[str, Any], answers: dict[str, Any]) -> bool:
        condition = spec.get("required_if")
        return bool(spec.get("required")) or (condition is not None and condition_holds(condition, answers))

    def _top_level(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        return {
            spec["name"]: _plain(cleaned.get(spec["name"]))
            for spec in self.definition.get("fields", [])
            if spec["type"] != "group"
        }

    def answers(self) -> dict[str, Any]:
        """The cleaned data as the nested answers ``validate_answers`` reads (blank entries left out)."""
        result = self._top_level(self.cleaned_data)
        result = {name: value for name, value in result.items() if not _blank(value)}
        for spec in self.definition.get("fields", []):
            if spec["type"] != "group":
                continue
            block = next(block for block in self.blocks if block.name == spec["name"])
            entries = []
            for row in block.rows:
                entry = {
                    member["name"]: _plain(self.cleaned_data.get(name))
                    for member, name in zip(spec["fields"], row.names, strict=True)
                    if not _blank(self.cleaned_data.get(name))
                }
                if entry:
                    entries.append(entry)
            if entries:
                result[spec["name"]] = entries if block.repeatable else entries[0]
        return result


def _blank(value: Any) -> bool:
    return value is None or value == ""


def _plain(value: Any) -> Any:
    """JSON-friendly answer values: dates as ISO text, decimals as text (no float rounding)."""
    if value is None or isinstance(value, str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def build_form(definition: dict[str, Any], data: Any = None, **kwargs: Any) -> DefinitionForm:
    """A Django form for ``definition``; bound when ``data`` (a QueryDict or dict) is given.

    ``kwargs`` go to ``forms.Form`` (``prefix``, ``auto_id``…), e.g. to keep a preview's ids apart.
    """
    return DefinitionForm(definition, data=data, **kwargs)
