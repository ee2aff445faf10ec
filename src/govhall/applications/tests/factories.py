"""Factories for applications: an item with a published guide (form, materials, review stages),
applicants with mobile numbers, department staff, and upload payloads judged by content."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from govhall.accounts.models import User
from govhall.accounts.services import mobile_hash
from govhall.accounts.tests.factories import RoleAssignmentFactory, StaffFactory
from govhall.catalog.models import GuideVersion, MaterialRequirement, VersionStatus
from govhall.catalog.tests.factories import ServiceItemFactory, valid_guide

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 100

FORM = {
    "fields": [
        {"name": "applicant_name", "label": "申请人姓名", "type": "text", "required": True},
        {"name": "shop_name", "label": "店铺名称", "type": "text", "required": True},
        {
            "name": "has_agent",
            "label": "是否委托代理人",
            "type": "choice",
            "choices": [{"value": "yes", "label": "是"}, {"value": "no", "label": "否"}],
        },
    ]
}
ANSWERS = {"applicant_name": "张三", "shop_name": "张记面馆", "has_agent": "no"}
STAGES = [
    {"name": "审查", "kind": "substantive", "role": "reviewer", "days": 3},
    {"name": "审核", "kind": "substantive", "role": "decider", "days": 1},
]


def pdf(name: str = "材料.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def ofd(name: str = "营业执照.ofd") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("OFD.xml", "<ofd:OFD/>")
        package.writestr("Doc_0/Document.xml", "<ofd:Document/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/ofd")


def published_item(*, stages: list[dict[str, Any]] | None = None, **guide: Any):
    """An item whose published guide has the form above, two materials (one required, one needed
    only with an agent) and the review stages; returns (item, required, agent_material)."""
    item = ServiceItemFactory(full_online=True)
    fields = valid_guide(form_definition=FORM, review_stages=STAGES if stages is None else stages)
    fields.update(guide)
    version = GuideVersion.objects.create(item=item, number=1, **fields)
    required = MaterialRequirement.objects.create(version=version, order=1, name="营业执照")
    agent = MaterialRequirement.objects.create(
        version=version,
        order=2,
        name="授权委托书",
        necessity="conditional",
        condition={"field": "has_agent", "equals": "yes"},
    )
    version.status = VersionStatus.PUBLISHED
    version.save()
    item.published_version = version
    item.save(update_fields=["published_version"])
    return item, required, agent


_mobiles = iter(range(10**6))


def applicant(name: str = "张三", *, kind: str = "person", mobile: str | None = None) -> User:
    number = mobile or f"139{next(_mobiles):08d}"
    user = User.objects.create(
        username=f"app-{number}-{kind}", name=name, kind=kind, mobile=number, mobile_hash=mobile_hash(number)
    )
    return user


def staff(role: str, department: Any, **fields: Any) -> User:
    user = StaffFactory(**fields)
    RoleAssignmentFactory(user=user, role=role, department=department)
    return user
