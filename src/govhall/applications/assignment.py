"""Who holds an application: claims from a shared queue, reassignment by the department admin and
handover when a person changes post (issue 8 item 4; regulation Art. 23: 交接 — open work is handed
over, never stranded).

A **claim** marks who works on an application; it lapses ``APPLICATIONS_CLAIM_MINUTES`` after the
claim or the holder's last action on the application (:func:`after_action` moves the expiry on), so
an expired claim counts as unclaimed at once (:func:`live_q`) and the sweep records the lapse
(:func:`expire_claims`). An **assignment** by the department admin (reassignment, handover) has no
expiry. Whenever an action leaves the application in a status where its holder may no longer act
(e.g. the acceptor accepted it: now it waits for the review stage's role), the holding ends and it
returns to the shared queue of the next step. Holding does not lock colleagues out of acting.

Every move (claimed, released, claim_expired, reassigned, handed_over, holding_ended) is appended
to the timeline (the status stays) and to the audit trail. Conflicts are row locks plus the holder
the caller saw (``expected``): of two admins reassigning the same application, the second gets
"该申请已被他人处理，请刷新后重试".
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.accounts.models import Role, User, UserKind
from govhall.core.audit.services import record
from govhall.core.permissions import ensure_permission
from govhall.directory.models import Department

from .models import OPEN_STATUSES, Application
from .rules import acting_roles
from .transitions import append

MOVES = frozenset({"claimed", "released", "claim_expired", "reassigned", "handed_over", "holding_ended"})


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def claim_window() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.APPLICATIONS_CLAIM_MINUTES)


def live_q(now: datetime.datetime | None = None, prefix: str = "") -> Q:
    """Rows whose holding is in force: an assignment, or a claim not yet expired."""
    return Q(**{f"{prefix}assignee__isnull": False}) & (
        Q(**{f"{prefix}claim_expires_at__isnull": True}) | Q(**{f"{prefix}claim_expires_at__gt": _now(now)})
    )


def holder_id(application: Application, now: datetime.datetime | None = None) -> int | None:
    """The user holding the application now; an expired claim counts as unclaimed."""
    if application.assignee_id is None:
        return None
    if application.claim_expires_at is not None and application.claim_expires_at <= _now(now):
        return None
    return application.assignee_id


def holder(application: Application, now: datetime.datetime | None = None) -> User | None:
    return application.assignee if holder_id(application, now) else None


def may_act(user: Any, application: Application) -> bool:
    """Holds a role, in the application's department, that may act on it in its current status."""
    return any(user.has_role(role, department=application.department_id) for role in acting_roles(application))


def _role_for(user: Any, application: Application) -> str:
    return next(
        (
            role
            for role in sorted(acting_roles(application))
            if user.has_role(role, department=application.department_id)
        ),
        "",
    )


def _scope(application: Application) -> str:
    return f"department:{application.department_id}"


def _hold(application: Application, user: Any, at: datetime.datetime, *, expires: datetime.datetime | None) -> None:
    application.assignee, application.assigned_at, application.claim_expires_at = user, at, expires
    application.save(update_fields=["assignee", "assigned_at", "claim_expires_at", "updated_at"])


def _clear(application: Application) -> None:
    application.assignee, application.assigned_at, application.claim_expires_at = None, None, None
    application.save(update_fields=["assignee", "assigned_at", "claim_expires_at", "updated_at"])


def _lock(pks: Iterable[int]) -> list[Application]:
    """The rows locked in primary-key order (two batches locking overlapping rows cannot deadlock).
    The assignee is not joined: after waiting for a lock PostgreSQL re-reads the locked row only,
    so a joined assignee would be the one from before the wait."""
    return list(
        Application.objects.select_for_update(of=("self",))
        .select_related("item__department", "version")
        .filter(pk__in=list(pks))
        .order_by("pk")
    )


def _move(
    application: Application,
    action: str,
    *,
    by: Any,
    comment: str = "",
    role: str = "",
    at: datetime.datetime | None = None,
    **audit: Any,
) -> None:
    append(application, action, by=by, from_status=application.status, role=role, comment=comment, at=at)
    record(
        by if getattr(by, "pk", None) else "system",
        f"applications.{action}",
        application,
        scope=_scope(application),
        role=role,
        **audit,
    )


def _names(applications: Iterable[Application]) -> str:
    return ", ".join(a.business_number or str(a.uid) for a in applications)


# --- claims ---------------------------------------------------------------------------------------


@transaction.atomic
def claim(application: Application | int, by: Any, *, now: datetime.datetime | None = None) -> Application:
    """Take an application from the shared queue of its current step (claiming one's own claim again
    moves its expiry on). Held by someone else → a clear conflict, nothing changes."""
    now = _now(now)
    (application,) = _lock([application if isinstance(application, int) else application.pk])
    ensure_permission(by, "applications.claim", application)
    current = holder_id(application, now)
    if current is not None and current != by.pk:
        raise ValidationError(
            _("该申请已由%(name)s认领或承办，请刷新后重试。") % {"name": application.assignee.name}, code="conflict"
        )
    if application.assignee_id and current is None:
        _expire(application, now)
    expires = (
        application.claim_expires_at
        if current == by.pk and application.claim_expires_at is None
        else now + claim_window()
    )
    _hold(application, by, application.assigned_at if current == by.pk else now, expires=expires)
    role = _role_for(by, application)
    _move(
        application, "claimed", by=by, role=role, at=now, after={"expires_at": expires.isoformat() if expires else None}
    )
    return application


@transaction.atomic
def release(application: Application | int, by: Any, *, now: datetime.datetime | None = None) -> Application:
    """The holder gives the application back to the shared queue."""
    now = _now(now)
    (application,) = _lock([application if isinstance(application, int) else application.pk])
    if holder_id(application, now) != getattr(by, "pk", None):
        raise ValidationError(_("只有认领人可以释放该申请，请刷新后重试。"), code="not_holder")
    _clear(application)
    _move(application, "released", by=by, role=_role_for(by, application), at=now)
    return application


def _expire(application: Application, now: datetime.datetime) -> None:
    """Record the lapse of a claim (the holder did not act within the window) and clear it."""
    lapsed = application.assignee
    _clear(application)
    _move(
        application,
        "claim_expired",
        by=None,
        at=now,
        comment=_("%(name)s的认领已超时失效。") % {"name": lapsed.name},
        before={"assignee": lapsed.username},
    )


def expire_claims(now: datetime.datetime | None = None) -> int:
    """The sweep: clear and record every claim past its expiry (each its own short transaction; a
    claim renewed meanwhile is skipped)."""
    now = _now(now)
    due = Application.objects.filter(claim_expires_at__lte=now).values_list("pk", flat=True)
    expired = 0
    for pk in list(due):
        with transaction.atomic():
            rows = _lock([pk])
            if rows and rows[0].claim_expires_at is not None and rows[0].claim_expires_at <= now:
                _expire(rows[0], now)
                expired += 1
    return expired


def after_action(entry: Any) -> None:
    """Called for every timeline entry (``transitions.append``), the row locked by the caller: the
    holder acting moves the claim's expiry on; a holder who may no longer act in the new status (or
    a closed application) lets go, so the next step's queue sees it unclaimed."""
    application = entry.application
    if application.assignee_id is None or entry.action in MOVES:
        return
    assignee = application.assignee
    if not may_act(assignee, application):
        _clear(application)
        _move(
            application,
            "holding_ended",
            by=None,
            at=entry.at,
            comment=_("已转入下一办理环节，%(name)s不再承办。") % {"name": assignee.name},
            before={"assignee": assignee.username},
        )
    elif entry.actor_id == assignee.pk and application.claim_expires_at is not None:
        application.claim_expires_at = timezone.now() + claim_window()
        application.save(update_fields=["claim_expires_at"])


# --- reassignment and handover by the department admin ------------------------------------------


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写改派或交接的理由。")}, code="reason_required")
    return reason


def _check_colleague(to: Any, applications: list[Application]) -> None:
    if to is None or getattr(to, "kind", None) != UserKind.STAFF or not to.is_active:
        raise ValidationError({"to": _("请选择本部门的工作人员。")}, code="target")
    unfit = [a for a in applications if not may_act(to, a)]
    if unfit:
        raise ValidationError(
            {
                "to": _("%(name)s不具备办理以下申请当前环节的角色：%(numbers)s。")
                % {"name": to.name, "numbers": _names(unfit)}
            },
            code="target_role",
        )


@transaction.atomic
def reassign(
    applications: Iterable[Application | int],
    to: Any,
    *,
    by: Any,
    reason: str,
    expected: Mapping[int, int | None] | None = None,
    now: datetime.datetime | None = None,
) -> list[Application]:
    """The department admin assigns one or many applications to a colleague who may act on each
    (no expiry). ``expected``: application pk → the holder the admin saw (``None``: unclaimed); if
    any changed meanwhile the whole batch is refused as a conflict and nothing moves."""
    now = _now(now)
    reason = _reason(reason)
    pks = [a if isinstance(a, int) else a.pk for a in applications]
    rows = _lock(pks)
    if not rows:
        raise ValidationError(_("请选择要改派的申请。"), code="empty")
    for application in rows:
        ensure_permission(by, "applications.assign", application)
    closed = [a for a in rows if a.status not in OPEN_STATUSES]
    stale = [a for a in rows if expected is not None and a.pk in expected and holder_id(a, now) != expected[a.pk]]
    if closed or stale:
        raise ValidationError(
            _("以下申请已被他人处理，请刷新后重试：%(numbers)s。") % {"numbers": _names(closed + stale)},
            code="conflict",
        )
    _check_colleague(to, rows)
    for application in rows:
        before = application.assignee.username if holder_id(application, now) else None
        _hold(application, to, now, expires=None)
        _move(
            application,
            "reassigned",
            by=by,
            at=now,
            role=Role.DEPARTMENT_ADMIN,
            comment=_("改派给%(name)s：%(reason)s") % {"name": to.name, "reason": reason},
            reason=reason,
            before={"assignee": before},
            after={"assignee": to.username},
        )
    return rows


def held_by(user: Any, department: Department | int, now: datetime.datetime | None = None) -> QuerySet[Application]:
    """The open applications ``user`` holds in ``department`` (expired claims excluded)."""
    department_id = department if isinstance(department, int) else department.pk
    return Application.objects.filter(
        live_q(now), assignee=user, department_id=department_id, status__in=OPEN_STATUSES
    ).order_by("pk")


def _hand_over(
    rows: list[Application], holder_user: Any, to: Any, *, by: Any, reason: str, now: datetime.datetime
) -> int:
    if to is not None and to.pk == holder_user.pk:
        raise ValidationError({"to": _("请选择另一位工作人员接手。")}, code="target")
    _check_colleague(to, rows)
    for application in rows:
        _hold(application, to, now, expires=None)
        _move(
            application,
            "handed_over",
            by=by,
            at=now,
            role=Role.DEPARTMENT_ADMIN,
            comment=_("%(from)s交接给%(to)s：%(reason)s") % {"from": holder_user.name, "to": to.name, "reason": reason},
            reason=reason,
            before={"assignee": holder_user.username},
            after={"assignee": to.username},
        )
    return len(rows)


@transaction.atomic
def hand_over(
    holder_user: Any,
    to: Any,
    *,
    department: Department,
    by: Any,
    reason: str,
    now: datetime.datetime | None = None,
) -> int:
    """Everything ``holder_user`` holds in ``department`` goes to ``to`` in one transaction (Art. 23
    交接): all or nothing, each application once. Returns how many moved."""
    now = _now(now)
    ensure_permission(by, "applications.assign", department)
    reason = _reason(reason)
    rows = _lock(held_by(holder_user, department, now).values_list("pk", flat=True))
    return _hand_over(rows, holder_user, to, by=by, reason=reason, now=now)


# --- role removal (accounts.services.revoke_role asks through its open-work registry) ------------


def stranded_by(assignment: Any, now: datetime.datetime | None = None) -> list[Application]:
    """The open applications the person holds that nobody responsible would be left to act on once
    ``assignment`` ends: they hold them in its department and no other role of theirs there may act."""
    if not assignment.department_id:
        return []
    user = assignment.user
    others = {
        a.role for a in user.active_assignments if a.pk != assignment.pk and a.department_id == assignment.department_id
    }
    rows = held_by(user, assignment.department_id, now).select_related("version")
    return [a for a in rows if assignment.role in acting_roles(a) and not acting_roles(a) & others]


class OpenApplications:
    """The applications' provider of open work for ``accounts.services.revoke_role``."""

    label = _("未办结的申请")

    def count(self, assignment: Any) -> int:
        return len(stranded_by(assignment))

    def hand_over(self, assignment: Any, to: Any, *, by: Any, reason: str) -> int:
        """Inside the removal's transaction; accounts already checked ``by`` administers the scope."""
        now = timezone.now()
        rows = _lock(a.pk for a in stranded_by(assignment, now))
        return _hand_over(rows, assignment.user, to, by=by, reason=reason or _("角色撤销交接"), now=now)
