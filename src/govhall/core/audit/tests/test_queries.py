"""The auditors' query layer: search filters, CSV export, and the read-only admin."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.utils import timezone

from govhall.core.audit.admin import AuditCheckpointAdmin, AuditEventAdmin
from govhall.core.audit.models import AuditChainHead, AuditCheckpoint, AuditEvent
from govhall.core.audit.queries import export_csv, search_events
from govhall.core.audit.services import record
from govhall.core.audit.tests.conftest import StubUser

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    wang, li = StubUser(1, "wang"), StubUser(2, "li")
    return [
        record(wang, "application.accepted", ("applications.application", 1)),
        record(wang, "application.rejected", ("applications.application", 2), reason='=HYPERLINK("x")'),
        record(li, "application.accepted", ("applications.application", 2)),
        record(li, "guide.published", ("catalog.guide", 2), after={"version": 3}),
        record(None, "workdays.year_published"),
    ]


def ids(queryset):
    return list(queryset.values_list("id", flat=True))


def test_search_by_actor_as_user_id_or_label(events):
    assert ids(search_events(actor=StubUser(1, "wang"))) == [2, 1]
    assert ids(search_events(actor=2)) == [4, 3]
    assert ids(search_events(actor="system")) == [5]


def test_search_by_object_and_action(events):
    assert ids(search_events(object_type="applications.application", object_id=2)) == [3, 2]
    assert ids(search_events(object_type=AuditChainHead)) == []
    assert ids(search_events(action="application.accepted")) == [3, 1]
    assert ids(search_events(action="application.*")) == [3, 2, 1]


def test_search_by_time_window(events):
    now = timezone.now()
    assert ids(search_events(since=now - dt.timedelta(minutes=1), until=now + dt.timedelta(minutes=1))) == [
        5,
        4,
        3,
        2,
        1,
    ]
    assert ids(search_events(until=now - dt.timedelta(minutes=1))) == []


def test_search_uses_one_query(events, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(search_events(actor="wang", action="application.*"))


def test_export_csv_for_auditors(events):
    stream = io.StringIO()

    count = export_csv(search_events(), stream)

    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert count == 5
    assert rows[0][:2] == ["序号 id", "时间 occurred_at"]
    assert [row[0] for row in rows[1:]] == ["5", "4", "3", "2", "1"]
    rejected = rows[4]
    assert rejected[11] == '\'=HYPERLINK("x")'  # no spreadsheet formula injection
    assert rows[2][10] == '{"version": 3}'
    assert rows[1][1].endswith("+08:00")  # Beijing time
    assert rows[1][15] == AuditEvent.objects.get(pk=5).hash


@pytest.mark.parametrize(
    ("model", "admin_class"), [(AuditEvent, AuditEventAdmin), (AuditCheckpoint, AuditCheckpointAdmin)]
)
def test_admin_is_read_only(model, admin_class):
    request = RequestFactory().get("/")
    model_admin = admin_class(model, admin.site)

    assert admin.site.is_registered(model)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.get_actions(request) == {}
