"""Who sees and does what: an applicant never reaches another's application (by uid, business
number or service); staff act only within their department; an enterprise's operator acts for it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from govhall.accounts.models import EnterpriseProfile, OperatorAuthorisation
from govhall.applications import queries, services
from govhall.applications.models import Capacity, Status
from govhall.applications.tests.conftest import accepted, submitted
from govhall.applications.tests.factories import applicant, pdf, staff


def test_an_applicant_cannot_read_anothers_application(office):
    application = submitted(office)

    assert queries.application_for(office.alice, uid=application.uid) == application
    with pytest.raises(PermissionDenied):
        queries.application_for(office.bob, uid=application.uid)
    with pytest.raises(PermissionDenied):
        queries.application_for(office.bob, business_number=application.business_number)
    with pytest.raises(PermissionDenied):  # the same answer for a number that does not exist
        queries.application_for(office.bob, business_number="NO-SUCH-NUMBER")
    assert list(queries.mine(office.bob)) == []
    assert list(queries.mine(office.alice)) == [application]


def test_an_applicant_cannot_change_or_withdraw_anothers_application(office):
    application = services.start_draft(office.alice, office.item)
    with pytest.raises(PermissionDenied):
        services.save_draft(application, office.bob, {"shop_name": "冒名"})
    with pytest.raises(PermissionDenied):
        services.add_material(application, office.bob, office.required, pdf())
    with pytest.raises(PermissionDenied):
        services.withdraw(application, office.bob)
    with pytest.raises(PermissionDenied):
        services.material_for_viewing(
            services.add_material(application, office.alice, office.required, pdf()).pk, office.bob
        )


def test_staff_act_and_read_only_within_their_department(office):
    application = submitted(office)

    with pytest.raises(PermissionDenied):
        services.accept(application, office.other_acceptor)
    with pytest.raises(PermissionDenied):
        queries.application_for(office.other_acceptor, uid=application.uid)
    assert list(queries.queue(office.other_acceptor)) == []
    assert list(queries.queue(office.acceptor)) == [application]
    with pytest.raises(PermissionDenied):  # an applicant is not an acceptor
        services.accept(application, office.alice)
    with pytest.raises(PermissionDenied):  # a reviewer does not accept
        services.accept(application, office.reviewer)
    application.refresh_from_db()
    assert application.status == Status.AWAITING_ACCEPTANCE


def test_only_the_decider_decides(office):
    application = accepted(office)
    now = timezone.now()
    for person in (
        office.reviewer,
        office.head,
        office.acceptor,
        staff("decider", office.other_acceptor.role_assignments.get().department),
    ):
        with pytest.raises(PermissionDenied):
            services.decide(
                application, person, approve=True, reasons="同意", legal_basis="第三十八条", stepped_up_at=now
            )


def test_an_authorised_operator_applies_for_the_enterprise_and_a_revoked_one_cannot(office):
    company = applicant("长春某某餐饮有限公司", kind="enterprise")
    profile = EnterpriseProfile.objects.create(
        user=company,
        uscc="91220101MA0000001X",
        legal_representative="王五",
        representative_document_type="resident_id",
        representative_document_number="220102199001011234",
        representative_document_hash="x",
    )
    operator = office.bob
    grant = OperatorAuthorisation.objects.create(
        enterprise=profile, operator=operator, valid_until=timezone.now() + datetime.timedelta(days=30)
    )

    application = services.start_draft(operator, office.item, capacity=Capacity.OPERATOR, enterprise=profile)
    assert (application.applicant, application.acting_person) == (company, operator)
    assert queries.application_for(company, uid=application.uid) == application
    with pytest.raises(ValidationError, match="有效经办人"):
        services.start_draft(office.alice, office.item, capacity=Capacity.OPERATOR, enterprise=profile)

    grant.revoked_at = timezone.now()
    grant.save()
    with pytest.raises(ValidationError, match="有效经办人"):
        services.start_draft(operator, office.item, capacity=Capacity.OPERATOR, enterprise=profile)


def test_the_public_progress_query_needs_the_mobile_number_and_shows_no_personal_data(office):
    application = accepted(office)

    assert queries.public_progress(application.business_number, "13800000000") is None
    assert queries.public_progress("NO-SUCH-NUMBER", office.alice.mobile) is None
    progress = queries.public_progress(application.business_number, office.alice.mobile)
    assert progress.label == "已受理"
    assert [step.label for step in progress.steps] == ["已提交，待受理", "已受理"]
    shown = repr(progress)
    assert office.alice.name not in shown
    assert office.alice.mobile not in shown
    assert office.acceptor.name not in shown
