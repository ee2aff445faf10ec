"""Market regulation: registration of market entities, food and drug licensing (city and districts)."""

from __future__ import annotations

from govhall.catalog.demo_data import (
    AMR,
    ARTICLES,
    BUSINESS_LICENSE,
    ID_CARD,
    PREMISES,
    choice,
    cond,
    field,
    form,
    gov,
    item,
    m,
    numbered,
)

REGISTRATION_BASIS = "《中华人民共和国市场主体登记管理条例》第三条、第二十一条；《中华人民共和国公司法》第二十九条"
FOOD_BASIS = "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》第二条"
SOLE_BASIS = "《促进个体工商户发展条例》第八条；《中华人民共和国市场主体登记管理条例》第三条"

COMPANY = item(
    "有限责任公司设立登记",
    "01",
    "L",
    "1",
    ["establishment"],
    aliases="公司注册 开办企业 企业开办",
    keywords="营业执照 公司设立 有限公司",
    depth="brfd",
    result=("营业执照",),
    base="new_entity",
    fields=(
        field("registered_capital", "注册资本（万元）", "number"),
        choice("has_foreign_investor", "是否有外国投资者"),
    ),
    conditions="股东符合法定人数；有符合公司章程规定的全体股东认缴的出资额；有公司名称和住所；有公司章程。",
    basis=REGISTRATION_BASIS,
    limits=(3, 1),
    promised_note="企业开办“一网通办”，营业执照、公章刻制、税务信息确认1个工作日内办结",
    materials=[
        form("公司登记（备案）申请书", key="registration_form", sample="license_sample"),
        ARTICLES,
        m("股东主体资格文件", "自然人股东为身份证，法人股东为营业执照，与章程记载一致"),
        m("法定代表人、董事、监事和经理的任职文件", "由股东会决议或章程规定的方式产生，签字齐全"),
        PREMISES,
        cond(
            "外国投资者主体资格证明（经公证认证）", "经所在国公证并经我国使领馆认证或附海牙认证", "has_foreign_investor"
        ),
    ],
    faq=[
        ("注册资本需要实缴吗？", "有限责任公司全体股东认缴的出资额应自公司成立之日起五年内缴足。"),
        (
            "可以用住宅作为公司住所吗？",
            "按长春市住所（经营场所）登记管理规定，住宅登记为住所须符合相关条件并提交承诺。",
        ),
    ],
)

CHANGE = item(
    "企业变更登记",
    "01",
    "L",
    "1",
    ["establishment"],
    aliases="公司变更 变更法人 变更地址",
    keywords="营业执照 变更 经营范围",
    depth="brfd",
    result=("营业执照",),
    fields=(
        choice(
            "change_kind",
            "变更事项",
            [("name", "名称"), ("address", "住所"), ("representative", "法定代表人"), ("scope", "经营范围")],
        ),
    ),
    conditions="企业登记事项发生变更，自作出变更决议、决定或者法定变更事项发生之日起30日内申请。",
    basis="《中华人民共和国市场主体登记管理条例》第二十四条",
    limits=(3, 1),
    materials=[
        form("公司登记（备案）申请书", key="registration_form"),
        BUSINESS_LICENSE,
        m("变更决议或决定", "股东会决议或股东决定，签字（盖章）齐全"),
        cond("新住所使用证明", "房屋产权证明或租赁合同，地址与申请一致", "change_kind", "address", form="copy"),
        cond("新任法定代表人任职文件", "依章程产生，附本人签字的身份证明", "change_kind", "representative"),
    ],
    faq=[("变更经营范围需要换照吗？", "需要，变更登记完成后换发营业执照，电子营业执照同步更新。")],
)

DEREGISTRATION = item(
    "企业注销登记",
    "01",
    "L",
    "2",
    ["deregistration"],
    aliases="公司注销 企业关闭 简易注销",
    keywords="注销 清算 营业执照",
    depth="brf",
    fields=(choice("simplified", "是否申请简易注销"),),
    conditions="企业解散，清算完毕；申请简易注销的，未发生债权债务或已将债权债务清偿完结，并经公示20日无异议。",
    basis="《中华人民共和国市场主体登记管理条例》第三十一条、第三十三条；《中华人民共和国公司法》第二百三十九条",
    limits=(10, 3),
    statutory_note="简易注销公示期不计入办理时限",
    materials=[
        form("注销登记申请书", key="registration_form"),
        BUSINESS_LICENSE,
        m("清算报告", "经股东会确认，清算组成员签字"),
        cond("全体投资人承诺书", "全体投资人签字（盖章），承诺不存在债权债务", "simplified"),
        gov("清税证明", "税务机关出具，或经共享核验已清税"),
    ],
    faq=[("简易注销需要登报吗？", "不需要，通过国家企业信用信息公示系统公示20日即可。")],
)

SOLE_DEREGISTRATION = item(
    "个体工商户注销登记",
    "01",
    "P",
    "1",
    ["deregistration"],
    aliases="个体户注销 关店",
    keywords="个体工商户 注销 营业执照",
    depth="brf",
    conditions="个体工商户不再从事经营活动，已结清税款及其他债务。",
    basis=SOLE_BASIS + "；《中华人民共和国市场主体登记管理条例》第三十一条",
    limits=(3, 1),
    promised_note="材料齐全的当场办结",
    materials=[ID_CARD, form("个体工商户注销登记申请书", key="registration_form"), BUSINESS_LICENSE],
    faq=[("营业执照丢了还能注销吗？", "可以，电子营业执照可替代纸质执照，无需登报声明作废。")],
)

DRUG_RETAIL = item(
    "药品零售企业许可",
    "01",
    "L",
    "2",
    ["permits", "health"],
    aliases="药店许可 开药店 药品经营许可证",
    keywords="药品经营许可 药店 零售药店",
    depth="brd",
    result=("药品经营许可证",),
    fields=(choice("sells_prescription", "是否经营处方药"), field("pharmacist_name", "执业药师姓名")),
    conditions="有依法经过资格认定的药师或其他药学技术人员；有与所经营药品相适应的营业场所、设备、仓储设施和卫生环境；有质量管理机构或人员和保证药品质量的规章制度。",
    basis="《中华人民共和国药品管理法》第五十一条、第五十二条；《药品经营和使用质量监督管理办法》第十二条",
    limits=(20, 15),
    statutory_note="现场检查时间不计入审批时限",
    special=("现场核查",),
    visits=1,
    materials=[
        form("药品经营许可证申请表", key="license_form", sample="license_sample"),
        BUSINESS_LICENSE,
        m("执业药师注册证及劳动合同", "执业药师在职在岗，注册单位与申请企业一致"),
        m("营业场所和仓库平面布置图", "标明面积、功能分区，与实际一致"),
        m("药品质量管理制度文件目录", "覆盖采购、验收、储存、销售、追溯全过程"),
        cond("处方审核与调配管理制度", "明确执业药师审方职责", "sells_prescription"),
    ],
    faq=[("药店营业面积有要求吗？", "按吉林省药品零售企业验收标准执行，城区药店营业面积一般不少于40平方米。")],
)

SPECIAL_EQUIPMENT = item(
    "特种设备使用登记",
    "01",
    "L",
    "2",
    ["permits"],
    aliases="电梯登记 锅炉登记 压力容器登记",
    keywords="特种设备 电梯 使用登记证",
    depth="brfd",
    result=("特种设备使用登记证",),
    fields=(
        choice(
            "equipment_kind",
            "设备种类",
            [("elevator", "电梯"), ("boiler", "锅炉"), ("vessel", "压力容器"), ("crane", "起重机械")],
        ),
    ),
    conditions="特种设备在投入使用前或投入使用后30日内，使用单位向负责特种设备安全监督管理的部门办理使用登记。",
    basis="《中华人民共和国特种设备安全法》第三十三条；《特种设备使用管理规则》（TSG 08）",
    limits=(15, 5),
    materials=[
        form("特种设备使用登记表", key="enterprise_form"),
        BUSINESS_LICENSE,
        m("产品合格证及监督检验证明", "与设备型号、出厂编号一致"),
        cond("锅炉能效测试报告", "由具备资质的检测机构出具", "equipment_kind", "boiler"),
    ],
    faq=[("旧电梯更换使用单位要重新登记吗？", "需要办理使用登记变更。")],
)

PRE_PACKAGED = item(
    "仅销售预包装食品备案",
    "10",
    "B",
    "1",
    ["permits"],
    aliases="预包装食品备案 便利店备案",
    keywords="食品经营 备案 预包装",
    depth="brf",
    conditions="仅销售预包装食品（含冷藏冷冻食品）的食品经营者，在办理市场主体登记后向所在地县级市场监督管理部门备案。",
    basis="《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》第四十九条",
    limits=(None, 1),
    statutory_note="备案类事项，材料齐全当场备案",
    materials=[BUSINESS_LICENSE, form("仅销售预包装食品经营者备案信息采集表", key="food_form")],
    faq=[("备案后可以卖散装熟食吗？", "不可以，销售散装熟食应申请食品经营许可。")],
)

SOLE_CHANGE = item(
    "个体工商户变更登记",
    "01",
    "P",
    "1",
    ["establishment"],
    aliases="个体户变更 换经营者",
    keywords="个体工商户 变更 营业执照",
    depth="brfd",
    result=("营业执照",),
    fields=(choice("change_operator", "是否变更经营者"),),
    conditions="个体工商户登记事项变更的，应当申请办理变更登记；变更经营者的，可直接申请变更登记。",
    basis=SOLE_BASIS + "；《促进个体工商户发展条例》第十三条",
    limits=(3, 1),
    materials=[
        ID_CARD,
        form("个体工商户变更登记申请书", key="registration_form"),
        BUSINESS_LICENSE,
        cond(
            "新经营者身份证明及转让协议",
            "新旧经营者签字，协议日期明确",
            "change_operator",
            non_shareable_legal_basis="属当事人之间的民事文书（合同、协议），无政务数据共享来源",
        ),
    ],
    faq=[("变更经营者还要先注销吗？", "不需要，2022年起个体工商户可直接变更经营者。")],
)

CITY = numbered(AMR, "01", [COMPANY, CHANGE, DEREGISTRATION, SOLE_DEREGISTRATION, DRUG_RETAIL, SPECIAL_EQUIPMENT])


def _sole_proprietor(district: str) -> dict:
    """The district's own 个体工商户设立登记 (the same national item, implemented by the district)."""
    spec = item(
        "个体工商户设立登记",
        "07",
        "P",
        "1",
        ["employment", "establishment"],
        aliases="个体户注册 开店",
        keywords=f"营业执照 个体工商户 {district}",
        depth="brfd",
        result=("营业执照",),
        base="new_entity",
        conditions="有经营能力的公民；经营场所在本区范围内且符合规定；名称符合《个体工商户名称登记管理办法》。",
        basis=SOLE_BASIS,
        limits=(3, 1),
        promised_note="材料齐全、符合法定形式的，当场办结",
        materials=[
            ID_CARD,
            form("个体工商户登记（备案）申请书", key="registration_form", sample="license_sample"),
            PREMISES,
        ],
        faq=[("在本区开店可以到市中心办理吗？", f"可以，全市通办；也可以到{district}政务服务中心办理。")],
    )
    return {**spec, "basic_code": "000101001000"}


def _food_license(district: str) -> dict:
    spec = item(
        "食品经营许可",
        "01",
        "L",
        "2",
        ["permits"],
        aliases="餐饮许可 食品经营许可证 小餐饮",
        keywords=f"餐饮 超市 食品销售 {district}",
        depth="brfd",
        result=("食品经营许可证",),
        fields=(choice("has_catering", "是否从事餐饮服务"), field("floor_area", "经营场所面积（平方米）", "number")),
        conditions="具有与经营的食品品种、数量相适应的经营场所、设备设施、管理制度和食品安全管理人员。",
        basis=FOOD_BASIS,
        limits=(10, 5),
        statutory_note="需现场核查的，核查时间不计入时限",
        special=("现场核查",),
        materials=[
            BUSINESS_LICENSE,
            form("食品经营许可申请书", key="food_form", sample="license_sample"),
            m("经营场所平面布局图", "标明操作流程和设备布局"),
            cond("餐饮服务设备布局和工艺流程图", "标明粗加工、烹饪、餐用具清洗消毒等区域", "has_catering"),
            m("食品安全管理制度", "含从业人员健康管理、进货查验、过程控制等制度"),
        ],
        faq=[
            (
                "从业人员需要健康证吗？",
                "从事接触直接入口食品工作的从业人员应当每年进行健康检查，取得健康证明后方可上岗。",
            )
        ],
    )
    return {**spec, "basic_code": "000101002000"}


def _company(zone: str) -> dict:
    spec = item(
        "有限责任公司设立登记",
        "01",
        "L",
        "1",
        ["establishment"],
        aliases="公司注册 开办企业 企业开办",
        keywords=f"营业执照 公司设立 {zone}",
        depth="brfd",
        result=("营业执照",),
        base="new_entity",
        fields=(field("registered_capital", "注册资本（万元）", "number"),),
        conditions="股东符合法定人数；有全体股东认缴的出资额；有公司名称和住所（在本区范围内）；有公司章程。",
        basis=REGISTRATION_BASIS,
        limits=(3, 1),
        promised_note="开发区企业开办一日办结",
        materials=[form("公司登记（备案）申请书", key="registration_form"), ARTICLES, PREMISES],
        faq=[("开发区有哪些扶持政策？", f"可咨询{zone}政务服务中心企业服务窗口。")],
    )
    spec["basic_code"] = COMPANY["basic_code"]
    return spec


DISTRICTS = [
    *numbered(
        "南关区市场监督管理局", "01", [_sole_proprietor("南关区"), _food_license("南关区"), SOLE_CHANGE], "220102"
    ),
    *numbered("宽城区市场监督管理局", "01", [PRE_PACKAGED], "220103"),
    *numbered("朝阳区市场监督管理局", "01", [_sole_proprietor("朝阳区"), _food_license("朝阳区")], "220104"),
    *numbered("二道区市场监督管理局", "01", [_food_license("二道区")], "220105"),
    *numbered("绿园区市场监督管理局", "01", [_sole_proprietor("绿园区")], "220106"),
    *numbered("长春经开区市场监督管理局", "01", [_company("长春经开区")], "220171"),
]

ITEMS = [*CITY, *DISTRICTS]
