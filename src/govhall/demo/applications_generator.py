"""Generated applications for ``manage.py generate_data`` (issue 7's benchmark: 10k and 1M).

Rows are written with ``bulk_create`` in batches, shaped like real ones: generated applicants,
published items (a tenth on the demo market regulator's items, so ``amr_acceptor``'s queue is long),
a mix of statuses with their stored deadlines and markers, two material rows and one or two
timeline rows each. Every material row points to the SAME stored file (a million files would
measure the disk, not the hall). Business numbers use the daily sequences from 90000 up, which the
live numbering (``numbers.py``, from 1) does not reach.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from govhall.accounts.models import User
from govhall.applications.models import Application, MaterialSubmission, Status, TimelineEntry
from govhall.applications.storage import private_storage
from govhall.catalog.models import MaterialRequirement, ServiceItem

USER_PREFIX = "GENP"
SHARED_FILE = "materials/generated/shared-material.pdf"
SHARED_PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
SEQUENCE_BASE = 90_000
AMR = "长春市市场监督管理局"
# status, share (of 100), has been accepted
MIX = (
    (Status.AWAITING_ACCEPTANCE, 30, False),
    (Status.CORRECTION_REQUESTED, 10, False),
    (Status.IN_REVIEW, 30, True),
    (Status.SUSPENDED, 5, True),
    (Status.CONCLUDED, 25, True),
)
STATUSES = [status for status, share, _accepted in MIX for _ in range(share)]
ACCEPTED = {status for status, _share, accepted in MIX if accepted}


def target(size: int) -> int:
    """Applications need published items (``load_demo`` or the catalog generator): else nothing."""
    return size if ServiceItem.objects.filter(published_version__isnull=False).exists() else 0


def existing() -> int:
    return Application.objects.filter(applicant__username__startswith=USER_PREFIX).count()


def _shared_file() -> str:
    storage = private_storage()
    if not storage.exists(SHARED_FILE):
        storage.save(SHARED_FILE, ContentFile(SHARED_PDF))
    return SHARED_FILE


def _items() -> list[tuple[ServiceItem, int, bool]]:
    """(item, its first material requirement, on the demo regulator) for published items."""
    items = list(ServiceItem.objects.filter(published_version__isnull=False).select_related("department"))
    firsts = dict(
        MaterialRequirement.objects.filter(version_id__in=[item.published_version_id for item in items])
        .order_by("version_id", "-order")
        .values_list("version_id", "pk")
    )
    return [
        (item, firsts[item.published_version_id], item.department.name == AMR)
        for item in items
        if item.published_version_id in firsts
    ]


def _marker(due: datetime.date, today: datetime.date) -> str:
    return "red" if due < today else "yellow" if (due - today).days <= 1 else "green"


def _application(ctx: Any, index: int, item: ServiceItem, applicant: int, today: datetime.date) -> Application:
    rng = ctx.rng
    status = STATUSES[index % len(STATUSES)]
    # The day comes from the index, the sequence too: (item, day, sequence) is unique per index
    # for 3.65 million rows.
    days_back = 1 + (index // 10_000) % 365
    submitted = ctx.now - datetime.timedelta(days=days_back, seconds=rng.randrange(86400))
    day = (ctx.now - datetime.timedelta(days=days_back)).date()
    accepted = submitted + datetime.timedelta(hours=rng.randrange(1, 72)) if status in ACCEPTED else None
    acceptance_due = day + datetime.timedelta(days=7)
    decision_due = (accepted.date() + datetime.timedelta(days=14)) if accepted else None
    if status == Status.AWAITING_ACCEPTANCE:  # the queue: mostly recent, some late
        acceptance_due = today + datetime.timedelta(days=rng.randrange(-2, 8))
    running_due = decision_due or acceptance_due
    return Application(
        business_number=f"{item.implementation_code}{day:%Y%m%d}{SEQUENCE_BASE + index % 10_000}",
        applicant_id=applicant,
        acting_person_id=applicant,
        item=item,
        department_id=item.department_id,
        version_id=item.published_version_id,
        status=status,
        current_stage=1 if status in (Status.IN_REVIEW, Status.SUSPENDED) else 0,
        form_data={"applicant_name": "生成数据", "has_agent": "no"},
        submitted_at=submitted,
        received_at=submitted,
        accepted_at=accepted,
        acceptance_due=acceptance_due,
        decision_due=decision_due,
        statutory_due=decision_due,
        marker=_marker(running_due, today) if status != Status.CONCLUDED else "green",
        closed_at=accepted + datetime.timedelta(days=5) if status == Status.CONCLUDED else None,
    )


def _dependants(application: Application, requirement: int, file_name: str) -> tuple[list, list]:
    materials = [
        MaterialSubmission(
            application=application,
            requirement_id=requirement,
            file=file_name,
            original_name=f"材料{n}.pdf",
            sha256="0" * 64,
            size=len(SHARED_PDF),
            content_type="application/pdf",
            uploaded_by_id=application.applicant_id,
        )
        for n in (1, 2)
    ]
    timeline = [
        TimelineEntry(
            application=application,
            at=application.submitted_at,
            actor_id=application.applicant_id,
            role="applicant",
            action="submitted",
            from_status=Status.DRAFT,
            to_status=Status.AWAITING_ACCEPTANCE,
        )
    ]
    if application.accepted_at:
        timeline.append(
            TimelineEntry(
                application=application,
                at=application.accepted_at,
                role="acceptor",
                scope_label=application.item.department.name,
                action="accepted",
                from_status=Status.AWAITING_ACCEPTANCE,
                to_status=application.status,
            )
        )
    return materials, timeline


def generate(ctx: Any, start: int, count: int, batches: Callable[[int, int, int], Iterator[range]]) -> int:
    """Write ``count`` applications numbered from ``start``; applicants are generated persons."""
    generated = User.objects.filter(username__startswith=USER_PREFIX).order_by("pk")
    applicants = list(generated.values_list("pk", flat=True)[:50_000])
    items = _items()
    if not applicants or not items:
        ctx.write("  applications: no generated applicants or published items, skipped")
        return 0
    amr = [entry for entry in items if entry[2]] or items
    file_name, today, written = _shared_file(), ctx.now.date(), 0
    for indexes in batches(start, count, ctx.batch_size):
        rows, requirements = [], []
        for index in indexes:
            item, requirement, _on_amr = amr[index % len(amr)] if index % 10 == 0 else items[index % len(items)]
            rows.append(_application(ctx, index, item, applicants[index % len(applicants)], today))
            requirements.append(requirement)
        with transaction.atomic():
            created = Application.objects.bulk_create(rows)
            materials, timeline = [], []
            for application, requirement in zip(created, requirements, strict=True):
                more_materials, more_timeline = _dependants(application, requirement, file_name)
                materials += more_materials
                timeline += more_timeline
            MaterialSubmission.objects.bulk_create(materials)
            TimelineEntry.objects.bulk_create(timeline)
        written += len(created)
        ctx.write(f"  applications: {written}/{count}")
    return written
