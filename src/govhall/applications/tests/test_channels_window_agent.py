"""An agent (代办) walking in at the comprehensive window for a principal (issue 8 items 2 and 5,
Art. 9 and 11): the principal is the applicant and sees it in 我的办件 marked 代办, the agent is the
acting person, the signed authorisation is scanned, checked like a material and verified by the
clerk; the receipt PDF names the agent; every refusal changes nothing."""

# ruff: noqa: F811 (the fixture ``desk`` is shared with test_channels by import)

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from govhall.accounts.models import PersonProfile, User
from govhall.accounts.registration import create_person
from govhall.accounts.services import mobile_hash
from govhall.applications import queries, services
from govhall.applications.models import Application, Capacity, Channel, Status
from govhall.applications.tests.conftest import at
from govhall.applications.tests.factories import ANSWERS, ELF, pdf
from govhall.applications.tests.test_channels import desk, resident_id, texts  # noqa: F401
from govhall.applications.tests.test_channels_faces import _login
from govhall.catalog.tests.test_pdf import pdf_text
from govhall.core.audit.models import AuditEvent
from govhall.core.crypto import mask_id_number
from govhall.notifications.models import Message

PRINCIPAL_NUMBER = resident_id("22010219700303123")
AGENT_NUMBER = resident_id("22010219880808123")
API = "/api/v1/applications/channels"


@pytest.fixture
def principal(db):
    """钱七, registered with a mobile number; the agent (孙八) has never used the hall."""
    person = create_person(
        name="钱七",
        document_type="resident_id",
        document_number=PRINCIPAL_NUMBER,
        mobile="13700000021",
        password="x",
        verified_by="t",
    )
    return SimpleNamespace(user=person, number=PRINCIPAL_NUMBER)


def agent(**fields):
    return {
        "name": "孙八",
        "document_number": AGENT_NUMBER,
        "mobile": "13700000022",
        "authorisation": pdf("授权委托书.pdf"),
        **fields,
    }


def register(desk, office, principal, **agent_fields):
    return services.register_walk_in(
        desk.clerk,
        office.item,
        name="钱七",
        document_number=principal.number,
        answers=ANSWERS,
        agent=agent(**agent_fields),
        now=at("2026-11-25 09:40"),
    )


def receipts_to(mobile: str) -> int:
    return Message.objects.filter(template_code="application_receipt", recipient_hash=mobile_hash(mobile)).count()


def submit(desk, office, application):
    for requirement in (office.required, desk.on_site):
        services.scan_material(application, desk.clerk, requirement, pdf())
    return services.submit_at_window(application, desk.clerk, now=at("2026-11-25 10:00"))


def test_an_agent_at_the_window_registers_for_the_principal_who_gets_the_receipt(office, desk, principal):
    application = register(desk, office, principal)

    agent_person = application.acting_person
    assert (application.applicant, application.capacity, application.channel) == (
        principal.user,
        Capacity.AGENT,
        Channel.WINDOW,
    )
    assert application.acting_person == agent_person
    assert agent_person.name == "孙八"
    assert PersonProfile.objects.get(user=agent_person).document_number == AGENT_NUMBER
    assert texts("window_account_created")  # the agent's new account, as for any first walk-in
    assert application.authorisation.name.endswith(".pdf")
    assert application.authorisation.open("rb").read() == pdf().read()
    assert application.authorisation_sha256
    assert (application.authorisation_verified_by, application.authorisation_verified_at) == (
        desk.clerk,
        at("2026-11-25 09:40"),
    )
    audit = AuditEvent.objects.get(action="applications.walk_in_registered")
    assert audit.after["agent"] == agent_person.pk

    submit(desk, office, application)
    application.refresh_from_db()
    assert application.status == Status.AWAITING_ACCEPTANCE
    assert receipts_to("13700000021") == 1  # the principal: their matter, told at once
    assert receipts_to("13700000022") == 1  # the agent, who acts and follows it up
    assert application.business_number in texts("application_receipt")[0]
    assert application in queries.mine(principal.user)
    assert application in queries.mine(agent_person)
    steps = [(entry.action, entry.actor) for entry in queries.timeline(application)]
    assert steps == [("submitted", desk.clerk)]


def test_a_registered_agent_without_a_mobile_leaves_the_single_receipt_to_the_principal(office, desk, principal):
    known = create_person(
        name="孙八",
        document_type="resident_id",
        document_number=AGENT_NUMBER,
        mobile="13700000023",
        password="x",
        verified_by="t",
    )
    User.objects.filter(pk=known.pk).update(mobile="", mobile_hash="")
    application = register(desk, office, principal, mobile="")
    assert application.acting_person == known
    assert not texts("window_account_created")
    submit(desk, office, application)
    assert receipts_to("13700000021") == 1
    assert Message.objects.filter(template_code="application_receipt").count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": "孙九"}, "agent_name", "姓名与证件号码不一致"),  # the agent's card does not match
        ({"document_number": AGENT_NUMBER[:17] + "0"}, "agent_document_number", ""),  # a bad check digit
        ({"mobile": ""}, "agent_mobile", "首次办理请填写代办人本人的手机号码"),
        ({"document_number": PRINCIPAL_NUMBER, "name": "钱七"}, "agent_document_number", "不能是同一人"),
        ({"authorisation": None}, "authorisation", "授权委托书"),
        ({"authorisation": SimpleUploadedFile("授权委托书.pdf", ELF)}, "authorisation", ""),
        ({"authorisation": SimpleUploadedFile("授权委托书.exe", ELF)}, "authorisation", ""),
    ],
)
def test_a_bad_agent_or_authorisation_is_refused_clearly_and_nothing_is_created(
    office, desk, principal, fields, field, message
):
    if field == "agent_name":
        create_person(
            name="孙八",
            document_type="resident_id",
            document_number=AGENT_NUMBER,
            mobile="13700000024",
            password="x",
            verified_by="t",
        )
    users, files = User.objects.count(), Message.objects.count()
    with pytest.raises(ValidationError) as refused:
        register(desk, office, principal, **fields)
    assert field in refused.value.message_dict
    assert message in " ".join(refused.value.message_dict[field])
    assert not Application.objects.exists()
    assert (User.objects.count(), Message.objects.count()) == (users, files)


def test_every_problem_is_listed_at_once_and_a_new_principal_is_not_left_behind(office, desk):
    with pytest.raises(ValidationError) as refused:
        services.register_walk_in(
            desk.clerk,
            office.item,
            name="周九",
            document_number=resident_id("22010219920202123"),
            mobile="13700000025",
            agent=agent(name="孙八", mobile="", authorisation=SimpleUploadedFile("a.pdf", ELF)),
        )
    assert {"agent_mobile", "authorisation"} <= set(refused.value.message_dict)
    assert not PersonProfile.objects.exists()  # the principal's new account was rolled back too
    assert not Message.objects.exists()
    assert not Application.objects.exists()


# --- faces -------------------------------------------------------------------------------------------


def test_the_window_desk_registers_an_agent_prints_the_receipt_and_the_principal_sees_it_marked(
    client, office, desk, principal
):
    _login(client, desk.clerk)
    url = reverse("workbench:window_walk_in", args=[office.item.implementation_code])
    assert "代办人居民身份证号码" in client.get(url).content.decode()
    posted = {
        "identity-name": "钱七",
        "identity-document_number": principal.number,
        "agent-name": "孙九",
        "agent-document_number": AGENT_NUMBER,
        "agent-mobile": "13700000026",
        "agent-authorisation": pdf("授权委托书.pdf"),
        **{f"form-{key}": value for key, value in ANSWERS.items()},
    }
    without = client.post(url, {key: value for key, value in posted.items() if key != "agent-authorisation"})
    assert without.status_code == 200
    assert "代办须扫描上传委托人签署的授权委托书" in without.content.decode()
    assert not Application.objects.exists()

    created = client.post(url, posted)
    assert created.status_code == 302
    application = Application.objects.get()
    assert (application.applicant, application.acting_person.name) == (principal.user, "孙九")
    assert application.authorisation_verified_by == desk.clerk
    application = submit(desk, office, application)

    page = client.get(reverse("workbench:window_application", args=[application.uid])).content.decode()
    assert "由孙*代为办理" in page
    assert reverse("workbench:application_authorisation", args=[application.uid]) in page
    document = client.get(reverse("workbench:application_authorisation", args=[application.uid]))
    assert document["Content-Type"] == "application/pdf"

    receipt = client.get(reverse("workbench:window_receipt", args=[application.uid]))
    assert receipt["Content-Type"] == "application/pdf"
    text = pdf_text(receipt.content)
    assert "孙九" in text
    assert "代办" in text
    assert mask_id_number(AGENT_NUMBER) in text
    assert AGENT_NUMBER not in text  # the agent's number is masked

    client.force_login(principal.user)
    page = client.get(reverse("portal:applications")).content.decode()
    assert application.business_number in page
    assert "孙九代办" in page


def test_the_api_registers_a_walk_in_agent_and_refuses_a_mismatch(client, office, desk, principal):
    _login(client, desk.clerk)
    fields = {
        "item": office.item.implementation_code,
        "name": "钱八",
        "document_number": principal.number,
        "agent_name": "孙八",
        "agent_document_number": AGENT_NUMBER,
        "agent_mobile": "13700000027",
        "answers": json.dumps(ANSWERS),
    }
    mismatch = client.post(f"{API}/window/agent-walk-ins", {**fields, "authorisation": pdf("授权委托书.pdf")})
    assert mismatch.status_code == 422
    assert "姓名与证件号码不一致" in mismatch.json()["fields"]["name"][0]
    assert not Application.objects.exists()
    executable = client.post(
        f"{API}/window/agent-walk-ins",
        {**fields, "name": "钱七", "authorisation": SimpleUploadedFile("授权委托书.pdf", ELF)},
    )
    assert executable.status_code == 422
    assert "authorisation" in executable.json()["fields"]
    assert not Application.objects.exists()

    created = client.post(
        f"{API}/window/agent-walk-ins", {**fields, "name": "钱七", "authorisation": pdf("授权委托书.pdf")}
    )
    assert created.status_code == 201
    assert created.json()["capacity"] == "agent"
    application = Application.objects.get()
    assert application.applicant == principal.user
    assert application.form_data == ANSWERS
    assert application.authorisation_verified_by == desk.clerk
    uid = created.json()["uid"]
    for requirement in (office.required, desk.on_site):
        client.post(f"{API}/window/{uid}/scans/{requirement.pk}", {"file": pdf()})
    assert client.post(f"{API}/window/{uid}/submit").json()["status"] == Status.AWAITING_ACCEPTANCE
    assert receipts_to("13700000021") == 1
