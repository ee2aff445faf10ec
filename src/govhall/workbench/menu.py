"""The workbench menu: each entry names the roles that see it, so staff see only what they hold."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from govhall.accounts.models import Role


@dataclass(frozen=True)
class MenuEntry:
    key: str
    label: str
    icon: str
    roles: frozenset[str]
    url_name: str | None = None


ALL_ROLES = frozenset(Role.values)

MENU = [
    MenuEntry("home", _("工作台首页"), "bi-speedometer2", ALL_ROLES, "workbench:home"),
    MenuEntry(
        "guides",
        _("办事指南"),
        "bi-journal-text",
        frozenset({Role.GUIDE_EDITOR, Role.DEPARTMENT_ADMIN, Role.CITY_ADMIN, Role.DISTRICT_ADMIN}),
    ),
    MenuEntry("acceptance", _("受理"), "bi-inbox", frozenset({Role.ACCEPTOR, Role.WINDOW_STAFF})),
    MenuEntry("review", _("审查"), "bi-clipboard-check", frozenset({Role.REVIEWER})),
    MenuEntry("decision", _("决定"), "bi-stamp", frozenset({Role.DECIDER, Role.DEPARTMENT_HEAD})),
    MenuEntry("window", _("综合窗口"), "bi-person-workspace", frozenset({Role.WINDOW_STAFF})),
    MenuEntry(
        "consultations", _("咨询投诉"), "bi-chat-left-text", frozenset({Role.RESPONDER, Role.DEPARTMENT_HEAD})
    ),
    MenuEntry(
        "supervision",
        _("效能监督"),
        "bi-graph-up",
        frozenset({Role.CITY_ADMIN, Role.DISTRICT_ADMIN, Role.DEPARTMENT_HEAD}),
    ),
    MenuEntry(
        "directory",
        _("机构与人员"),
        "bi-diagram-3",
        frozenset({Role.CITY_ADMIN, Role.DISTRICT_ADMIN, Role.DEPARTMENT_ADMIN}),
    ),
    MenuEntry("audit", _("审计日志"), "bi-shield-lock", frozenset({Role.AUDITOR, Role.CITY_ADMIN})),
]


def menu_for(user) -> list[MenuEntry]:
    held = {assignment.role for assignment in user.active_assignments}
    return [entry for entry in MENU if entry.roles & held]
