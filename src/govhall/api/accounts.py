"""Account endpoints for apps and mini-programs: CAPTCHA, SMS codes, registration, tokens, profile
and operators. The same services as the portal pages, so both faces always agree."""

from __future__ import annotations

import datetime

from captcha.helpers import captcha_image_url
from captcha.models import CaptchaStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import AuthenticationError

from govhall.accounts import mfa, queries, registration, tokens
from govhall.accounts import services as account_services
from govhall.accounts.models import OperatorScope, UserKind
from govhall.api.auth import AUTH

router = Router(tags=["accounts"])


class CaptchaOut(Schema):
    key: str
    image_url: str


class CodeIn(Schema):
    mobile: str
    purpose: str = "register"
    captcha_key: str
    captcha_value: str


class PersonIn(Schema):
    name: str
    document_type: str = "resident_id"
    document_number: str
    mobile: str
    code: str
    password: str
    password2: str
    consent: bool


class EnterpriseIn(PersonIn):
    uscc: str
    representative: str


class ResetIn(Schema):
    mobile: str
    code: str
    password: str
    password2: str


class TokenIn(Schema):
    identifier: str
    password: str
    otp: str = ""


class TokenOut(Schema):
    token: str
    expires_at: datetime.datetime


class ProfileOut(Schema):
    username: str
    kind: str
    name: str
    mobile: str
    document: str | None = None
    uscc: str | None = None

    @staticmethod
    def resolve_mobile(user) -> str:
        return user.masked_mobile

    @staticmethod
    def resolve_document(user) -> str | None:
        profile = getattr(user, "person", None) if user.kind == UserKind.PERSON else None
        return profile.masked_document_number if profile else None

    @staticmethod
    def resolve_uscc(user) -> str | None:
        return user.enterprise.uscc if user.kind == UserKind.ENTERPRISE else None


class OperatorIn(Schema):
    identifier: str
    scope: OperatorScope = OperatorScope.ALL
    valid_until: datetime.date


class OperatorOut(Schema):
    id: int
    operator_name: str
    operator_mobile: str
    scope: str
    valid_until: datetime.datetime
    revoked: bool

    @staticmethod
    def resolve_operator_name(obj) -> str:
        return obj.operator.name

    @staticmethod
    def resolve_operator_mobile(obj) -> str:
        return obj.operator.masked_mobile

    @staticmethod
    def resolve_revoked(obj) -> bool:
        return obj.revoked_at is not None


@router.get("/captcha", response=CaptchaOut, summary="获取图形验证码")
def new_captcha(request: HttpRequest):
    key = CaptchaStore.generate_key()
    return {"key": key, "image_url": captcha_image_url(key)}


def _check_captcha(key: str, value: str) -> None:
    """One use per challenge, like the portal form (django-simple-captcha's own store)."""
    CaptchaStore.remove_expired()
    found = CaptchaStore.objects.filter(hashkey=key, response=value.strip().lower()).delete()[0]
    if not found:
        raise ValidationError({"captcha_value": ["图形验证码错误，请重新获取。"]})


@router.post("/codes", response={202: dict}, summary="发送短信验证码")
def send_code(request: HttpRequest, payload: CodeIn):
    _check_captcha(payload.captcha_key, payload.captcha_value)
    try:
        registration.send_code(payload.mobile, payload.purpose, ip=request.client_ip)
    except ValidationError as error:
        raise ValidationError({"mobile": error.messages}) from error
    return Status(202, {"message": "验证码已发送，5分钟内有效。"})


@router.post("/register/person", response={201: ProfileOut}, summary="个人实名注册")
def register_person(request: HttpRequest, payload: PersonIn):
    return Status(201, registration.register_person(**payload.dict(), ip=request.client_ip))


@router.post("/register/enterprise", response={201: ProfileOut}, summary="法人实名注册")
def register_enterprise(request: HttpRequest, payload: EnterpriseIn):
    return Status(201, registration.register_enterprise(**payload.dict(), ip=request.client_ip))


@router.post("/password-reset", response={204: None}, summary="重置密码")
def reset_password(request: HttpRequest, payload: ResetIn):
    registration.reset_password(**payload.dict())
    return Status(204, None)


@router.post("/token", response={201: TokenOut}, summary="登录并获取接口令牌")
def obtain_token(request: HttpRequest, payload: TokenIn):
    """Applicants: identifier + password. Staff: username + password + TOTP code (never less)."""
    result = account_services.authenticate_applicant(request, payload.identifier, payload.password)
    user = result.user
    if user is None:
        staff = mfa.check_staff_password(request, payload.identifier, payload.password)
        if staff.user is None or not payload.otp or mfa.verify_second_factor(staff.user, payload.otp, request) is None:
            raise AuthenticationError(message=result.message or staff.message)
        user = staff.user
    raw, token = tokens.issue(user, name="api", request=request)
    return Status(201, {"token": raw, "expires_at": token.expires_at})


@router.get("/me", response=ProfileOut, auth=AUTH, summary="当前用户")
def me(request: HttpRequest):
    return request.auth


@router.get("/me/operators", response=list[OperatorOut], auth=AUTH, summary="经办人列表")
def list_operators(request: HttpRequest):
    return queries.operators_of(request.auth)


@router.post("/me/operators", response={201: OperatorOut}, auth=AUTH, summary="授权经办人")
def add_operator(request: HttpRequest, payload: OperatorIn):
    until = timezone.make_aware(datetime.datetime.combine(payload.valid_until, datetime.time(23, 59, 59)))
    authorisation = registration.authorise_operator(
        request.auth, identifier=payload.identifier, scope=payload.scope, valid_until=until
    )
    return Status(201, authorisation)


@router.delete("/me/operators/{authorisation_id}", response={204: None}, auth=AUTH, summary="撤销经办人")
def revoke_operator(request: HttpRequest, authorisation_id: int):
    if request.auth.kind != UserKind.ENTERPRISE:
        raise PermissionDenied("只有法人账号可以管理经办人。")
    registration.revoke_operator(request.auth, authorisation_id)
    return Status(204, None)
