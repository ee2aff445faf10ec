"""The apply form and the acceptor's page with library licenses, signature badges and outages."""

import datetime

from django.urls import reverse
from django.utils import timezone

from govhall.accounts.tests.otp import otp_login as staff_login
from govhall.applications import services
from govhall.applications.tests.factories import ANSWERS, pdf
from govhall.licenses import outages
from govhall.licenses.models import LicenseAccess
from govhall.licenses.services import issue_license
from govhall.licenses.tests.test_signatures import _self_signed, _signed_by_department


def _business(hall, holder):
    return issue_license(hall.business, holder, {"name": holder.name}, hall.department)


def test_the_apply_form_says_the_material_comes_from_the_library(client, hall):
    license = _business(hall, hall.alice)
    application = services.start_draft(hall.alice, hall.item, answers=ANSWERS)
    client.force_login(hall.alice)
    page = client.get(reverse("portal:application_materials", args=[application.uid])).content.decode()
    assert "已从电子证照库获取" in page
    assert license.identifier in page
    assert "尚未上传" not in page


def test_during_an_outage_the_apply_form_shows_the_notice_and_asks_for_the_upload(client, hall):
    _business(hall, hall.alice)
    outages.record_outage(
        hall.department,
        hall.head,
        license_types=[hall.business],
        reason="证照库系统迁移",
        starts_at=timezone.now() - datetime.timedelta(minutes=5),
        ends_at=None,
    )
    application = services.start_draft(hall.alice, hall.item, answers=ANSWERS)
    client.force_login(hall.alice)
    page = client.get(reverse("portal:application_materials", args=[application.uid])).content.decode()
    assert "证照库系统迁移" in page
    assert "请上传该材料" in page
    assert "已从电子证照库获取" not in page
    assert "尚未上传" in page


def test_the_acceptor_sees_the_verified_license_and_opening_it_is_logged(client, hall):
    license = _business(hall, hall.alice)
    application = services.submit(services.start_draft(hall.alice, hall.item, answers=ANSWERS), hall.alice)
    staff_login(client, hall.acceptor)
    page = client.get(reverse("workbench:application", args=[application.uid])).content.decode()
    assert license.identifier in page
    assert "电子证照" in page
    assert "有效" in page
    material = application.materials.get()
    opened = client.get(reverse("workbench:application_cited_license", args=[application.uid, material.pk]))
    assert opened.status_code == 200
    assert opened["Content-Type"] == "application/pdf"
    access = LicenseAccess.objects.get(license=license)
    assert access.purpose == "受理审查"
    assert hall.department.name in access.accessor_label
    client.force_login(hall.alice)
    log = client.get(reverse("portal:license", args=[license.identifier])).content.decode()
    assert "受理审查" in log
    assert application.business_number in log


def test_the_acceptor_sees_the_signature_badges_of_uploaded_pdfs(client, hall):
    application = services.start_draft(hall.bob, hall.item, answers=ANSWERS)
    services.add_material(application, hall.bob, hall.required, pdf("签名.pdf", _signed_by_department(hall)))
    services.add_material(application, hall.bob, hall.required, pdf("自签.pdf", _self_signed()))
    application = services.submit(application, hall.bob)
    staff_login(client, hall.acceptor)
    page = client.get(reverse("workbench:application", args=[application.uid])).content.decode()
    assert "数字签名有效" in page
    assert "签名完整但证书不受信任" in page


def test_a_department_head_records_an_outage_and_ends_it(client, hall):
    staff_login(client, hall.head)
    url = reverse("workbench:license_outages")
    assert "证照服务中断" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "department": hall.department.pk,
            "license_types": [hall.food.pk],
            "starts_at": (timezone.localtime() - datetime.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M"),
            "reason": "签章服务器故障",
        },
    )
    assert response.status_code == 302
    outage = outages.active().get()
    page = client.get(url).content.decode()
    assert "签章服务器故障" in page
    assert "中断中" in page
    client.post(reverse("workbench:license_outage_end", args=[outage.pk]))
    assert not outages.active().exists()


def test_an_acceptor_cannot_see_or_record_outages(client, hall):
    staff_login(client, hall.acceptor)
    assert client.get(reverse("workbench:license_outages")).status_code == 403


def test_a_library_material_has_no_file_to_download_on_any_face(client, hall):
    _business(hall, hall.alice)
    application = services.submit(services.start_draft(hall.alice, hall.item, answers=ANSWERS), hall.alice)
    material = application.materials.get()
    client.force_login(hall.alice)
    assert client.get(reverse("portal:application_file", args=[application.uid, material.pk])).status_code == 404
    assert client.get(f"/api/v1/applications/{application.uid}/files/{material.pk}").status_code == 404
    staff_login(client, hall.acceptor)
    staff_url = reverse("workbench:application_material", args=[application.uid, material.pk])
    assert client.get(staff_url).status_code == 404
