"""Every channel into one record (issue 8): pre-review, window intake, instant items, agents —
what a person notices (status, one business number, one timeline, SMS), and the refusals."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from stdnum.cn import ric

from govhall.accounts.models import PersonProfile
from govhall.accounts.registration import create_person
from govhall.accounts.tests.factories import RoleAssignmentFactory, StaffFactory
from govhall.applications import queries, services
from govhall.applications.models import Application, Channel, MaterialSubmission, NoticeKind, Source, Status
from govhall.applications.tests.conftest import at
from govhall.applications.tests.factories import ANSWERS, ELF, pdf, staff
from govhall.appointments.models import Appointment
from govhall.catalog.models import MaterialRequirement, ServiceItem
from govhall.directory.tests.factories import ServiceCentreFactory
from govhall.notifications.models import Message


def texts(code: str) -> list[str]:
    return [message.text for message in Message.objects.filter(template_code=code).order_by("pk")]


def resident_id(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


def window_staff(centre, **fields):
    user = StaffFactory(**fields)
    RoleAssignmentFactory(user=user, role="window_staff", department=None, centre=centre)
    return user


@pytest.fixture
def desk(office):
    """The office's item offered for pre-review (only 营业执照 needed online; 场所证明 on site),
    handled at one centre with a window clerk; a clerk of another centre."""
    ServiceItem.objects.filter(pk=office.item.pk).update(pre_review=True, booking=True)
    office.item.refresh_from_db()
    on_site = MaterialRequirement.objects.bulk_create(
        [MaterialRequirement(version=office.version, order=3, name="经营场所证明")]
    )[0]
    MaterialRequirement.objects.filter(pk=office.required.pk).update(needed_for_pre_review=True)
    centre, elsewhere = ServiceCentreFactory(), ServiceCentreFactory()
    office.version.centres.add(centre)
    return SimpleNamespace(
        on_site=on_site,
        centre=centre,
        clerk=window_staff(centre),
        stranger=window_staff(elsewhere),
    )


def pre_review(office, when="2026-11-25 16:50"):
    application = services.start_draft(office.alice, office.item, channel=Channel.PRE_REVIEW, answers=ANSWERS)
    services.add_material(application, office.alice, office.required, pdf())
    return services.submit(application, office.alice, now=at(when))


# --- pre-review ------------------------------------------------------------------------------------


def test_a_pre_review_needs_only_the_marked_materials_and_gets_a_30_office_minute_clock(office, desk):
    application = pre_review(office, "2026-11-27 16:50")  # Fri

    assert application.status == Status.SUBMITTED
    assert application.business_number.startswith(office.item.implementation_code)
    assert application.pre_review_due == at("2026-11-30 09:20")  # Fri 16:50 -> next workday 09:20
    assert not application.pre_review_exempt
    [receipt] = texts("application_receipt")
    assert application.business_number in receipt


def test_a_special_or_complex_item_is_exempt_from_the_30_minutes(office, desk):
    type(office.version).objects.filter(pk=office.version.pk).update(special_or_complex=True)
    application = pre_review(office, "2026-11-25 10:00")
    assert application.pre_review_exempt
    assert application.pre_review_due == at("2026-11-30 10:00")


def test_an_item_without_pre_review_refuses_the_channel(office):
    with pytest.raises(ValidationError, match="不提供网上预审"):
        services.start_draft(office.alice, office.item, channel=Channel.PRE_REVIEW)
    assert not Application.objects.exists()


def test_pre_review_to_booking_to_on_site_continuation_keeps_one_number_and_one_timeline(office, desk):
    application = pre_review(office)
    number = application.business_number

    services.pass_pre_review(application, office.acceptor, now=at("2026-11-26 09:10"))
    application.refresh_from_db()
    assert application.status == Status.PRE_REVIEWED
    [sms] = texts("pre_review_passed")
    assert f"/b/{number}/" in sms  # the short link to book a visit for this application

    # The applicant books the visit from the link: the booking carries the application.
    from govhall.appointments import services as appointments

    slot = _slot(office, desk)
    visit = appointments.book(office.alice, office.item, slot, business_number=number, now=at("2026-11-26 10:00"))
    assert Appointment.objects.get(pk=visit.pk).application == application

    # On site: the clerk verifies the original, scans the missing material and continues the record.
    [uploaded] = MaterialSubmission.objects.filter(application=application)
    services.verify_original(uploaded, desk.clerk)
    with pytest.raises(ValidationError) as missing:
        services.continue_on_site(application, desk.clerk)
    assert f"material.{desk.on_site.pk}" in missing.value.message_dict
    scan = services.scan_material(application, desk.clerk, desk.on_site, pdf("场所.pdf"))
    services.continue_on_site(application, desk.clerk, now=at("2026-11-30 10:00"))

    application.refresh_from_db()
    uploaded.refresh_from_db()
    assert application.status == Status.AWAITING_ACCEPTANCE
    assert application.business_number == number
    assert application.intake_centre == desk.centre
    assert Application.objects.count() == 1
    assert (uploaded.original_verified_by, scan.source, scan.original_verified_by) == (
        desk.clerk,
        Source.WINDOW_SCAN,
        desk.clerk,
    )
    steps = [(entry.action, entry.scope_label) for entry in queries.timeline(application)]
    department = application.item.department.name
    assert steps == [("submitted", ""), ("pre_review_passed", department), ("continued_on_site", desk.centre.name)]
    services.accept(application, office.acceptor)
    assert Application.objects.get(pk=application.pk).status == Status.ACCEPTED


def _slot(office, desk):
    from govhall.appointments.models import BookingCapacity
    from govhall.appointments.slots import ensure_slots

    capacity = BookingCapacity.objects.create(centre=desk.centre, item=office.item, windows=2)
    ensure_slots(capacity, datetime.date(2026, 11, 30), datetime.date(2026, 11, 30))
    return capacity.slots.order_by("start").first()


def test_a_returned_pre_review_comes_back_to_pre_review_with_a_new_clock(office, desk):
    application = pre_review(office, "2026-11-25 10:00")
    services.return_pre_review(
        application,
        office.acceptor,
        [{"material": office.required.pk, "reason": "复印件不清晰"}],
        now=at("2026-11-25 10:20"),
    )
    application.refresh_from_db()
    assert application.status == Status.CORRECTION_REQUESTED
    assert application.pre_reviewed_at == at("2026-11-25 10:20")
    assert application.notices.filter(kind=NoticeKind.CORRECTION).count() == 1
    assert texts("correction_notice")

    services.respond_to_correction(
        application, office.alice, uploads={office.required.pk: [pdf("清晰.pdf")]}, now=at("2026-11-25 11:45")
    )
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.pre_review_due == at("2026-11-25 13:45")  # 15 min before lunch, 15 after
    assert application.pre_reviewed_at is None


def test_only_the_department_acceptor_finishes_a_pre_review_and_only_once(office, desk):
    application = pre_review(office)
    with pytest.raises(PermissionDenied):
        services.pass_pre_review(application, office.other_acceptor)
    with pytest.raises(PermissionDenied):
        services.pass_pre_review(application, desk.clerk)
    services.pass_pre_review(application, office.acceptor)
    with pytest.raises(ValidationError, match="已被他人处理"):
        services.pass_pre_review(application, office.acceptor)
    assert len(texts("pre_review_passed")) == 1


def test_an_online_application_cannot_be_passed_as_a_pre_review(office, desk):
    application = services.start_draft(office.alice, office.item, answers=ANSWERS)
    services.add_material(application, office.alice, office.required, pdf())
    services.add_material(application, office.alice, desk.on_site, pdf())
    services.submit(application, office.alice)
    with pytest.raises(ValidationError, match="已被他人处理"):
        services.pass_pre_review(application, office.acceptor)


def test_supervision_sees_the_share_of_pre_reviews_finished_within_30_minutes(office, desk):
    early, late, _open = (pre_review(office, "2026-11-25 10:00") for _ in range(3))
    services.pass_pre_review(early, office.acceptor, now=at("2026-11-25 10:29"))
    services.pass_pre_review(late, office.acceptor, now=at("2026-11-25 10:31"))
    figures = queries.pre_review_timeliness(Application.objects.all())
    assert (figures.finished, figures.in_time, figures.open) == (2, 1, 1)
    assert figures.share == 0.5


# --- the window ------------------------------------------------------------------------------------


def test_window_staff_of_another_centre_can_neither_see_nor_continue(office, desk):
    application = pre_review(office)
    with pytest.raises(PermissionDenied):
        services.continue_on_site(application, desk.stranger)
    with pytest.raises(PermissionDenied):
        queries.application_for(desk.stranger, business_number=application.business_number)
    assert queries.application_for(desk.clerk, business_number=application.business_number) == application
    with pytest.raises(PermissionDenied):
        services.register_walk_in(
            desk.stranger,
            office.item,
            name="王五",
            document_number=resident_id("22010219900101123"),
            mobile="13700000001",
        )


def test_a_walk_in_applicant_is_registered_scanned_and_gets_the_same_sms_receipt(office, desk):
    number = resident_id("22010219900101123")
    application = services.register_walk_in(
        desk.clerk, office.item, name="王五", document_number=number, mobile="13700000001", answers=ANSWERS
    )
    person = application.applicant
    assert PersonProfile.objects.get(user=person).document_number == number
    assert texts("window_account_created")
    with pytest.raises(ValidationError) as incomplete:
        services.submit_at_window(application, desk.clerk)
    assert f"material.{office.required.pk}" in incomplete.value.message_dict
    services.scan_material(application, desk.clerk, office.required, pdf())
    services.scan_material(application, desk.clerk, desk.on_site, pdf())
    services.submit_at_window(application, desk.clerk, now=at("2026-11-25 10:00"))

    application.refresh_from_db()
    assert application.status == Status.AWAITING_ACCEPTANCE
    assert application.channel == Channel.WINDOW
    assert application.business_number == f"{office.item.implementation_code}2026112500001"
    [receipt] = texts("application_receipt")
    assert application.business_number in receipt
    assert "已提交，待受理" in receipt
    assert application in queries.mine(person)


def test_a_registered_walk_in_is_found_by_name_and_id_number_and_a_wrong_name_is_refused(office, desk):
    number = resident_id("22010219850505123")
    person = create_person(
        name="赵六",
        document_type="resident_id",
        document_number=number,
        mobile="13700000002",
        password="x",
        verified_by="t",
    )
    application = services.register_walk_in(desk.clerk, office.item, name="赵六", document_number=number)
    assert application.applicant == person
    with pytest.raises(ValidationError, match="姓名与证件号码不一致"):
        services.register_walk_in(desk.clerk, office.item, name="赵七", document_number=number)
    assert Application.objects.count() == 1


# --- instant items ---------------------------------------------------------------------------------


@pytest.fixture
def instant(office, desk):
    ServiceItem.objects.filter(pk=office.item.pk).update(case_type="1")
    office.item.refresh_from_db()
    both = staff("acceptor", office.department)
    RoleAssignmentFactory(user=both, role="decider", department=office.department)
    RoleAssignmentFactory(user=both, role="reviewer", department=office.department)
    return both


def _awaiting(office, desk):
    application = services.start_draft(office.alice, office.item, answers=ANSWERS)
    services.add_material(application, office.alice, office.required, pdf())
    services.add_material(application, office.alice, desk.on_site, pdf())
    return services.submit(application, office.alice, now=at("2026-11-25 10:00"))


def test_an_instant_item_is_accepted_and_decided_in_one_step_with_both_notices(office, desk, instant):
    application = _awaiting(office, desk)
    now = at("2026-11-25 10:30")
    services.decide_instantly(
        application,
        instant,
        approve=True,
        reasons="材料齐全，当场办结",
        legal_basis="第九条",
        stepped_up_at=now - datetime.timedelta(minutes=1),
        now=now,
    )
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert set(application.notices.values_list("kind", flat=True)) == {NoticeKind.ACCEPTANCE, NoticeKind.DECISION}
    assert texts("application_decided")


@pytest.mark.parametrize("who", ["acceptor", "decider"])
def test_one_step_needs_every_role_and_changes_nothing_otherwise(office, desk, instant, who):
    application = _awaiting(office, desk)
    now = at("2026-11-25 10:30")
    with pytest.raises(PermissionDenied):
        services.decide_instantly(
            application,
            getattr(office, who),
            approve=True,
            reasons="r",
            legal_basis="b",
            stepped_up_at=now,
            now=now,
        )
    application.refresh_from_db()
    assert application.status == Status.AWAITING_ACCEPTANCE
    assert not application.notices.exists()


def test_one_step_needs_a_fresh_second_factor(office, desk, instant):
    application = _awaiting(office, desk)
    with pytest.raises(ValidationError, match="动态验证码"):
        services.decide_instantly(application, instant, approve=True, reasons="r", legal_basis="b", stepped_up_at=None)
    assert Application.objects.get(pk=application.pk).status == Status.AWAITING_ACCEPTANCE


def test_a_promised_item_cannot_be_decided_in_one_step(office, desk):
    application = _awaiting(office, desk)
    both = staff("acceptor", office.department)
    RoleAssignmentFactory(user=both, role="decider", department=office.department)
    now = at("2026-11-25 10:30")
    with pytest.raises(ValidationError, match="承诺件"):
        services.decide_instantly(application, both, approve=True, reasons="r", legal_basis="b", stepped_up_at=now)
    assert Application.objects.get(pk=application.pk).status == Status.AWAITING_ACCEPTANCE


# --- agents ----------------------------------------------------------------------------------------


@pytest.fixture
def principal(db):
    number = resident_id("22010219700303123")
    person = create_person(
        name="钱七",
        document_type="resident_id",
        document_number=number,
        mobile="13700000003",
        password="x",
        verified_by="t",
    )
    return SimpleNamespace(user=person, number=number)


def test_an_agent_application_records_the_agent_and_is_seen_by_the_principal(office, desk, principal):
    application = services.start_agent_draft(
        office.bob,
        office.item,
        principal_name="钱七",
        principal_document_number=principal.number,
        authorisation=pdf("委托书.pdf"),
        answers=ANSWERS,
    )
    assert (application.applicant, application.acting_person, application.capacity) == (
        principal.user,
        office.bob,
        "agent",
    )
    assert application.authorisation.name.endswith(".pdf")
    assert application.authorisation_sha256
    services.add_material(application, office.bob, office.required, pdf())
    services.add_material(application, office.bob, desk.on_site, pdf())
    services.submit(application, office.bob)
    assert application in queries.mine(principal.user)
    assert application in queries.mine(office.bob)
    assert application not in queries.mine(office.alice)


def test_an_agent_needs_a_real_principal_and_a_document_authorisation(office, principal):
    with pytest.raises(ValidationError, match="未找到该委托人"):
        services.start_agent_draft(
            office.bob,
            office.item,
            principal_name="钱八",
            principal_document_number=principal.number,
            authorisation=pdf(),
        )
    with pytest.raises(ValidationError):
        services.start_agent_draft(
            office.bob,
            office.item,
            principal_name="钱七",
            principal_document_number=principal.number,
            authorisation=SimpleUploadedFile("委托书.pdf", ELF),
        )
    assert not Application.objects.exists()
