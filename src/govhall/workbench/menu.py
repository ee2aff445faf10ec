"""The workbench menu: each entry names the roles that see it, so staff see only what they hold.

Later issues add their pages here (guides, acceptance, review, decision, window, consultations…).
"""

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
    url_name: str


ALL_ROLES = frozenset(Role.values)
ADMIN_ROLES = frozenset({Role.CITY_ADMIN, Role.DISTRICT_ADMIN, Role.DEPARTMENT_ADMIN})

MENU = [
    MenuEntry("home", _("工作台首页"), "bi-speedometer2", ALL_ROLES, "workbench:home"),
    MenuEntry(
        "directory",
        _("机构管理"),
        "bi-diagram-3",
        frozenset({Role.CITY_ADMIN, Role.DISTRICT_ADMIN}),
        "workbench:directory",
    ),
    MenuEntry(
        "catalog",
        _("事项与指南"),
        "bi-journal-text",
        frozenset({Role.CITY_ADMIN, Role.DISTRICT_ADMIN, Role.DEPARTMENT_ADMIN, Role.GUIDE_EDITOR}),
        "workbench:catalog_items",
    ),
    MenuEntry(
        "catalog_import",
        _("事项清单导入"),
        "bi-file-earmark-spreadsheet",
        frozenset({Role.CITY_ADMIN}),
        "workbench:catalog_import",
    ),
    MenuEntry(
        "appointments",
        _("预约管理"),
        "bi-calendar-check",
        frozenset({Role.WINDOW_STAFF, Role.CITY_ADMIN, Role.DISTRICT_ADMIN}),
        "workbench:appointments",
    ),
    MenuEntry(
        "applications",
        _("办件办理"),
        "bi-inboxes",
        frozenset({Role.ACCEPTOR, Role.REVIEWER, Role.DECIDER, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_ADMIN}),
        "workbench:applications",
    ),
    MenuEntry(
        "license_outages",
        _("证照服务中断"),
        "bi-exclamation-octagon",
        frozenset({Role.CITY_ADMIN, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_ADMIN}),
        "workbench:license_outages",
    ),
    MenuEntry("window", _("综合窗口"), "bi-window-desktop", frozenset({Role.WINDOW_STAFF}), "workbench:window"),
    MenuEntry(  # issue 8 (Art. 23): the department admin reassigns and hands over open applications
        "applications_assignment",
        _("改派与交接"),
        "bi-arrow-left-right",
        frozenset({Role.DEPARTMENT_ADMIN}),
        "workbench:applications_assignment",
    ),
    MenuEntry(  # issue 10 (Art. 15, 16): consultations, complaints, 好差评, supervision
        "feedback",
        _("咨询投诉"),
        "bi-chat-square-text",
        frozenset({Role.RESPONDER, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_ADMIN, Role.CITY_ADMIN, Role.DISTRICT_ADMIN}),
        "workbench:feedback",
    ),
    MenuEntry("staff", _("人员与角色"), "bi-people", ADMIN_ROLES, "workbench:staff"),
    MenuEntry("applicants", _("申请人查询"), "bi-person-vcard", frozenset({Role.CITY_ADMIN}), "workbench:applicants"),
    MenuEntry("calendar", _("工作日历"), "bi-calendar3", frozenset({Role.CITY_ADMIN}), "workbench:calendar"),
    MenuEntry("audit", _("审计日志"), "bi-shield-lock", frozenset({Role.AUDITOR, Role.CITY_ADMIN}), "workbench:audit"),
    MenuEntry("notifications", _("短信通知"), "bi-chat-dots", frozenset({Role.CITY_ADMIN}), "workbench:notifications"),
]


def menu_for(user) -> list[MenuEntry]:
    held = {assignment.role for assignment in user.active_assignments}
    return [entry for entry in MENU if entry.roles & held]
