"""The city office imports a catalog spreadsheet (issue 5, item 10): preview first, drafts only.

The workbook has a sheet ``事项`` (one row per item, columns ``ITEM_COLUMNS``) and a sheet ``材料``
(one row per material, keyed by 实施编码). ``parse_workbook`` reads and checks every row and
collects every problem with its row, column and a Chinese message (the one-time notice of Art. 32,
applied to the office's own data); ``apply_import`` creates the items and their first DRAFT guides
through the catalog services in one transaction, or nothing at all. A published version is never
created here: the department confirms and submits each draft (Art. 7), the office publishes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import IO, Any
from zipfile import BadZipFile

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from govhall.catalog import services
from govhall.catalog.models import (
    CaseType,
    GuideVersion,
    ItemType,
    MaterialForm,
    MaterialSource,
    Necessity,
    ServiceItem,
    ServiceObject,
)
from govhall.catalog.themes import ENTERPRISE_THEMES, PERSONAL_THEMES
from govhall.core.audit.services import record
from govhall.core.permissions import ensure_permission
from govhall.directory.models import Department, Region

ITEMS_SHEET = "事项"
MATERIALS_SHEET = "材料"
NOTES_SHEET = "填写说明"
MAX_ROWS = 2000
YES, NO = "是", "否"

# column header -> (model / guide field, required, note shown as the header's comment)
ITEM_COLUMNS: dict[str, tuple[str, bool, str]] = {
    "实施编码": ("implementation_code", True, "31位数字或大写字母，全市唯一"),
    "基本编码": ("basic_code", True, "12位数字或大写字母"),
    "事项名称": ("name", True, "不超过200字"),
    "事项类型": ("item_type", True, "代码（如01）或名称（如行政许可）"),
    "实施主体": ("department", True, "部门全称或统一社会信用代码"),
    "所属区划": ("region", True, "区划代码，如220100（市级）、220102（南关区）"),
    "服务对象": ("service_object", True, "自然人、法人或“自然人、法人”"),
    "办件类型": ("case_type", True, "1 即办件 或 2 承诺件（代码或名称）"),
    "网上预约": ("booking", False, "是/否，留空为否"),
    "网上预审": ("pre_review", False, "是/否，留空为否"),
    "全流程网办": ("full_online", False, "是/否，留空为否"),
    "网上支付": ("online_payment", False, "是/否，留空为否"),
    "物流快递": ("delivery", False, "是/否，留空为否"),
    "主题": ("themes", False, "主题代码或名称，多个用“、”或“,”分隔"),
    "别名": ("aliases", False, "以逗号或空格分隔"),
    "关键词": ("keywords", False, "以逗号或空格分隔"),
    "受理条件": ("conditions", False, ""),
    "设定依据": ("legal_basis", False, ""),
    "法定时限": ("statutory_limit", False, "工作日数，整数"),
    "承诺时限": ("promised_limit", False, "工作日数，整数，不超过法定时限"),
    "到现场次数": ("on_site_visits", False, "整数，留空为0"),
    "咨询电话": ("consultation_phone", False, ""),
    "投诉电话": ("complaint_phone", False, ""),
    "收费项目": ("fee_name", False, "不收费则留空"),
    "收费标准（元）": ("fee_amount", False, "金额（元），最多两位小数"),
    "收费依据": ("fee_basis", False, "收费时必填"),
}
MATERIAL_COLUMNS: dict[str, tuple[str, bool, str]] = {
    "实施编码": ("implementation_code", True, "对应“事项”表中的实施编码"),
    "材料名称": ("name", True, ""),
    "必要性": ("necessity", False, "必要 或 容缺或情形必要，留空为必要"),
    "材料形式": ("form", False, "原件、复印件或电子件，留空为电子件"),
    "来源渠道": ("source", False, "申请人自备、政府部门核发或电子证照，留空为申请人自备"),
    "份数": ("count", False, "正整数，留空为1"),
    "受理标准": ("acceptance_standard", False, ""),
    "填报须知": ("notes", False, ""),
}
GUIDE_KEYS = (
    "conditions",
    "legal_basis",
    "statutory_limit",
    "promised_limit",
    "on_site_visits",
    "consultation_phone",
    "complaint_phone",
)
BOOLEAN_FIELDS = ("booking", "pre_review", "full_online", "online_payment", "delivery")
EXAMPLE_ITEM = {
    "实施编码": "11220100013353386C2000000000001",
    "基本编码": "000101001000",
    "事项名称": "示例：个体工商户设立登记",
    "事项类型": "行政许可",
    "实施主体": "长春市市场监督管理局",
    "所属区划": "220100",
    "服务对象": "自然人",
    "办件类型": "即办件",
    "网上预约": YES,
    "网上预审": YES,
    "全流程网办": YES,
    "网上支付": NO,
    "物流快递": YES,
    "主题": "设立变更",
    "别名": "开店 办执照",
    "关键词": "营业执照",
    "受理条件": "申请人具有完全民事行为能力。",
    "设定依据": "《促进个体工商户发展条例》",
    "法定时限": 15,
    "承诺时限": 1,
    "到现场次数": 0,
    "咨询电话": "0431-12345",
    "投诉电话": "12345",
}
EXAMPLE_MATERIALS = [
    {"实施编码": EXAMPLE_ITEM["实施编码"], "材料名称": "个体工商户登记申请书", "必要性": "必要", "材料形式": "原件"},
    {"实施编码": EXAMPLE_ITEM["实施编码"], "材料名称": "经营者身份证明", "必要性": "必要", "材料形式": "电子件"},
]


@dataclass(frozen=True)
class RowError:
    """One problem: where it is (sheet, Excel row number, column header) and what is wrong."""

    sheet: str
    row: int
    column: str
    message: str


@dataclass
class ImportRow:
    """One item row, checked: ``item`` holds model values (``department`` / ``region`` as ids)."""

    row: int
    implementation_code: str
    name: str
    item: dict[str, Any] = field(default_factory=dict)
    guide: dict[str, Any] = field(default_factory=dict)
    materials: list[dict[str, Any]] = field(default_factory=list)
    department_name: str = ""
    region_name: str = ""
    errors: list[RowError] = field(default_factory=list)


@dataclass
class ImportPreview:
    """What an import would create, and every problem found (file-level ones have row 0)."""

    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def all_errors(self) -> list[RowError]:
        return self.errors + [error for row in self.rows for error in row.errors]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.all_errors


# --- cell readers: each returns the value or raises ValidationError with the message for the cell ---


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _choice(value: Any, choices: type, width: int = 0) -> str:
    """A choice by code (``01``, also ``1`` as Excel stores numbers) or by its Chinese label."""
    text = _text(value)
    if width and text.isdigit():
        text = text.zfill(width)
    for choice in choices:
        if text in (choice.value, str(choice.label)):
            return choice.value
    labels = "、".join(str(choice.label) for choice in choices)
    raise ValidationError(_("“%(value)s”无效，可填：%(labels)s。") % {"value": text, "labels": labels})


def _boolean(value: Any) -> bool:
    text = _text(value)
    if text in ("", NO):
        return False
    if text == YES:
        return True
    raise ValidationError(_("请填写“是”或“否”。"))


def _integer(value: Any, *, minimum: int = 0, default: int | None = None) -> int | None:
    text = _text(value)
    if not text:
        return default
    if not re.fullmatch(r"\d+", text) or int(text) < minimum:
        raise ValidationError(_("请填写不小于%(minimum)s的整数。") % {"minimum": minimum})
    return int(text)


def _fen(value: Any) -> int | None:
    """Yuan with at most two decimals → integer fen (money is integers, ARCHITECTURE.md)."""
    text = _text(value)
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("请填写金额（元），如 10 或 10.50。")) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError(_("请填写金额（元），如 10 或 10.50。"))
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_("收费标准最多两位小数（精确到分）。"))
    return int(amount * 100)


THEME_BY_LABEL = {str(label): code for code, label, _icon in PERSONAL_THEMES + ENTERPRISE_THEMES}
THEME_CODES = {code for code, _label, _icon in PERSONAL_THEMES + ENTERPRISE_THEMES}


def _themes(value: Any) -> list[str]:
    codes: list[str] = []
    for word in re.split(r"[、,，;；\s]+", _text(value)):
        if not word:
            continue
        code = word if word in THEME_CODES else THEME_BY_LABEL.get(word)
        if code is None:
            raise ValidationError(_("未知主题“%(word)s”。") % {"word": word})
        if code not in codes:
            codes.append(code)
    return codes


# --- the workbook ---


class _Lookups:
    """Departments, regions and existing item codes, loaded once per workbook (no query per row)."""

    def __init__(self) -> None:
        self.regions = {region.code: region for region in Region.objects.all()}
        departments = list(Department.objects.filter(is_active=True).select_related("region"))
        self.by_uscc = {department.uscc: department for department in departments}
        self.by_name: dict[str, list[Department]] = {}
        for department in departments:
            self.by_name.setdefault(department.name, []).append(department)
        self.existing_codes: set[str] = set()

    def department(self, value: Any) -> Department:
        text = _text(value)
        if text in self.by_uscc:
            return self.by_uscc[text]
        found = self.by_name.get(text, [])
        if len(found) == 1:
            return found[0]
        if found:
            raise ValidationError(_("有多个名为“%(name)s”的部门，请填写统一社会信用代码。") % {"name": text})
        raise ValidationError(_("未找到实施主体“%(name)s”。") % {"name": text})

    def region(self, value: Any) -> Region:
        text = _text(value)
        if text not in self.regions:
            raise ValidationError(_("未找到区划代码“%(code)s”。") % {"code": text})
        return self.regions[text]


def _header(sheet: Any, columns: dict[str, tuple[str, bool, str]], errors: list[RowError]) -> dict[str, int] | None:
    """Column header → index; a missing required column is a file-level error."""
    first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
    positions = {_text(value): index for index, value in enumerate(first) if _text(value)}
    missing = [name for name, (_key, required, _note) in columns.items() if required and name not in positions]
    for name in missing:
        errors.append(RowError(sheet.title, 1, name, _("缺少必填列“%(column)s”。") % {"column": name}))
    return None if missing else positions


def _rows(sheet: Any, positions: dict[str, int]):
    """``(excel row number, {header: value})`` for each non-empty row below the header."""
    for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if not any(_text(value) for value in values):
            continue
        yield number, {name: (values[index] if index < len(values) else None) for name, index in positions.items()}


def _cell(row: ImportRow, sheet: str, column: str, reader, value: Any) -> Any:
    try:
        return reader(value)
    except ValidationError as error:
        row.errors.append(RowError(sheet, row.row, column, " ".join(error.messages)))
        return None


def _item_row(number: int, cells: dict[str, Any], lookups: _Lookups) -> ImportRow:
    row = ImportRow(row=number, implementation_code=_text(cells.get("实施编码")), name=_text(cells.get("事项名称")))
    readers = {
        "事项类型": lambda v: _choice(v, ItemType, width=2),
        "服务对象": lambda v: _choice(v, ServiceObject),
        "办件类型": lambda v: _choice(v, CaseType),
        "主题": _themes,
        "法定时限": _integer,
        "承诺时限": _integer,
        "到现场次数": lambda v: _integer(v, default=0),
        "收费标准（元）": _fen,
        **dict.fromkeys(("网上预约", "网上预审", "全流程网办", "网上支付", "物流快递"), _boolean),
    }
    values: dict[str, Any] = {}
    for column, (key, required, _note) in ITEM_COLUMNS.items():
        raw = cells.get(column)
        if required and not _text(raw):
            row.errors.append(RowError(ITEMS_SHEET, number, column, _("必填。")))
            continue
        if column == "实施主体":
            department = _cell(row, ITEMS_SHEET, column, lookups.department, raw)
            values[key] = department
            row.department_name = department.name if department else ""
        elif column == "所属区划":
            region = _cell(row, ITEMS_SHEET, column, lookups.region, raw)
            values[key] = region
            row.region_name = region.name if region else ""
        else:
            values[key] = _cell(row, ITEMS_SHEET, column, readers.get(column, _text), raw)
    _check_guide(row, values)
    _check_model(row, values)
    return row


def _check_guide(row: ImportRow, values: dict[str, Any]) -> None:
    """Time limits and the fee: promised within statutory (Licensing Law Art. 42), a fee with its basis."""
    statutory, promised = values.get("statutory_limit"), values.get("promised_limit")
    if statutory is not None and promised is not None and promised > statutory:
        row.errors.append(RowError(ITEMS_SHEET, row.row, "承诺时限", _("承诺时限不能长于法定时限。")))
    fee_name, amount, basis = values.get("fee_name"), values.get("fee_amount"), values.get("fee_basis")
    fees = []
    if fee_name or amount is not None or basis:
        if not fee_name:
            row.errors.append(RowError(ITEMS_SHEET, row.row, "收费项目", _("填写了收费标准，请填写收费项目。")))
        if amount is None and not any(e.column == "收费标准（元）" for e in row.errors):
            row.errors.append(RowError(ITEMS_SHEET, row.row, "收费标准（元）", _("请填写收费标准。")))
        if not basis:
            row.errors.append(RowError(ITEMS_SHEET, row.row, "收费依据", _("收费必须写明法律依据。")))
        fees = [{"name": fee_name, "amount_fen": amount, "legal_basis": basis, "exemption": ""}]
    row.guide = {key: values.get(key) for key in GUIDE_KEYS}
    row.guide["on_site_visits"] = row.guide["on_site_visits"] or 0
    row.guide["fees"] = fees


def _check_model(row: ImportRow, values: dict[str, Any]) -> None:
    """The model's own validators (code length and alphabet, lengths, choices), column by column."""
    fields = {key: values.get(key) for key in services.ITEM_FIELDS}
    columns = {key: column for column, (key, _required, _note) in ITEM_COLUMNS.items()}
    failed = {error.column for error in row.errors}
    candidate = ServiceItem(**{k: v for k, v in fields.items() if v is not None})
    try:  # department and region were looked up already: no query per row
        candidate.full_clean(exclude=["department", "region"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            column = columns.get(key, key)
            if column not in failed:
                row.errors.append(RowError(ITEMS_SHEET, row.row, column, " ".join(messages)))
    row.item = {
        **fields,
        "department": fields["department"].pk if fields.get("department") else None,
        "region": fields["region"].pk if fields.get("region") else None,
    }


def _material_row(number: int, cells: dict[str, Any], rows: dict[str, ImportRow]) -> tuple[str, dict, list]:
    code = _text(cells.get("实施编码"))
    errors: list[RowError] = []
    holder = ImportRow(row=number, implementation_code=code, name="")
    if code not in rows:
        errors.append(
            RowError(MATERIALS_SHEET, number, "实施编码", _("“事项”表中没有实施编码“%(code)s”。") % {"code": code})
        )
    name = _text(cells.get("材料名称"))
    if not name:
        errors.append(RowError(MATERIALS_SHEET, number, "材料名称", _("必填。")))
    elif len(name) > 200:
        errors.append(RowError(MATERIALS_SHEET, number, "材料名称", _("不超过200字。")))
    material = {
        "name": name,
        "necessity": _cell(
            holder,
            MATERIALS_SHEET,
            "必要性",
            lambda v: _choice(v or Necessity.REQUIRED.label, Necessity),
            cells.get("必要性"),
        ),
        "form": _cell(
            holder,
            MATERIALS_SHEET,
            "材料形式",
            lambda v: _choice(v or MaterialForm.ELECTRONIC.label, MaterialForm),
            cells.get("材料形式"),
        ),
        "source": _cell(
            holder,
            MATERIALS_SHEET,
            "来源渠道",
            lambda v: _choice(v or MaterialSource.APPLICANT.label, MaterialSource),
            cells.get("来源渠道"),
        ),
        "count": _cell(holder, MATERIALS_SHEET, "份数", lambda v: _integer(v, minimum=1, default=1), cells.get("份数")),
        "acceptance_standard": _text(cells.get("受理标准")),
        "notes": _text(cells.get("填报须知")),
    }
    return code, material, errors + holder.errors


def _duplicates(rows: list[ImportRow]) -> None:
    """A code twice in the file, or already in the library: the later row is wrong."""
    existing = set(
        ServiceItem.objects.filter(implementation_code__in=[row.implementation_code for row in rows]).values_list(
            "implementation_code", flat=True
        )
    )
    seen: dict[str, int] = {}
    for row in rows:
        code = row.implementation_code
        if not code:
            continue
        if code in existing:
            row.errors.append(RowError(ITEMS_SHEET, row.row, "实施编码", _("事项库中已有此实施编码。")))
        elif code in seen:
            row.errors.append(
                RowError(ITEMS_SHEET, row.row, "实施编码", _("与第%(row)s行的实施编码重复。") % {"row": seen[code]})
            )
        seen.setdefault(code, row.row)


def _open(file: IO[bytes]) -> Any:
    try:
        return load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError):
        return None


def parse_workbook(file: IO[bytes]) -> ImportPreview:
    """Read and check every row of a catalog workbook; nothing is written to the database."""
    preview = ImportPreview()
    workbook = _open(file)
    if workbook is None:
        preview.errors.append(RowError("", 0, "", _("无法读取文件，请使用下载的模板（.xlsx）填写。")))
        return preview
    if ITEMS_SHEET not in workbook.sheetnames:
        preview.errors.append(RowError(ITEMS_SHEET, 0, "", _("缺少工作表“%(sheet)s”。") % {"sheet": ITEMS_SHEET}))
        return preview
    lookups = _Lookups()
    sheet = workbook[ITEMS_SHEET]
    positions = _header(sheet, ITEM_COLUMNS, preview.errors)
    if positions is None:
        return preview
    for number, cells in _rows(sheet, positions):
        if len(preview.rows) >= MAX_ROWS:
            preview.errors.append(
                RowError(ITEMS_SHEET, number, "", _("一次最多导入%(max)s个事项。") % {"max": MAX_ROWS})
            )
            break
        preview.rows.append(_item_row(number, cells, lookups))
    if not preview.rows:
        preview.errors.append(RowError(ITEMS_SHEET, 0, "", _("“事项”表中没有数据行。")))
    _duplicates(preview.rows)
    _read_materials(workbook, preview)
    workbook.close()
    return preview


def _read_materials(workbook: Any, preview: ImportPreview) -> None:
    if MATERIALS_SHEET not in workbook.sheetnames:
        return
    sheet = workbook[MATERIALS_SHEET]
    positions = _header(sheet, MATERIAL_COLUMNS, preview.errors)
    if positions is None:
        return
    by_code = {row.implementation_code: row for row in preview.rows}
    for number, cells in _rows(sheet, positions):
        code, material, errors = _material_row(number, cells, by_code)
        if code in by_code:
            by_code[code].materials.append(material)
            by_code[code].errors.extend(errors)
        else:
            preview.errors.extend(errors)


@transaction.atomic
def apply_import(preview: ImportPreview, *, by: Any) -> list[GuideVersion]:
    """Create every item and its first DRAFT guide (never published), or nothing (issue 5, item 10)."""
    ensure_permission(by, "catalog.import_items")
    if not preview.is_valid:
        raise ValidationError(_("导入文件中有 %(count)s 处错误，未导入任何事项。") % {"count": len(preview.all_errors)})
    departments = Department.objects.in_bulk({row.item["department"] for row in preview.rows})
    regions = Region.objects.in_bulk({row.item["region"] for row in preview.rows})
    drafts = []
    for row in preview.rows:
        fields = {**row.item, "department": departments[row.item["department"]], "region": regions[row.item["region"]]}
        item = services.create_item(by=by, **fields)
        draft = services.start_draft(item.pk, by=by)
        services.update_draft(draft.pk, by=by, **row.guide)
        services.set_materials(draft.pk, by=by, materials=row.materials)
        drafts.append(draft)
    record(
        by,
        "catalog.items_imported",
        None,
        after={"implementation_codes": [r.implementation_code for r in preview.rows]},
    )
    return drafts


# --- the blank template ---


def _sheet(workbook: Workbook, title: str, columns: dict[str, tuple[str, bool, str]], examples: list[dict]) -> Any:
    sheet = workbook.create_sheet(title)
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    for index, (name, (_key, required, note)) in enumerate(columns.items(), start=1):
        cell = sheet.cell(row=1, column=index, value=name)
        cell.font = bold
        if required:
            cell.fill = required_fill
        if note:
            cell.comment = Comment(("必填。" if required else "") + note, "govhall")
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(name) * 2 + 4)
    for row, example in enumerate(examples, start=2):
        for index, name in enumerate(columns, start=1):
            sheet.cell(row=row, column=index, value=example.get(name))
    sheet.freeze_panes = "A2"
    return sheet


def _validation(sheet: Any, columns: dict, column: str, values: list[str]) -> None:
    """An in-cell drop-down list for a column (rows 2..MAX_ROWS+1)."""
    letter = get_column_letter(list(columns).index(column) + 1)
    rule = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
    rule.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    sheet.add_data_validation(rule)


def build_template() -> bytes:
    """The blank workbook: headers with notes, one example item with two materials, drop-down lists."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    items = _sheet(workbook, ITEMS_SHEET, ITEM_COLUMNS, [EXAMPLE_ITEM])
    for column in ("网上预约", "网上预审", "全流程网办", "网上支付", "物流快递"):
        _validation(items, ITEM_COLUMNS, column, [YES, NO])
    _validation(items, ITEM_COLUMNS, "事项类型", [str(choice.label) for choice in ItemType])
    _validation(items, ITEM_COLUMNS, "服务对象", [str(choice.label) for choice in ServiceObject])
    _validation(items, ITEM_COLUMNS, "办件类型", [str(choice.label) for choice in CaseType])
    materials = _sheet(workbook, MATERIALS_SHEET, MATERIAL_COLUMNS, EXAMPLE_MATERIALS)
    _validation(materials, MATERIAL_COLUMNS, "必要性", [str(choice.label) for choice in Necessity])
    _validation(materials, MATERIAL_COLUMNS, "材料形式", [str(choice.label) for choice in MaterialForm])
    _validation(materials, MATERIAL_COLUMNS, "来源渠道", [str(choice.label) for choice in MaterialSource])
    notes = workbook.create_sheet(NOTES_SHEET)
    notes.append(["工作表", "列", "必填", "说明"])
    for title, columns in ((ITEMS_SHEET, ITEM_COLUMNS), (MATERIALS_SHEET, MATERIAL_COLUMNS)):
        for name, (_key, required, note) in columns.items():
            notes.append([title, name, YES if required else NO, note])
    notes.append(["", "", "", "导入只生成指南草稿，由部门确认提交、政务公开办审核发布后才对外公开。"])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
