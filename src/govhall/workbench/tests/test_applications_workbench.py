"""办件办理 in the workbench (issue 7): queues per role and scope over the demo applications, the
detail with the material viewer, every action as a POST, conflicts, and the decider's TOTP step-up."""

from __future__ import annotations

import pytest
from django.urls import reverse

from govhall.accounts.tests.otp import current_code as _code
from govhall.accounts.tests.otp import otp_login as _login
from govhall.applications import demo as applications_demo
from govhall.applications.models import Application, CorrectionItem, Notice, NoticeKind, Status
from govhall.applications.tests.factories import staff
from govhall.directory.tests.factories import DepartmentFactory


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.APPLICATIONS_PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _demo_applications(_private_root, demo):
    """The demo applications in every queue (``load_demo`` adds them with the full catalog only)."""
    applications_demo.load()


def _waiting() -> Application:
    return Application.objects.get(status=Status.AWAITING_ACCEPTANCE)


def _act(client, application, action, **data):
    data.setdefault("expected", application.status)
    posted = {f"{action}-{key}": value for key, value in data.items()}
    return client.post(reverse("workbench:application_action", args=[application.uid, action]), posted)


# --- queues ---------------------------------------------------------------------------------------


def test_the_acceptor_sees_the_waiting_application_masked_with_its_marker(staff_client):
    page = staff_client("amr_acceptor").get(reverse("workbench:applications"))

    assert page.status_code == 200
    html = page.content.decode()
    waiting = _waiting()
    assert waiting.business_number in html
    assert "张*" in html
    assert "张三" not in html
    assert "text-bg-success" in html  # green marker
    assert next(key for key, _label in page.context["tabs"]) == "acceptance"
    assert {row["application"].status for row in page.context["rows"]} == {Status.AWAITING_ACCEPTANCE}


def test_the_reviewer_queue_holds_the_stage_the_reviewer_performs_with_yellow_and_red(staff_client):
    page = staff_client("amr_reviewer").get(reverse("workbench:applications"), {"queue": "review"})

    markers = sorted(row["application"].marker for row in page.context["rows"])
    assert markers == ["red", "yellow"]
    assert "text-bg-danger" in page.content.decode()
    red = staff_client("amr_reviewer").get(reverse("workbench:applications"), {"queue": "review", "marker": "red"})
    assert [row["application"].marker for row in red.context["rows"]] == ["red"]


def test_the_decider_queue_waits_for_the_decision_stage_and_the_head_sees_suspended(staff_client):
    decider = staff_client("amr_decider").get(reverse("workbench:applications"), {"queue": "decision"})
    assert decider.context["rows"] == []  # no application has finished its stages undecided
    head = staff_client("amr_head").get(reverse("workbench:applications"), {"queue": "suspended"})
    assert [row["application"].status for row in head.context["rows"]] == [Status.SUSPENDED]


@pytest.mark.parametrize("how", ["number", "name", "identity"])
def test_search_by_number_name_or_identity_number(staff_client, demo, how):
    waiting = _waiting()
    person = waiting.applicant.person
    term = {"number": waiting.business_number, "name": "张三", "identity": person.document_number}[how]
    page = staff_client("amr_acceptor").get(reverse("workbench:applications"), {"q": term})

    assert [row["application"].pk for row in page.context["rows"]] == [waiting.pk]


def test_a_queue_page_is_a_handful_of_queries(staff_client, django_assert_max_num_queries):
    client = staff_client("amr_acceptor")
    client.get(reverse("workbench:applications"))  # warm the session
    with django_assert_max_num_queries(8):
        client.get(reverse("workbench:applications"), {"queue": "closed"})


def test_staff_of_another_department_see_nothing(client, demo):
    outsider = staff("acceptor", DepartmentFactory())
    _login(client, outsider)
    waiting = _waiting()

    page = client.get(reverse("workbench:applications"))
    assert page.status_code == 200
    assert page.context["rows"] == []
    assert client.get(reverse("workbench:application", args=[waiting.uid])).status_code == 404
    material = waiting.materials.first()
    url = reverse("workbench:application_material", args=[waiting.uid, material.pk])
    assert client.get(url).status_code == 404
    assert _act(client, waiting, "accept").status_code == 404


def test_staff_without_a_handling_role_get_no_queue(staff_client):
    assert staff_client("window_staff").get(reverse("workbench:applications")).status_code == 403


# --- detail and viewer ----------------------------------------------------------------------------


def test_the_detail_shows_answers_materials_deadlines_and_the_actions_of_the_role(staff_client):
    waiting = _waiting()
    page = staff_client("amr_acceptor").get(reverse("workbench:application", args=[waiting.uid]))

    html = page.content.decode()
    assert "食品经营许可" in html
    assert "申请人姓名" in html
    assert "受理期限" in html
    assert waiting.applicant.person.document_number not in html  # masked on the page too
    assert set(page.context["forms"]) == {"accept", "not_accept", "correction"}


def test_only_those_allowed_to_reveal_see_the_link_to_the_audited_reveal(staff_client, demo):
    waiting = _waiting()
    url = reverse("workbench:application", args=[waiting.uid])
    reveal = reverse("workbench:reveal_applicant", args=[waiting.applicant_id])

    assert reveal not in staff_client("amr_acceptor").get(url).content.decode()

    supervisor = staff_client("city_admin")
    page = supervisor.get(url)
    assert page.status_code == 200
    assert reveal in page.content.decode()
    assert waiting.applicant.person.document_number not in supervisor.get(reveal).content.decode()


def test_a_material_streams_inline_with_safe_headers(staff_client):
    waiting = _waiting()
    material = waiting.materials.first()
    response = staff_client("amr_reviewer").get(
        reverse("workbench:application_material", args=[waiting.uid, material.pk])
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


# --- actions --------------------------------------------------------------------------------------


def test_the_acceptor_accepts_and_a_second_click_is_a_conflict(staff_client):
    client = staff_client("amr_acceptor")
    waiting = _waiting()

    response = _act(client, waiting, "accept")
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.ACCEPTED
    assert Notice.objects.filter(application=waiting, kind=NoticeKind.ACCEPTANCE).exists()

    again = _act(client, waiting, "not_accept", expected=Status.AWAITING_ACCEPTANCE, reason="x", legal_basis="y")
    page = client.get(again.url)
    assert "该申请已被他人处理" in page.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Status.ACCEPTED


def test_actions_are_post_only(staff_client):
    waiting = _waiting()
    url = reverse("workbench:application_action", args=[waiting.uid, "accept"])
    assert staff_client("amr_acceptor").get(url).status_code == 405


def test_one_correction_notice_lists_materials_and_fields_with_reasons(staff_client):
    waiting = _waiting()
    requirement = waiting.version.materials.order_by("order").first()
    response = _act(
        staff_client("amr_acceptor"),
        waiting,
        "correction",
        **{f"material_{requirement.pk}": "营业执照已过期", "field_applicant_name": "与证件不一致"},
    )

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.CORRECTION_REQUESTED
    items = CorrectionItem.objects.filter(notice__application=waiting)
    assert {(item.requirement_id, item.field, item.reason) for item in items} == {
        (requirement.pk, "", "营业执照已过期"),
        (None, "applicant_name", "与证件不一致"),
    }


def test_an_empty_correction_notice_is_refused_with_the_message(staff_client):
    waiting = _waiting()
    response = _act(staff_client("amr_acceptor"), waiting, "correction")

    assert response.status_code == 422
    assert "至少列出一项" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Status.AWAITING_ACCEPTANCE


def test_not_accepting_needs_reason_and_legal_basis(staff_client):
    waiting = _waiting()
    response = _act(staff_client("amr_acceptor"), waiting, "not_accept", reason="", legal_basis="")
    assert response.status_code == 422
    waiting.refresh_from_db()
    assert waiting.status == Status.AWAITING_ACCEPTANCE


def test_an_acceptor_cannot_decide(staff_client):
    red = Application.objects.get(marker="red")
    response = _act(staff_client("amr_acceptor"), red, "decide", outcome="approve", reasons="r", legal_basis="b")
    assert response.status_code == 403


def _to_decision(staff_client, application):
    """The reviewer's stage, then the decider's 决定 stage: all stages done."""
    assert _act(staff_client("amr_reviewer"), application, "stage", opinion="符合条件").status_code == 302
    application.refresh_from_db()
    assert _act(staff_client("amr_decider"), application, "stage", opinion="同意").status_code == 302
    application.refresh_from_db()
    return application


def test_the_decision_requires_a_fresh_totp_code(staff_client, demo, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the wrong code below would otherwise throttle the device
    red = _to_decision(staff_client, Application.objects.get(marker="red"))
    client = staff_client("amr_decider")
    assert "decide" in client.get(reverse("workbench:application", args=[red.uid])).context["forms"]

    refused = _act(
        client, red, "decide", outcome="approve", reasons="符合条件", legal_basis="食品安全法", otp_token="000000"
    )
    assert refused.status_code == 422
    assert "动态验证码不正确" in refused.content.decode()
    red.refresh_from_db()
    assert red.status == Status.IN_REVIEW

    code = _code(demo["amr_decider"])
    approved = _act(
        client, red, "decide", outcome="approve", reasons="符合条件", legal_basis="食品安全法", otp_token=code
    )
    assert approved.status_code == 302
    red.refresh_from_db()
    assert red.status == Status.APPROVED
    assert red.timeline.filter(action="decided", actor=demo["amr_decider"]).exists()


def test_suspend_resume_and_extension_by_the_head(staff_client):
    yellow = Application.objects.get(marker="yellow")
    due = yellow.decision_due
    head = staff_client("amr_head")
    assert _act(head, yellow, "extend", days="11", reason="复杂").status_code == 422
    assert _act(head, yellow, "extend", days="5", reason="需补充调查").status_code == 302
    yellow.refresh_from_db()
    assert yellow.extension_days == 5
    assert yellow.decision_due > due

    suspended = Application.objects.get(status=Status.SUSPENDED)
    assert _act(staff_client("amr_reviewer"), suspended, "resume", comment="核查完毕").status_code == 302
    suspended.refresh_from_db()
    assert suspended.status == Status.IN_REVIEW
