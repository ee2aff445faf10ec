"""A department's item with a published guide, its staff (acceptor, reviewer, decider, head), a
second department's acceptor, two applicants; private files under the test's tmp directory."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from govhall.applications import services
from govhall.applications.tests.factories import ANSWERS, applicant, pdf, published_item, staff
from govhall.directory.tests.factories import DepartmentFactory

BEIJING = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime.datetime:
    """``"2026-09-30 10:00"`` as a Beijing time."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=BEIJING)


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.APPLICATIONS_PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture
def office(db):
    item, required, agent_material = published_item()
    department = item.department
    other = DepartmentFactory()
    return SimpleNamespace(
        item=item,
        version=item.published_version,
        required=required,
        agent_material=agent_material,
        department=department,
        acceptor=staff("acceptor", department),
        reviewer=staff("reviewer", department),
        decider=staff("decider", department),
        head=staff("department_head", department),
        other_acceptor=staff("acceptor", other),
        alice=applicant("张三"),
        bob=applicant("李四"),
    )


def draft(office, who=None, answers=None):
    """A complete draft of ``who`` (default Alice): answers and the required material."""
    who = who or office.alice
    application = services.start_draft(who, office.item, answers=answers or ANSWERS)
    services.add_material(application, who, office.required, pdf())
    return application


def submitted(office, when="2026-11-25 10:00", who=None):
    application = draft(office, who)
    return services.submit(application, who or office.alice, now=at(when))


def accepted(office, when="2026-11-25 10:00"):
    application = submitted(office, when)
    return services.accept(application, office.acceptor, now=at(when) + datetime.timedelta(hours=1))
