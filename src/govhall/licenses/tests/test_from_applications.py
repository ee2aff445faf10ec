"""Issue 9 step 2: the decision issues the license; the library satisfies materials (Art. 13);
outages defer issuance and send applicants back to uploads (Art. 14 para 3)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from govhall.applications import services
from govhall.applications.models import MaterialSubmission, Source, Status
from govhall.applications.tests.factories import ANSWERS, pdf
from govhall.licenses import outages
from govhall.licenses.from_applications import issue_pending
from govhall.licenses.models import AccessKind, License, LicenseAccess, LicenseStatus, PendingIssuance
from govhall.licenses.services import change_status, issue_license, pdf_bytes
from govhall.licenses.verification import verify_pdf


def _approved(hall, who=None):
    who = who or hall.alice
    application = services.start_draft(who, hall.item, answers=ANSWERS)
    if not application.materials.filter(source=Source.E_LICENSE).exists():
        services.add_material(application, who, hall.required, pdf())
    application = services.submit(application, who)
    application = services.accept(application, hall.acceptor)
    return services.decide(
        application,
        hall.decider,
        approve=True,
        reasons="材料齐全，符合条件。",
        legal_basis="《食品安全法》第三十五条",
        stepped_up_at=timezone.now(),
    )


def _business_license(hall, holder):
    return issue_license(hall.business, holder, {"name": holder.name}, hall.department, valid_until=None)


def _outage(hall, license_type, **kwargs):
    kwargs.setdefault("starts_at", timezone.now() - datetime.timedelta(hours=1))
    kwargs.setdefault("ends_at", None)
    return outages.record_outage(
        hall.department, hall.head, license_types=[license_type], reason="签章系统升级", **kwargs
    )


def test_approval_issues_the_license_to_the_applicant_with_the_form_content(hall):
    application = _approved(hall)
    license = License.objects.get(holder=hall.alice, license_type=hall.food)
    assert application.status == Status.APPROVED
    assert license.source_reference == application.business_number
    assert license.data == {"shop_name": "张记面馆", "operator": "张三"}
    assert verify_pdf(pdf_bytes(license)).valid
    comments = list(application.timeline.values_list("comment", flat=True))
    assert any(license.identifier in comment and "我的证照" in comment for comment in comments)


def test_a_refusal_issues_nothing(hall):
    application = services.start_draft(hall.alice, hall.item, answers=ANSWERS)
    services.add_material(application, hall.alice, hall.required, pdf())
    application = services.accept(services.submit(application, hall.alice), hall.acceptor)
    services.decide(
        application,
        hall.decider,
        approve=False,
        reasons="不符合条件。",
        legal_basis="某法",
        stepped_up_at=timezone.now(),
    )
    assert not License.objects.filter(holder=hall.alice).exists()


def test_an_applicant_without_real_name_identity_gets_a_pending_license_not_a_failed_decision(hall):
    from govhall.applications.tests.factories import applicant

    anonymous = applicant("王五")
    application = _approved(hall, anonymous)
    assert application.status == Status.APPROVED
    pending = PendingIssuance.objects.get(application=application)
    assert "实名" in pending.reason
    assert not License.objects.filter(holder=anonymous).exists()


def test_during_an_outage_the_license_is_pending_and_the_sweep_issues_it_after(hall):
    outage = _outage(hall, hall.food)
    application = _approved(hall)
    assert application.status == Status.APPROVED
    pending = PendingIssuance.objects.get(application=application)
    assert "签章系统升级" in pending.reason
    assert issue_pending() == 0  # still out
    assert not License.objects.filter(holder=hall.alice, license_type=hall.food).exists()

    outages.end_outage(outage, hall.head)
    assert issue_pending() == 1
    pending.refresh_from_db()
    assert pending.license.holder == hall.alice
    assert application.timeline.filter(comment__contains=pending.license.identifier).exists()
    assert issue_pending() == 0  # once
    from govhall.notifications.models import Message

    sms = Message.objects.get(template_code="license_issued")
    assert sms.dedupe_key.endswith(f"license:{pending.license.pk}")
    assert "食品经营许可证" in sms.text
    assert "我的证照" in sms.text


def test_no_certificate_yet_defers_issuance_until_init_pki(hall):
    from govhall.licenses.models import Certificate

    Certificate.objects.filter(department=hall.department).update(status="retired")
    application = _approved(hall)
    assert PendingIssuance.objects.filter(application=application, license__isnull=True).exists()
    from django.core.management import call_command

    call_command("init_pki", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert License.objects.filter(holder=hall.alice, license_type=hall.food).exists()


# --- no repeated proof (Art. 13) ----------------------------------------------------------------------


def test_a_material_is_satisfied_from_the_library_with_nothing_uploaded(hall):
    business = _business_license(hall, hall.alice)
    application = services.start_draft(hall.alice, hall.item, answers=ANSWERS)
    cited = MaterialSubmission.objects.get(application=application, requirement=hall.required)
    assert cited.source == Source.E_LICENSE
    assert cited.license == business
    assert not cited.file
    application = services.submit(application, hall.alice)  # nothing uploaded
    assert application.status == Status.AWAITING_ACCEPTANCE
    services.accept(application, hall.acceptor)
    access = LicenseAccess.objects.get(license=business)
    assert access.kind == AccessKind.STAFF
    assert access.purpose == "受理审查"
    assert access.reference == application.business_number
    assert access.accessor == hall.acceptor


def test_another_persons_license_is_not_taken(hall):
    _business_license(hall, hall.bob)
    application = services.start_draft(hall.alice, hall.item, answers=ANSWERS)
    assert not application.materials.exists()
    with pytest.raises(ValidationError) as refused:
        services.submit(application, hall.alice)
    assert f"material.{hall.required.pk}" in refused.value.message_dict


def test_a_license_revoked_before_submission_is_dropped_and_the_upload_asked_for(hall):
    business = _business_license(hall, hall.alice)
    application = services.start_draft(hall.alice, hall.item, answers=ANSWERS)
    change_status(business, LicenseStatus.REVOKED, "违法经营", None)
    with pytest.raises(ValidationError) as refused:
        services.submit(application, hall.alice)
    assert f"material.{hall.required.pk}" in refused.value.message_dict
    services.add_material(application, hall.alice, hall.required, pdf())
    application = services.submit(application, hall.alice)
    current = application.materials.filter(removed_at__isnull=True, superseded_by__isnull=True)
    assert [m.source for m in current] == [Source.UPLOAD]


def test_a_license_revoked_before_acceptance_refuses_acceptance_naming_the_material(hall):
    business = _business_license(hall, hall.alice)
    application = services.submit(services.start_draft(hall.alice, hall.item, answers=ANSWERS), hall.alice)
    change_status(business, LicenseStatus.REVOKED, "违法经营", None)
    with pytest.raises(ValidationError) as refused:
        services.accept(application, hall.acceptor)
    assert "营业执照" in refused.value.messages[0]
    assert "吊销" in refused.value.messages[0]
    application.refresh_from_db()
    assert application.status == Status.AWAITING_ACCEPTANCE
    # the acceptor asks for the material instead; the applicant uploads it
    services.request_correction(application, hall.acceptor, [{"material": hall.required.pk, "reason": "证照已吊销"}])
    application = services.respond_to_correction(
        application, hall.alice, answers={}, uploads={hall.required.pk: [pdf()]}
    )
    assert services.accept(application, hall.acceptor).status == Status.ACCEPTED


def test_an_outage_of_the_replacing_type_falls_back_to_upload(hall):
    _business_license(hall, hall.alice)
    _outage(hall, hall.business)
    application = services.start_draft(hall.alice, hall.item, answers=ANSWERS)
    assert not application.materials.exists()
    from govhall.applications.license_materials import outage_notices

    assert [o.reason for o in outage_notices(hall.required)] == ["签章系统升级"]
    services.add_material(application, hall.alice, hall.required, pdf())
    assert services.submit(application, hall.alice).status == Status.AWAITING_ACCEPTANCE


@pytest.mark.parametrize(
    ("field", "value", "message_key"),
    [("reason", "", "reason"), ("license_types", [], "license_types"), ("ends_at", "before", "ends_at")],
)
def test_an_outage_needs_reason_types_and_a_sane_period(hall, field, value, message_key):
    now = timezone.now()
    kwargs = {"license_types": [hall.food], "reason": "升级", "starts_at": now, "ends_at": None}
    kwargs[field] = now - datetime.timedelta(hours=1) if value == "before" else value
    with pytest.raises(ValidationError) as refused:
        outages.record_outage(hall.department, hall.head, **kwargs)
    assert message_key in refused.value.message_dict
    assert not outages.active().exists()


def test_only_the_departments_head_or_admin_records_an_outage(hall):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _outage_by(hall, hall.acceptor)
    assert not outages.active().exists()


def _outage_by(hall, user):
    return outages.record_outage(
        hall.department, user, license_types=[hall.food], reason="x", starts_at=timezone.now(), ends_at=None
    )


def test_every_notice_is_signed_by_the_department_and_a_changed_byte_is_detected(hall):
    from govhall.applications.models import NoticeKind
    from govhall.licenses.signatures import check_pdf

    application = _approved(hall)
    for kind in (NoticeKind.ACCEPTANCE, NoticeKind.DECISION):
        data = application.notices.get(kind=kind).pdf.open("rb").read()
        status, detail = check_pdf(data)
        assert status == "valid", detail
        assert hall.department.name in detail["signatures"][0]["signer"]
        assert check_pdf(data.replace(b"/Type /Page", b"/Type /Pagf", 1))[0] != "valid"


def test_a_notice_of_a_department_without_a_certificate_stays_unsigned(hall):
    from govhall.applications.models import NoticeKind
    from govhall.licenses.models import Certificate
    from govhall.licenses.signatures import check_pdf

    Certificate.objects.filter(department=hall.department).update(status="retired")
    application = services.start_draft(hall.bob, hall.item, answers=ANSWERS)
    services.add_material(application, hall.bob, hall.required, pdf())
    application = services.submit(application, hall.bob)
    notice = services.accept(application, hall.acceptor).notices.get(kind=NoticeKind.ACCEPTANCE)
    assert check_pdf(notice.pdf.open("rb").read())[0] == "none"
