"""The REST API (``/api/v1``): one NinjaAPI, one router module per domain."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from govhall.api import accounts, applications_assignment, applications_staff, appointments, catalog, directory
from govhall.api import applications as applications_api
from govhall.api import applications_channels as channels_api
from govhall.api import feedback as feedback_api
from govhall.api import licenses as licenses_api
from govhall.api.errors import error_response, fields_from_django, fields_from_ninja

api = NinjaAPI(
    title="长春市网上办事大厅 API",
    version="1",
    description="政务服务网上办事大厅开放接口。Every error uses `{code, message, fields}`.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("/accounts", accounts.router)
api.add_router("/directory", directory.router)
api.add_router("/catalog", catalog.router)
api.add_router("/appointments", appointments.router)
api.add_router("/applications/staff", applications_staff.router)
api.add_router("/applications/assignment", applications_assignment.router)  # issue 8: claims, handover
api.add_router("/applications/channels", channels_api.router)  # issue 8: pre-review, window, agents
api.add_router("/applications", applications_api.router)
api.add_router("/licenses", licenses_api.router)
api.add_router("/feedback", feedback_api.router)  # 咨询投诉与好差评 (issue 10)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return error_response(request, 422, "invalid", "提交的数据不正确。", fields_from_ninja(exc.errors))


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error_response(request, 422, "invalid", "提交的数据不正确。", fields_from_django(exc))


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(request, 403, "permission_denied", str(exc) or "没有访问权限。")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = str(exc) if str(exc) not in ("", "Unauthorized") else "请先登录。"
    return error_response(request, 401, "unauthenticated", message)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", "请求的对象不存在。")


@api.exception_handler(ObjectDoesNotExist)
def on_does_not_exist(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    return error_response(request, 404, "not_found", "请求的对象不存在。")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(request, exc.status_code, "error", str(exc))
