"""What changed between two guide versions, field by field (Art. 7: the office reviews before publishing).

``diff_versions(old, new)`` is a pure function over two versions (``old`` may be ``None`` for an item's
first guide): every guide element becomes a ``FieldDiff`` with display text on both sides and, for
changed text, ``difflib`` segments marking the changed words (Chinese: characters) or lines.
Materials are matched by name: added, removed, or changed attribute by attribute.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govhall.accounts.models import Role
from govhall.catalog.models import GuideVersion, MaterialForm, MaterialRequirement, MaterialSource, Necessity, TimeUnit

# Guide elements in the order a guide shows them.
GUIDE_ELEMENTS = (
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
    "fees",
    "window_steps",
    "online_steps",
    "review_stages",
    "special_procedures",
    "faq",
    "consultation_phone",
    "complaint_phone",
    "centres",
    "form_definition",
)
MATERIAL_ATTRIBUTES = (
    "necessity",
    "condition",
    "form",
    "source",
    "count",
    "paper_spec",
    "notes",
    "acceptance_standard",
    "needed_for_pre_review",
    "non_shareable_legal_basis",
    "replacing_license_types",
    "blank_form",
    "sample",
)
STEP_KINDS = {"booking": gettext_lazy("网上预约"), "pre_review": gettext_lazy("网上预审")}
STAGE_KINDS = {
    "formal": gettext_lazy("形式审查"),
    "substantive": gettext_lazy("实质审查"),
    "procedural": gettext_lazy("程序审查"),
}
LONG_TEXT = 120
_TOKEN_RE = re.compile(r"[A-Za-z0-9_.%-]+|\s+|.", re.DOTALL)

Segment = tuple[str, str]  # ("equal" | "delete" | "insert", text)


@dataclass
class FieldDiff:
    name: str
    label: str
    old: str
    new: str
    old_segments: list[Segment] = field(default_factory=list)
    new_segments: list[Segment] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass
class MaterialDiff:
    name: str
    status: str  # "added" | "removed" | "changed" | "unchanged"
    changes: list[FieldDiff] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.status != "unchanged"


@dataclass
class VersionDiff:
    fields: list[FieldDiff]
    materials: list[MaterialDiff]

    @property
    def changed_fields(self) -> list[FieldDiff]:
        return [entry for entry in self.fields if entry.changed]

    @property
    def unchanged_fields(self) -> list[FieldDiff]:
        return [entry for entry in self.fields if not entry.changed]

    @property
    def changed_materials(self) -> list[MaterialDiff]:
        return [entry for entry in self.materials if entry.changed]

    @property
    def has_changes(self) -> bool:
        return bool(self.changed_fields or self.changed_materials)


def _tokens(text: str, by_line: bool) -> list[str]:
    return text.splitlines(keepends=True) if by_line else _TOKEN_RE.findall(text)


def segments(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    """Both sides split into equal / deleted / inserted runs: by line for long or multi-line text,
    else by word (an ASCII word, or one Chinese character)."""
    by_line = "\n" in old or "\n" in new or max(len(old), len(new)) > LONG_TEXT
    a, b = _tokens(old, by_line), _tokens(new, by_line)
    left: list[Segment] = []
    right: list[Segment] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            left.append(("equal", "".join(a[i1:i2])))
            right.append(("equal", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            left.append(("delete", "".join(a[i1:i2])))
        if j2 > j1:
            right.append(("insert", "".join(b[j1:j2])))
    return left, right


def _number(value: Any) -> str:
    return "—" if value is None else str(value)


def _yes_no(value: Any) -> str:
    return _("是") if value else _("否")


def _fees(fees: list[dict[str, Any]]) -> str:
    lines = []
    for fee in fees:
        amount = fee.get("amount_fen")
        money = f"{amount / 100:.2f}" if isinstance(amount, int) and not isinstance(amount, bool) else str(amount)
        line = _("%(name)s：%(amount)s元（依据：%(basis)s）") % {
            "name": fee.get("name", ""),
            "amount": money,
            "basis": fee.get("legal_basis", ""),
        }
        if fee.get("exemption"):
            line += _("；减免：%(text)s") % {"text": fee["exemption"]}
        lines.append(line)
    return "\n".join(lines)


def _steps(steps: list[dict[str, Any]]) -> str:
    lines = []
    for number, step in enumerate(steps, start=1):
        kind = STEP_KINDS.get(step.get("kind", ""))
        suffix = f"［{kind}］" if kind else ""
        lines.append(f"{number}. {step.get('name', '')}：{step.get('applicant_action', '')}{suffix}")
    return "\n".join(lines)


def _stages(stages: list[dict[str, Any]]) -> str:
    return "\n".join(
        _("%(n)d. %(name)s（%(kind)s，%(role)s，%(days)s个工作日）")
        % {
            "n": number,
            "name": stage.get("name", ""),
            "kind": str(STAGE_KINDS.get(stage.get("kind", ""), stage.get("kind", ""))),
            "role": _choice(Role, stage.get("role")) or "—",
            "days": _number(stage.get("days")),
        }
        for number, stage in enumerate(stages, start=1)
    )


def _faq(entries: list[dict[str, Any]]) -> str:
    return "\n".join(_("问：%(q)s\n答：%(a)s") % {"q": e.get("q", ""), "a": e.get("a", "")} for e in entries)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False) if value else ""


def _choice(choices: type, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def _condition(condition: dict[str, Any]) -> str:
    if not condition:
        return ""
    if "in" in condition:
        return f"{condition.get('field')} ∈ {', '.join(str(v) for v in condition['in'])}"
    return f"{condition.get('field')} = {condition.get('equals')}"


def _file(value: Any) -> str:
    name = getattr(value, "name", value) or ""
    return PurePath(name).name if name else ""


def guide_display(version: GuideVersion | None, name: str) -> str:
    """The display text of one guide element of ``version`` (``""`` when there is no version)."""
    if version is None:
        return ""
    value = getattr(version, name) if name != "centres" else None
    if name in ("statutory_limit", "promised_limit", "on_site_visits"):
        return _number(value)
    if name in ("statutory_unit", "promised_unit"):
        return _choice(TimeUnit, value)
    if name == "special_or_complex":
        return _yes_no(value)
    renderers = {
        "fees": _fees,
        "window_steps": _steps,
        "online_steps": _steps,
        "review_stages": _stages,
        "special_procedures": lambda items: "\n".join(str(item) for item in items),
        "faq": _faq,
        "form_definition": _json,
    }
    if name in renderers:
        return renderers[name](value or ([] if name != "form_definition" else {}))
    if name == "centres":
        return "、".join(sorted(centre.name for centre in version.centres.all()))
    return str(value or "")


def material_display(material: MaterialRequirement | None, name: str) -> str:
    """The display text of one attribute of a material."""
    if material is None:
        return ""
    value = getattr(material, name) if name != "replacing_license_types" else None
    if name == "necessity":
        return _choice(Necessity, value)
    if name == "form":
        return _choice(MaterialForm, value)
    if name == "source":
        return _choice(MaterialSource, value)
    if name == "condition":
        return _condition(value or {})
    if name in ("blank_form", "sample"):
        return _file(value)
    if name == "replacing_license_types":
        return "、".join(sorted(license_type.name for license_type in material.replacing_license_types.all()))
    return str(value if value is not None else "")


def _field_diff(name: str, label: str, old: str, new: str) -> FieldDiff:
    entry = FieldDiff(name=name, label=label, old=old, new=new)
    if entry.changed:
        entry.old_segments, entry.new_segments = segments(old, new)
    return entry


def _label(model: type, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _material_diffs(old: GuideVersion | None, new: GuideVersion) -> list[MaterialDiff]:
    before = {material.name: material for material in old.materials.all()} if old is not None else {}
    after = {material.name: material for material in new.materials.all()}
    result = []
    for name in [*after, *(name for name in before if name not in after)]:
        a, b = before.get(name), after.get(name)
        changes = (
            _field_diff(attr, _label(MaterialRequirement, attr), material_display(a, attr), material_display(b, attr))
            for attr in MATERIAL_ATTRIBUTES
        )
        changed = [change for change in changes if change.changed]
        status = "added" if a is None else "removed" if b is None else "changed" if changed else "unchanged"
        result.append(MaterialDiff(name=name, status=status, changes=changed))
    return result


def diff_versions(old: GuideVersion | None, new: GuideVersion) -> VersionDiff:
    """Every guide element of ``new`` against ``old`` (``None``: the first version) and the materials."""
    fields = [
        _field_diff(name, _label(GuideVersion, name), guide_display(old, name), guide_display(new, name))
        for name in GUIDE_ELEMENTS
    ]
    return VersionDiff(fields=fields, materials=_material_diffs(old, new))
