"""The applicant's and the department's services: what a person notices (status, deadlines, notices,
SMS), and every refusal with its message, nothing changed."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from govhall.applications import services
from govhall.applications.models import (
    Application,
    CorrectionItem,
    MaterialSubmission,
    NoticeKind,
    Status,
    TimelineEntry,
)
from govhall.applications.tests.conftest import accepted, at, submitted
from govhall.applications.tests.factories import ANSWERS, PNG, pdf
from govhall.notifications.models import Message

D = datetime.date.fromisoformat


def texts(code: str) -> list[str]:
    return [message.text for message in Message.objects.filter(template_code=code).order_by("pk")]


# --- submission -----------------------------------------------------------------------------------


def test_submission_numbers_the_application_starts_the_clock_and_sends_the_receipt(office):
    application = submitted(office, "2026-09-30 16:50")  # Wed before National Day

    assert application.status == Status.AWAITING_ACCEPTANCE
    assert application.business_number == f"{office.item.implementation_code}2026093000001"
    assert application.acceptance_due == D("2026-10-13")  # Oct 8, 9, 10 (make-up Sat), 12, 13
    entry = TimelineEntry.objects.get(application=application)
    assert (entry.action, entry.from_status, entry.to_status, entry.actor) == (
        "submitted",
        Status.DRAFT,
        Status.AWAITING_ACCEPTANCE,
        office.alice,
    )
    [receipt] = texts("application_receipt")
    assert application.business_number in receipt
    assert office.item.name in receipt
    assert "已提交，待受理" in receipt


def test_business_numbers_count_per_item_and_day(office):
    first = submitted(office, "2026-11-25 09:00")
    second = submitted(office, "2026-11-25 09:01")
    next_day = submitted(office, "2026-11-26 09:00")
    code = office.item.implementation_code
    assert [first.business_number, second.business_number, next_day.business_number] == [
        f"{code}2026112500001",
        f"{code}2026112500002",
        f"{code}2026112600001",
    ]


def test_an_incomplete_submission_lists_every_problem_and_changes_nothing(office):
    application = services.start_draft(office.alice, office.item, answers={"has_agent": "yes"})

    with pytest.raises(ValidationError) as refused:
        services.submit(application, office.alice, now=at("2026-11-25 10:00"))

    problems = refused.value.message_dict
    assert set(problems) == {
        "form.applicant_name",
        "form.shop_name",
        f"material.{office.required.pk}",
        f"material.{office.agent_material.pk}",  # conditional: needed because has_agent = yes
    }
    application.refresh_from_db()
    assert (application.status, application.business_number) == (Status.DRAFT, None)
    assert not Message.objects.exists()


def test_a_conditional_material_is_not_needed_when_its_condition_does_not_hold(office):
    application = submitted(office)  # has_agent = no, no power of attorney
    assert application.status == Status.AWAITING_ACCEPTANCE


def test_a_draft_is_saved_and_resumed(office):
    application = services.start_draft(office.alice, office.item)
    services.save_draft(application, office.alice, {"shop_name": "张记"})
    assert Application.objects.get(pk=application.pk).form_data == {"shop_name": "张记"}
    assert application.version == office.version


# --- uploads ---------------------------------------------------------------------------------------


def test_a_material_is_stored_privately_under_a_random_name(office):
    application = services.start_draft(office.alice, office.item)
    submission = services.add_material(application, office.alice, office.required, pdf("../../营业执照.pdf"))

    assert submission.original_name == "营业执照.pdf"
    assert "营业执照" not in submission.file.name
    assert submission.file.name.endswith(".pdf")
    assert submission.content_type == "application/pdf"
    assert len(submission.sha256) == 64
    assert submission.size == submission.file.size
    with pytest.raises(ValueError, match="private file"):
        submission.file.url  # noqa: B018 (never a public URL)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda: pdf("申请表.pdf", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 100),
            "可执行程序",
        ),
        (lambda: pdf("说明.pdf", b"#!/bin/sh\nrm -rf /\n"), "可执行程序"),
        (lambda: pdf("表格.ofd", b"PK\x03\x04" + b"\x00" * 60), "OFD"),
        (lambda: pdf("图片.pdf", PNG), "扩展名与内容不符"),
        (lambda: pdf("表格.docx", b"PK\x03\x04" + b"\x00" * 60), "扩展名与内容不符"),
    ],
)
def test_files_that_are_not_documents_are_refused(office, upload, message):
    application = services.start_draft(office.alice, office.item)
    with pytest.raises(ValidationError, match=message):
        services.add_material(application, office.alice, office.required, upload())
    assert not MaterialSubmission.objects.exists()


def test_an_ofd_package_is_accepted(office):
    from govhall.applications.tests.factories import ofd

    application = services.start_draft(office.alice, office.item)
    submission = services.add_material(application, office.alice, office.required, ofd())
    assert submission.content_type == "application/ofd"


def test_oversized_files_and_too_many_files_are_refused(office, settings):
    settings.APPLICATIONS_MATERIAL_MAX_BYTES = 100
    settings.APPLICATIONS_MATERIAL_MAX_FILES = 2
    application = services.start_draft(office.alice, office.item)
    with pytest.raises(ValidationError, match="超过大小上限"):
        services.add_material(application, office.alice, office.required, pdf(content=b"%PDF-1.4\n" + b"0" * 200))
    services.add_material(application, office.alice, office.required, pdf())
    services.add_material(application, office.alice, office.required, pdf())
    with pytest.raises(ValidationError, match="最多上传2个文件"):
        services.add_material(application, office.alice, office.required, pdf())


def test_a_virus_scanner_refusal_keeps_the_file_out(office, settings):
    from govhall.applications.scanning.base import Scanner, ScanResult
    from govhall.applications.scanning.registry import registry

    if "always-infected" not in registry:

        @registry.register("always-infected")
        class Infected(Scanner):
            def scan(self, stream):
                return ScanResult(clean=False, detail="EICAR")

    settings.APPLICATIONS_SCANNER = "always-infected"
    application = services.start_draft(office.alice, office.item)
    with pytest.raises(ValidationError, match="病毒扫描"):
        services.add_material(application, office.alice, office.required, pdf())
    assert not MaterialSubmission.objects.exists()


# --- acceptance ------------------------------------------------------------------------------------


def test_acceptance_issues_the_notice_and_starts_the_decision_clock(office):
    application = accepted(office, "2026-09-18 10:00")  # Fri; promised 5 working days

    assert application.status == Status.ACCEPTED
    assert application.decision_due == D("2026-09-24")  # Sun 20 (make-up), 21, 22, 23, 24
    assert application.statutory_due == D("2026-10-22")
    entry = application.timeline.get(action="accepted")
    assert entry.notice.kind == NoticeKind.ACCEPTANCE
    with entry.notice.pdf.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"
    assert any("2026年9月24日" in text for text in texts("application_accepted"))


def test_not_accepting_needs_a_reason_and_a_legal_basis(office):
    application = submitted(office)
    with pytest.raises(ValidationError, match="法律依据"):
        services.not_accept(application, office.acceptor, reason="不属于本部门职权", legal_basis=" ")
    services.not_accept(application, office.acceptor, reason="不属于本部门职权", legal_basis="《行政许可法》第三十二条")
    application.refresh_from_db()
    assert application.status == Status.NOT_ACCEPTED
    assert application.notices.get().content["legal_basis"] == "《行政许可法》第三十二条"


def test_deemed_acceptance_after_five_working_days_dates_back_to_the_submission(office):
    from govhall.applications import tasks

    application = submitted(office, "2026-09-30 16:50")  # due Oct 13
    assert tasks.sweep(now=at("2026-10-13 18:00"))["deemed_accepted"] == 0
    assert tasks.sweep(now=at("2026-10-14 08:00"))["deemed_accepted"] == 1

    application.refresh_from_db()
    assert (application.status, application.deemed_accepted) == (Status.ACCEPTED, True)
    assert application.accepted_at == at("2026-09-30 16:50")
    assert application.decision_due == D("2026-10-13")  # 5 working days from Sep 30: Oct 8, 9, 10, 12, 13
    assert application.timeline.get(action="deemed_accepted").notice.content["deemed"] is True


# --- the one-time correction notice ----------------------------------------------------------------


def _correction(office, application, **kwargs):
    return services.request_correction(
        application,
        office.acceptor,
        [
            {"material": office.required.pk, "reason": "营业执照复印件不清晰"},
            {"field": "shop_name", "reason": "店铺名称与营业执照不一致"},
        ],
        **kwargs,
    )


def test_one_notice_lists_every_deficiency_by_material_and_field(office):
    application = _correction(office, submitted(office))

    assert application.status == Status.CORRECTION_REQUESTED
    notice = application.notices.get(kind=NoticeKind.CORRECTION)
    assert [(entry["label"], entry["reason"]) for entry in notice.content["items"]] == [
        ("营业执照", "营业执照复印件不清晰"),
        ("店铺名称", "店铺名称与营业执照不一致"),
    ]
    assert CorrectionItem.objects.filter(notice=notice).count() == 2
    assert texts("correction_notice")


def test_the_applicant_changes_only_what_the_notice_lists(office):
    application = _correction(office, submitted(office))
    original = application.materials.get()

    with pytest.raises(ValidationError, match="applicant_name"):
        services.respond_to_correction(
            application, office.alice, answers={"shop_name": "张记面馆（总店）", "applicant_name": "王五"}
        )
    with pytest.raises(ValidationError, match="请补正告知书列出的材料"):
        services.respond_to_correction(application, office.alice, answers={"shop_name": "张记面馆（总店）"})

    services.respond_to_correction(
        application,
        office.alice,
        answers={"shop_name": "张记面馆（总店）"},
        uploads={office.required.pk: [pdf("营业执照（清晰）.pdf")]},
        now=at("2026-11-26 10:00"),
    )
    application.refresh_from_db()
    assert application.status == Status.AWAITING_ACCEPTANCE
    assert application.form_data == {**ANSWERS, "shop_name": "张记面馆（总店）"}
    original.refresh_from_db()
    assert original.superseded_by.original_name == "营业执照（清晰）.pdf"
    assert application.acceptance_due == D("2026-12-03")  # restarted from the complete materials


def test_an_unlisted_material_cannot_be_replaced(office):
    application = services.request_correction(
        submitted(office), office.acceptor, [{"field": "shop_name", "reason": "不一致"}]
    )
    with pytest.raises(ValidationError, match="未列入告知书"):
        services.respond_to_correction(
            application, office.alice, answers={"shop_name": "新名"}, uploads={office.required.pk: [pdf()]}
        )
    assert application.materials.count() == 1


def test_a_second_round_needs_a_recorded_reason_and_never_asks_for_the_same_material(office):
    from govhall.core.audit.models import AuditEvent

    application = _correction(office, submitted(office))
    services.respond_to_correction(
        application, office.alice, answers={"shop_name": "新名"}, uploads={office.required.pk: [pdf()]}
    )
    second = [{"field": "applicant_name", "reason": "姓名与证件不一致"}]
    with pytest.raises(ValidationError, match="必须记录理由"):
        services.request_correction(application, office.acceptor, second)
    with pytest.raises(ValidationError, match="已按前次告知补正"):
        services.request_correction(
            application, office.acceptor, [{"material": office.required.pk, "reason": "再交一次"}], round_reason="漏看"
        )

    services.request_correction(application, office.acceptor, second, round_reason="补正后的姓名与证件不一致")
    application.refresh_from_db()
    assert application.correction_rounds == 2
    event = AuditEvent.objects.filter(action="applications.correction_requested").latest("id")
    assert event.reason == "补正后的姓名与证件不一致"


# --- review, special procedures, extension, decision -----------------------------------------------


def _reviewed(office, when="2026-11-02 10:00"):
    application = accepted(office, when)
    services.complete_stage(application, office.reviewer, opinion="材料真实有效")
    return services.complete_stage(application, office.decider, opinion="同意")


def test_review_stages_are_performed_by_their_roles_in_order(office):
    application = accepted(office)
    with pytest.raises(PermissionDenied):
        services.complete_stage(application, office.decider, opinion="越级审核")  # stage 1 is the reviewer's
    services.complete_stage(application, office.reviewer, opinion="材料真实有效")
    application.refresh_from_db()
    assert (application.status, application.current_stage) == (Status.IN_REVIEW, 1)
    with pytest.raises(PermissionDenied):
        services.complete_stage(application, office.reviewer, opinion="再审")  # stage 2 is the decider's
    services.complete_stage(application, office.decider, opinion="同意")
    application.refresh_from_db()
    assert application.stage is None
    assert [entry.comment for entry in application.timeline.filter(action="stage_completed")] == [
        "审查：材料真实有效",
        "审核：同意",
    ]


def test_a_special_procedure_stops_the_clock_and_is_told_in_writing(office):
    application = accepted(office, "2026-11-02 10:00")  # decision due Nov 9 (5 working days)
    services.complete_stage(application, office.reviewer, opinion="需现场核查")
    assert application.decision_due == D("2026-11-09")

    services.suspend(
        application, office.reviewer, procedure="site_inspection", reason="核查经营场所", now=at("2026-11-04 10:00")
    )
    application.refresh_from_db()
    assert application.status == Status.SUSPENDED
    assert application.notices.get(kind=NoticeKind.SPECIAL_PROCEDURE).content["procedure_label"] == "现场核查"
    assert any("现场核查" in text for text in texts("application_suspended"))

    services.resume(application, office.reviewer, now=at("2026-11-11 10:00"))  # Thu, Fri, Mon, Tue inside
    application.refresh_from_db()
    assert (application.status, application.suspended_days) == (Status.IN_REVIEW, 4)
    assert application.decision_due == D("2026-11-13")


def test_one_extension_of_at_most_ten_working_days_by_the_department_head(office):
    application = _reviewed(office, "2026-11-02 10:00")
    with pytest.raises(PermissionDenied):
        services.extend(application, office.reviewer, days=5, reason="情况复杂")
    with pytest.raises(ValidationError, match="1至10个工作日"):
        services.extend(application, office.head, days=11, reason="情况复杂")
    services.extend(application, office.head, days=10, reason="需征求相关部门意见")
    application.refresh_from_db()
    assert application.decision_due == D("2026-11-23")  # Nov 9 + 10 working days
    assert application.notices.get(kind=NoticeKind.EXTENSION).content["days"] == 10
    assert application.timeline.get(action="extended").comment == "需征求相关部门意见"
    with pytest.raises(ValidationError, match="只能延长一次"):
        services.extend(application, office.head, days=1, reason="再延")


def test_the_decision_needs_a_fresh_second_factor(office):
    application = _reviewed(office)
    now = at("2026-11-05 10:00")
    with pytest.raises(ValidationError, match="动态验证码"):
        services.decide(
            application,
            office.decider,
            approve=True,
            reasons="符合条件",
            legal_basis="第三十八条",
            stepped_up_at=None,
            now=now,
        )
    stale = now - datetime.timedelta(minutes=6)
    with pytest.raises(ValidationError, match="动态验证码"):
        services.decide(
            application,
            office.decider,
            approve=True,
            reasons="符合条件",
            legal_basis="第三十八条",
            stepped_up_at=stale,
            now=now,
        )

    services.decide(
        application,
        office.decider,
        approve=True,
        reasons="符合条件",
        legal_basis="《行政许可法》第三十八条",
        stepped_up_at=now - datetime.timedelta(minutes=1),
        now=now,
    )
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert application.issuance_due == D("2026-11-19")  # Art. 44: 10 working days
    assert application.timeline.get(action="decided").actor == office.decider
    assert any("准予许可" in text for text in texts("application_decided"))

    services.issue_result(application, office.acceptor)
    services.conclude(application, office.acceptor)
    application.refresh_from_db()
    assert application.status == Status.CONCLUDED


def test_a_decision_waits_for_every_review_stage(office):
    application = accepted(office)
    now = at("2026-11-26 10:00")
    with pytest.raises(ValidationError, match="审查环节尚未完成"):
        services.decide(
            application,
            office.decider,
            approve=False,
            reasons="不符合",
            legal_basis="第三十八条",
            stepped_up_at=now,
            now=now,
        )


def test_the_applicant_withdraws_before_the_decision_but_not_after(office):
    application = accepted(office)
    services.withdraw(application, office.alice, reason="不再需要")
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN

    decided = _reviewed(office)
    now = at("2026-11-05 10:00")
    services.decide(
        decided, office.decider, approve=False, reasons="不符合", legal_basis="第三十八条", stepped_up_at=now, now=now
    )
    with pytest.raises(ValidationError, match="不能撤回"):
        services.withdraw(decided, office.alice)


# --- provisional deadlines -------------------------------------------------------------------------


def test_provisional_deadlines_are_recomputed_when_the_official_calendar_is_published(office):
    from govhall.core.workdays.calendar import publish_official_year

    application = submitted(office, "2027-02-01 10:00")  # Mon; 2027 is provisional
    assert (application.acceptance_due, application.acceptance_due_provisional) == (D("2027-02-10"), True)

    publish_official_year(2027, [("春节", D("2027-02-05"), D("2027-02-12"))], [], "测试用通知", by_id=None)

    application.refresh_from_db()
    assert (application.acceptance_due, application.acceptance_due_provisional) == (D("2027-02-16"), False)
