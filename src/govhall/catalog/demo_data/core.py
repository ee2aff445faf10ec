"""The five original demo items (codes, names and themes other tests rely on): the ``core`` set.

They are kept exactly as first published; the fuller catalog lives in the department modules.
"""

from __future__ import annotations

from typing import Any

AMR = "长春市市场监督管理局"
HRSS = "长春市人力资源和社会保障局"
CIVIL = "长春市民政局"
POLICE = "长春市公安局"

# department, sequence, name, defining department
LICENSE_TYPES = [
    (AMR, "001", "营业执照", [("uscc", "统一社会信用代码"), ("name", "名称"), ("operator", "经营者")]),
    (AMR, "002", "食品经营许可证", [("license_number", "许可证编号"), ("operator", "经营者名称")]),
    (CIVIL, "001", "结婚证", [("holder_a", "持证人"), ("holder_b", "配偶")]),
    (POLICE, "001", "机动车驾驶证", [("license_number", "证号"), ("vehicle_class", "准驾车型")]),
]

ID_CARD = {
    "name": "居民身份证",
    "form": "original",
    "source": "issuing_department",
    "acceptance_standard": "在有效期内，与申请人一致",
    "notes": "核验原件后退还",
    "needed_for_pre_review": True,
}
AGENT_LETTER = {
    "name": "授权委托书及代理人身份证明",
    "necessity": "conditional",
    "condition": {"field": "has_agent", "equals": "yes"},
    "acceptance_standard": "委托事项、权限和期限明确，委托人签字",
}

BASE_FORM = [
    {"name": "applicant_name", "label": "申请人姓名", "type": "text", "required": True},
    {"name": "id_number", "label": "身份证号码", "type": "identity_number", "required": True},
    {"name": "mobile", "label": "联系电话", "type": "phone", "required": True},
    {
        "name": "has_agent",
        "label": "是否委托代理人办理",
        "type": "choice",
        "required": True,
        "choices": [{"value": "yes", "label": "是"}, {"value": "no", "label": "否"}],
    },
    {
        "name": "agent_name",
        "label": "代理人姓名",
        "type": "text",
        "required_if": {"field": "has_agent", "equals": "yes"},
    },
]


def _steps(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"name": name, "applicant_action": action} for name, action in pairs]


def _stage(name: str, kind: str, role: str, days: int) -> dict[str, Any]:
    return {"name": name, "kind": kind, "role": role, "days": days}


WINDOW_STEPS = _steps(("申请", "到窗口提交申请材料"), ("受理", "领取受理通知"), ("领取结果", "到窗口或邮寄领取结果"))
ONLINE_STEPS = [
    {"name": "网上预约", "applicant_action": "选择到厅时段（可选）", "kind": "booking"},
    *_steps(
        ("网上申请", "登录网上办事大厅填写表单、上传材料"),
        ("受理", "查看受理短信"),
        ("领取结果", "下载电子证照或选择邮寄"),
    ),
]

ITEMS: list[dict[str, Any]] = [
    {
        "department": AMR,
        "suffix": "0000000000101",
        "basic_code": "000101001000",
        "name": "个体工商户设立登记",
        "item_type": "07",
        "service_object": "natural_person",
        "case_type": "1",
        "themes": ["employment", "establishment"],
        "aliases": "个体户注册 开店",
        "keywords": "营业执照 个体工商户",
        "depth": {"booking": True, "pre_review": True, "full_online": True, "delivery": True},
        "result": ["营业执照"],
        "guide": {
            "conditions": "有经营能力的公民；经营场所符合规定；名称符合《个体工商户名称登记管理办法》。",
            "legal_basis": "《促进个体工商户发展条例》第八条；《中华人民共和国市场主体登记管理条例》第三条",
            "statutory_limit": 3,
            "promised_limit": 1,
            "promised_note": "材料齐全、符合法定形式的，当场办结",
            "on_site_visits": 0,
            "review_stages": [_stage("受理并核准", "formal", "acceptor", 0)],
            "faq": [{"q": "个体工商户可以起字号吗？", "a": "可以，也可以不使用名称。"}],
        },
        "materials": [
            ID_CARD,
            {
                "name": "经营场所使用证明",
                "form": "copy",
                "acceptance_standard": "房产证明或租赁合同，地址与申请一致",
                "needed_for_pre_review": True,
                "non_shareable_legal_basis": "租赁合同属当事人私法文书，无共享数据来源",
            },
            AGENT_LETTER,
        ],
    },
    {
        "department": AMR,
        "suffix": "0000000000102",
        "basic_code": "000101002000",
        "name": "食品经营许可",
        "item_type": "01",
        "service_object": "legal_person",
        "case_type": "2",
        "themes": ["permits"],
        "aliases": "餐饮许可 食品经营许可证",
        "keywords": "餐饮 超市 食品销售",
        "depth": {"booking": True, "pre_review": True, "full_online": True, "delivery": True},
        "result": ["食品经营许可证"],
        "guide": {
            "conditions": "具有与经营的食品品种、数量相适应的经营场所、设备设施、管理制度和食品安全管理人员。",
            "legal_basis": "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》",
            "statutory_limit": 10,
            "promised_limit": 5,
            "statutory_note": "需现场核查的，核查时间不计入时限",
            "on_site_visits": 0,
            "review_stages": [
                _stage("受理", "formal", "acceptor", 1),
                _stage("审查（含现场核查）", "substantive", "reviewer", 3),
                _stage("决定", "procedural", "decider", 1),
            ],
            "special_procedures": ["现场核查"],
            "faq": [{"q": "仅销售预包装食品需要许可吗？", "a": "仅销售预包装食品的，办理备案即可。"}],
        },
        "materials": [
            {
                "name": "营业执照",
                "source": "e_license",
                "acceptance_standard": "在有效期内，经营范围包含食品经营",
                "license_types": ["营业执照"],
            },
            {"name": "食品经营许可申请书", "acceptance_standard": "填写完整，加盖公章", "needed_for_pre_review": True},
            {
                "name": "经营场所平面布局图",
                "acceptance_standard": "标明操作流程和设备布局",
                "needed_for_pre_review": True,
            },
            AGENT_LETTER,
        ],
    },
    {
        "department": HRSS,
        "suffix": "0000000000103",
        "basic_code": "000105001000",
        "name": "城乡居民养老保险参保登记",
        "item_type": "20",
        "service_object": "natural_person",
        "case_type": "1",
        "themes": ["social_security", "retirement"],
        "aliases": "城乡居民养老保险 居民社保",
        "keywords": "养老保险 参保",
        "depth": {"full_online": True, "online_payment": True},
        "result": [],
        "guide": {
            "conditions": (
                "年满16周岁（不含在校学生），非国家机关和事业单位工作人员，未参加职工基本养老保险的城乡居民。"
            ),
            "legal_basis": (
                "《中华人民共和国社会保险法》第二十条；《国务院关于建立统一的城乡居民基本养老保险制度的意见》"
            ),
            "statutory_limit": 1,
            "promised_limit": 1,
            "on_site_visits": 0,
            "review_stages": [_stage("受理并登记", "formal", "acceptor", 0)],
            "faq": [{"q": "缴费档次可以调整吗？", "a": "每年可调整一次缴费档次。"}],
        },
        "materials": [ID_CARD, AGENT_LETTER],
    },
    {
        "department": CIVIL,
        "suffix": "0000000000104",
        "basic_code": "000107001000",
        "name": "内地居民婚姻登记",
        "item_type": "07",
        "service_object": "natural_person",
        "case_type": "1",
        "themes": ["marriage"],
        "aliases": "结婚登记 领证",
        "keywords": "结婚证 婚姻",
        "depth": {"booking": True},
        "result": ["结婚证"],
        "guide": {
            "conditions": "男女双方完全自愿，达到法定婚龄，双方均无配偶，无禁止结婚的情形。",
            "legal_basis": "《中华人民共和国民法典》第一千零四十九条；《婚姻登记条例》第四条",
            "statutory_limit": None,
            "statutory_note": "法律未规定时限，符合条件的当场登记",
            "promised_limit": 1,
            "on_site_visits": 1,
            "review_stages": [_stage("审查并登记", "substantive", "acceptor", 0)],
            "fees": [
                {
                    "name": "结婚证工本费",
                    "amount_fen": 0,
                    "legal_basis": (
                        "财政部 国家发展改革委《关于清理规范一批行政事业性收费有关政策的通知》（财税〔2017〕20号）"
                    ),
                    "exemption": "已取消收费",
                }
            ],
            "faq": [{"q": "可以由他人代办吗？", "a": "不可以，婚姻登记须双方亲自到场。"}],
        },
        "materials": [ID_CARD, {"name": "户口簿", "form": "original", "acceptance_standard": "本人户籍信息页"}],
        "window_only": True,
    },
    {
        "department": POLICE,
        "suffix": "0000000000105",
        "basic_code": "000108001000",
        "name": "机动车驾驶证补领",
        "item_type": "20",
        "service_object": "natural_person",
        "case_type": "1",
        "themes": ["transport"],
        "aliases": "驾照补办 驾驶证遗失",
        "keywords": "驾照 驾驶证",
        "depth": {"full_online": True, "online_payment": True, "delivery": True},
        "result": ["机动车驾驶证"],
        "guide": {
            "conditions": "机动车驾驶证遗失、损毁无法辨认。",
            "legal_basis": "《机动车驾驶证申领和使用规定》第六十条",
            "statutory_limit": 1,
            "promised_limit": 1,
            "on_site_visits": 0,
            "review_stages": [_stage("受理并制证", "formal", "acceptor", 0)],
            "faq": [{"q": "驾驶证被暂扣期间可以补领吗？", "a": "不可以，驾驶证被依法扣押、扣留或暂扣期间不得补领。"}],
            "fees": [
                {
                    "name": "机动车驾驶证工本费",
                    "amount_fen": 1000,
                    "legal_basis": "《国家发展改革委 财政部关于公安部门机动车驾驶证工本费收费标准的通知》",
                    "exemption": "",
                }
            ],
        },
        "materials": [ID_CARD],
    },
]

for _spec in ITEMS:
    _spec["guide"].setdefault("form_definition", {"fields": BASE_FORM})
    _spec.setdefault("region", None)
