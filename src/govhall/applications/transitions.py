"""The one way an application changes status: lock, check the table, write, append the timeline.

Licensing Law and regulation Art. 20 (who acted, in which role, within which scope). Two staff
acting on the same application at once: the second waits for the row lock, then finds the status
changed and gets "该申请已被他人处理，请刷新后重试" instead of a second transition.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.accounts.models import Role

from .models import ALLOWED_TRANSITIONS, Application, Notice, Status, TimelineEntry

CONFLICT = "该申请已被他人处理，请刷新后重试"


def lock(application: Application | int, *, expected: str | None = None) -> Application:
    """The application row locked for this transaction, with what the services read.

    ``expected``: the status the caller saw (e.g. on the page it acted from); if it changed in the
    meantime the action is refused as a conflict."""
    pk = application if isinstance(application, int) else application.pk
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("item__department", "version", "applicant", "acting_person")
        .get(pk=pk)
    )
    if expected is not None and locked.status != expected:
        raise ValidationError(_(CONFLICT), code="conflict")
    return locked


def check(application: Application, target: str) -> None:
    """Refuse a change the table does not allow (a stale page: the conflict message)."""
    if target not in ALLOWED_TRANSITIONS[application.status]:
        raise ValidationError(_(CONFLICT), code="conflict")


def _scope_label(application: Application, role: str) -> str:
    """Who answers for the step: the centre for the comprehensive window (Art. 9: it accepts on the
    department's behalf), otherwise the department; nobody for the applicant's own steps."""
    if not role or role == "applicant":
        return ""
    if role == Role.WINDOW_STAFF and application.intake_centre_id:
        return application.intake_centre.name
    return application.item.department.name


def append(
    application: Application,
    action: str,
    *,
    by: Any,
    from_status: str,
    role: str = "",
    comment: str = "",
    notice: Notice | None = None,
    at: datetime.datetime | None = None,
) -> TimelineEntry:
    """Append one timeline row (also for actions that keep the status, e.g. an extension)."""
    from .assignment import after_action

    actor = by if getattr(by, "pk", None) else None
    entry = TimelineEntry.objects.create(
        application=application,
        at=at or timezone.now(),
        actor=actor,
        role=role,
        scope_label=_scope_label(application, role),
        action=action,
        from_status=from_status,
        to_status=application.status,
        stage=application.current_stage if application.status == Status.IN_REVIEW else None,
        comment=comment,
        notice=notice,
    )
    after_action(entry)  # who holds it (issue 8): the holder's claim moves on, or the holding ends
    return entry


def transition(
    application: Application,
    target: str,
    *,
    by: Any,
    action: str,
    role: str = "",
    comment: str = "",
    notice: Notice | None = None,
    at: datetime.datetime | None = None,
    extra_fields: tuple[str, ...] = (),
) -> TimelineEntry:
    """Move a LOCKED application (see :func:`lock`) to ``target`` and record it; saves ``status``
    and ``extra_fields``. Raises the conflict ``ValidationError`` when the table forbids it."""
    check(application, target)
    before = application.status
    application.status = target
    application.save(update_fields=["status", *extra_fields, "updated_at"])
    return append(application, action, by=by, from_status=before, role=role, comment=comment, notice=notice, at=at)
