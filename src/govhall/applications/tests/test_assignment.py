"""Claims, reassignment and handover (issue 8 item 4; Art. 23 交接): who holds an application, what
a colleague or an admin sees when it is taken, and that every move is in the timeline and the
audit trail."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from govhall.accounts import services as accounts
from govhall.accounts.models import RoleAssignment
from govhall.applications import assignment, services, tasks
from govhall.applications.models import Application, Status, TimelineEntry
from govhall.applications.tests.conftest import submitted
from govhall.applications.tests.factories import staff
from govhall.core.audit.models import AuditEvent
from govhall.directory.tests.factories import DepartmentFactory

MINUTES = datetime.timedelta(minutes=1)


def actions(application) -> list[str]:
    return list(
        TimelineEntry.objects.filter(application=application).order_by("at", "pk").values_list("action", flat=True)
    )


def audited(action: str, application) -> int:
    return AuditEvent.objects.filter(action=f"applications.{action}", object_id=str(application.pk)).count()


def fresh(user):
    """The user with their role assignments read again (``active_assignments`` is cached)."""
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def team(office):
    office.acceptor2 = staff("acceptor", office.department)
    office.admin = staff("department_admin", office.department)
    office.other_admin = staff("department_admin", DepartmentFactory())
    return office


# --- claims ---------------------------------------------------------------------------------------


def test_an_acceptor_claims_from_the_acceptance_queue_until_the_claim_expires(team, settings):
    settings.APPLICATIONS_CLAIM_MINUTES = 90
    application = submitted(team)
    now = timezone.now()

    services.claim(application, team.acceptor, now=now)

    application.refresh_from_db()
    assert application.assignee == team.acceptor
    assert application.claim_expires_at == now + 90 * MINUTES
    assert assignment.holder_id(application, now + 89 * MINUTES) == team.acceptor.pk
    assert assignment.holder_id(application, now + 90 * MINUTES) is None  # expired counts as unclaimed
    assert actions(application)[-1] == "claimed"
    assert application.status == Status.AWAITING_ACCEPTANCE  # a claim is not a status change
    assert audited("claimed", application) == 1


def test_a_claim_held_by_a_colleague_is_a_clear_conflict_and_nothing_changes(team):
    application = submitted(team)
    services.claim(application, team.acceptor)

    with pytest.raises(ValidationError) as refused:
        services.claim(application, team.acceptor2)

    assert refused.value.messages == [f"该申请已由{team.acceptor.name}认领或承办，请刷新后重试。"]
    application.refresh_from_db()
    assert application.assignee == team.acceptor
    assert actions(application).count("claimed") == 1


@pytest.mark.parametrize("who", ["reviewer", "decider", "other_acceptor", "admin", "alice"])
def test_only_a_role_that_may_act_now_in_the_department_claims(team, who):
    application = submitted(team)

    with pytest.raises(PermissionDenied):
        services.claim(application, getattr(team, who))

    application.refresh_from_db()
    assert application.assignee is None


def test_an_expired_claim_can_be_taken_and_its_lapse_is_recorded(team):
    application = submitted(team)
    now = timezone.now()
    services.claim(application, team.acceptor, now=now - 3 * 60 * MINUTES)

    services.claim(application, team.acceptor2, now=now)

    application.refresh_from_db()
    assert application.assignee == team.acceptor2
    assert actions(application)[-3:] == ["claimed", "claim_expired", "claimed"]
    assert audited("claim_expired", application) == 1


def test_the_sweep_clears_expired_claims_and_records_them(team):
    expired, live = submitted(team), submitted(team)
    services.claim(expired, team.acceptor, now=timezone.now() - 3 * 60 * MINUTES)
    services.claim(live, team.acceptor2)

    assert tasks.sweep()["claims_expired"] == 1

    expired.refresh_from_db()
    live.refresh_from_db()
    assert (expired.assignee, expired.claim_expires_at) == (None, None)
    assert live.assignee == team.acceptor2
    assert actions(expired)[-1] == "claim_expired"
    assert TimelineEntry.objects.get(application=expired, action="claim_expired").comment == (
        f"{team.acceptor.name}的认领已超时失效。"
    )
    assert audited("claim_expired", expired) == 1
    assert tasks.sweep()["claims_expired"] == 0


def test_the_holder_acting_moves_the_expiry_on(team):
    application = submitted(team)
    services.claim(application, team.acceptor, now=timezone.now() - 100 * MINUTES)  # 20 minutes left

    services.request_correction(application, team.acceptor, [{"material": team.required.pk, "reason": "不清晰"}])

    application.refresh_from_db()
    assert application.status == Status.CORRECTION_REQUESTED  # the acceptor still acts on it
    assert application.assignee == team.acceptor
    assert application.claim_expires_at > timezone.now() + 110 * MINUTES


def test_a_holder_who_may_no_longer_act_lets_go_for_the_next_step(team):
    application = submitted(team)
    services.claim(application, team.acceptor)

    services.accept(application, team.acceptor)

    application.refresh_from_db()
    assert application.status == Status.ACCEPTED  # now the reviewer's stage: back to the shared queue
    assert application.assignee is None
    assert actions(application)[-2:] == ["accepted", "holding_ended"]
    services.claim(application, team.reviewer)
    application.refresh_from_db()
    assert application.assignee == team.reviewer


def test_the_holder_releases_and_nobody_else_can(team):
    application = submitted(team)
    services.claim(application, team.acceptor)

    with pytest.raises(ValidationError) as refused:
        services.release(application, team.acceptor2)
    assert refused.value.messages == ["只有认领人可以释放该申请，请刷新后重试。"]

    services.release(application, team.acceptor)
    application.refresh_from_db()
    assert application.assignee is None
    assert actions(application)[-1] == "released"
    assert audited("released", application) == 1


# --- reassignment ---------------------------------------------------------------------------------


def test_the_department_admin_reassigns_many_with_a_reason(team):
    rows = [submitted(team) for _ in range(3)]
    services.claim(rows[0], team.acceptor)

    services.reassign(rows, team.acceptor2, by=team.admin, reason="张某休假", expected={rows[0].pk: team.acceptor.pk})

    for application in rows:
        application.refresh_from_db()
        assert (application.assignee, application.claim_expires_at) == (team.acceptor2, None)  # no expiry
        entry = TimelineEntry.objects.filter(application=application, action="reassigned").get()
        assert entry.comment == f"改派给{team.acceptor2.name}：张某休假"
        assert entry.actor == team.admin
        assert audited("reassigned", application) == 1


@pytest.mark.parametrize("who", ["acceptor", "head", "other_admin"])
def test_only_that_departments_admin_reassigns(team, who):
    application = submitted(team)

    with pytest.raises(PermissionDenied):
        services.reassign([application], team.acceptor2, by=getattr(team, who), reason="调整")

    application.refresh_from_db()
    assert application.assignee is None


@pytest.mark.parametrize(
    ("target", "reason", "message"),
    [
        ("reviewer", "调整", "不具备办理以下申请当前环节的角色"),
        ("other_acceptor", "调整", "不具备办理以下申请当前环节的角色"),
        ("alice", "调整", "请选择本部门的工作人员。"),
        ("acceptor2", "  ", "请填写改派或交接的理由。"),
    ],
)
def test_a_reassignment_needs_a_suitable_colleague_and_a_reason(team, target, reason, message):
    application = submitted(team)

    with pytest.raises(ValidationError) as refused:
        services.reassign([application], getattr(team, target), by=team.admin, reason=reason)

    assert message in " ".join(refused.value.messages)
    application.refresh_from_db()
    assert application.assignee is None
    assert "reassigned" not in actions(application)


def test_a_stale_reassignment_is_a_conflict_and_moves_nothing(team):
    first, second = submitted(team), submitted(team)
    services.claim(second, team.acceptor)  # claimed after the admin's page was drawn

    with pytest.raises(ValidationError) as refused:
        services.reassign(
            [first, second], team.acceptor2, by=team.admin, reason="调整", expected={first.pk: None, second.pk: None}
        )

    assert refused.value.messages == [f"以下申请已被他人处理，请刷新后重试：{second.business_number}。"]
    assert Application.objects.filter(assignee=team.acceptor2).count() == 0


# --- handover -------------------------------------------------------------------------------------


def test_handover_moves_everything_a_person_holds_once(team):
    held = [submitted(team) for _ in range(3)]
    for application in held:
        services.claim(application, team.acceptor)
    colleague = submitted(team)
    services.claim(colleague, team.acceptor2)
    total = Application.objects.filter(assignee__isnull=False).count()

    moved = services.hand_over(team.acceptor, team.acceptor2, department=team.department, by=team.admin, reason="调岗")

    assert moved == 3
    assert assignment.held_by(team.acceptor, team.department).count() == 0
    assert assignment.held_by(team.acceptor2, team.department).count() == 4
    assert Application.objects.filter(assignee__isnull=False).count() == total  # nothing lost or doubled
    for application in held:
        assert actions(application).count("handed_over") == 1
        assert audited("handed_over", application) == 1
    assert "handed_over" not in actions(colleague)


def test_a_refused_handover_moves_nothing(team):
    held = [submitted(team) for _ in range(2)]
    for application in held:
        services.claim(application, team.acceptor)

    with pytest.raises(ValidationError):
        services.hand_over(team.acceptor, team.reviewer, department=team.department, by=team.admin, reason="调岗")
    with pytest.raises(PermissionDenied):
        services.hand_over(
            team.acceptor, team.acceptor2, department=team.department, by=team.other_admin, reason="调岗"
        )

    assert assignment.held_by(team.acceptor, team.department).count() == 2


# --- removing a role assignment (accounts.services.revoke_role) -----------------------------------


def _acceptor_role(team) -> RoleAssignment:
    return RoleAssignment.objects.get(user=team.acceptor, role="acceptor", revoked_at__isnull=True)


def test_removing_a_role_with_open_applications_is_refused_with_the_count(team):
    for _ in range(2):
        services.claim(submitted(team), team.acceptor)

    with pytest.raises(ValidationError) as refused:
        accounts.revoke_role(_acceptor_role(team).pk, by=team.admin, reason="调岗")

    assert refused.value.message_dict == {
        "handover_to": [f"{team.acceptor.name}仍承办2件未办结的申请，请先交接或指定交接人后再撤销角色。"]
    }
    assert fresh(team.acceptor).has_role("acceptor", department=team.department.pk)


def test_removing_a_role_with_handover_to_hands_over_in_the_same_transaction(team):
    held = [submitted(team) for _ in range(2)]
    for application in held:
        services.claim(application, team.acceptor)

    accounts.revoke_role(_acceptor_role(team).pk, by=team.admin, reason="调岗", handover_to=team.acceptor2)

    assert not fresh(team.acceptor).has_role("acceptor", department=team.department.pk)
    assert assignment.held_by(team.acceptor2, team.department).count() == 2
    for application in held:
        assert actions(application)[-1] == "handed_over"


def test_a_refused_handover_keeps_the_role(team):
    services.claim(submitted(team), team.acceptor)

    with pytest.raises(ValidationError):
        accounts.revoke_role(_acceptor_role(team).pk, by=team.admin, reason="调岗", handover_to=team.reviewer)

    assert fresh(team.acceptor).has_role("acceptor", department=team.department.pk)
    assert assignment.held_by(team.acceptor, team.department).count() == 1


def test_a_role_the_held_applications_do_not_need_is_removed_freely(team):
    services.claim(submitted(team), team.acceptor)
    editor = accounts.assign_role(team.acceptor, "guide_editor", team.department, by=team.admin)
    second = accounts.assign_role(team.acceptor2, "reviewer", team.department, by=team.admin)

    accounts.revoke_role(editor.pk, by=team.admin)
    accounts.revoke_role(second.pk, by=team.admin)

    assert not fresh(team.acceptor).has_role("guide_editor", department=team.department.pk)
