"""Role removal and open work (issue 8, Art. 23 交接) as accounts sees it: through the registry of
open-work providers, with no import of the domains that register into it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from govhall.accounts import services
from govhall.accounts.tests.factories import RoleAssignmentFactory, StaffFactory


class Desk:
    label = "待办事项"

    def __init__(self, count: int) -> None:
        self.open, self.handed = count, []

    def count(self, assignment) -> int:
        return self.open

    def hand_over(self, assignment, to, *, by, reason) -> int:
        self.handed.append((assignment.user, to, by, reason))
        self.open = 0
        return 1


@pytest.fixture
def desk(monkeypatch):
    desk = Desk(3)
    monkeypatch.setattr(services, "OPEN_WORK_PROVIDERS", [desk])
    return desk


@pytest.fixture
def roles(db):
    role = RoleAssignmentFactory(role="acceptor")
    admin = RoleAssignmentFactory(role="department_admin", department=role.department).user
    return role, admin


def test_removal_is_refused_while_work_is_open_and_names_the_count(desk, roles):
    role, admin = roles

    with pytest.raises(ValidationError) as refused:
        services.revoke_role(role.pk, by=admin, reason="调岗")

    assert refused.value.message_dict["handover_to"] == [
        f"{role.user.name}仍承办3件待办事项，请先交接或指定交接人后再撤销角色。"
    ]
    role.refresh_from_db()
    assert role.revoked_at is None
    assert desk.handed == []


def test_removal_with_a_colleague_hands_over_then_revokes(desk, roles):
    role, admin = roles
    colleague = StaffFactory()

    services.revoke_role(role.pk, by=admin, reason="调岗", handover_to=colleague)

    role.refresh_from_db()
    assert role.revoked_at is not None
    assert desk.handed == [(role.user, colleague, admin, "调岗")]


def test_without_open_work_the_role_goes_as_before(roles, monkeypatch):
    monkeypatch.setattr(services, "OPEN_WORK_PROVIDERS", [Desk(0)])
    role, admin = roles

    services.revoke_role(role.pk, by=admin)

    role.refresh_from_db()
    assert role.revoked_at is not None
