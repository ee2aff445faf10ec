"""Demo catalog content as compact per-item specs plus the building blocks they share.

Each department module lists its items with :func:`item`; :func:`numbered` gives them stable codes
(basic code ``0001`` + department number + sequence + ``000``; implementation code = the implementing
department's USCC + 13 digits). The loader (``catalog.demo``) publishes them through the services.
``CORE`` holds the five original items the ``demo`` pytest fixture loads; ``ITEMS`` the full set.

Conventions of a spec: ``depth`` letters b/r/f/p/d = booking, pre-review, full online, online payment,
delivery; ``obj`` P/L/B = natural person, legal person, both; a material's ``blank_form``/``sample``
name a file of :data:`FILES` (rendered by ``demo_files/build.py``).
"""

from __future__ import annotations

from typing import Any

# --- departments (names as in govhall.demo.data) ----------------------------------------------

AMR = "长春市市场监督管理局"
HRSS = "长春市人力资源和社会保障局"
CIVIL = "长春市民政局"
POLICE = "长春市公安局"
HEALTH = "长春市卫生健康委员会"
HOUSING = "长春市住房和城乡建设局"
RESOURCES = "长春市自然资源局"
TRANSPORT = "长春市交通运输局"
ECOLOGY = "长春市生态环境局"
MEDICAL = "长春市医疗保障局"
TAX = "国家税务总局长春市税务局"
FUND = "长春住房公积金管理中心"
EDUCATION = "长春市教育局"
CULTURE = "长春市文化广播电视和旅游局"
URBAN = "长春市城市管理局"
WATER = "长春市水务局"
AGRICULTURE = "长春市农业农村局"
EMERGENCY = "长春市应急管理局"
NDRC = "长春市发展和改革委员会"
VETERANS = "长春市退役军人事务局"

# --- blank forms and samples (demo_files/<file>, rendered by demo_files/build.py) ----------------

# key: (file name, title printed on the form)
FILES: dict[str, tuple[str, str]] = {
    "agent_letter": ("agent-letter.pdf", "授权委托书"),
    "person_form": ("person-application.pdf", "政务服务事项申请表（个人）"),
    "enterprise_form": ("enterprise-application.pdf", "政务服务事项申请表（企业）"),
    "license_form": ("license-application.pdf", "行政许可申请书"),
    "person_sample": ("person-application-sample.pdf", "政务服务事项申请表（个人）填写示例"),
    "license_sample": ("license-application-sample.pdf", "行政许可申请书填写示例"),
    "food_form": ("food-license-application.pdf", "食品经营许可申请书"),
    "hygiene_form": ("public-place-hygiene-application.pdf", "公共场所卫生许可申请书"),
    "registration_form": ("market-entity-registration.pdf", "市场主体登记申请书"),
}

# --- application forms -------------------------------------------------------------------------

YES_NO = [{"value": "yes", "label": "是"}, {"value": "no", "label": "否"}]


def choice(name: str, label: str, choices: list[tuple[str, str]] | None = None, **extra: Any) -> dict[str, Any]:
    """A choice field; without ``choices`` a 是/否 question."""
    options = [{"value": v, "label": lb} for v, lb in choices] if choices else YES_NO
    return {"name": name, "label": label, "type": "choice", "required": True, "choices": options, **extra}


def field(name: str, label: str, kind: str = "text", *, required: bool = True, **extra: Any) -> dict[str, Any]:
    return {"name": name, "label": label, "type": kind, "required": required, **extra}


AGENT_FIELDS = [
    choice("has_agent", "是否委托代理人办理"),
    field("agent_name", "代理人姓名", required=False, required_if={"field": "has_agent", "equals": "yes"}),
    field(
        "agent_id_number",
        "代理人身份证号码",
        "identity_number",
        required=False,
        required_if={"field": "has_agent", "equals": "yes"},
    ),
]
PERSON_FIELDS = [
    field("applicant_name", "申请人姓名"),
    field("id_number", "身份证号码", "identity_number"),
    field("mobile", "联系电话", "phone"),
]
ENTERPRISE_FIELDS = [
    field("entity_name", "单位名称"),
    field("uscc", "统一社会信用代码", "uscc"),
    field("legal_representative", "法定代表人（负责人）"),
    field("contact_mobile", "联系电话", "phone"),
    field("address", "住所（经营场所）", "address"),
]
# A new entity has no USCC yet: its form asks for the proposed name and the investor instead.
NEW_ENTITY_FIELDS = [
    field("proposed_name", "拟设立名称"),
    field("investor_name", "投资人（经营者）姓名"),
    field("id_number", "投资人身份证号码", "identity_number"),
    field("contact_mobile", "联系电话", "phone"),
    field("address", "住所（经营场所）", "address"),
]
FORM_BASES = {"person": PERSON_FIELDS, "enterprise": ENTERPRISE_FIELDS, "new_entity": NEW_ENTITY_FIELDS}

# --- materials -----------------------------------------------------------------------------------

SELF_MADE = "申请人自行制作并签署的文书，政务数据共享平台无此数据，须由申请人提交"
PRIVATE_DEED = "属当事人之间的民事文书（合同、协议），无政务数据共享来源"


def m(name: str, standard: str, **extra: Any) -> dict[str, Any]:
    """A material the applicant provides (electronic by default, with the reason it cannot be shared)."""
    data = {"name": name, "acceptance_standard": standard, **extra}
    if data.get("source", "applicant") == "applicant":
        data.setdefault("non_shareable_legal_basis", SELF_MADE)
    return data


def cond(name: str, standard: str, when: str, equals: str = "yes", **extra: Any) -> dict[str, Any]:
    """A material needed only in one case, named by a form answer (情形材料)."""
    return m(name, standard, necessity="conditional", condition={"field": when, "equals": equals}, **extra)


def lic(name: str, standard: str, *types: str) -> dict[str, Any]:
    """A material the hall takes from the e-license library (Art. 13): the applicant uploads nothing."""
    return {"name": name, "source": "e_license", "acceptance_standard": standard, "license_types": list(types)}


def gov(name: str, standard: str, **extra: Any) -> dict[str, Any]:
    """A document another government department issued (checked against its records)."""
    return {"name": name, "source": "issuing_department", "acceptance_standard": standard, **extra}


def form(title: str, standard: str = "填写完整，申请人签字（单位加盖公章）", key: str = "person_form", **extra):
    """The application form itself, with its blank form to download (personal forms: and a sample)."""
    if key == "person_form":
        extra.setdefault("sample", "person_sample")
    return m(title, standard, blank_form=key, **extra)


ID_CARD = {
    "name": "居民身份证",
    "form": "original",
    "source": "issuing_department",
    "acceptance_standard": "在有效期内，与申请人一致",
    "notes": "核验原件后退还",
}
HOUSEHOLD_BOOK = gov("居民户口簿", "本人户籍信息页，与身份证信息一致", form="original")
AGENT_LETTER = {
    "name": "授权委托书及代理人身份证明",
    "necessity": "conditional",
    "condition": {"field": "has_agent", "equals": "yes"},
    "acceptance_standard": "委托事项、权限和期限明确，委托人签字",
}
AGENT_LETTER_FORM = {**AGENT_LETTER, "blank_form": "agent_letter", "non_shareable_legal_basis": SELF_MADE}
BUSINESS_LICENSE = lic("营业执照", "在有效期内，经营范围与申请事项相符", "营业执照")
PREMISES = m(
    "经营场所使用证明", "房屋产权证明或租赁合同，地址与申请一致", form="copy", non_shareable_legal_basis=PRIVATE_DEED
)
PHOTO = m("近期免冠彩色照片", "白色背景，正面免冠，符合证件照片标准", paper_spec="2寸")
ARTICLES = m("公司章程", "全体股东签署，内容符合《中华人民共和国公司法》第四十六条")

# --- steps and stages ------------------------------------------------------------------------------


def steps(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"name": name, "applicant_action": action} for name, action in pairs]


def stage(name: str, kind: str, role: str, days: int) -> dict[str, Any]:
    return {"name": name, "kind": kind, "role": role, "days": days}


WINDOW_STEPS = steps(("申请", "到窗口提交申请材料"), ("受理", "领取受理通知"), ("领取结果", "到窗口或邮寄领取结果"))
ONLINE_STEPS = [
    {"name": "网上预约", "applicant_action": "选择到厅时段（可选）", "kind": "booking"},
    *steps(
        ("网上申请", "登录网上办事大厅填写表单、上传材料"),
        ("受理", "查看受理短信"),
        ("领取结果", "下载电子证照或选择邮寄"),
    ),
]


def _stages(case_type: str, promised: int | None, site_check: bool) -> list[dict[str, Any]]:
    """即办件: one stage (Art. 9); 承诺件: accept, review, decide within the promised days."""
    if case_type == "1":
        return [stage("受理并办结", "formal", "acceptor", 0)]
    review_days = max((promised or 3) - 2, 1)
    review = "审查（含现场核查）" if site_check else "审查"
    return [
        stage("受理", "formal", "acceptor", 1),
        stage(review, "substantive", "reviewer", review_days),
        stage("决定", "procedural", "decider", 1),
    ]


DEPTH_LETTERS = {"b": "booking", "r": "pre_review", "f": "full_online", "p": "online_payment", "d": "delivery"}
OBJECTS = {"P": "natural_person", "L": "legal_person", "B": "both"}


def fee(name: str, fen: int, basis: str, exemption: str = "") -> dict[str, Any]:
    return {"name": name, "amount_fen": fen, "legal_basis": basis, "exemption": exemption}


def item(
    name: str,
    item_type: str,
    obj: str,
    case_type: str,
    themes: list[str],
    *,
    aliases: str,
    keywords: str,
    conditions: str,
    basis: str,
    limits: tuple[int | None, int | None],
    materials: list[dict[str, Any]],
    faq: list[tuple[str, str]],
    depth: str = "br",
    result: tuple[str, ...] = (),
    base: str | None = None,
    fields: tuple[dict[str, Any], ...] = (),
    fees: tuple[dict[str, Any], ...] = (),
    special: tuple[str, ...] = (),
    visits: int = 0,
    statutory_note: str = "",
    promised_note: str = "",
    window_only: bool = False,
    complex_item: bool = False,
) -> dict[str, Any]:
    """One item's spec from its specific content; steps, stages, form base and phones are shared."""
    base = base or ("person" if obj == "P" else "enterprise")
    statutory, promised = limits
    return {
        "name": name,
        "item_type": item_type,
        "service_object": OBJECTS[obj],
        "case_type": case_type,
        "themes": themes,
        "aliases": aliases,
        "keywords": keywords,
        "depth": {DEPTH_LETTERS[letter]: True for letter in depth},
        "result": list(result),
        "window_only": window_only,
        "guide": {
            "conditions": conditions,
            "legal_basis": basis,
            "statutory_limit": statutory,
            "promised_limit": promised,
            "statutory_note": statutory_note,
            "promised_note": promised_note,
            "special_or_complex": complex_item,
            "on_site_visits": visits,
            "review_stages": _stages(case_type, promised, "现场核查" in special),
            "special_procedures": list(special),
            "faq": [{"q": q, "a": a} for q, a in faq],
            "fees": list(fees),
            "form_definition": {"fields": [*FORM_BASES[base], *fields, *AGENT_FIELDS]},
        },
        "materials": [*materials, AGENT_LETTER_FORM],
    }


def numbered(department: str, number: str, specs: list[dict[str, Any]], region: str | None = None):
    """Give a department's specs stable codes: basic ``0001<nn><seq>000``, implementation suffix.

    Sequences start at 10 so they never meet the five original items' codes (``…00101``–``…00105``).
    """
    for offset, spec in enumerate(specs):
        sequence = 10 + offset
        spec["department"] = department
        spec["region"] = region
        spec["basic_code"] = spec.get("basic_code") or f"0001{number}{sequence:03d}000"
        spec["suffix"] = f"{number}{sequence:03d}".rjust(13, "0")
    return specs
