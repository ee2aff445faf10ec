"""The workbench faces of claims, reassignment and handover (issue 8 item 4) over the demo
applications: the queue's 认领 and 我认领的, the detail's claim and release, the department admin's
reassignment and handover pages, and the staff page's role removal that asks for a colleague."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from govhall.accounts.models import RoleAssignment
from govhall.accounts.tests.otp import otp_login
from govhall.applications import assignment, services
from govhall.applications import demo as applications_demo
from govhall.applications.models import Application, Status, TimelineEntry
from govhall.applications.tests.factories import staff


@pytest.fixture(autouse=True)
def _demo_applications(settings, tmp_path, demo):
    settings.APPLICATIONS_PRIVATE_ROOT = tmp_path / "private"
    applications_demo.load()


def login(user) -> Client:
    """A workbench session past password and TOTP."""
    return otp_login(Client(), user)


def waiting() -> Application:
    return Application.objects.get(status=Status.AWAITING_ACCEPTANCE)


def texts(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def test_the_acceptor_claims_from_the_queue_and_finds_it_under_my_claims(demo):
    acceptor = login(demo["amr_acceptor"])
    application = waiting()
    queue = acceptor.get(reverse("workbench:applications"))
    html = queue.content.decode()
    assert "待认领" in html
    assert reverse("workbench:application_claim", args=[application.uid]) in html

    done = acceptor.post(
        reverse("workbench:application_claim", args=[application.uid]),
        {"next": reverse("workbench:applications")},
        follow=True,
    )

    assert f"已认领申请 {application.business_number}。" in texts(done)
    assert "我认领的" in done.content.decode()
    mine = acceptor.get(reverse("workbench:applications"), {"queue": "claimed"})
    assert [row["application"].pk for row in mine.context["rows"]] == [application.pk]


def test_a_colleague_sees_who_holds_it_and_claiming_it_is_a_clear_conflict(demo):
    application = waiting()
    services.claim(application, demo["amr_acceptor"])
    colleague = login(staff("acceptor", application.department))

    queue = colleague.get(reverse("workbench:applications"))
    assert f"{demo['amr_acceptor'].name}承办" in queue.content.decode()
    refused = colleague.post(reverse("workbench:application_claim", args=[application.uid]), follow=True)

    assert f"该申请已由{demo['amr_acceptor'].name}认领或承办，请刷新后重试。" in texts(refused)
    application.refresh_from_db()
    assert application.assignee == demo["amr_acceptor"]


def test_the_detail_page_claims_and_releases(demo):
    acceptor = login(demo["amr_acceptor"])
    application = waiting()
    url = reverse("workbench:application", args=[application.uid])
    assert reverse("workbench:application_claim", args=[application.uid]) in acceptor.get(url).content.decode()

    claimed = acceptor.post(reverse("workbench:application_claim", args=[application.uid]), follow=True)
    assert "释放认领" in claimed.content.decode()
    released = acceptor.post(reverse("workbench:application_release", args=[application.uid]), follow=True)

    assert f"已释放申请 {application.business_number}，其他人员可以认领。" in texts(released)
    application.refresh_from_db()
    assert application.assignee is None
    assert list(
        TimelineEntry.objects.filter(application=application, action__in=("claimed", "released")).values_list(
            "action", flat=True
        )
    ) == ["claimed", "released"]


def test_the_reviewer_cannot_claim_from_acceptance(demo):
    reviewer = login(demo["amr_reviewer"])
    application = waiting()

    refused = reviewer.post(reverse("workbench:application_claim", args=[application.uid]), follow=True)

    assert "您的角色不能办理该申请当前环节，不能认领。" in texts(refused)
    application.refresh_from_db()
    assert application.assignee is None


def test_the_department_admin_reassigns_selected_applications_with_a_reason(demo):
    admin = login(demo["amr_admin"])
    application = waiting()
    colleague = staff("acceptor", application.department)
    page = admin.get(reverse("workbench:applications_assignment"))
    assert page.status_code == 200
    assert application.business_number in page.content.decode()
    assert colleague in page.context["colleagues"]

    done = admin.post(
        reverse("workbench:applications_assignment"),
        {"application": [application.pk], f"holder_{application.pk}": "", "to": colleague.pk, "reason": "均衡工作量"},
        follow=True,
    )

    assert f"已将1件申请改派给{colleague.name}。" in texts(done)
    application.refresh_from_db()
    assert application.assignee == colleague
    assert TimelineEntry.objects.get(application=application, action="reassigned").comment == (
        f"改派给{colleague.name}：均衡工作量"
    )


def test_a_stale_reassignment_page_is_refused_and_moves_nothing(demo):
    admin = login(demo["amr_admin"])
    application = waiting()
    services.claim(application, demo["amr_acceptor"])  # after the admin's page was drawn
    colleague = staff("acceptor", application.department)

    refused = admin.post(
        reverse("workbench:applications_assignment"),
        {"application": [application.pk], f"holder_{application.pk}": "", "to": colleague.pk, "reason": "调整"},
        follow=True,
    )

    assert f"以下申请已被他人处理，请刷新后重试：{application.business_number}。" in texts(refused)
    application.refresh_from_db()
    assert application.assignee == demo["amr_acceptor"]


def test_only_department_admins_open_the_reassignment_page(demo, client):
    assert login(demo["amr_acceptor"]).get(reverse("workbench:applications_assignment")).status_code == 403
    assert client.get(reverse("workbench:applications_assignment")).status_code == 302  # to the TOTP login


def test_the_handover_page_moves_everything_a_person_holds(demo):
    admin = login(demo["amr_admin"])
    application = waiting()
    services.claim(application, demo["amr_acceptor"])
    colleague = staff("acceptor", application.department)
    url = reverse("workbench:applications_handover", args=[application.department_id, demo["amr_acceptor"].pk])
    page = admin.get(url)
    assert application.business_number in page.content.decode()

    done = admin.post(url, {"to": colleague.pk, "reason": "调岗"}, follow=True)

    assert f"已将{demo['amr_acceptor'].name}承办的1件申请交接完毕。" in texts(done)
    assert assignment.held_by(demo["amr_acceptor"], application.department_id).count() == 0
    assert assignment.held_by(colleague, application.department_id).count() == 1


def test_removing_a_role_with_open_work_asks_for_the_colleague_then_hands_over(demo):
    admin = login(demo["amr_admin"])
    application = waiting()
    services.claim(application, demo["amr_acceptor"])
    colleague = staff("acceptor", application.department)
    role = RoleAssignment.objects.get(user=demo["amr_acceptor"], role="acceptor", revoked_at__isnull=True)
    url = reverse("workbench:revoke_role", args=[role.pk])

    refused = admin.post(url, {"reason": "调岗"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert f"{demo['amr_acceptor'].name}仍承办1件未办结的申请，请先交接或指定交接人后再撤销角色。" in html
    assert f'value="{colleague.pk}"' in html
    role.refresh_from_db()
    assert role.revoked_at is None

    done = admin.post(url, {"reason": "调岗", "handover_to": colleague.pk})

    assert done.status_code == 302
    role.refresh_from_db()
    assert role.revoked_at is not None
    application.refresh_from_db()
    assert application.assignee == colleague
