"""The Changchun demo data set: real regions, plausible centres, real department names.

Codes: GB/T 2260 for the districts, counties and county-level cities; development zones have no
national code, so the locally used 2201xx codes are marked unofficial (STANDARDS.md). Department
USCCs are generated here with valid check characters (GB 32100 and the inner GB 11714 code): they
are demo values, not the departments' real codes.
"""

from __future__ import annotations

REGIONS = [
    # code, name, English name, kind, official code?
    ("220102", "南关区", "Nanguan District", "district", True),
    ("220103", "宽城区", "Kuancheng District", "district", True),
    ("220104", "朝阳区", "Chaoyang District", "district", True),
    ("220105", "二道区", "Erdao District", "district", True),
    ("220106", "绿园区", "Lüyuan District", "district", True),
    ("220112", "双阳区", "Shuangyang District", "district", True),
    ("220113", "九台区", "Jiutai District", "district", True),
    ("220122", "农安县", "Nong'an County", "county", True),
    ("220182", "榆树市", "Yushu City", "county_city", True),
    ("220183", "德惠市", "Dehui City", "county_city", True),
    ("220184", "公主岭市", "Gongzhuling City", "county_city", True),
    (
        "220171",
        "长春经济技术开发区",
        "Changchun Economic and Technological Development Zone",
        "development_zone",
        False,
    ),
    (
        "220172",
        "长春净月高新技术产业开发区",
        "Changchun Jingyue High-tech Industrial Development Zone",
        "development_zone",
        False,
    ),
    (
        "220173",
        "长春高新技术产业开发区",
        "Changchun High-tech Industrial Development Zone",
        "development_zone",
        False,
    ),
    (
        "220174",
        "长春汽车经济技术开发区",
        "Changchun Automotive Economic and Technological Development Zone",
        "development_zone",
        False,
    ),
    ("220175", "长春新区", "Changchun New Area", "development_zone", False),
    (
        "220176",
        "中韩（长春）国际合作示范区",
        "China-Korea (Changchun) International Cooperation Demonstration Zone",
        "development_zone",
        False,
    ),
]

STREETS = [
    # code (statistical 9-digit, demo), name, parent code, kind
    ("220102003", "南岭街道", "220102", "street"),
    ("220102005", "自强街道", "220102", "street"),
    ("220102011", "永吉街道", "220102", "street"),
    ("220104002", "桂林街道", "220104", "street"),
    ("220104003", "南湖街道", "220104", "street"),
    ("220104009", "红旗街道", "220104", "street"),
    ("220106004", "正阳街道", "220106", "street"),
    ("220112100", "奢岭街道", "220112", "street"),
    ("220122101", "农安镇", "220122", "township"),
]

WEEKDAY_HOURS = {
    "mon": [["09:00", "12:00"], ["13:30", "17:00"]],
    "tue": [["09:00", "12:00"], ["13:30", "17:00"]],
    "wed": [["09:00", "12:00"], ["13:30", "17:00"]],
    "thu": [["09:00", "12:00"], ["13:30", "17:00"]],
    "fri": [["09:00", "12:00"], ["13:30", "17:00"]],
}
SUMMER_HOURS = {day: [["08:30", "11:30"], ["13:00", "16:30"]] for day in ("mon", "tue", "wed", "thu", "fri")}
CITY_CENTRE_HOURS = {**WEEKDAY_HOURS, "sat": [["09:00", "12:00"]]}

CENTRES = [
    # code, name, level, region code, address, phone, hours
    (
        "cc-city",
        "长春市政务服务中心",
        "city",
        "220100",
        "长春市南关区人民大街9999号",
        "0431-12345",
        CITY_CENTRE_HOURS,
    ),
    (
        "cc-city-realty",
        "长春市不动产登记服务中心",
        "city",
        "220100",
        "长春市朝阳区延安大街1111号",
        "0431-88776655",
        WEEKDAY_HOURS,
    ),
    (
        "nanguan",
        "南关区政务服务中心",
        "district",
        "220102",
        "长春市南关区东岭南街1899号",
        "0431-88681234",
        WEEKDAY_HOURS,
    ),
    (
        "kuancheng",
        "宽城区政务服务中心",
        "district",
        "220103",
        "长春市宽城区长新街1506号",
        "0431-82781234",
        WEEKDAY_HOURS,
    ),
    (
        "chaoyang",
        "朝阳区政务服务中心",
        "district",
        "220104",
        "长春市朝阳区西安大路1585号",
        "0431-85951234",
        WEEKDAY_HOURS,
    ),
    (
        "erdao",
        "二道区政务服务中心",
        "district",
        "220105",
        "长春市二道区东盛大街5577号",
        "0431-84671234",
        WEEKDAY_HOURS,
    ),
    (
        "lvyuan",
        "绿园区政务服务中心",
        "district",
        "220106",
        "长春市绿园区普阳街2800号",
        "0431-87981234",
        WEEKDAY_HOURS,
    ),
    (
        "shuangyang",
        "双阳区政务服务中心",
        "district",
        "220112",
        "长春市双阳区双阳大街1366号",
        "0431-84221234",
        SUMMER_HOURS,
    ),
    (
        "jiutai",
        "九台区政务服务中心",
        "district",
        "220113",
        "长春市九台区新华大街399号",
        "0431-82301234",
        SUMMER_HOURS,
    ),
    (
        "nongan",
        "农安县政务服务中心",
        "district",
        "220122",
        "长春市农安县黄龙路888号",
        "0431-83221234",
        SUMMER_HOURS,
    ),
    (
        "yushu",
        "榆树市政务服务中心",
        "district",
        "220182",
        "长春市榆树市华昌路1188号",
        "0431-83621234",
        SUMMER_HOURS,
    ),
    (
        "dehui",
        "德惠市政务服务中心",
        "district",
        "220183",
        "长春市德惠市人民路2066号",
        "0431-87221234",
        SUMMER_HOURS,
    ),
    (
        "gongzhuling",
        "公主岭市政务服务中心",
        "district",
        "220184",
        "公主岭市河南大街1666号",
        "0434-6221234",
        SUMMER_HOURS,
    ),
    (
        "jingkai",
        "长春经开区政务服务中心",
        "district",
        "220171",
        "长春市经开区临河街3333号",
        "0431-84641234",
        WEEKDAY_HOURS,
    ),
    (
        "jingyue",
        "净月高新区政务服务中心",
        "district",
        "220172",
        "长春市净月区生态大街2288号",
        "0431-84511234",
        WEEKDAY_HOURS,
    ),
    (
        "gaoxin",
        "长春高新区政务服务中心",
        "district",
        "220173",
        "长春市高新区硅谷大街3355号",
        "0431-85371234",
        WEEKDAY_HOURS,
    ),
    (
        "qikai",
        "汽开区政务服务中心",
        "district",
        "220174",
        "长春市汽开区东风大街8899号",
        "0431-81501234",
        WEEKDAY_HOURS,
    ),
    (
        "xinqu",
        "长春新区政务服务中心",
        "district",
        "220175",
        "长春市长春新区北湖大路5678号",
        "0431-81931234",
        WEEKDAY_HOURS,
    ),
    (
        "nanling",
        "南岭街道公共服务中心",
        "street",
        "220102003",
        "长春市南关区南岭大街300号",
        "0431-85601234",
        WEEKDAY_HOURS,
    ),
    (
        "guilin",
        "桂林街道公共服务中心",
        "street",
        "220104002",
        "长春市朝阳区桂林路600号",
        "0431-85651234",
        WEEKDAY_HOURS,
    ),
]

# English names shown when the portal is switched to English (ServiceCentre.name_en), keyed by code.
CENTRE_NAMES_EN = {
    "cc-city": "Changchun Government Service Centre",
    "cc-city-realty": "Changchun Real Estate Registration Service Centre",
    "nanguan": "Nanguan District Government Service Centre",
    "kuancheng": "Kuancheng District Government Service Centre",
    "chaoyang": "Chaoyang District Government Service Centre",
    "erdao": "Erdao District Government Service Centre",
    "lvyuan": "Lüyuan District Government Service Centre",
    "shuangyang": "Shuangyang District Government Service Centre",
    "jiutai": "Jiutai District Government Service Centre",
    "nongan": "Nong'an County Government Service Centre",
    "yushu": "Yushu City Government Service Centre",
    "dehui": "Dehui City Government Service Centre",
    "gongzhuling": "Gongzhuling City Government Service Centre",
    "jingkai": "Changchun Economic and Technological Development Zone Government Service Centre",
    "jingyue": "Jingyue High-tech Zone Government Service Centre",
    "gaoxin": "Changchun High-tech Zone Government Service Centre",
    "qikai": "Changchun Automotive Economic and Technological Development Zone Government Service Centre",
    "xinqu": "Changchun New Area Government Service Centre",
    "nanling": "Nanling Subdistrict Public Service Centre",
    "guilin": "Guilin Subdistrict Public Service Centre",
}

# English names of the streets and townships (Region.name_en), keyed by code.
STREET_NAMES_EN = {
    "220102003": "Nanling Subdistrict",
    "220102005": "Ziqiang Subdistrict",
    "220102011": "Yongji Subdistrict",
    "220104002": "Guilin Subdistrict",
    "220104003": "Nanhu Subdistrict",
    "220104009": "Hongqi Subdistrict",
    "220106004": "Zhengyang Subdistrict",
    "220112100": "Sheling Subdistrict",
    "220122101": "Nong'an Town",
}

CITY_DEPARTMENTS = [
    # name, short name, English name, consultation phone, complaint phone, sits in city centre?
    (
        "长春市市场监督管理局",
        "市场监管局",
        "Changchun Administration for Market Regulation",
        "0431-88791111",
        "12315",
        True,
    ),
    ("长春市公安局", "公安局", "Changchun Public Security Bureau", "0431-88981111", "0431-88982222", True),
    (
        "长春市人力资源和社会保障局",
        "人社局",
        "Changchun Human Resources and Social Security Bureau",
        "0431-12333",
        "0431-88771234",
        True,
    ),
    (
        "长春市住房和城乡建设局",
        "住建局",
        "Changchun Housing and Urban-Rural Development Bureau",
        "0431-88761111",
        "0431-88762222",
        True,
    ),
    ("长春市卫生健康委员会", "卫健委", "Changchun Health Commission", "0431-88751111", "0431-88752222", True),
    ("长春市民政局", "民政局", "Changchun Civil Affairs Bureau", "0431-88741111", "0431-88742222", True),
    (
        "长春市医疗保障局",
        "医保局",
        "Changchun Healthcare Security Administration",
        "0431-88731111",
        "0431-88732222",
        True,
    ),
    ("长春市交通运输局", "交通运输局", "Changchun Transport Bureau", "0431-88721111", "0431-88722222", True),
    (
        "长春市自然资源局",
        "自然资源局",
        "Changchun Natural Resources Bureau",
        "0431-88711111",
        "0431-88712222",
        False,
    ),
    (
        "长春市生态环境局",
        "生态环境局",
        "Changchun Ecology and Environment Bureau",
        "0431-88701111",
        "12369",
        True,
    ),
    ("长春市教育局", "教育局", "Changchun Education Bureau", "0431-88691111", "0431-88692222", True),
    (
        "国家税务总局长春市税务局",
        "税务局",
        "Changchun Municipal Tax Service, STA",
        "12366",
        "0431-88682222",
        True,
    ),
    ("长春市商务局", "商务局", "Changchun Commerce Bureau", "0431-88671111", "0431-88672222", True),
    (
        "长春市文化广播电视和旅游局",
        "文广旅局",
        "Changchun Culture, Radio, Television and Tourism Bureau",
        "0431-88661111",
        "0431-88662222",
        True,
    ),
    (
        "长春市城市管理局",
        "城管局",
        "Changchun Urban Management Bureau",
        "0431-88651111",
        "0431-88652222",
        True,
    ),
    ("长春市水务局", "水务局", "Changchun Water Affairs Bureau", "0431-88641111", "0431-88642222", True),
    (
        "长春市农业农村局",
        "农业农村局",
        "Changchun Agriculture and Rural Affairs Bureau",
        "0431-88631111",
        "0431-88632222",
        True,
    ),
    (
        "长春市退役军人事务局",
        "退役军人事务局",
        "Changchun Veterans Affairs Bureau",
        "0431-88621111",
        "0431-88622222",
        True,
    ),
    ("长春市司法局", "司法局", "Changchun Justice Bureau", "0431-12348", "0431-88612222", True),
    (
        "长春市应急管理局",
        "应急局",
        "Changchun Emergency Management Bureau",
        "0431-88601111",
        "0431-88602222",
        True,
    ),
    (
        "长春市发展和改革委员会",
        "发改委",
        "Changchun Development and Reform Commission",
        "0431-88591111",
        "0431-88592222",
        True,
    ),
    (
        "长春住房公积金管理中心",
        "公积金中心",
        "Changchun Housing Provident Fund Management Centre",
        "0431-12329",
        "0431-88582222",
        True,
    ),
    (
        "长春市林业和园林局",
        "林园局",
        "Changchun Forestry and Landscape Bureau",
        "0431-88571111",
        "0431-88572222",
        True,
    ),
    (
        "长春市人民防空办公室",
        "人防办",
        "Changchun Civil Air Defence Office",
        "0431-88561111",
        "0431-88562222",
        True,
    ),
]

DISTRICT_DEPARTMENTS = [
    # name, region code, parent department name, consultation, complaint
    ("南关区市场监督管理局", "220102", "长春市市场监督管理局", "0431-88681111", "12315"),
    ("南关区人力资源和社会保障局", "220102", "长春市人力资源和社会保障局", "0431-88682222", "0431-88683333"),
    ("南关区民政局", "220102", "长春市民政局", "0431-88684444", "0431-88685555"),
    ("宽城区市场监督管理局", "220103", "长春市市场监督管理局", "0431-82781111", "12315"),
    ("朝阳区市场监督管理局", "220104", "长春市市场监督管理局", "0431-85951111", "12315"),
    ("朝阳区卫生健康局", "220104", "长春市卫生健康委员会", "0431-85952222", "0431-85953333"),
    ("二道区市场监督管理局", "220105", "长春市市场监督管理局", "0431-84671111", "12315"),
    ("绿园区市场监督管理局", "220106", "长春市市场监督管理局", "0431-87981111", "12315"),
    ("九台区行政审批局", "220113", None, "0431-82301111", "0431-82302222"),
    ("农安县行政审批局", "220122", None, "0431-83221111", "0431-83222222"),
    ("长春经开区市场监督管理局", "220171", "长春市市场监督管理局", "0431-84641111", "12315"),
    ("净月高新区社会事业局", "220172", None, "0431-84511111", "0431-84512222"),
]

SUB_HALL_NOTICES = {
    "220102": "南关区政务服务中心周六上午提供“不打烊”服务，办理社保、医保、户籍类高频事项。",
    "220171": "经开区企业开办“一网通办”，营业执照、公章刻制、税务登记一日办结。",
}

# username, name, role, scope kind, scope key (region code / department name / centre code)
DEMO_STAFF = [
    ("city_admin", "王政务", "city_admin", "region", "220100"),
    ("nanguan_admin", "李南关", "district_admin", "region", "220102"),
    ("amr_admin", "赵管理", "department_admin", "department", "长春市市场监督管理局"),
    ("amr_head", "钱负责", "department_head", "department", "长春市市场监督管理局"),
    ("amr_editor", "孙编辑", "guide_editor", "department", "长春市市场监督管理局"),
    ("amr_acceptor", "周受理", "acceptor", "department", "长春市市场监督管理局"),
    ("amr_reviewer", "吴审查", "reviewer", "department", "长春市市场监督管理局"),
    ("amr_decider", "郑决定", "decider", "department", "长春市市场监督管理局"),
    ("amr_responder", "冯答复", "responder", "department", "长春市市场监督管理局"),
    ("window_staff", "陈窗口", "window_staff", "centre", "cc-city"),
    ("auditor", "褚审计", "auditor", "region", "220100"),
]

DEMO_PASSWORD = "Changchun@2026"  # noqa: S105 (printed on purpose: demo accounts only)
# This demo account has no authenticator yet: its first login walks through enrolment.
UNENROLLED_STAFF = "amr_responder"

# name, resident ID body (17 digits; the check character is computed), mobile
DEMO_PEOPLE = [
    ("张三", "22010219900307123", "13800000001"),
    ("阿依古丽·买买提", "22010419851120456", "13800000002"),
]
