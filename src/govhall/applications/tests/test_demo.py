"""The demo applications (issue 7): every staff queue has something in it after `load_demo` (full
catalog; the core-catalog test fixture leaves them out), made through the services (timelines,
notices, receipts), and loading again adds nothing."""

from __future__ import annotations

from govhall.applications import demo as applications_demo
from govhall.applications.models import Application, Notice, NoticeKind, Status
from govhall.notifications.models import Message


def test_the_demo_fills_every_queue(demo):
    assert not Application.objects.exists()  # not with the core catalog of the test fixture
    assert applications_demo.load() == 6

    statuses = sorted(Application.objects.values_list("status", flat=True))
    assert statuses == sorted(
        [
            Status.AWAITING_ACCEPTANCE,
            Status.CORRECTION_REQUESTED,
            Status.IN_REVIEW,
            Status.IN_REVIEW,
            Status.SUSPENDED,
            Status.APPROVED,
        ]
    )
    markers = sorted(Application.objects.filter(status=Status.IN_REVIEW).values_list("marker", flat=True))
    assert markers == ["red", "yellow"]
    assert Notice.objects.filter(kind=NoticeKind.DECISION).count() == 1
    assert Message.objects.filter(template_code="application_receipt").count() == 6
    for application in Application.objects.all():
        assert application.timeline.exists()
        assert application.materials.exists()


def test_loading_again_adds_nothing(demo):
    applications_demo.load()
    count = Application.objects.count()
    assert applications_demo.load() == 0
    assert Application.objects.count() == count
