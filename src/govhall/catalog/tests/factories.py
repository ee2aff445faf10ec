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
