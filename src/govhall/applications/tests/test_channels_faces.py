"""The faces of the channels (issue 8): the workbench window desk (find, verify, scan, continue,
walk-in, receipt, instant decision with TOTP), the acceptor's pre-review actions, the portal's
channel choice and agent marking, and the API."""

# ruff: noqa: F811 (the fixtures ``desk`` and ``instant`` are shared with test_channels by import)

from __future__ import annotations

import pytest
from django.urls import reverse

from govhall.accounts.tests.factories import RoleAssignmentFactory
from govhall.accounts.tests.otp import current_code as _code
from govhall.accounts.tests.otp import otp_login as _login
from govhall.applications import services
from govhall.applications.models import Application, Channel, Source, Status
from govhall.applications.tests.conftest import at
from govhall.applications.tests.factories import ANSWERS, pdf
from govhall.applications.tests.test_channels import desk, instant, pre_review, resident_id, texts  # noqa: F401
from govhall.catalog.models import ServiceItem


def test_window_staff_find_verify_scan_and_continue_a_pre_reviewed_application(client, office, desk):
    application = pre_review(office)
    services.pass_pre_review(application, office.acceptor)
    _login(client, desk.clerk)

    found = client.get(reverse("workbench:window"), {"number": application.business_number})
    assert found.status_code == 302
    assert str(application.uid) in found["Location"]
    page = client.get(found["Location"])
    assert "预审通过，待现场核验" in page.content.decode()

    uploaded = application.materials.get()
    viewed = client.get(reverse("workbench:window_material", args=[application.uid, uploaded.pk]))
    assert viewed["Content-Type"] == "application/pdf"
    assert b"".join(viewed.streaming_content) == uploaded.file.open("rb").read()
    client.post(reverse("workbench:window_verify", args=[application.uid, uploaded.pk]))
    client.post(
        reverse("workbench:window_scan", args=[application.uid]),
        {"requirement": desk.on_site.pk, "file": pdf("场所.pdf")},
    )
    done = client.post(
        reverse("workbench:window_proceed", args=[application.uid]), {"expected": Status.PRE_REVIEWED}, follow=True
    )
    assert "已现场核验，申请转入待受理" in done.content.decode()
    application.refresh_from_db()
    uploaded.refresh_from_db()
    assert application.status == Status.AWAITING_ACCEPTANCE
    assert uploaded.original_verified_by == desk.clerk
    assert application.materials.filter(source=Source.WINDOW_SCAN).count() == 1

    receipt = client.get(reverse("workbench:window_receipt", args=[application.uid]))
    assert receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF")


def test_another_centre_finds_nothing_and_cannot_open_the_application(client, office, desk):
    application = pre_review(office)
    _login(client, desk.stranger)
    page = client.get(reverse("workbench:window"), {"number": application.business_number})
    assert page.status_code == 200
    assert "未找到本中心可办理" in page.content.decode()
    assert client.get(reverse("workbench:window_application", args=[application.uid])).status_code == 404
    assert client.post(reverse("workbench:window_proceed", args=[application.uid])).status_code == 404
    material = application.materials.get()
    assert client.get(reverse("workbench:window_material", args=[application.uid, material.pk])).status_code == 404


def test_a_walk_in_is_registered_scanned_and_submitted_with_the_sms_receipt(client, office, desk):
    _login(client, desk.clerk)
    url = reverse("workbench:window_walk_in", args=[office.item.implementation_code])
    assert office.item.name in client.get(url).content.decode()
    posted = {
        "identity-name": "王五",
        "identity-document_number": resident_id("22010219900101123"),
        "identity-mobile": "13700000009",
        **{f"form-{key}": value for key, value in ANSWERS.items()},
    }
    created = client.post(url, posted)
    application = Application.objects.get(channel=Channel.WINDOW)
    assert created.status_code == 302
    for requirement in (office.required, desk.on_site):
        client.post(
            reverse("workbench:window_scan", args=[application.uid]),
            {"requirement": requirement.pk, "file": pdf()},
        )
    client.post(reverse("workbench:window_proceed", args=[application.uid]))
    application.refresh_from_db()
    assert application.status == Status.AWAITING_ACCEPTANCE
    [receipt] = texts("application_receipt")
    assert application.business_number in receipt


def test_an_instant_item_is_decided_at_the_window_with_a_fresh_totp(client, settings, office, desk, instant):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code first, then the right one at once
    RoleAssignmentFactory(user=instant, role="window_staff", department=None, centre=desk.centre)
    application = services.start_draft(office.alice, office.item, answers=ANSWERS)
    services.add_material(application, office.alice, office.required, pdf())
    services.add_material(application, office.alice, desk.on_site, pdf())
    services.submit(application, office.alice)
    _login(client, instant)
    url = reverse("workbench:window_instant", args=[application.uid])
    data = {"instant-outcome": "approve", "instant-reasons": "当场办结", "instant-legal_basis": "第九条"}

    wrong = client.post(url, {**data, "instant-otp_token": "000000"})
    assert wrong.status_code == 422
    assert Application.objects.get(pk=application.pk).status == Status.AWAITING_ACCEPTANCE
    client.post(url, {**data, "instant-otp_token": _code(instant)})
    assert Application.objects.get(pk=application.pk).status == Status.APPROVED


def test_the_acceptor_passes_a_pre_review_from_the_queue(client, office, desk):
    application = pre_review(office)
    _login(client, office.acceptor)
    queue = client.get(reverse("workbench:applications"), {"queue": "pre_review"})
    assert application.business_number in queue.content.decode()
    detail = client.get(reverse("workbench:application", args=[application.uid])).content.decode()
    assert "预审通过" in detail
    assert "预审期限" in detail
    client.post(
        reverse("workbench:application_action", args=[application.uid, "pass_pre_review"]),
        {"pass_pre_review-expected": Status.SUBMITTED},
    )
    assert Application.objects.get(pk=application.pk).status == Status.PRE_REVIEWED
    assert texts("pre_review_passed")


@pytest.mark.parametrize("queue", ["pre_review", "on_site"])
def test_the_new_queues_are_offered_to_acceptors(client, office, queue):
    _login(client, office.acceptor)
    assert client.get(reverse("workbench:applications"), {"queue": queue}).status_code == 200


def test_the_booking_page_carries_the_application_from_the_sms_link(client, office, desk):
    application = pre_review(office)
    ServiceItem.objects.filter(pk=office.item.pk).update(booking=True)
    services.pass_pre_review(application, office.acceptor, now=at("2026-11-26 09:00"))
    link = reverse("portal:pre_review_booking", args=[application.business_number])
    client.force_login(office.bob)
    assert client.get(link).status_code == 404  # not Bob's application
    client.force_login(office.alice)
    opened = client.get(link)
    booking = reverse("portal:appointment_book", args=[office.item.implementation_code])
    assert opened.status_code == 302
    assert opened["Location"].startswith(booking)
    assert f"business_number={application.business_number}" in opened["Location"]


# --- portal ----------------------------------------------------------------------------------------


def test_the_portal_offers_pre_review_and_starts_a_pre_review_draft(client, office, desk):
    client.force_login(office.alice)
    url = reverse("portal:application_start", args=[office.item.implementation_code])
    assert "网上预审" in client.get(url).content.decode()
    client.post(url, {"capacity": "self", "channel": "pre_review"})
    draft = Application.objects.get()
    assert draft.channel == Channel.PRE_REVIEW
    page = client.get(reverse("portal:application_materials", args=[draft.uid]))
    assert desk.on_site in page.context["not_needed"]  # checked on site, not uploaded for the pre-review


def test_an_agent_applies_on_the_portal_and_the_principal_sees_it_marked(client, office, desk):
    from govhall.accounts.registration import create_person

    number = resident_id("22010219700303123")
    principal = create_person(
        name="钱七",
        document_type="resident_id",
        document_number=number,
        mobile="13700000004",
        password="x",
        verified_by="t",
    )
    client.force_login(office.bob)
    url = reverse("portal:application_start", args=[office.item.implementation_code])
    refused = client.post(url, {"capacity": "agent", "principal_name": "钱七", "principal_document_number": number})
    assert refused.status_code == 302
    assert not Application.objects.exists()
    client.post(
        url,
        {
            "capacity": "agent",
            "principal_name": "钱七",
            "principal_document_number": number,
            "authorisation": pdf("委托书.pdf"),
        },
    )
    application = Application.objects.get()
    services.save_draft(application, office.bob, ANSWERS)
    services.add_material(application, office.bob, office.required, pdf())
    services.add_material(application, office.bob, desk.on_site, pdf())
    application = services.submit(application, office.bob)

    # Art. 11: the agent who acted gets the receipt, and so does the principal it was made for.
    from govhall.notifications.models import Message

    receipts = Message.objects.filter(template_code="application_receipt", object_id=str(application.pk))
    assert sorted(m.recipient for m in receipts) == sorted([office.bob.mobile, principal.mobile])

    client.force_login(principal)
    page = client.get(reverse("portal:applications")).content.decode()
    assert application.business_number in page
    assert f"{office.bob.name}代办" in page
    client.force_login(office.bob)
    assert "代办" in client.get(reverse("portal:applications")).content.decode()

    # The acceptor reads the authorisation before accepting; staff of another centre cannot.
    _login(client, office.acceptor)
    url = reverse("workbench:application_authorisation", args=[application.uid])
    assert url in client.get(reverse("workbench:application", args=[application.uid])).content.decode()
    document = client.get(url)
    assert document["Content-Type"] == "application/pdf"
    assert b"".join(document.streaming_content) == application.authorisation.open("rb").read()
    _login(client, desk.stranger)
    assert client.get(url).status_code == 404


def test_supervision_sees_the_pre_review_timeliness_line(client, office, desk):
    from govhall.accounts.tests.factories import StaffFactory

    application = pre_review(office, "2026-11-25 10:00")
    services.pass_pre_review(application, office.acceptor, now=at("2026-11-25 10:20"))
    supervisor = StaffFactory()
    for region in (office.department.region, desk.centre.region):
        RoleAssignmentFactory(user=supervisor, role="city_admin", department=None, region=region)
    _login(client, supervisor)
    page = client.get(reverse("workbench:appointment_figures"), {"date_from": "2026-11-01", "date_to": "2026-11-30"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "网上预审30分钟内完成率" in html
    assert "100%" in html


# --- API -------------------------------------------------------------------------------------------

API = "/api/v1/applications/channels"


def test_the_api_starts_a_pre_review_and_the_window_finds_and_continues_it(client, office, desk):
    client.force_login(office.alice)
    started = client.post(f"{API}/drafts", {"item": office.item.implementation_code}, content_type="application/json")
    assert started.status_code == 201
    assert started.json()["channel"] == "pre_review"
    application = Application.objects.get()
    services.save_draft(application, office.alice, ANSWERS)
    services.add_material(application, office.alice, office.required, pdf())
    application = services.submit(application, office.alice)
    services.pass_pre_review(application, office.acceptor)

    _login(client, desk.stranger)
    assert client.get(f"{API}/window/find", {"number": application.business_number}).status_code == 404
    _login(client, desk.clerk)
    found = client.get(f"{API}/window/find", {"number": application.business_number})
    assert found.json()["status"] == Status.PRE_REVIEWED
    incomplete = client.post(f"{API}/window/{application.uid}/continue")
    assert incomplete.status_code == 422
    assert f"material.{desk.on_site.pk}" in incomplete.json()["fields"]
    scanned = client.post(f"{API}/window/{application.uid}/scans/{desk.on_site.pk}", {"file": pdf()})
    assert scanned.status_code == 201
    done = client.post(f"{API}/window/{application.uid}/continue")
    assert done.json()["status"] == Status.AWAITING_ACCEPTANCE
    assert done.json()["business_number"] == application.business_number


def test_the_api_refuses_pre_review_for_an_item_without_it(client, office):
    client.force_login(office.alice)
    refused = client.post(f"{API}/drafts", {"item": office.item.implementation_code}, content_type="application/json")
    assert refused.status_code == 422
    assert "不提供网上预审" in refused.json()["message"]
    assert not Application.objects.exists()


def test_the_api_registers_a_walk_in_and_submits_it(client, office, desk):
    _login(client, desk.clerk)
    created = client.post(
        f"{API}/window/walk-ins",
        {
            "item": office.item.implementation_code,
            "name": "王五",
            "document_number": resident_id("22010219900101123"),
            "mobile": "13700000011",
            "answers": ANSWERS,
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    uid = created.json()["uid"]
    for requirement in (office.required, desk.on_site):
        client.post(f"{API}/window/{uid}/scans/{requirement.pk}", {"file": pdf()})
    submitted = client.post(f"{API}/window/{uid}/submit")
    assert submitted.json()["status"] == Status.AWAITING_ACCEPTANCE
    assert texts("application_receipt")


def test_the_api_starts_an_agent_application_for_a_registered_principal(client, office):
    from govhall.accounts.registration import create_person

    number = resident_id("22010219700303123")
    principal = create_person(
        name="钱七",
        document_type="resident_id",
        document_number=number,
        mobile="13700000012",
        password="x",
        verified_by="t",
    )
    client.force_login(office.bob)
    fields = {"item": office.item.implementation_code, "principal_name": "钱七", "principal_document_number": number}
    missing = client.post(f"{API}/agent-drafts", fields)
    assert missing.status_code == 422
    assert not Application.objects.exists()
    created = client.post(f"{API}/agent-drafts", {**fields, "authorisation": pdf("委托书.pdf")})
    assert created.status_code == 201
    assert created.json()["capacity"] == "agent"
    assert Application.objects.get().applicant == principal
