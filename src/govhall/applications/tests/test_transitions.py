"""Every allowed and every forbidden status change, straight from ``ALLOWED_TRANSITIONS``, and the
append-only timeline."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from govhall.applications import transitions
from govhall.applications.models import ALLOWED_TRANSITIONS, Application, Status, TimelineEntry
from govhall.applications.tests.conftest import draft
from govhall.core.audit.models import AppendOnlyError

ALL = list(Status.values)
ALLOWED = [(source, target) for source in ALL for target in sorted(ALLOWED_TRANSITIONS[source])]
FORBIDDEN = [(source, target) for source in ALL for target in ALL if target not in ALLOWED_TRANSITIONS[source]]


def test_the_table_names_every_status_and_only_known_ones():
    assert set(ALLOWED_TRANSITIONS) == set(ALL)
    assert all(targets <= set(ALL) for targets in ALLOWED_TRANSITIONS.values())
    terminal = {status for status, targets in ALLOWED_TRANSITIONS.items() if not targets}
    assert terminal == {Status.CONCLUDED, Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.TERMINATED}


def _in(office, status: str) -> Application:
    application = draft(office)
    Application.objects.filter(pk=application.pk).update(status=status, business_number=f"N{application.pk}")
    return application


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_allowed_transition_changes_the_status_and_appends_one_entry(office, source, target):
    application = _in(office, source)
    with transaction.atomic():
        locked = transitions.lock(application)
        transitions.transition(locked, target, by=office.acceptor, action="test", role="acceptor")
    application.refresh_from_db()
    entry = TimelineEntry.objects.get(application=application)
    assert application.status == target
    assert (entry.from_status, entry.to_status, entry.actor, entry.scope_label) == (
        source,
        target,
        office.acceptor,
        office.department.name,
    )


@pytest.mark.parametrize(("source", "target"), FORBIDDEN)
def test_forbidden_transition_is_refused_and_changes_nothing(office, source, target):
    application = _in(office, source)
    with pytest.raises(ValidationError, match="该申请已被他人处理，请刷新后重试"), transaction.atomic():
        transitions.transition(transitions.lock(application), target, by=office.acceptor, action="test")
    application.refresh_from_db()
    assert application.status == source
    assert not TimelineEntry.objects.filter(application=application).exists()


def test_a_stale_page_gets_the_conflict_message(office):
    application = _in(office, Status.ACCEPTED)
    with pytest.raises(ValidationError, match="该申请已被他人处理"), transaction.atomic():
        transitions.lock(application, expected=Status.AWAITING_ACCEPTANCE)


def test_timeline_entries_cannot_be_changed_or_deleted(office):
    application = _in(office, Status.AWAITING_ACCEPTANCE)
    with transaction.atomic():
        locked = transitions.lock(application)
        transitions.transition(locked, Status.ACCEPTED, by=office.acceptor, action="accepted")
        transitions.transition(locked, Status.IN_REVIEW, by=office.reviewer, action="stage_completed")
    entry = TimelineEntry.objects.filter(application=application).latest("pk")  # SQLite allows only the oldest
    entry.comment = "改写"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        TimelineEntry.objects.filter(pk=entry.pk).update(comment="改写")
    # Past the model's guards (a plain manager), the database's triggers refuse it too.
    with pytest.raises(DatabaseError), transaction.atomic():
        TimelineEntry._base_manager.filter(pk=entry.pk).update(comment="改写")
    with pytest.raises(DatabaseError), transaction.atomic():
        TimelineEntry._base_manager.filter(pk=entry.pk).delete()
