"""Catalog endpoints: published items, search, guides, form definitions, history, export (public).

Every guide is serialised by ``catalog.export`` — the same code as the one-file export — so the API
shows exactly the published version in the database (Art. 3(3), Art. 17). Drafts never appear.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from govhall.catalog import export, queries
from govhall.catalog.highlight import highlight
from govhall.catalog.text import normalise

router = Router(tags=["catalog"])

MAX_PAGE_SIZE = 100


class Choice(Schema):
    code: str
    label: str


class LimitOut(Schema):
    value: int | None
    unit: Choice
    note: str


class FeeOut(Schema):
    name: str
    amount_fen: int
    amount_yuan: str
    legal_basis: str
    exemption: str


class StepOut(Schema):
    name: str
    applicant_action: str
    kind: str | None = None


class StageOut(Schema):
    name: str
    kind: Choice
    role: Choice
    days: int | None = None


class FaqOut(Schema):
    q: str
    a: str


class PlaceOut(Schema):
    code: str
    name: str
    address: str
    phone: str
    office_hours: str
    transport: str


class LicenseTypeRef(Schema):
    type_code: str
    name: str


class LicenseTypeOut(LicenseTypeRef):
    fields: list[dict[str, Any]]
    validity_rule: str


class MaterialOut(Schema):
    order: int
    name: str
    necessity: Choice
    condition: dict[str, Any] | None = None
    condition_text: str
    form: Choice
    source: Choice
    count: int
    paper_spec: str
    notes: str
    acceptance_standard: str
    replacing_license_types: list[LicenseTypeRef]
    non_shareable_legal_basis: str
    blank_form_url: str | None = None
    sample_url: str | None = None


class GuideOut(Schema):
    number: int
    status: Choice
    published_at: str | None
    conditions: str
    legal_basis: str
    statutory_limit: LimitOut
    promised_limit: LimitOut
    special_or_complex: bool
    on_site_visits: int
    fees: list[FeeOut]
    materials: list[MaterialOut]
    window_steps: list[StepOut]
    online_steps: list[StepOut]
    review_stages: list[StageOut]
    special_procedures: list[str]
    faq: list[FaqOut]
    consultation_phone: str
    complaint_phone: str
    centres: list[PlaceOut]
    form_definition: dict[str, Any]


class DepartmentRef(Schema):
    id: int
    name: str
    uscc: str


class RegionRef(Schema):
    code: str
    name: str


class OnlineDepth(Schema):
    booking: bool
    pre_review: bool
    full_online: bool
    online_payment: bool
    delivery: bool


class ItemOut(Schema):
    implementation_code: str
    basic_code: str
    name: str
    item_type: Choice
    service_object: Choice
    case_type: Choice
    department: DepartmentRef
    region: RegionRef
    online_depth: OnlineDepth
    themes: list[str]
    aliases: str
    keywords: str
    url: str


class ItemDetailOut(ItemOut):
    result_license_types: list[LicenseTypeOut]
    guide: GuideOut


class ItemPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ItemOut]


class SearchHitOut(ItemOut):
    rank: int = Field(..., description="3 名称匹配，2 别名或关键词匹配，1 实施主体匹配")
    matched: list[str] = Field(..., description="命中的检索词（含同义词）")
    name_highlighted: str = Field(..., description="事项名称，命中部分以 <mark> 标记（HTML，已转义）")


class SearchPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[SearchHitOut]


class VersionOut(Schema):
    number: int
    status: Choice
    published_at: str | None


class ExportOut(Schema):
    schema_version: str
    generated_at: str
    catalog_version: int
    items: list[ItemDetailOut]


class ItemFilters(Schema):
    theme: str | None = None
    department: int | None = None
    region: int | None = None
    depth: str | None = None
    page: int = 1
    page_size: int = 20


def _page(queryset: Any, filters: ItemFilters) -> tuple[int, int, int, list[Any]]:
    """Page number (from 1) and size (1..100), clamped; returns count, page, size and the rows."""
    size = min(max(filters.page_size, 1), MAX_PAGE_SIZE)
    page = max(filters.page, 1)
    rows = list(queryset[(page - 1) * size : page * size])
    return queryset.count(), page, size, rows


def _matched(item: Any, query: str) -> list[str]:
    """The query's words (or their synonyms) found in the item's name, aliases, keywords or department."""
    haystack = normalise(item.search_text)
    return [variant for variant in queries.expand(query) if variant in haystack]


@router.get("/items", response=ItemPage, summary="已发布事项列表")
def list_items(request: HttpRequest, filters: Query[ItemFilters]):
    found = queries.published_items(
        theme=filters.theme, department=filters.department, region=filters.region, depth=filters.depth
    ).order_by("implementation_code")
    count, page, size, rows = _page(found, filters)
    return {"count": count, "page": page, "page_size": size, "items": [export.item_to_dict(i) for i in rows]}


@router.get("/search", response=SearchPage, summary="事项搜索")
def search_items(request: HttpRequest, q: str, filters: Query[ItemFilters]):
    """Ranked like the portal's search: name above alias / keyword above department."""
    found = queries.search(
        q, theme=filters.theme, department=filters.department, region=filters.region, depth=filters.depth
    )
    count, page, size, rows = _page(found, filters)
    variants = queries.expand(q)
    hits = [
        {
            **export.item_to_dict(i),
            "rank": i.rank,
            "matched": _matched(i, q),
            "name_highlighted": highlight(i.name, variants),
        }
        for i in rows
    ]
    return {"count": count, "page": page, "page_size": size, "items": hits}


@router.get("/items/{code}", response=ItemDetailOut, summary="事项及现行办事指南")
def get_item(request: HttpRequest, code: str):
    return export.guide_to_dict(queries.item_detail(code))


@router.get("/items/{code}/form", response=dict[str, Any], summary="现行指南的申请表单定义")
def get_form_definition(request: HttpRequest, code: str):
    return queries.item_detail(code).published_version.form_definition


@router.get("/items/{code}/versions", response=list[VersionOut], summary="指南版本历史")
def list_versions(request: HttpRequest, code: str):
    """Published and superseded versions, newest first; drafts are not public."""
    versions = list(queries.guide_history(code))
    if not versions:
        queries.item_detail(code)  # raises DoesNotExist → 404 for an unknown item
    return [
        {"number": v.number, "status": export.choice(v, "status"), "published_at": _iso(v.published_at)}
        for v in versions
    ]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


@router.get("/items/{code}/versions/{number}", response=GuideOut, summary="某一版本的办事指南")
def get_version(request: HttpRequest, code: str, number: int):
    return export.version_to_dict(queries.guide_version(code, number), code)


@router.get("/export", response=ExportOut, summary="全部已发布事项（一次导出）")
def export_catalog(request: HttpRequest):
    """The same cached document as ``/catalog/export.json`` (schema: ``ExportOut``)."""
    return HttpResponse(export.export_json(), content_type="application/json; charset=utf-8")
