"""Every change to accounts: one transaction each, permission-checked and audited."""

from __future__ import annotations

import contextlib
import datetime
import secrets
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.accounts.models import (
    ROLE_SCOPE,
    RoleAssignment,
    ScopeKind,
    User,
    UserKind,
)
from govhall.core.audit.services import record
from govhall.core.crypto import blind_index
from govhall.core.permissions import ensure_permission
from govhall.core.ratelimit import hit
from govhall.core.validators import (
    IdentityDocumentType,
    validate_mobile,
    validate_person_name,
)
from govhall.directory.models import Department, Region, ServiceCentre

LOGIN_MAX_FAILURES = 5
LOGIN_LOCK_MINUTES = 15
LOGIN_IP_LIMIT_PER_HOUR = 100


def mobile_hash(mobile: str) -> str:
    return blind_index(mobile, "mobile")


def document_hash(document_type: str, number: str) -> str:
    return blind_index(f"{document_type}:{number}", "identity")


def new_account_number(prefix: str) -> str:
    """Applicants' account numbers (P… / E…): random, so they reveal nothing about the person."""
    return prefix + secrets.token_hex(6).upper()


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    message: str = ""


def find_applicant(identifier: str) -> User | None:
    """Resolve what an applicant typed: account number, mobile, resident ID or USCC."""
    value = identifier.strip()
    candidates = User.objects.filter(kind__in=[UserKind.PERSON, UserKind.ENTERPRISE])
    user = candidates.filter(username=value).first()
    if user is None:
        with contextlib.suppress(ValidationError):
            user = candidates.filter(mobile_hash=mobile_hash(validate_mobile(value))).first()
    if user is None:
        upper = value.upper()
        user = candidates.filter(person__document_hash=document_hash(IdentityDocumentType.RESIDENT_ID, upper)).first()
        user = user or candidates.filter(enterprise__uscc=upper).first()
    return user


def _ip_limited(request: HttpRequest) -> bool:
    """Per-IP login attempts in the shared cache, so the limit holds across server processes."""
    return hit(f"login-ip:{getattr(request, 'client_ip', '')}", 3600) > LOGIN_IP_LIMIT_PER_HOUR


def authenticate_applicant(request: HttpRequest, identifier: str, password: str) -> LoginResult:
    """Password login for applicants, with lockout after repeated failures (audited)."""
    generic = _("账号或密码错误。")
    if _ip_limited(request):
        return LoginResult(None, _("登录尝试过于频繁，请一小时后再试。"))
    user = find_applicant(identifier)
    if user is None:
        User().set_password(password)  # same work as a real check: no timing oracle for accounts
        return LoginResult(None, generic)
    now = timezone.now()
    if user.locked_until and user.locked_until > now:
        return LoginResult(None, _("密码错误次数过多，账号已锁定至%(time)s。") % {"time": _local(user.locked_until)})
    if not user.is_active or user.cancelled_at is not None:
        return LoginResult(None, generic)
    if not user.check_password(password):
        register_failed_login(user, request)
        return LoginResult(None, generic)
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None, last_login=now)
    record(user, "account.login", user, request=request)
    return LoginResult(user)


@transaction.atomic
def register_failed_login(user: User, request: HttpRequest | None = None) -> None:
    """Count a failure; the fifth in a row locks the account for 15 minutes (audited)."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
    locked.refresh_from_db(fields=["failed_logins"])
    record(None, "account.login_failed", locked, request=request, after={"failed_logins": locked.failed_logins})
    if locked.failed_logins >= LOGIN_MAX_FAILURES:
        until = timezone.now() + datetime.timedelta(minutes=LOGIN_LOCK_MINUTES)
        User.objects.filter(pk=user.pk).update(locked_until=until, failed_logins=0)
        record(None, "account.locked", locked, request=request, after={"locked_until": until.isoformat()})


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


@transaction.atomic
def create_staff(*, username: str, name: str, password: str, by: User | None, email: str = "") -> User:
    """Create a staff account; only the city office (or the demo loader / createsuperuser) may."""
    if by is not None:
        ensure_permission(by, "accounts.manage_staff")
    name = validate_person_name(name)
    validate_password(password, User(username=username, name=name))
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("该账号已存在。")})
    user = User(username=username, name=name, email=email, kind=UserKind.STAFF)
    user.set_password(password)
    user.save()
    record(by, "staff.created", user, after={"username": username, "name": name})
    return user


def _scope_kwargs(role: str, scope: Department | Region | ServiceCentre) -> dict:
    expected = ROLE_SCOPE[role]
    actual = {
        Department: ScopeKind.DEPARTMENT,
        Region: ScopeKind.REGION,
        ServiceCentre: ScopeKind.CENTRE,
    }.get(type(scope))
    if actual != expected:
        raise ValidationError({"scope": _("该角色只能授权到%(kind)s。") % {"kind": ScopeKind(expected).label}})
    return {expected: scope}


@transaction.atomic
def assign_role(
    user: User, role: str, scope: Department | Region | ServiceCentre, *, by: User | None
) -> RoleAssignment:
    """Grant ``role`` within ``scope``; the grantor must administer that scope (rules.py)."""
    if by is not None:
        ensure_permission(by, "accounts.assign_role", scope)
    if user.kind != UserKind.STAFF:
        raise ValidationError({"user": _("只能为工作人员授权角色。")})
    kwargs = _scope_kwargs(role, scope)
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, revoked_at=None, **kwargs, defaults={"granted_by": by}
    )
    if created:
        record(
            by,
            "role.assigned",
            assignment,
            after={"user": user.username, "role": role, "scope": assignment.scope_key},
        )
    return assignment


# Open work a role assignment is responsible for (issue 8, Art. 23 交接): domains above accounts
# (applications: the open applications a person holds) register a provider from their
# ``AppConfig.ready``, so accounts imports none of them. A provider has ``label``,
# ``count(assignment) -> int`` and ``hand_over(assignment, to, *, by, reason) -> int``.
OPEN_WORK_PROVIDERS: list = []


def register_open_work(provider) -> None:
    if provider not in OPEN_WORK_PROVIDERS:
        OPEN_WORK_PROVIDERS.append(provider)


def open_work(assignment: RoleAssignment) -> list[tuple[str, int]]:
    """(label, count) of the work that would be left without a responsible person if it ended."""
    return [(str(p.label), n) for p in OPEN_WORK_PROVIDERS if (n := p.count(assignment))]


@transaction.atomic
def revoke_role(assignment_id: int, *, by: User, reason: str = "", handover_to: User | None = None) -> RoleAssignment:
    """End a role assignment. Refused while the person holds open work in its scope, unless
    ``handover_to`` is given: then that work is handed over in the same transaction."""
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment_id)
    ensure_permission(by, "accounts.assign_role", assignment.department or assignment.region or assignment.centre)
    pending = open_work(assignment) if assignment.revoked_at is None else []
    if pending and handover_to is None:
        raise ValidationError(
            {
                "handover_to": [
                    _("%(name)s仍承办%(count)d件%(label)s，请先交接或指定交接人后再撤销角色。")
                    % {"name": assignment.user.name, "count": count, "label": label}
                    for label, count in pending
                ]
            },
            code="open_work",
        )
    for provider in OPEN_WORK_PROVIDERS if pending else []:
        provider.hand_over(assignment, handover_to, by=by, reason=reason)
    if assignment.revoked_at is None:
        assignment.revoked_at = timezone.now()
        assignment.save(update_fields=["revoked_at"])
        record(by, "role.revoked", assignment, reason=reason, before={"scope": assignment.scope_key})
    return assignment


def reveal_personal_data(target: User, *, by: User, reason: str, request: HttpRequest | None = None) -> dict[str, str]:
    """Show a staff member an applicant's unmasked numbers: permitted, reasoned, and audited
    (regulation Art. 20(6): no leaking of personal privacy; every read leaves a trace)."""
    ensure_permission(by, "accounts.view_unmasked", target)
    if not reason.strip():
        raise ValidationError({"reason": _("请说明查看完整信息的事由。")})
    values = {"mobile": target.mobile}
    profile = getattr(target, "person", None) if target.kind == UserKind.PERSON else None
    if profile is not None:
        values["document_number"] = profile.document_number
    record(
        by, "personal_data.revealed", target, reason=reason.strip(), request=request, after={"fields": sorted(values)}
    )
    return values
