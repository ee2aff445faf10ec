"""Demo catalog content: realistic Changchun items, published through the services (so the
publication checks run). Called by ``load_demo``; idempotent — an item already published is skipped.

Two sets: ``core`` (the five original items other tests rely on; the pytest ``demo`` fixture loads
only these, because publishing ~90 guides through the services costs seconds per test) and ``full``
(``make run``: every department module of ``demo_data``, 80+ items, city and district).

Each department's guides are drafted by a demo guide editor of that department (``catalog_editor``,
created here when missing, holds the role in every demo catalog department) and published by the
owning office, the way Art. 7 describes: the city office (``city_admin``) for city items, the
district office for a district's items (``nanguan_admin`` for Nanguan, ``catalog_district_admin`` —
created here — for the other districts). Blank forms and samples are the PDFs in ``demo_files/``,
each stored once and shared by every material that offers it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage

from govhall.accounts import services as account_services
from govhall.accounts.models import Role, User
from govhall.catalog import services
from govhall.catalog.demo_data import FILES, business, core, health, housing, licenses, market, people
from govhall.catalog.models import LicenseType, ServiceItem
from govhall.directory.models import Department, Region

EDITOR_USERNAME = "catalog_editor"
EDITOR_PASSWORD = "Changchun@2026-catalog"  # noqa: S105 (demo account; staff also need TOTP to log in)
DISTRICT_ADMIN_USERNAME = "catalog_district_admin"
NANGUAN_ADMIN_USERNAME = "nanguan_admin"

CATALOGS = ("core", "full")
FILES_DIR = Path(__file__).resolve().parent / "demo_files"
STORED_FILES_DIR = "catalog/demo"

CORE_ITEMS: list[dict[str, Any]] = core.ITEMS
FULL_ITEMS: list[dict[str, Any]] = [
    *core.ITEMS,
    *market.ITEMS,
    *people.ITEMS,
    *health.ITEMS,
    *housing.ITEMS,
    *business.ITEMS,
]
# department, sequence, name, fields[, validity rule]
CORE_LICENSE_TYPES = core.LICENSE_TYPES
FULL_LICENSE_TYPES = [*core.LICENSE_TYPES, *licenses.LICENSE_TYPES]


def catalog_items(catalog: str = "full") -> list[dict[str, Any]]:
    return CORE_ITEMS if catalog == "core" else FULL_ITEMS


def _staff(username: str, name: str) -> User:
    user = User.objects.filter(username=username).first()
    return user or account_services.create_staff(username=username, name=name, password=EDITOR_PASSWORD, by=None)


def _editor(departments: list[Department]) -> User:
    editor = _staff(EDITOR_USERNAME, "目录编辑")
    for department in departments:
        account_services.assign_role(editor, Role.GUIDE_EDITOR, department, by=None)
    return editor


def _publishers(city_admin: User, regions: list[Region]) -> dict[int, User]:
    """The owning office of each region: the city office, or the district's office (Art. 7)."""
    publishers = {}
    nanguan = User.objects.filter(username=NANGUAN_ADMIN_USERNAME).first()
    for region in regions:
        if region.parent_id is None:
            publishers[region.pk] = city_admin
        elif nanguan is not None and nanguan.has_role(Role.DISTRICT_ADMIN, region=region.pk):
            publishers[region.pk] = nanguan
        else:
            district_admin = _staff(DISTRICT_ADMIN_USERNAME, "区县目录管理员")
            account_services.assign_role(district_admin, Role.DISTRICT_ADMIN, region, by=None)
            publishers[region.pk] = district_admin
    return publishers


def _license_types(city_admin: User, departments: dict[str, Department], rows: list[tuple]) -> dict[str, LicenseType]:
    existing = {
        license_type.type_code: license_type
        for license_type in LicenseType.objects.filter(defining_department__in=departments.values())
    }
    types = {}
    for department, sequence, name, fields, *validity in rows:
        code = departments[department].uscc + sequence
        types[name] = existing.get(code) or services.create_license_type(
            by=city_admin,
            type_code=code,
            name=name,
            defining_department=departments[department],
            fields=[{"name": key, "label": label} for key, label in fields],
            validity_rule=validity[0] if validity else ("长期有效" if name != "机动车驾驶证" else "6年、10年或长期"),
        )
    return types


def stored_file(key: str) -> str:
    """The storage name of a demo blank form / sample, saved on first use and shared afterwards."""
    filename, _title = FILES[key]
    name = f"{STORED_FILES_DIR}/{filename}"
    if not default_storage.exists(name):
        with (FILES_DIR / filename).open("rb") as handle:
            name = default_storage.save(name, File(handle, name=filename))
    return name


def _guide(spec: dict[str, Any], department: Department) -> dict[str, Any]:
    window_only = spec.get("window_only", False)
    return {
        "window_steps": core.WINDOW_STEPS,
        "online_steps": core.ONLINE_STEPS[:1] if window_only else core.ONLINE_STEPS,
        "consultation_phone": department.consultation_phone,
        "complaint_phone": department.complaint_phone,
        "fees": [],
        **spec["guide"],
    }


def _materials(spec: dict[str, Any], types: dict[str, LicenseType], files: dict[str, str]) -> list[dict[str, Any]]:
    materials = []
    for material in spec["materials"]:
        data = {key: value for key, value in material.items() if key != "license_types"}
        data["replacing_license_types"] = [types[name].pk for name in material.get("license_types", [])]
        for file_field in ("blank_form", "sample"):
            if data.get(file_field):
                key = data[file_field]
                if key not in files:
                    files[key] = stored_file(key)
                data[file_field] = files[key]
        materials.append(data)
    return materials


def _publish_item(spec: dict[str, Any], context: dict[str, Any]) -> None:
    department = context["departments"][spec["department"]]
    region = context["regions"][spec.get("region")]
    code = department.uscc + spec["suffix"]
    item = ServiceItem.objects.filter(implementation_code=code).first()
    if item is None:
        item = services.create_item(
            by=context["publishers"][region.pk],
            basic_code=spec["basic_code"],
            implementation_code=code,
            name=spec["name"],
            item_type=spec["item_type"],
            department=department,
            region=region,
            service_object=spec["service_object"],
            case_type=spec["case_type"],
            themes=spec["themes"],
            aliases=spec["aliases"],
            keywords=spec["keywords"],
            result_license_types=[context["types"][name].pk for name in spec["result"]],
            **spec["depth"],
        )
    editor = context["editor"]
    draft = item.versions.filter(status__in=["draft", "returned"]).first() or services.start_draft(item.pk, by=editor)
    centres = [department.centre_id] if department.centre_id else []
    services.update_draft(draft.pk, by=editor, centres=centres, **_guide(spec, department))
    services.set_materials(draft.pk, by=editor, materials=_materials(spec, context["types"], context["files"]))
    services.submit(draft.pk, by=editor)
    services.publish(draft.pk, by=context["publishers"][region.pk])


def load(city_admin: User, catalog: str = "full") -> None:
    """Create the demo license types and items and publish their guides (idempotent)."""
    specs = catalog_items(catalog)
    published = set(
        ServiceItem.objects.filter(published_version__isnull=False).values_list("implementation_code", flat=True)
    )
    rows = CORE_LICENSE_TYPES if catalog == "core" else FULL_LICENSE_TYPES
    names = {spec["department"] for spec in specs} | {row[0] for row in rows}
    departments = {department.name: department for department in Department.objects.filter(name__in=names)}
    city = Region.objects.get(parent__isnull=True)
    regions = {None: city, **{r.code: r for r in Region.objects.filter(code__in={s.get("region") for s in specs})}}
    types = _license_types(city_admin, departments, rows)
    pending = [spec for spec in specs if departments[spec["department"]].uscc + spec["suffix"] not in published]
    if not pending:
        return
    context = {
        "departments": departments,
        "regions": regions,
        "types": types,
        "files": {},
        "editor": _editor(sorted({departments[spec["department"]] for spec in pending}, key=lambda d: d.pk)),
        "publishers": _publishers(city_admin, list({regions[spec.get("region")] for spec in pending})),
    }
    for spec in pending:
        _publish_item(spec, context)
