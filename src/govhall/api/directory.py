"""Directory endpoints: regions, sub-halls, service centres and departments (public, read-only)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema

from govhall.directory import queries

router = Router(tags=["directory"])


class RegionOut(Schema):
    code: str
    name: str
    name_en: str
    kind: str
    parent_code: str | None = Field(None, alias="parent.code")
    is_official_code: bool


class SubHallOut(Schema):
    region_code: str = Field(..., alias="region.code")
    region_name: str = Field(..., alias="region.name")
    title: str
    banner_text: str
    notice: str
    contact_phone: str
    contact_address: str


class CentreOut(Schema):
    code: str
    name: str
    level: str
    region_code: str = Field(..., alias="region.code")
    address: str
    phone: str
    office_hours: dict[str, list[list[str]]]
    office_hours_text: str

    @staticmethod
    def resolve_office_hours(centre) -> dict:
        return centre.hours.to_json()

    @staticmethod
    def resolve_office_hours_text(centre) -> str:
        return centre.hours.describe()


class DepartmentOut(Schema):
    id: int
    name: str
    short_name: str
    uscc: str
    level: str
    region_code: str
    centre_code: str | None = None
    consultation_phone: str
    complaint_phone: str


@router.get("/regions", response=list[RegionOut], summary="行政区划")
def list_regions(request: HttpRequest, parent: str | None = None):
    return queries.regions(parent_code=parent)


@router.get("/sub-halls", response=list[SubHallOut], summary="分厅列表")
def list_sub_halls(request: HttpRequest):
    return queries.sub_halls()


@router.get("/sub-halls/{code}", response=SubHallOut, summary="分厅详情")
def get_sub_hall(request: HttpRequest, code: str):
    return queries.sub_hall_by_code(code)


@router.get("/centres", response=list[CentreOut], summary="政务服务中心")
def list_centres(request: HttpRequest, region: str | None = None):
    return queries.centres(region_code=region)


@router.get("/centres/{code}", response=CentreOut, summary="政务服务中心详情")
def get_centre(request: HttpRequest, code: str):
    return queries.centre_by_code(code)


@router.get("/departments", response=list[DepartmentOut], summary="事项服务主体")
def list_departments(request: HttpRequest, region: str | None = None):
    return queries.departments(region_code=region)
