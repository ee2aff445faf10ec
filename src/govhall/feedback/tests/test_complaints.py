"""Complaints (Art. 15 para 2): routing, attachments, reply, reopen once → the office, privacy."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from govhall.applications.tests.factories import ELF, pdf
from govhall.core.audit.models import AuditEvent
from govhall.feedback import queries, services
from govhall.feedback.models import Complaint, ComplaintAttachment, ComplaintEvent, Invitation
from govhall.feedback.tests.conftest import at
from govhall.notifications.models import Message

pytestmark = pytest.mark.django_db


def filed(hall, **fields):
    values = {"subject": "department", "department": hall.department, "content": "窗口让我跑了三次"}
    values.update(fields)
    return services.complain(hall.alice, now=at("2026-11-25 10:00"), **values)


def about_staff(hall, member):
    return filed(hall, subject="staff", staff_member=member, content="工作人员态度恶劣")


def test_a_complaint_is_routed_with_its_attachments_in_private_storage(hall, settings):
    complaint = filed(hall, files=[pdf("现场照片.pdf")])
    attachment = ComplaintAttachment.objects.get(complaint=complaint)
    assert complaint.department == hall.department
    assert complaint.number.startswith("TS")
    assert attachment.original_name == "现场照片.pdf"
    assert attachment.content_type == "application/pdf"
    assert str(settings.APPLICATIONS_PRIVATE_ROOT) in attachment.file.path
    assert "现场照片" not in attachment.file.name
    with pytest.raises(ValueError, match="private"):
        attachment.file.url  # noqa: B018 (never a direct URL)


def test_an_executable_attachment_is_refused_and_nothing_is_stored(hall):
    with pytest.raises(ValidationError) as error:
        filed(hall, files=[pdf("照片.pdf", ELF)])
    assert "files" in error.value.message_dict
    assert not Complaint.objects.exists()
    assert not ComplaintAttachment.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"content": " "}, "content"),
        ({"subject": "centre"}, "centre"),
        ({"subject": "staff"}, "staff_member"),
        ({"subject": "application"}, "application"),
        ({"department": None}, "department"),
        ({"subject": "nonsense"}, "subject"),
    ],
)
def test_bad_complaints_get_a_clear_error(hall, fields, field):
    with pytest.raises(ValidationError) as error:
        filed(hall, **fields)
    assert field in error.value.message_dict
    assert not Complaint.objects.exists()


def test_a_complaint_about_an_application_goes_to_its_department_and_only_its_applicant_may_file_it(hall):
    from govhall.applications import services as applications

    application = applications.start_draft(hall.alice, hall.item, answers={})
    complaint = filed(hall, subject="application", application=application, department=None)
    assert complaint.department == hall.item.department
    with pytest.raises(ValidationError) as error:
        services.complain(hall.bob, subject="application", application=application, content="别人的办件")
    assert "application" in error.value.message_dict


def test_reply_sends_an_sms_and_invites_a_rating(hall):
    complaint = services.reply_complaint(filed(hall), hall.responder, text="已批评教育并整改。")
    assert complaint.status == "replied"
    assert Message.objects.filter(template_code="reply_notice", object_id=str(complaint.pk)).exists()
    assert Invitation.objects.get(complaint=complaint).citizen == hall.alice
    assert list(ComplaintEvent.objects.filter(complaint=complaint).values_list("action", flat=True)) == [
        "filed",
        "replied",
    ]


def test_reopen_once_escalates_to_the_district_office_which_records_the_outcome(hall):
    complaint = services.reply_complaint(filed(hall), hall.responder, text="已处理。")
    complaint = services.reopen(complaint, hall.alice, reason="问题没有解决", now=at("2026-11-26 10:00"))
    assert complaint.status == "escalated"
    assert complaint.escalated_region == hall.department.region
    assert str(complaint.escalation_due_date) == "2026-12-03"
    assert complaint in queries.complaint_queue(hall.district)
    with pytest.raises(PermissionDenied):  # the department no longer handles it
        services.conclude_escalation(complaint, hall.responder, outcome="x")
    with pytest.raises(PermissionDenied):  # an office of another district neither
        services.conclude_escalation(complaint, hall.foreign_district, outcome="x")
    complaint = services.conclude_escalation(complaint, hall.district, outcome="约谈部门负责人，已重新办理。")
    assert complaint.status == "concluded"
    assert Message.objects.filter(template_code="reply_notice", dedupe_key__contains="complaint-outcome").exists()
    with pytest.raises(ValidationError):
        services.reopen(complaint, hall.alice, reason="还是不满意")


def test_reopen_needs_a_reply_first_and_is_the_complainants_alone(hall):
    complaint = filed(hall)
    with pytest.raises(ValidationError):
        services.reopen(complaint, hall.alice, reason="太慢")
    services.reply_complaint(complaint, hall.responder, text="已处理。")
    with pytest.raises(PermissionDenied):
        services.reopen(complaint, hall.bob, reason="我也不满意")


def test_another_applicant_cannot_read_a_complaint(hall):
    complaint = filed(hall)
    with pytest.raises(PermissionDenied):
        services.read_complaint(complaint.pk, hall.bob)
    assert services.read_complaint(complaint.pk, hall.alice) == complaint


def test_a_staff_member_complained_about_cannot_read_it_but_the_chain_can(hall):
    complaint = about_staff(hall, hall.responder)  # the responder themself is the subject
    for outsider in (hall.responder, hall.colleague, hall.other_responder, hall.foreign_district):
        with pytest.raises(PermissionDenied):
            services.read_complaint(complaint.pk, outsider)
    assert complaint not in queries.complaint_queue(hall.responder)
    with pytest.raises(PermissionDenied):
        services.reply_complaint(complaint, hall.responder, text="我没有")
    for reader in (hall.head, hall.district, hall.city):
        assert services.read_complaint(complaint.pk, reader) == complaint
    assert complaint in queries.complaint_queue(hall.head)


def test_every_staff_read_is_audited(hall):
    complaint = filed(hall)
    services.read_complaint(complaint.pk, hall.head)
    services.read_complaint(complaint.pk, hall.alice)
    reads = AuditEvent.objects.filter(action="feedback.complaint_read", object_id=str(complaint.pk))
    assert list(reads.values_list("actor_id", flat=True)) == [hall.head.pk]


def test_the_attachment_is_served_only_to_the_permitted(hall):
    complaint = filed(hall, files=[pdf()])
    attachment = complaint.attachments.get()
    assert services.attachment_for_viewing(attachment.pk, hall.alice) == attachment
    with pytest.raises(PermissionDenied):
        services.attachment_for_viewing(attachment.pk, hall.bob)
