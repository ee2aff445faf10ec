"""One serialisation of the published catalog for the machine channels (Art. 3(3), Art. 17).

The API's detail and history endpoints and the one-file export of the whole catalog all call
``guide_to_dict`` / ``version_to_dict``, so a machine reader gets exactly the database's published
version; the portal page and the printable copy render the same objects through one template
partial. Codes are kept next to their Chinese labels so a reader can use either.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from govhall.accounts.models import Role
from govhall.catalog import queries
from govhall.catalog.forms_schema import walk_fields
from govhall.catalog.models import ONLINE_DEPTH_FIELDS, GuideVersion, LicenseType, MaterialRequirement, ServiceItem
from govhall.directory import queries as directory_queries
from govhall.directory.models import ServiceCentre

SCHEMA_VERSION = "1.0"

# Kinds of internal review stage (STANDARDS.md): shown with their label on every channel.
STAGE_KIND_LABELS = {
    "formal": _("形式审查"),
    "substantive": _("实质审查"),
    "procedural": _("程序性审查"),
}


@functools.cache
def _labels(model: type, field: str, language: str | None) -> dict[str, str]:
    """A field's choice labels in one language (``get_FOO_display`` hashes lazy labels on every call)."""
    return {str(value): str(label) for value, label in model._meta.get_field(field).flatchoices}


def choice(obj: Any, field: str) -> dict[str, str]:
    value = getattr(obj, field)
    return {"code": value, "label": _labels(type(obj), field, get_language()).get(str(value), str(value))}


def license_type_to_dict(license_type: LicenseType) -> dict[str, Any]:
    return {
        "type_code": license_type.type_code,
        "name": license_type.name,
        "fields": license_type.fields,
        "validity_rule": license_type.validity_rule,
        "print_template": license_type.print_template,
    }


def _file_url(material: MaterialRequirement, code: str, kind: str) -> str | None:
    """The public download address (never MEDIA_URL: files stream through the portal view)."""
    if not getattr(material, "blank_form" if kind == "blank-form" else "sample"):
        return None
    return reverse("portal:material_file", args=[code, material.order, kind])


def _answer_label(field: dict[str, Any], value: Any) -> str:
    labels = {choice["value"]: choice["label"] for choice in field.get("choices", [])}
    return str(labels.get(value, value))


def describe_condition(condition: dict[str, Any], form_definition: dict[str, Any]) -> str:
    """A conditional material's rule in the applicant's words, with the form's labels:
    ``{"field": "has_agent", "equals": "yes"}`` → 当“是否委托代理人办理”为“是”时提交."""
    if not condition or "field" not in condition:
        return ""
    fields = {field["name"]: field for field in walk_fields((form_definition or {}).get("fields", []))}
    field = fields.get(condition["field"], {"label": condition["field"]})
    answers = condition["in"] if "in" in condition else [condition.get("equals")]
    wanted = "”或“".join(_answer_label(field, answer) for answer in answers)
    return str(_("当“%(field)s”为“%(answer)s”时提交")) % {"field": field["label"], "answer": wanted}


def material_to_dict(material: MaterialRequirement, code: str, form_definition: dict[str, Any]) -> dict[str, Any]:
    """One material; ``code`` is the item's implementation code (for the download addresses)."""
    return {
        "order": material.order,
        "name": material.name,
        "necessity": choice(material, "necessity"),
        "condition": material.condition or None,
        "condition_text": describe_condition(material.condition, form_definition),
        "form": choice(material, "form"),
        "source": choice(material, "source"),
        "count": material.count,
        "paper_spec": material.paper_spec,
        "notes": material.notes,
        "acceptance_standard": material.acceptance_standard,
        "needed_for_pre_review": material.needed_for_pre_review,
        "replacing_license_types": [
            {"type_code": lt.type_code, "name": lt.name} for lt in material.replacing_license_types.all()
        ],
        "non_shareable_legal_basis": material.non_shareable_legal_basis,
        "blank_form_url": _file_url(material, code, "blank-form"),
        "sample_url": _file_url(material, code, "sample"),
    }


def centre_to_dict(centre: ServiceCentre) -> dict[str, Any]:
    return {
        "code": centre.code,
        "name": centre.name,
        "address": centre.address,
        "phone": centre.phone,
        "office_hours": centre.hours.describe(),
        "transport": centre.transport,
    }


def _limit(version: GuideVersion, kind: str) -> dict[str, Any]:
    return {
        "value": getattr(version, f"{kind}_limit"),
        "unit": choice(version, f"{kind}_unit"),
        "note": getattr(version, f"{kind}_note"),
    }


def _role_label(code: str) -> str:
    return str(Role(code).label) if code in Role.values else code


def review_stages(version: GuideVersion) -> list[dict[str, Any]]:
    """Review stages with the label of their kind (formal / substantive / procedural)."""
    return [
        {
            "name": stage.get("name", ""),
            "kind": {"code": stage.get("kind", ""), "label": str(STAGE_KIND_LABELS.get(stage.get("kind"), ""))},
            "role": {"code": stage.get("role", ""), "label": _role_label(stage.get("role", ""))},
            "days": stage.get("days"),
        }
        for stage in version.review_stages
    ]


def _steps(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"name": step.get("name", ""), "applicant_action": step.get("applicant_action", ""), "kind": step.get("kind")}
        for step in steps
    ]


def _fees(version: GuideVersion) -> list[dict[str, Any]]:
    return [
        {
            "name": fee.get("name", ""),
            "amount_fen": fee.get("amount_fen", 0),
            "amount_yuan": fee["amount_yuan"],
            "legal_basis": fee.get("legal_basis", ""),
            "exemption": fee.get("exemption", ""),
        }
        for fee in version.fees_in_yuan
    ]


def version_to_dict(version: GuideVersion, code: str) -> dict[str, Any]:
    """Every element of one guide version (Art. 17), published or superseded, of the item ``code``."""
    return {
        "number": version.number,
        "status": choice(version, "status"),
        "published_at": version.published_at.isoformat() if version.published_at else None,
        "conditions": version.conditions,
        "legal_basis": version.legal_basis,
        "statutory_limit": _limit(version, "statutory"),
        "promised_limit": _limit(version, "promised"),
        "special_or_complex": version.special_or_complex,
        "on_site_visits": version.on_site_visits,
        "fees": _fees(version),
        "materials": [
            material_to_dict(material, code, version.form_definition) for material in version.materials.all()
        ],
        "window_steps": _steps(version.window_steps),
        "online_steps": _steps(version.online_steps),
        "review_stages": review_stages(version),
        "special_procedures": list(version.special_procedures),
        "faq": [{"q": entry.get("q", ""), "a": entry.get("a", "")} for entry in version.faq],
        "consultation_phone": version.consultation_phone,
        "complaint_phone": version.complaint_phone,
        "centres": [centre_to_dict(centre) for centre in version.centres.all()],
        "form_definition": version.form_definition,
    }


def item_to_dict(item: ServiceItem) -> dict[str, Any]:
    """The item's library entry (codes, implementing body, region, depth, themes), without its guide."""
    return {
        "implementation_code": item.implementation_code,
        "basic_code": item.basic_code,
        "name": item.name,
        "item_type": choice(item, "item_type"),
        "service_object": choice(item, "service_object"),
        "case_type": choice(item, "case_type"),
        "department": {"id": item.department_id, "name": item.department.name, "uscc": item.department.uscc},
        "region": {"code": item.region.code, "name": item.region.name},
        "online_depth": {name: getattr(item, name) for name in ONLINE_DEPTH_FIELDS},
        "themes": list(item.themes),
        "aliases": item.aliases,
        "keywords": item.keywords,
        "url": reverse("portal:item", args=[item.implementation_code]),
    }


def guide_to_dict(item: ServiceItem) -> dict[str, Any]:
    """One published item with its published guide: what the API detail and the export carry."""
    return {
        **item_to_dict(item),
        "result_license_types": [license_type_to_dict(lt) for lt in item.result_license_types.all()],
        "guide": version_to_dict(item.published_version, item.implementation_code),
    }


def guide_context(item: ServiceItem) -> dict[str, Any]:
    """What the guide page and its printable copy render: the item, its published version and the
    serialised guide (labels resolved once), so the HTML and the PDF show the same values."""
    depth = [(ServiceItem._meta.get_field(name).verbose_name, getattr(item, name)) for name in ONLINE_DEPTH_FIELDS]
    return {"item": item, "guide": item.published_version, "data": guide_to_dict(item), "depth": depth}


def export_catalog() -> dict[str, Any]:
    """The whole published catalog as one JSON document (never a draft)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": timezone.now().isoformat(),
        "catalog_version": queries.version(),
        "items": [guide_to_dict(item) for item in queries.published_catalog()],
    }


EXPORT_TIMEOUT = 24 * 3600


def export_json() -> str:
    """``export_catalog`` as JSON text, cached per catalog version (a publish changes the key), per
    directory version (places and hours) and per language (the labels)."""
    key = f"catalog:export:{queries.version()}:{directory_queries.version()}:{get_language()}"
    content = caches["pages"].get(key)
    if content is None:
        content = json.dumps(export_catalog(), ensure_ascii=False, indent=1)
        caches["pages"].set(key, content, EXPORT_TIMEOUT)
    return content
