"""Health, healthcare security and education: births, medical insurance, hygiene licensing, schools."""

from __future__ import annotations

from govhall.catalog.demo_data import (
    BUSINESS_LICENSE,
    EDUCATION,
    HEALTH,
    HOUSEHOLD_BOOK,
    ID_CARD,
    MEDICAL,
    PHOTO,
    choice,
    cond,
    field,
    form,
    gov,
    item,
    lic,
    m,
    numbered,
)

HYGIENE_BASIS = "《公共场所卫生管理条例》第八条；《公共场所卫生管理条例实施细则》第二十二条"
MEDICAL_INSURANCE_BASIS = "《中华人民共和国社会保险法》第二十五条；《医疗保障基金使用监督管理条例》"


def birth_registration(region_note: str = "") -> dict:
    return item(
        "生育登记",
        "20",
        "P",
        "1",
        ["birth"],
        aliases="生育服务登记 准生证 孕检登记",
        keywords="生育 登记 生育服务",
        depth="f",
        fields=(
            field("spouse_name", "配偶姓名"),
            field("spouse_id_number", "配偶身份证号码", "identity_number"),
            field("expected_date", "预产期", "date", required=False),
        ),
        conditions="夫妻生育子女的，在孕前或孕期、子女出生后均可办理生育登记" + region_note + "。",
        basis="《中华人民共和国人口与计划生育法》第十八条；《吉林省人口与计划生育条例》",
        limits=(None, 1),
        statutory_note="网上申请即时办结",
        materials=[ID_CARD, lic("结婚证", "夫妻双方婚姻状况信息", "结婚证")],
        faq=[("生育登记和生育保险有什么关系？", "生育登记是享受生育保险等生育支持政策的依据之一，请先办理生育登记。")],
    )


def public_place_hygiene(region_note: str = "") -> dict:
    return item(
        "公共场所卫生许可",
        "01",
        "L",
        "2",
        ["permits"],
        aliases="卫生许可证 美容美发卫生许可 宾馆卫生许可",
        keywords="公共场所 卫生许可 理发 游泳馆" + region_note,
        depth="brfd",
        result=("公共场所卫生许可证",),
        fields=(
            choice(
                "category",
                "场所类别",
                [("hotel", "住宿场所"), ("beauty", "美容美发场所"), ("bath", "沐浴场所"), ("pool", "游泳场所")],
            ),
        ),
        conditions="具备与经营规模相适应的卫生设施和卫生管理制度，从业人员取得健康合格证明，室内空气、水质等经检测符合卫生标准。",
        basis=HYGIENE_BASIS,
        limits=(20, 5),
        special=("现场核查",),
        promised_note="告知承诺制办理的当场发证",
        materials=[
            BUSINESS_LICENSE,
            form("公共场所卫生许可申请书", key="hygiene_form", sample="license_sample"),
            m("卫生管理制度", "含从业人员健康管理、卫生检查、消毒等制度"),
            m("公共场所卫生检测或者评价报告", "由有资质的检测机构出具，检测项目齐全"),
            cond("游泳场所水质检测报告", "池水水质符合《公共场所卫生指标及限值要求》", "category", "pool"),
        ],
        faq=[("美容美发店需要办卫生许可吗？", "需要，但按吉林省规定，小型理发店可实行告知承诺制。")],
    )


HEALTH_ITEMS = [
    birth_registration(),
    item(
        "出生医学证明补发",
        "20",
        "P",
        "2",
        ["birth"],
        aliases="补办出生证明 出生证明遗失",
        keywords="出生医学证明 出生证 补发",
        depth="brd",
        result=("出生医学证明",),
        conditions="出生医学证明遗失的，由新生儿监护人向原签发机构申请补发。",
        basis="《中华人民共和国母婴保健法》第二十三条；《国家卫生健康委关于加强出生医学证明管理的通知》",
        limits=(20, 10),
        materials=[ID_CARD, HOUSEHOLD_BOOK, m("出生医学证明遗失声明", "监护人签字的书面声明")],
        faq=[("补发的出生医学证明和原件效力一样吗？", "效力相同，补发证明上注明“补发”字样。")],
    ),
    public_place_hygiene(),
    item(
        "医疗机构执业登记",
        "01",
        "L",
        "2",
        ["permits", "health"],
        aliases="诊所执业许可 开诊所 医院执业许可证",
        keywords="医疗机构 执业许可证 诊所",
        depth="br",
        result=("医疗机构执业许可证",),
        conditions="按照医疗机构基本标准建设完成，有符合规定的名称、组织机构和场所，有与开展业务相适应的经费、设施、设备和专业卫生技术人员。",
        basis="《医疗机构管理条例》第十五条、第十六条；《医疗机构管理条例实施细则》第二十五条",
        limits=(45, 20),
        statutory_note="法定时限为45日（自然日）",
        special=("现场核查",),
        visits=1,
        complex_item=True,
        materials=[
            form("医疗机构申请执业登记注册书", key="license_form"),
            m("医疗机构用房产权证明或使用证明", "产权证明或租赁合同，租期不少于3年", form="copy"),
            m("医疗机构建筑设计平面图", "标明各诊疗科室布局"),
            m("卫生技术人员名录及资格证书", "医师、护士资格证书与执业证书齐全"),
        ],
        faq=[("诊所也要办执业许可证吗？", "诊所实行备案管理，其他医疗机构须办理执业登记。")],
    ),
    item(
        "医师执业注册",
        "01",
        "P",
        "2",
        ["health", "employment"],
        aliases="医生执业注册 医师变更注册",
        keywords="医师 执业证书 注册",
        depth="brfd",
        result=("医师执业证书",),
        fields=(choice("first_registration", "是否首次注册"),),
        conditions="取得医师资格，经执业医疗机构同意，在医疗、预防、保健机构中执业。",
        basis="《中华人民共和国医师法》第十三条；《医师执业注册管理办法》第九条",
        limits=(20, 10),
        materials=[
            ID_CARD,
            PHOTO,
            gov("医师资格证书", "国家卫生健康委核发，信息可共享核验"),
            m("医疗机构聘用证明", "拟执业机构出具，加盖公章"),
            cond("健康体检证明", "6个月内县级以上医疗机构出具", "first_registration"),
        ],
        faq=[("多点执业要重新注册吗？", "不需要，在主要执业机构注册后，在其他机构执业进行备案即可。")],
    ),
    item(
        "计划生育家庭特别扶助金申领",
        "05",
        "P",
        "2",
        ["birth", "retirement"],
        aliases="失独家庭扶助 特扶金",
        keywords="计划生育 扶助金 独生子女",
        depth="br",
        conditions="独生子女死亡或伤残后未再生育或收养子女的夫妻，女方年满49周岁。",
        basis="《中华人民共和国人口与计划生育法》第二十七条；《全国独生子女伤残死亡家庭扶助制度试点方案》",
        limits=(30, 20),
        special=("公示",),
        materials=[ID_CARD, HOUSEHOLD_BOOK, gov("独生子女死亡或伤残证明", "死亡证明或残疾人证（三级以上）")],
        faq=[("扶助金标准是多少？", "按国家和吉林省现行标准按月发放。")],
    ),
]

MEDICAL_ITEMS = [
    item(
        "城乡居民基本医疗保险参保登记",
        "20",
        "P",
        "1",
        ["health", "social_security", "birth"],
        aliases="居民医保 新生儿医保 医保参保",
        keywords="医保 医疗保险 参保",
        depth="fp",
        fields=(choice("is_newborn", "是否为新生儿参保"),),
        conditions="本市户籍或持有居住证，未参加职工基本医疗保险的城乡居民（含新生儿、中小学生）。",
        basis=MEDICAL_INSURANCE_BASIS + "；《国务院关于整合城乡居民基本医疗保险制度的意见》",
        limits=(None, 1),
        statutory_note="即时办结",
        materials=[
            ID_CARD,
            cond(
                "出生医学证明", "新生儿出生医学证明", "is_newborn", source="e_license", license_types=["出生医学证明"]
            ),
        ],
        faq=[("新生儿出生多久内参保能报销出生时的费用？", "新生儿在出生90日内参保缴费的，自出生之日起享受待遇。")],
    ),
    item(
        "异地就医备案",
        "20",
        "P",
        "1",
        ["health"],
        aliases="异地就医 跨省就医备案",
        keywords="医保 异地就医 备案 报销",
        depth="f",
        fields=(
            choice(
                "reason",
                "备案类型",
                [
                    ("settled", "异地长期居住"),
                    ("work", "常驻异地工作"),
                    ("transfer", "转诊转院"),
                    ("temporary", "临时外出就医"),
                ],
            ),
            field("destination", "就医地"),
        ),
        conditions="参加本市基本医疗保险，因长期居住、工作、转诊或临时外出需要在异地就医的参保人。",
        basis="《国家医保局 财政部关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知》（医保发〔2022〕22号）",
        limits=(None, 1),
        statutory_note="网上备案即时生效",
        materials=[ID_CARD, cond("转诊转院证明", "定点医疗机构出具", "reason", "transfer")],
        faq=[("备案后可以改吗？", "长期居住备案原则上6个月内不得变更，临时外出备案有效期不少于6个月。")],
    ),
    item(
        "门诊慢特病待遇认定",
        "07",
        "P",
        "2",
        ["health"],
        aliases="慢病认定 特病申请 门诊慢性病",
        keywords="医保 慢特病 门诊",
        depth="br",
        fields=(field("disease", "申请病种"),),
        conditions="参加本市基本医疗保险，患有国家和吉林省规定的门诊慢特病病种的参保人。",
        basis=MEDICAL_INSURANCE_BASIS + "；《吉林省基本医疗保险门诊慢特病管理办法》",
        limits=(20, 10),
        materials=[
            ID_CARD,
            form("门诊慢特病待遇认定申请表"),
            m("病历及检查检验报告", "二级以上定点医疗机构出具，能证明病种诊断"),
        ],
        faq=[("认定后在哪里看病报销？", "在选定的门诊慢特病定点医药机构就医购药，直接结算。")],
    ),
    item(
        "生育津贴申领",
        "05",
        "P",
        "2",
        ["birth", "social_security"],
        aliases="生育保险报销 生育金",
        keywords="生育津贴 生育保险 医保",
        depth="fr",
        conditions="参加职工基本医疗保险（生育保险）的职工，在本市定点医疗机构分娩或施行计划生育手术。",
        basis="《中华人民共和国社会保险法》第五十四条、第五十六条；《女职工劳动保护特别规定》第七条",
        limits=(20, 10),
        materials=[
            ID_CARD,
            lic("出生医学证明", "新生儿出生医学证明", "出生医学证明"),
            gov("住院病历首页", "定点医疗机构出具"),
        ],
        faq=[("生育津贴发给谁？", "按规定发放给用人单位或直接发放给参保职工本人。")],
    ),
]

EDUCATION_ITEMS = [
    item(
        "义务教育阶段入学登记",
        "20",
        "P",
        "1",
        ["education"],
        aliases="小学入学 初中入学 新生报名",
        keywords="入学 小学 学区 教育",
        depth="f",
        fields=(
            field("child_name", "适龄儿童姓名"),
            field("child_id_number", "适龄儿童身份证号码", "identity_number"),
            choice("migrant", "是否为随迁子女"),
        ),
        conditions="年满六周岁的适龄儿童，户籍或居住地在本市学区范围内。",
        basis="《中华人民共和国义务教育法》第十一条、第十二条",
        limits=(None, 1),
        statutory_note="按当年招生工作安排统一公布结果",
        materials=[
            HOUSEHOLD_BOOK,
            lic("房屋产权证明", "监护人名下学区内住房", "不动产权证书"),
            cond("居住证", "监护人在本市居住证，在有效期内", "migrant", source="issuing_department"),
        ],
        faq=[("租房可以入学吗？", "随迁子女可凭居住证和租房合同等材料按规定申请入学。")],
    ),
    item(
        "民办学校设立（实施学历教育）",
        "01",
        "L",
        "2",
        ["permits", "education"],
        aliases="办学许可证 民办学校审批",
        keywords="民办学校 办学许可 教育",
        depth="br",
        result=("民办学校办学许可证",),
        conditions="举办者具有政治权利和完全民事行为能力，学校符合当地教育发展需求，具备办学所需的校舍、师资、资金等条件。",
        basis="《中华人民共和国民办教育促进法》第十二条、第十八条；《中华人民共和国民办教育促进法实施条例》",
        limits=(90, 60),
        statutory_note="法定时限为3个月，自受理之日起计算",
        complex_item=True,
        special=("专家评审", "现场核查"),
        materials=[
            form("民办学校筹设申请书", key="license_form"),
            m("举办者资格证明", "法人举办者为营业执照或登记证书"),
            m("校舍产权证明或租赁合同", "租期不少于5年", form="copy"),
            m("章程和首届理事会、董事会组成人员名单", "签字齐全"),
        ],
        faq=[("营利性和非营利性民办学校有什么区别？", "义务教育阶段不得设立营利性民办学校。")],
    ),
    item(
        "教师资格认定",
        "07",
        "P",
        "2",
        ["education", "employment"],
        aliases="教师资格证认定 教资认定",
        keywords="教师资格 教师资格证书 认定",
        depth="brd",
        result=("教师资格证书",),
        conditions="具备规定学历，中小学教师资格考试合格，普通话水平达到二级乙等以上，体检合格。",
        basis="《中华人民共和国教师法》第十条；《教师资格条例》第十三条",
        limits=(30, 20),
        statutory_note="按认定批次集中办理",
        materials=[
            ID_CARD,
            PHOTO,
            gov("学历证书", "经学信网在线核验"),
            gov("普通话水平测试等级证书", "经国家普通话水平测试系统核验"),
            gov("体检合格证明", "指定医院出具"),
        ],
        faq=[("认定时需要到现场吗？", "长春市实行网上申请、全程网办，证书可邮寄送达。")],
    ),
]


def _district_birth():
    return {**birth_registration("（在本区登记）"), "basic_code": HEALTH_ITEMS[0]["basic_code"]}


def _district_hygiene():
    return {**public_place_hygiene(" 朝阳区"), "basic_code": HEALTH_ITEMS[2]["basic_code"]}


ITEMS = [
    *numbered(HEALTH, "10", HEALTH_ITEMS),
    *numbered(MEDICAL, "15", MEDICAL_ITEMS),
    *numbered(EDUCATION, "18", EDUCATION_ITEMS),
    *numbered("朝阳区卫生健康局", "10", [_district_birth(), _district_hygiene()], "220104"),
]
