"""License types the fuller demo catalog issues or accepts (GB/T 36903/36904).

Type code = the defining department's USCC + a 3-digit sequence (``validate_license_type_code``);
the core set (``core.LICENSE_TYPES``) already holds 001/002 of the market regulator, 001 of civil
affairs and 001 of public security.
"""

from __future__ import annotations

from govhall.catalog.demo_data import (
    AMR,
    CIVIL,
    CULTURE,
    ECOLOGY,
    EDUCATION,
    HEALTH,
    HOUSING,
    HRSS,
    POLICE,
    RESOURCES,
    TRANSPORT,
    WATER,
)

_HOLDER = [("holder", "持证者"), ("license_number", "证书编号")]
_ENTITY = [("holder", "单位名称"), ("uscc", "统一社会信用代码"), ("license_number", "许可证编号")]

# department, sequence, name, fields, validity rule
LICENSE_TYPES = [
    (AMR, "003", "药品经营许可证", [*_ENTITY, ("scope", "经营范围")], "5年"),
    (AMR, "004", "特种设备使用登记证", [*_ENTITY, ("equipment", "设备品种")], "随设备报废失效"),
    (CIVIL, "002", "离婚证", [("holder_a", "持证人"), ("holder_b", "原配偶")], "长期有效"),
    (CIVIL, "003", "社会团体法人登记证书", _ENTITY, "5年"),
    (POLICE, "002", "居民户口簿", [("householder", "户主"), ("address", "住址")], "长期有效"),
    (POLICE, "003", "机动车行驶证", [("plate", "号牌号码"), ("owner", "所有人")], "长期有效"),
    (POLICE, "004", "无犯罪记录证明", _HOLDER, "3个月"),
    (HEALTH, "001", "公共场所卫生许可证", [*_ENTITY, ("category", "经营项目")], "4年"),
    (HEALTH, "002", "医疗机构执业许可证", [*_ENTITY, ("subjects", "诊疗科目")], "5年"),
    (HEALTH, "003", "出生医学证明", [("newborn", "新生儿姓名"), ("mother", "母亲姓名")], "长期有效"),
    (HEALTH, "004", "医师执业证书", [*_HOLDER, ("scope", "执业范围")], "长期有效"),
    (HOUSING, "001", "建筑工程施工许可证", [*_ENTITY, ("project", "工程名称")], "3个月内开工"),
    (HOUSING, "002", "商品房预售许可证", [*_ENTITY, ("project", "项目名称")], "项目售完为止"),
    (
        RESOURCES,
        "001",
        "不动产权证书",
        [("holder", "权利人"), ("location", "坐落"), ("unit", "不动产单元号")],
        "长期有效",
    ),
    (RESOURCES, "002", "建设工程规划许可证", [*_ENTITY, ("project", "建设项目名称")], "2年"),
    (RESOURCES, "003", "建设用地规划许可证", [*_ENTITY, ("project", "用地项目名称")], "长期有效"),
    (TRANSPORT, "001", "道路运输经营许可证", [*_ENTITY, ("scope", "经营范围")], "4年"),
    (TRANSPORT, "002", "道路运输从业人员从业资格证", [*_HOLDER, ("category", "从业资格类别")], "6年"),
    (ECOLOGY, "001", "排污许可证", [*_ENTITY, ("outlets", "排放口")], "5年"),
    (HRSS, "001", "社会保障卡", _HOLDER, "10年"),
    (HRSS, "002", "劳务派遣经营许可证", _ENTITY, "3年"),
    (HRSS, "003", "人力资源服务许可证", _ENTITY, "长期有效"),
    (HRSS, "004", "就业创业证", _HOLDER, "长期有效"),
    (EDUCATION, "001", "民办学校办学许可证", [*_ENTITY, ("level", "办学层次")], "5年"),
    (EDUCATION, "002", "教师资格证书", [*_HOLDER, ("subject", "任教学科")], "长期有效"),
    (CULTURE, "001", "娱乐经营许可证", _ENTITY, "2年"),
    (WATER, "001", "取水许可证", [*_ENTITY, ("volume", "取水量")], "5年"),
    (WATER, "002", "城镇污水排入排水管网许可证", _ENTITY, "5年"),
]
