"""The catalog import (issue 5, item 10): row-level errors, all or nothing, drafts only, city office only."""

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook, load_workbook

from govhall.catalog import imports, services
from govhall.catalog.models import GuideVersion, ServiceItem, VersionStatus
from govhall.core.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

CODE_A = "11220100MB1234567X9000000000001"
CODE_B = "11220100MB1234567X9000000000002"


def row(world, **overrides):
    """A valid item row for the city department, as a person fills in the template."""
    values = {
        "实施编码": CODE_A,
        "基本编码": "000101001000",
        "事项名称": "城乡居民养老保险参保登记",
        "事项类型": "01",
        "实施主体": world.department.name,
        "所属区划": world.city.code,
        "服务对象": "自然人",
        "办件类型": "即办件",
        "网上预约": "是",
        "全流程网办": "否",
        "主题": "退休养老、social_security",
        "别名": "养老参保",
        "受理条件": "年满16周岁",
        "法定时限": 20,
        "承诺时限": 5,
        "咨询电话": "0431-12345",
        "收费项目": "工本费",
        "收费标准（元）": "10.5",
        "收费依据": "发改价格〔2020〕1号",
    }
    values.update(overrides)
    return values


def workbook(items, materials=(), *, drop_columns=()):
    book = Workbook()
    sheet = book.active
    sheet.title = "事项"
    headers = [name for name in imports.ITEM_COLUMNS if name not in drop_columns]
    sheet.append(headers)
    for values in items:
        sheet.append([values.get(name) for name in headers])
    material_sheet = book.create_sheet("材料")
    material_sheet.append(list(imports.MATERIAL_COLUMNS))
    for values in materials:
        material_sheet.append([values.get(name) for name in imports.MATERIAL_COLUMNS])
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def errors(preview):
    return [(e.sheet, e.row, e.column) for e in preview.all_errors]


def test_a_valid_workbook_previews_every_value(world):
    materials = [
        {"实施编码": CODE_A, "材料名称": "居民身份证", "材料形式": "原件", "受理标准": "真实有效"},
        {"实施编码": CODE_A, "材料名称": "委托书", "必要性": "容缺或情形必要", "份数": 2},
    ]
    preview = imports.parse_workbook(workbook([row(world)], materials))
    assert preview.is_valid, preview.all_errors
    (parsed,) = preview.rows
    assert parsed.item["item_type"] == "01"
    assert parsed.item["case_type"] == "1"
    assert parsed.item["themes"] == ["retirement", "social_security"]
    assert parsed.item["booking"] is True
    assert parsed.item["full_online"] is False
    assert parsed.guide["fees"] == [
        {"name": "工本费", "amount_fen": 1050, "legal_basis": "发改价格〔2020〕1号", "exemption": ""}
    ]
    assert [(m["name"], m["form"], m["necessity"], m["count"]) for m in parsed.materials] == [
        ("居民身份证", "original", "required", 1),
        ("委托书", "electronic", "conditional", 2),
    ]


@pytest.mark.parametrize(
    ("overrides", "column", "reason"),
    [
        ({"实施编码": "ABC"}, "实施编码", "wrong length"),
        ({"实施编码": "11220100mb1234567x9000000000001"}, "实施编码", "lower-case letters"),
        ({"基本编码": "0001-0100100"}, "基本编码", "a character outside 0-9A-Z"),
        ({"事项名称": None}, "事项名称", "required"),
        ({"事项类型": "99"}, "事项类型", "unknown type code"),
        ({"事项类型": "行政审批"}, "事项类型", "unknown type name"),
        ({"实施主体": "不存在的局"}, "实施主体", "unknown department"),
        ({"所属区划": "999999"}, "所属区划", "unknown region"),
        ({"服务对象": "外星人"}, "服务对象", "unknown service object"),
        ({"办件类型": "3"}, "办件类型", "unknown case type"),
        ({"网上预约": "可以"}, "网上预约", "neither 是 nor 否"),
        ({"主题": "退休养老、旅游"}, "主题", "unknown theme"),
        ({"法定时限": "二十"}, "法定时限", "not a number"),
        ({"承诺时限": 30}, "承诺时限", "promised longer than statutory"),
        ({"收费标准（元）": "10.005"}, "收费标准（元）", "a fee with three decimals"),
        ({"收费标准（元）": "-1"}, "收费标准（元）", "a negative fee"),
        ({"收费依据": None}, "收费依据", "a fee without legal basis"),
        ({"事项名称": "名" * 201}, "事项名称", "too long for the model"),
    ],
)
def test_bad_cells_are_reported_with_row_and_column(world, overrides, column, reason):
    preview = imports.parse_workbook(workbook([row(world, 实施编码=CODE_B), row(world, **overrides)]))
    assert not preview.is_valid, reason
    assert errors(preview) == [("事项", 3, column)], reason
    assert all(e.message for e in preview.all_errors)


def test_department_by_uscc(world):
    preview = imports.parse_workbook(workbook([row(world, 实施主体=world.district_department.uscc)]))
    assert preview.rows[0].department_name == world.district_department.name


def test_duplicate_codes_in_the_file_and_in_the_library(world):
    preview = imports.parse_workbook(workbook([row(world), row(world, 事项名称="重复")]))
    assert errors(preview) == [("事项", 3, "实施编码")]
    assert "第2行" in preview.all_errors[0].message
    preview = imports.parse_workbook(workbook([row(world, 实施编码=world.city_item.implementation_code)]))
    assert errors(preview) == [("事项", 2, "实施编码")]
    assert "已有" in preview.all_errors[0].message


def test_material_rows_are_checked(world):
    materials = [
        {"实施编码": CODE_B, "材料名称": "身份证"},  # no such item in the file
        {"实施编码": CODE_A, "材料名称": None},
        {"实施编码": CODE_A, "材料名称": "户口簿", "材料形式": "传真件", "份数": 0},
    ]
    preview = imports.parse_workbook(workbook([row(world)], materials))
    assert sorted(errors(preview)) == [
        ("材料", 2, "实施编码"),
        ("材料", 3, "材料名称"),
        ("材料", 4, "份数"),
        ("材料", 4, "材料形式"),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 not a workbook", "无法读取文件"),
        (None, "缺少必填列“事项名称”"),
        (b"", "无法读取文件"),
    ],
)
def test_unreadable_or_incomplete_files(world, content, message):
    file = workbook([row(world)], drop_columns=("事项名称",)) if content is None else BytesIO(content)
    preview = imports.parse_workbook(file)
    assert not preview.is_valid
    assert message in preview.all_errors[0].message


def test_empty_sheet_is_not_valid(world):
    preview = imports.parse_workbook(workbook([]))
    assert not preview.is_valid
    assert "没有数据行" in preview.all_errors[0].message


def test_apply_creates_items_and_drafts_never_published(world):
    materials = [{"实施编码": CODE_A, "材料名称": "居民身份证", "受理标准": "真实有效"}]
    district_row = row(world, 实施编码=CODE_B, 实施主体=world.district_department.name, 所属区划=world.district.code)
    preview = imports.parse_workbook(workbook([row(world), district_row], materials))
    drafts = imports.apply_import(preview, by=world.city_admin)
    assert [d.status for d in drafts] == [VersionStatus.DRAFT] * 2
    item = ServiceItem.objects.get(implementation_code=CODE_A)
    assert item.published_version is None
    draft = item.versions.get()
    assert draft.conditions == "年满16周岁"
    assert (draft.statutory_limit, draft.promised_limit) == (20, 5)
    assert draft.fees[0]["amount_fen"] == 1050
    assert list(draft.materials.values_list("name", flat=True)) == ["居民身份证"]
    assert ServiceItem.objects.get(implementation_code=CODE_B).region == world.district
    assert AuditEvent.objects.filter(action="catalog.items_imported").count() == 1
    # the department takes over the draft: it edits and submits it (Art. 7)
    services.update_draft(draft.pk, by=world.editor, conditions="年满16周岁的城乡居民")
    services.submit(draft.pk, by=world.editor)


def test_nothing_is_imported_when_one_row_is_invalid(world):
    before = (ServiceItem.objects.count(), GuideVersion.objects.count(), AuditEvent.objects.count())
    preview = imports.parse_workbook(workbook([row(world), row(world, 实施编码=CODE_B, 所属区划="999999")]))
    with pytest.raises(ValidationError, match="未导入任何事项"):
        imports.apply_import(preview, by=world.city_admin)
    assert (ServiceItem.objects.count(), GuideVersion.objects.count(), AuditEvent.objects.count()) == before


def test_a_late_conflict_rolls_everything_back(world):
    """A code taken between preview and confirm: the service refuses, the first row is undone too."""
    preview = imports.parse_workbook(workbook([row(world), row(world, 实施编码=CODE_B)]))
    services.create_item(
        by=world.city_admin, **{**preview.rows[1].item, "department": world.department, "region": world.city}
    )
    with pytest.raises(ValidationError):
        imports.apply_import(preview, by=world.city_admin)
    assert not ServiceItem.objects.filter(implementation_code=CODE_A).exists()


@pytest.mark.parametrize("actor", ["district_admin", "editor", "department_admin"])
def test_only_the_city_office_imports(world, actor):
    preview = imports.parse_workbook(workbook([row(world)]))
    with pytest.raises(PermissionDenied):
        imports.apply_import(preview, by=getattr(world, actor))
    assert not ServiceItem.objects.filter(implementation_code=CODE_A).exists()


def test_city_office_writes_only_the_first_draft_of_its_import(world):
    """The import's extension of ``catalog.edit_guide`` stays narrow: not a department's draft."""
    imports.apply_import(imports.parse_workbook(workbook([row(world)])), by=world.city_admin)
    other = services.start_draft(world.city_item.pk, by=world.editor)
    with pytest.raises(PermissionDenied):
        services.update_draft(other.pk, by=world.city_admin, conditions="改")


def test_template_has_headers_an_example_and_drop_downs(world):
    book = load_workbook(BytesIO(imports.build_template()))
    items, materials = book["事项"], book["材料"]
    assert [c.value for c in items[1]] == list(imports.ITEM_COLUMNS)
    assert [c.value for c in materials[1]] == list(imports.MATERIAL_COLUMNS)
    assert items.cell(row=2, column=1).value == imports.EXAMPLE_ITEM["实施编码"]
    assert items["A1"].comment is not None
    assert any('"是,否"' in v.formula1 for v in items.data_validations.dataValidation)


def test_template_example_imports_once_its_department_exists(world):
    """The example row is a real, valid row: a person can follow it exactly."""
    from govhall.directory.tests.factories import DepartmentFactory

    DepartmentFactory(name="长春市市场监督管理局", region=world.city, level="city")
    preview = imports.parse_workbook(BytesIO(imports.build_template()))
    assert preview.is_valid, preview.all_errors
    assert len(preview.rows[0].materials) == 2


# --- The workbench pages: upload → preview → confirm → result (city office only) ---


def _upload(client, content: bytes, name: str = "目录.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/workbench/catalog/import/", {"file": SimpleUploadedFile(name, content)})


def _demo_row(**overrides):
    from govhall.directory.models import Department

    department = Department.objects.filter(region__code="220100").first()
    return {
        "实施编码": CODE_A,
        "基本编码": "000101001000",
        "事项名称": "导入测试事项<b>粗体</b>",
        "事项类型": "公共服务",
        "实施主体": department.uscc,
        "所属区划": "220100",
        "服务对象": "法人",
        "办件类型": "承诺件",
        **overrides,
    }


def test_import_journey(staff_client):
    client = staff_client("city_admin")
    assert client.get("/workbench/catalog/import/").status_code == 200
    template = client.get("/workbench/catalog/import/template.xlsx")
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    response = _upload(client, workbook([_demo_row()]).getvalue())
    assert response.status_code == 302
    preview_url = response["Location"]
    html = client.get(preview_url).content.decode()
    assert "检查通过" in html
    assert "导入测试事项&lt;b&gt;粗体&lt;/b&gt;" in html  # escaped
    response = client.post(preview_url + "confirm/")
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    item = ServiceItem.objects.get(implementation_code=CODE_A)
    assert item.published_version is None
    assert "已导入 1 个事项" in html
    assert CODE_A in html
    assert client.get(preview_url).status_code == 404  # the stored file is gone after the import


def test_preview_lists_row_errors_and_offers_no_confirm(staff_client):
    client = staff_client("city_admin")
    response = _upload(client, workbook([_demo_row(), _demo_row(基本编码="123")]).getvalue())
    html = client.get(response["Location"]).content.decode()
    assert "发现 2 处错误" in html  # row 3: the basic code, and the code duplicated from row 2
    assert "基本编码应为12位数字或大写字母。" in html
    assert "与第2行的实施编码重复。" in html
    assert "确认导入为草稿" not in html
    assert client.post(response["Location"] + "confirm/").status_code == 400
    assert not ServiceItem.objects.filter(implementation_code=CODE_A).exists()


def test_an_executable_is_refused_at_upload(staff_client):
    client = staff_client("city_admin")
    response = _upload(client, b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, name="目录.xlsx")
    assert response.status_code == 400
    assert "xlsx" in response.content.decode() or "可执行" in response.content.decode()


def test_another_persons_token_is_not_found(staff_client):
    client = staff_client("city_admin")
    assert client.get("/workbench/catalog/import/not-my-token/").status_code == 404


def test_district_office_is_denied(staff_client):
    client = staff_client("nanguan_admin")
    assert client.get("/workbench/catalog/import/").status_code == 403
    assert _upload(client, workbook([_demo_row()]).getvalue()).status_code == 403
    assert client.get("/workbench/catalog/import/template.xlsx").status_code == 403
