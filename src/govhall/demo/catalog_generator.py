"""The ``catalog`` generator of ``manage.py generate_data``: N service items with published guides.

Why: the portal's search and guide pages must stay fast over a real catalog's size (a province
lists tens of thousands of implementations), not only over the demo's ~90 items. Names are real
item stems (食品经营许可, 社会保险登记…) combined with objects and handling variants (（新办）,
（变更）…) and spread over the demo departments and their district counterparts, so a 2-character
query (社保, 许可, 登记) matches a realistic share and a 4-character one (食品经营) far fewer.

Rows are written with ``bulk_create`` (synthetic data: the publication checks are bypassed, but
every row satisfies the model's constraints and ``search_text`` is built by
``ServiceItem.build_search_text`` as ``save()`` would). Generated items are recognisable by their
basic code, which starts with ``G`` (real basic codes are digits).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from govhall.catalog import queries
from govhall.catalog.demo_data import AGENT_FIELDS, ENTERPRISE_FIELDS, ONLINE_STEPS, PERSON_FIELDS, WINDOW_STEPS
from govhall.catalog.models import GuideVersion, MaterialRequirement, ServiceItem, VersionStatus
from govhall.directory.models import Department

BASIC_PREFIX = "G"
IMPLEMENTATION_MARK = "G"  # the first of the 13 characters after the department's USCC


@dataclass(frozen=True)
class Stem:
    """A real item name pattern: ``{obj}`` is filled from ``objects`` when given."""

    pattern: str
    department: str
    item_type: str
    service_object: str
    themes: tuple[str, ...]
    keywords: str
    basis: str
    objects: tuple[str, ...] = ("",)


AMR, HRSS, HEALTH, HOUSING = (
    "长春市市场监督管理局",
    "长春市人力资源和社会保障局",
    "长春市卫生健康委员会",
    "长春市住房和城乡建设局",
)
RES, TRANSPORT, ECO, CIVIL = "长春市自然资源局", "长春市交通运输局", "长春市生态环境局", "长春市民政局"
POLICE, MEDICAL, TAX, FUND = "长春市公安局", "长春市医疗保障局", "国家税务总局长春市税务局", "长春住房公积金管理中心"
EDU, CULTURE, WATER, AGRI = "长春市教育局", "长春市文化广播电视和旅游局", "长春市水务局", "长春市农业农村局"

FOOD = ("餐饮服务", "食品销售", "单位食堂", "中央厨房", "集体用餐配送单位", "网络餐饮服务")
PLACES = ("宾馆", "美容美发场所", "沐浴场所", "游泳场所", "商场超市", "候车室")
INSURANCE = ("职工基本养老保险", "城乡居民养老保险", "失业保险", "工伤保险", "职工基本医疗保险")
VEHICLES = ("小型汽车", "摩托车", "大型货车", "营运客车", "新能源汽车")

# fmt: off
STEMS: tuple[Stem, ...] = (
    Stem("食品经营许可（{obj}）", AMR, "01", "legal_person", ("permits",), "餐饮 食品",
         "《中华人民共和国食品安全法》第三十五条", FOOD),
    Stem("个体工商户{obj}登记", AMR, "07", "natural_person", ("establishment",), "营业执照 个体户",
         "《促进个体工商户发展条例》第八条", ("设立", "变更", "注销", "歇业备案")),
    Stem("{obj}设立登记", AMR, "01", "legal_person", ("establishment",), "营业执照 企业开办",
         "《中华人民共和国市场主体登记管理条例》第三条",
         ("有限责任公司", "股份有限公司", "个人独资企业", "合伙企业", "农民专业合作社")),
    Stem("企业{obj}登记", AMR, "01", "legal_person", ("establishment",), "营业执照 变更",
         "《中华人民共和国市场主体登记管理条例》第二十四条",
         ("名称变更", "住所变更", "法定代表人变更", "经营范围变更", "注销")),
    Stem("药品{obj}许可", AMR, "01", "legal_person", ("permits", "health"), "药店 药品经营许可证",
         "《中华人民共和国药品管理法》第五十二条", ("零售企业", "零售连锁企业", "批发企业")),
    Stem("特种设备{obj}", AMR, "01", "legal_person", ("permits",), "电梯 锅炉",
         "《中华人民共和国特种设备安全法》第三十三条", ("使用登记", "使用登记变更", "安装改造维修告知")),
    Stem("公共场所卫生许可（{obj}）", HEALTH, "01", "legal_person", ("permits",), "公共场所 卫生许可证",
         "《公共场所卫生管理条例》第八条", PLACES),
    Stem("医疗机构{obj}", HEALTH, "01", "legal_person", ("permits", "health"), "医院 诊所 执业许可证",
         "《医疗机构管理条例》第十五条", ("执业登记", "变更登记", "校验", "注销登记")),
    Stem("{obj}执业注册", HEALTH, "01", "natural_person", ("health", "employment"), "执业证书",
         "《中华人民共和国医师法》第十三条", ("医师", "护士", "乡村医生")),
    Stem("生育{obj}", HEALTH, "20", "natural_person", ("birth",), "生育 出生",
         "《中华人民共和国人口与计划生育法》第十八条",
         ("登记", "服务登记变更", "补助申领")),
    Stem("{obj}参保登记", HRSS, "20", "both", ("social_security", "employment"), "社保 社会保险 参保",
         "《中华人民共和国社会保险法》第五十七条", INSURANCE),
    Stem("{obj}关系转移接续", HRSS, "20", "natural_person", ("social_security",), "社保 社会保险 转移",
         "《中华人民共和国社会保险法》第十九条", INSURANCE),
    Stem("{obj}待遇申领", HRSS, "05", "natural_person", ("social_security", "retirement"), "社保 待遇 养老金",
         "《中华人民共和国社会保险法》第十六条", ("基本养老金", "失业保险金", "工伤保险", "丧葬补助金", "抚恤金")),
    Stem("社会保障卡{obj}", HRSS, "20", "natural_person", ("social_security",), "社保卡 社保",
         "《社会保障卡管理办法》第十二条", ("申领", "补领", "换领", "挂失", "启用")),
    Stem("{obj}经营许可", HRSS, "01", "legal_person", ("permits", "employment"), "人力资源 许可证",
         "《人力资源市场暂行条例》第十八条", ("劳务派遣", "人力资源服务")),
    Stem("就业{obj}", HRSS, "20", "natural_person", ("employment",), "就业 创业 失业登记",
         "《中华人民共和国就业促进法》第四十二条", ("创业证申领", "困难人员认定", "见习补贴申领", "登记")),
    Stem("建筑工程{obj}", HOUSING, "01", "legal_person", ("construction",), "施工许可 工程建设",
         "《中华人民共和国建筑法》第七条", ("施工许可证核发", "施工许可证变更", "竣工验收备案", "质量监督登记")),
    Stem("{obj}规划许可证核发", RES, "01", "legal_person", ("construction",), "规划许可 工程建设",
         "《中华人民共和国城乡规划法》第四十条", ("建设工程", "建设用地", "乡村建设", "临时建设工程")),
    Stem("不动产{obj}登记", RES, "07", "both", ("housing",), "不动产 房产证 过户",
         "《不动产登记暂行条例》第三条", ("首次", "转移", "变更", "抵押", "注销", "更正", "预告")),
    Stem("道路运输{obj}", TRANSPORT, "01", "both", ("permits", "transport"), "运输 经营许可",
         "《中华人民共和国道路运输条例》第二十四条",
         ("经营许可（货运）", "经营许可（客运）", "证配发", "从业资格证核发")),
    Stem("排污许可（{obj}）", ECO, "01", "legal_person", ("permits", "construction"), "排污 环保",
         "《排污许可管理条例》第十一条", ("重点管理", "简化管理", "重点管理，延续", "简化管理，变更")),
    Stem("建设项目环境影响{obj}审批", ECO, "01", "legal_person", ("construction",), "环评",
         "《中华人民共和国环境影响评价法》第二十二条", ("报告书", "报告表")),
    Stem("{obj}婚姻登记", CIVIL, "07", "natural_person", ("marriage",), "结婚 离婚 婚姻",
         "《婚姻登记条例》第四条", ("内地居民结婚", "内地居民离婚", "补领", "涉外")),
    Stem("{obj}审核确认", CIVIL, "05", "natural_person", ("social_security",), "救助 低保",
         "《社会救助暂行办法》第十一条", ("最低生活保障", "特困人员救助供养", "临时救助", "低收入人口")),
    Stem("户口{obj}", POLICE, "07", "natural_person", ("household",), "户籍 户口",
         "《中华人民共和国户口登记条例》第六条", ("迁移", "出生登记", "死亡注销", "信息变更更正", "恢复")),
    Stem("{obj}注册登记", POLICE, "07", "natural_person", ("transport",), "机动车 上牌",
         "《机动车登记规定》第十六条", VEHICLES),
    Stem("机动车驾驶证{obj}", POLICE, "20", "natural_person", ("transport",), "驾照 驾驶证",
         "《机动车驾驶证申领和使用规定》第五十七条", ("补领", "期满换证", "转入", "延期")),
    Stem("{obj}参保登记", MEDICAL, "20", "natural_person", ("health", "social_security"), "医保 医疗保险",
         "《中华人民共和国社会保险法》第二十五条", ("城乡居民基本医疗保险", "新生儿医保", "大学生医保")),
    Stem("异地就医{obj}", MEDICAL, "20", "natural_person", ("health",), "医保 异地就医",
         "《基本医疗保险跨省异地就医直接结算经办规程》", ("备案", "备案变更", "备案取消", "费用手工报销")),
    Stem("{obj}", TAX, "20", "legal_person", ("tax",), "纳税 税务 发票",
         "《中华人民共和国税收征收管理法》第十五条",
         ("新办纳税人涉税事项", "增值税发票领用", "清税证明开具", "纳税信用修复", "跨区域涉税事项报告", "税务注销")),
    Stem("住房公积金{obj}", FUND, "20", "natural_person", ("housing",), "公积金 购房",
         "《住房公积金管理条例》第二十四条", ("提取（购房）", "提取（租房）", "提取（退休）", "个人贷款", "缴存登记")),
    Stem("{obj}", EDU, "20", "natural_person", ("education",), "入学 教育",
         "《中华人民共和国义务教育法》第十二条", ("义务教育入学登记", "教师资格认定", "学生资助申请", "学籍转接")),
    Stem("{obj}许可", CULTURE, "01", "legal_person", ("permits",), "文化 娱乐",
         "《娱乐场所管理条例》第九条", ("娱乐场所经营", "营业性演出", "互联网上网服务营业场所", "旅行社业务经营")),
    Stem("{obj}许可", WATER, "01", "legal_person", ("permits", "construction"), "水务 排水 取水",
         "《中华人民共和国水法》第四十八条", ("取水", "城镇污水排入排水管网", "河道管理范围内建设项目")),
    Stem("{obj}经营许可", AGRI, "01", "both", ("permits",), "农资 农业",
         "《农药管理条例》第二十四条", ("农药", "兽药", "种子生产", "饲料添加剂")),
)
# fmt: on
# Handling variants real catalogs list as separate items: licensing has new/change/renewal cases.
LICENSING_VARIANTS = ("", "", "（新办）", "（变更）", "（延续）", "（告知承诺制）")
OTHER_VARIANTS = ("", "", "", "（跨省通办）", "（全市通办）")


def _department_pools() -> dict[str, list[Department]]:
    """Each stem department with its district counterparts (same parent), city first."""
    departments = list(Department.objects.select_related("region"))
    pools: dict[str, list[Department]] = {}
    by_name = {department.name: department for department in departments}
    for stem in STEMS:
        city = by_name.get(stem.department)
        if city is None or stem.department in pools:
            continue
        pools[stem.department] = [city, *[d for d in departments if d.parent_id == city.pk]]
    return pools


def _name(rng: random.Random, stem: Stem) -> tuple[str, int, int]:
    obj_index = rng.randrange(len(stem.objects))
    name = stem.pattern.format(obj=stem.objects[obj_index])
    variants = ("",) if "（" in name else LICENSING_VARIANTS if stem.item_type == "01" else OTHER_VARIANTS
    variant_index = rng.randrange(len(variants))
    return name + variants[variant_index], obj_index, variant_index


def _item(rng: random.Random, index: int, stems: list[tuple[int, Stem]], pools) -> ServiceItem:
    stem_index, stem = stems[rng.randrange(len(stems))]
    pool = pools[stem.department]
    department = pool[0] if len(pool) == 1 or rng.random() < 0.6 else rng.choice(pool[1:])
    name, obj_index, variant_index = _name(rng, stem)
    item = ServiceItem(
        basic_code=f"{BASIC_PREFIX}{stem_index:03d}{obj_index:02d}{variant_index:02d}0000",
        implementation_code=f"{department.uscc}{IMPLEMENTATION_MARK}{index:012d}",
        name=name,
        item_type=stem.item_type,
        department=department,
        region=department.region,
        service_object=stem.service_object,
        case_type="1" if rng.random() < 0.4 else "2",
        themes=list(stem.themes),
        aliases=stem.pattern.format(obj="").replace("（）", ""),
        keywords=stem.keywords,
        booking=rng.random() < 0.5,
        pre_review=rng.random() < 0.6,
        full_online=rng.random() < 0.5,
        online_payment=rng.random() < 0.2,
        delivery=rng.random() < 0.4,
    )
    item.search_text = item.build_search_text()
    return item


def _version(rng: random.Random, item: ServiceItem, stem_basis: str, now: Any) -> GuideVersion:
    statutory = rng.choice((5, 10, 15, 20, 30))
    instant = item.case_type == "1"
    stages = [{"name": "受理并办结", "kind": "formal", "role": "acceptor", "days": 0}]
    if not instant:
        stages = [
            {"name": "受理", "kind": "formal", "role": "acceptor", "days": 1},
            {"name": "审查", "kind": "substantive", "role": "reviewer", "days": 2},
            {"name": "决定", "kind": "procedural", "role": "decider", "days": 1},
        ]
    person = item.service_object == "natural_person"
    return GuideVersion(
        item=item,
        number=1,
        status=VersionStatus.PUBLISHED,
        conditions=f"符合{item.name}法定条件的{'自然人' if person else '法人和其他组织'}。",
        legal_basis=stem_basis,
        statutory_limit=statutory,
        promised_limit=1 if instant else rng.randint(1, statutory),
        on_site_visits=rng.choice((0, 0, 0, 1)),
        fees=[],
        window_steps=WINDOW_STEPS,
        online_steps=ONLINE_STEPS,
        review_stages=stages,
        faq=[{"q": f"{item.name}可以网上办理吗？", "a": "可以，登录长春市网上办事大厅在线申请。"}],
        consultation_phone=item.department.consultation_phone,
        complaint_phone=item.department.complaint_phone,
        form_definition={"fields": [*(PERSON_FIELDS if person else ENTERPRISE_FIELDS), *AGENT_FIELDS]},
        published_at=now,
        submitted_at=now,
    )


def _materials(version: GuideVersion) -> list[MaterialRequirement]:
    person = version.item.service_object == "natural_person"
    first = ("居民身份证", "issuing_department", "在有效期内，与申请人一致")
    if not person:
        first = ("法定代表人身份证明", "issuing_department", "与营业执照记载一致")
    return [
        MaterialRequirement(version=version, order=1, name=first[0], source=first[1], acceptance_standard=first[2]),
        MaterialRequirement(
            version=version,
            order=2,
            name=f"{version.item.name}申请表",
            acceptance_standard="填写完整，申请人签字（单位加盖公章）",
            non_shareable_legal_basis="申请人自行制作并签署的文书，政务数据共享平台无此数据",
        ),
    ]


def target(size: int) -> int:
    """Items are spread over the demo departments: without them (no ``load_demo``) there is nothing to do."""
    return size if Department.objects.filter(name__in={stem.department for stem in STEMS}).exists() else 0


def existing() -> int:
    return ServiceItem.objects.filter(basic_code__startswith=BASIC_PREFIX).count()


def _next_index() -> int:
    """One past the highest generated number (the last 12 characters of the implementation code)."""
    codes = ServiceItem.objects.filter(basic_code__startswith=BASIC_PREFIX).values_list(
        "implementation_code", flat=True
    )
    return max((int(code[-12:]) for code in codes.iterator()), default=-1) + 1


def generate(ctx: Any, start: int, count: int, batches: Callable[[int, int, int], Any]) -> int:
    """Write ``count`` items with a published guide (two materials, one place each) in batches."""
    pools = _department_pools()
    stems = [(index, stem) for index, stem in enumerate(STEMS) if stem.department in pools]
    if not stems:
        ctx.write("  catalog: no demo departments (run load_demo first); nothing generated")
        return 0
    written = 0
    for indexes in batches(max(start, _next_index()), count, ctx.batch_size):
        with transaction.atomic():
            items = ServiceItem.objects.bulk_create([_item(ctx.rng, index, stems, pools) for index in indexes])
            versions = GuideVersion.objects.bulk_create(
                [_version(ctx.rng, item, STEMS[int(item.basic_code[1:4])].basis, ctx.now) for item in items]
            )
            MaterialRequirement.objects.bulk_create([m for version in versions for m in _materials(version)])
            places = GuideVersion.centres.through
            places.objects.bulk_create(
                [
                    places(guideversion_id=version.pk, servicecentre_id=version.item.department.centre_id)
                    for version in versions
                    if version.item.department.centre_id
                ]
            )
            for item, version in zip(items, versions, strict=True):
                item.published_version = version
            ServiceItem.objects.bulk_update(items, ["published_version"], batch_size=500)
        written += len(items)
        ctx.write(f"  catalog items: {written}/{count}")
    transaction.on_commit(queries.bump_version)
    return written
