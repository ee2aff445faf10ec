import factory

from govhall.catalog.models import GuideVersion, LicenseType, MaterialRequirement, ServiceItem
from govhall.core.validators import uscc_from_parts
from govhall.directory.tests.factories import CityFactory, DepartmentFactory


class LicenseTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LicenseType

    defining_department = factory.SubFactory(DepartmentFactory)
    type_code = factory.Sequence(lambda n: uscc_from_parts("11100000", "MA0000PX") + f"{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"测试证照{n}")
    fields = factory.LazyFunction(lambda: [{"name": "holder", "label": "持证者"}])


class ServiceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceItem

    basic_code = factory.Sequence(lambda n: f"B{n:011d}")
    implementation_code = factory.Sequence(lambda n: f"11220100MB1234567X{n:013d}")
    name = factory.Sequence(lambda n: f"测试事项{n}")
    item_type = "01"
    department = factory.SubFactory(DepartmentFactory)
    region = factory.SubFactory(CityFactory)
    service_object = "natural_person"
    case_type = "2"


def valid_guide(**overrides):
    """Guide fields that pass every publication check."""
    fields = {
        "conditions": "申请人具有完全民事行为能力。",
        "legal_basis": "《中华人民共和国行政许可法》",
        "statutory_limit": 20,
        "promised_limit": 5,
        "window_steps": [
            {"name": "受理", "applicant_action": "提交材料"},
            {"name": "决定", "applicant_action": "领取结果"},
        ],
        "online_steps": [
            {"name": "网上预约", "applicant_action": "选择时段", "kind": "booking"},
            {"name": "网上申请", "applicant_action": "填写表单"},
            {"name": "结果送达", "applicant_action": "签收"},
        ],
        "review_stages": [{"name": "受理审查", "kind": "formal", "role": "acceptor", "days": 1}],
        "fees": [{"name": "工本费", "amount_fen": 1000, "legal_basis": "发改价格〔2020〕1号", "exemption": ""}],
        "consultation_phone": "0431-12345678",
        "complaint_phone": "12345",
        "form_definition": {
            "fields": [
                {"name": "applicant_name", "label": "申请人姓名", "type": "text", "required": True},
                {
                    "name": "has_agent",
                    "label": "是否委托代理人",
                    "type": "choice",
                    "choices": [{"value": "yes", "label": "是"}, {"value": "no", "label": "否"}],
                },
            ]
        },
    }
    fields.update(overrides)
    return fields


class GuideVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuideVersion

    item = factory.SubFactory(ServiceItemFactory)
    number = factory.Sequence(lambda n: n + 1)


class MaterialRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MaterialRequirement

    version = factory.SubFactory(GuideVersionFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"材料{n}")
    acceptance_standard = "内容完整、清晰"


PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def complete_guide(centre_id, license_type_id, form_definition=None):
    """Guide fields and materials with every element of Art. 17 filled (for the channel tests).

    Returns ``(fields, materials)`` for ``services.update_draft`` and ``services.set_materials``.
    """
    from django.core.files.uploadedfile import SimpleUploadedFile

    fields = valid_guide(
        conditions="申请人为本市常住居民；经营场所符合规划用途。",
        legal_basis="《中华人民共和国行政许可法》第二十九条；《吉林省测试条例》第八条",
        statutory_limit=20,
        statutory_unit="working_days",
        statutory_note="需要听证的，听证时间不计算在内",
        promised_limit=7,
        promised_unit="natural_days",
        promised_note="自受理之日起计算",
        special_or_complex=True,
        on_site_visits=1,
        fees=[
            {"name": "证书工本费", "amount_fen": 1050, "legal_basis": "吉发改收费〔2021〕8号", "exemption": ""},
            {
                "name": "登记费",
                "amount_fen": 8000,
                "legal_basis": "财税〔2019〕45号",
                "exemption": "小微企业免收登记费",
            },
        ],
        window_steps=[
            {"name": "窗口申请", "applicant_action": "到综合窗口递交纸质材料"},
            {"name": "现场核查", "applicant_action": "配合工作人员核查经营场所"},
            {"name": "窗口领证", "applicant_action": "凭受理通知书领取证书"},
        ],
        online_steps=[
            {"name": "预约到厅", "applicant_action": "选择到厅核验时段", "kind": "booking"},
            {"name": "材料预审", "applicant_action": "上传材料等待30分钟预审", "kind": "pre_review"},
            {"name": "网上提交", "applicant_action": "在线填写申请表并签名"},
            {"name": "邮寄送达", "applicant_action": "签收邮寄的证书"},
        ],
        review_stages=[
            {"name": "材料受理", "kind": "formal", "role": "acceptor", "days": 1},
            {"name": "现场审查", "kind": "substantive", "role": "reviewer", "days": 4},
            {"name": "许可决定", "kind": "procedural", "role": "decider", "days": 2},
        ],
        special_procedures=["听证程序", "专家评审"],
        faq=[
            {"q": "外地户籍可以申请吗？", "a": "持本市居住证的可以申请。"},
            {"q": "证书丢失怎么办？", "a": "可申请补发，无需重新审查。"},
        ],
        consultation_phone="0431-88776655",
        complaint_phone="0431-12345000",
        **({"form_definition": form_definition} if form_definition else {}),
    )
    materials = [
        {
            "name": "开业申请书",
            "form": "original",
            "source": "applicant",
            "count": 2,
            "paper_spec": "A4纸双面打印",
            "notes": "用黑色签字笔填写，不得涂改",
            "acceptance_standard": "项目填写完整并由申请人签字",
            "non_shareable_legal_basis": "申请书为申请人意思表示，依《行政许可法》第二十九条须本人提交",
            "blank_form": SimpleUploadedFile("kaiye-shenqing.pdf", PDF_BYTES),
            "sample": SimpleUploadedFile("kaiye-yangbiao.pdf", PDF_BYTES),
        },
        {
            "name": "委托书",
            "necessity": "conditional",
            "condition": {"field": "has_agent", "equals": "yes"},
            "form": "copy",
            "source": "applicant",
            "acceptance_standard": "载明委托权限和期限",
        },
        {
            "name": "营业执照副本",
            "form": "electronic",
            "source": "e_license",
            "acceptance_standard": "在有效期内",
            "replacing_license_types": [license_type_id],
        },
    ]
    return fields, materials
