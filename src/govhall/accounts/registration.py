"""Self-service account life cycle: registration, password reset, operators, cancellation.

Real-name registration (STANDARDS.md): a natural person gives name, identity document and a mobile
number proven by SMS code; a legal person gives its USCC and its legal representative's identity.
Consent to the current privacy notice is recorded (Personal Information Protection Law Art. 14).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.accounts import queries
from govhall.accounts.identity.base import get_verifier
from govhall.accounts.models import (
    CodePurpose,
    Consent,
    EnterpriseProfile,
    OperatorAuthorisation,
    PersonProfile,
    PrivacyNotice,
    User,
    UserKind,
)
from govhall.accounts.services import document_hash, find_applicant, mobile_hash, new_account_number
from govhall.accounts.verification import check_code, request_code
from govhall.core.audit.services import record
from govhall.core.validators import (
    validate_identity_document,
    validate_mobile,
    validate_person_name,
    validate_uscc,
)

MAX_OPERATOR_YEARS = 3


@dataclass(frozen=True)
class PersonIdentity:
    name: str
    document_type: str
    document_number: str


def _collect(errors: dict[str, list[str]], field: str, validate, *args):
    try:
        return validate(*args)
    except ValidationError as exc:
        errors.setdefault(field, []).extend(exc.messages)
        return None


def send_code(mobile: str, purpose: str, *, ip: str = "") -> None:
    """Queue an SMS code. Registration refuses a number already registered; a password reset for
    an unknown number answers exactly as for a known one but sends nothing (no account probing)."""
    mobile = validate_mobile(mobile)
    registered = User.objects.filter(mobile_hash=mobile_hash(mobile)).exists()
    if purpose == CodePurpose.REGISTER and registered:
        raise ValidationError(_("该手机号码已注册，请直接登录或找回密码。"))
    deliver = registered or purpose == CodePurpose.REGISTER
    request_code(mobile, purpose, ip=ip, deliver=deliver)


def current_notice() -> PrivacyNotice:
    notice = queries.current_notice()
    if notice is None:
        raise ValidationError(_("隐私政策尚未发布，暂不能注册。"))
    return notice


def _check_password(password: str, password2: str, errors: dict, user: User) -> None:
    if password != password2:
        errors.setdefault("password2", []).append(_("两次输入的密码不一致。"))
    _collect(errors, "password", validate_password, password, user)


def _check_unique(errors: dict, mobile: str | None, document_type: str, number: str | None) -> None:
    if mobile and User.objects.filter(mobile_hash=mobile_hash(mobile)).exists():
        errors.setdefault("mobile", []).append(_("该手机号码已注册，请直接登录或找回密码。"))
    if number and PersonProfile.objects.filter(document_hash=document_hash(document_type, number)).exists():
        errors.setdefault("document_number", []).append(_("该证件号码已注册，请直接登录或找回密码。"))


def _create_user(kind: str, name: str, mobile: str, password: str) -> User:
    user = User(
        username=new_account_number("P" if kind == UserKind.PERSON else "E"),
        kind=kind,
        name=name,
        mobile=mobile,
        mobile_hash=mobile_hash(mobile),
        mobile_verified_at=timezone.now(),
    )
    user.set_password(password)
    user.save()
    return user


def register_person(
    *,
    name: str,
    document_type: str,
    document_number: str,
    mobile: str,
    code: str,
    password: str,
    password2: str,
    consent: bool,
    ip: str = "",
) -> User:
    """Validate everything first (nothing written), then spend the SMS code, then create."""
    errors: dict[str, list[str]] = {}
    name = _collect(errors, "name", validate_person_name, name)
    number = _collect(errors, "document_number", validate_identity_document, document_type, document_number)
    mobile = _collect(errors, "mobile", validate_mobile, mobile)
    _check_password(password, password2, errors, User(name=name or ""))
    if not consent:
        errors.setdefault("consent", []).append(_("请阅读并同意隐私政策。"))
    _check_unique(errors, mobile, document_type, number)
    if errors:
        raise ValidationError(errors)
    notice = current_notice()
    result = get_verifier().verify_person(name, document_type, number)
    if not result.ok:
        raise ValidationError({"document_number": [result.message or _("实名核验未通过，请核对姓名与证件号码。")]})
    _spend_code(mobile, CodePurpose.REGISTER, code)
    return create_person(
        name=name,
        document_type=document_type,
        document_number=number,
        mobile=mobile,
        password=password,
        verified_by=get_verifier().identifier,
        notice=notice,
        ip=ip,
    )


def create_person(
    *,
    name: str,
    document_type: str,
    document_number: str,
    mobile: str,
    password: str,
    verified_by: str,
    notice: PrivacyNotice | None = None,
    ip: str = "",
) -> User:
    """Write a validated natural person (the registration flow, or the demo loader)."""
    try:
        with transaction.atomic():
            user = _create_user(UserKind.PERSON, name, mobile, password)
            PersonProfile.objects.create(
                user=user,
                document_type=document_type,
                document_number=document_number,
                document_hash=document_hash(document_type, document_number),
                verified_at=timezone.now(),
                verified_by=verified_by,
            )
            if notice is not None:
                Consent.objects.create(user=user, notice=notice, ip=ip or None)
            record(user, "account.registered", user, after={"kind": user.kind, "document_type": document_type})
    except IntegrityError as exc:  # a concurrent registration with the same number won
        raise ValidationError({"document_number": [_("该证件或手机号码已注册。")]}) from exc
    return user


def register_enterprise(
    *,
    name: str,
    uscc: str,
    representative: str,
    document_type: str,
    document_number: str,
    mobile: str,
    code: str,
    password: str,
    password2: str,
    consent: bool,
    ip: str = "",
) -> User:
    """A legal person registers with its USCC (checksum enforced: no override for self-service)."""
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("请填写单位名称。")]
    uscc = _collect(errors, "uscc", validate_uscc, uscc)
    representative = _collect(errors, "representative", validate_person_name, representative)
    number = _collect(errors, "document_number", validate_identity_document, document_type, document_number)
    mobile = _collect(errors, "mobile", validate_mobile, mobile)
    _check_password(password, password2, errors, User(name=name))
    if not consent:
        errors.setdefault("consent", []).append(_("请阅读并同意隐私政策。"))
    if mobile and User.objects.filter(mobile_hash=mobile_hash(mobile)).exists():
        errors.setdefault("mobile", []).append(_("该手机号码已注册，请直接登录或找回密码。"))
    if uscc and EnterpriseProfile.objects.filter(uscc=uscc).exists():
        errors.setdefault("uscc", []).append(_("该统一社会信用代码已注册。"))
    if errors:
        raise ValidationError(errors)
    notice = current_notice()
    result = get_verifier().verify_enterprise(uscc, name.strip(), representative, document_type, number)
    if not result.ok:
        raise ValidationError({"uscc": [result.message or _("企业信息核验未通过。")]})
    _spend_code(mobile, CodePurpose.REGISTER, code)
    try:
        with transaction.atomic():
            user = _create_user(UserKind.ENTERPRISE, name.strip(), mobile, password)
            EnterpriseProfile.objects.create(
                user=user,
                uscc=uscc,
                legal_representative=representative,
                representative_document_type=document_type,
                representative_document_number=number,
                representative_document_hash=document_hash(document_type, number),
                verified_at=timezone.now(),
            )
            Consent.objects.create(user=user, notice=notice, ip=ip or None)
            record(user, "account.registered", user, after={"kind": user.kind, "uscc": uscc})
    except IntegrityError as exc:
        raise ValidationError({"uscc": [_("该统一社会信用代码或手机号码已注册。")]}) from exc
    return user


def _spend_code(mobile: str, purpose: str, code: str) -> None:
    try:
        check_code(mobile, purpose, code)
    except ValidationError as exc:
        raise ValidationError({"code": exc.messages}) from exc


def reset_password(*, mobile: str, code: str, password: str, password2: str) -> User:
    errors: dict[str, list[str]] = {}
    mobile = _collect(errors, "mobile", validate_mobile, mobile)
    user = find_applicant(mobile) if mobile else None
    _check_password(password, password2, errors, user or User())
    if errors:
        raise ValidationError(errors)
    _spend_code(mobile, CodePurpose.RESET_PASSWORD, code)
    if user is None:  # the code was never sent; the same answer as a wrong code
        raise ValidationError({"code": [_("请先获取短信验证码。")]})
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.set_password(password)
        locked.failed_logins = 0
        locked.locked_until = None
        locked.save(update_fields=["password", "failed_logins", "locked_until"])
        record(locked, "account.password_reset", locked)
    return locked


@transaction.atomic
def authorise_operator(
    enterprise_user: User, *, identifier: str, scope: str, valid_until: datetime.datetime
) -> OperatorAuthorisation:
    """An enterprise authorises a registered person as its operator (经办人) until a date."""
    enterprise = EnterpriseProfile.objects.select_for_update().filter(user=enterprise_user).first()
    if enterprise is None:
        raise ValidationError(_("只有法人账号可以授权经办人。"))
    operator = find_applicant(identifier)
    if operator is None or operator.kind != UserKind.PERSON or not operator.is_active:
        raise ValidationError({"identifier": [_("未找到该实名注册的个人用户，请对方先注册。")]})
    now = timezone.now()
    if valid_until <= now:
        raise ValidationError({"valid_until": [_("授权截止时间应晚于当前时间。")]})
    if valid_until > now + datetime.timedelta(days=365 * MAX_OPERATOR_YEARS):
        raise ValidationError({"valid_until": [_("授权期限最长%(n)d年。") % {"n": MAX_OPERATOR_YEARS}]})
    if enterprise.operators.filter(operator=operator, revoked_at__isnull=True).exists():
        raise ValidationError({"identifier": [_("该用户已是本单位的经办人。")]})
    authorisation = OperatorAuthorisation.objects.create(
        enterprise=enterprise, operator=operator, scope=scope, valid_until=valid_until
    )
    record(
        enterprise_user,
        "operator.authorised",
        authorisation,
        after={"operator": operator.username, "scope": scope, "valid_until": valid_until.isoformat()},
    )
    return authorisation


@transaction.atomic
def revoke_operator(enterprise_user: User, authorisation_id: int) -> OperatorAuthorisation:
    authorisation = OperatorAuthorisation.objects.select_for_update().get(
        pk=authorisation_id, enterprise__user=enterprise_user
    )
    if authorisation.revoked_at is None:
        authorisation.revoked_at = timezone.now()
        authorisation.save(update_fields=["revoked_at"])
        record(enterprise_user, "operator.revoked", authorisation)
    return authorisation


@transaction.atomic
def cancel_account(user: User, *, password: str, reason: str = "") -> User:
    """Account cancellation (注销): personal data that the law lets us delete is deleted or
    anonymised; audit events and (later) application records are kept as the archive law requires."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not locked.is_applicant:
        raise ValidationError(_("工作人员账号由管理员停用。"))
    if not locked.check_password(password):
        raise ValidationError({"password": [_("密码错误。")]})
    OperatorAuthorisation.objects.filter(operator=locked, revoked_at__isnull=True).update(revoked_at=timezone.now())
    OperatorAuthorisation.objects.filter(enterprise__user=locked, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    PersonProfile.objects.filter(user=locked).delete()
    EnterpriseProfile.objects.filter(user=locked).delete()
    locked.name = _("已注销用户")
    locked.mobile = ""
    locked.mobile_hash = None
    locked.email = ""
    locked.is_active = False
    locked.cancelled_at = timezone.now()
    locked.set_unusable_password()
    locked.save()
    record(locked, "account.cancelled", locked, reason=reason)
    return locked
