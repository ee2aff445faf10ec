"""The city office's catalog import (issue 5, item 10): upload → preview with row errors → confirm.

Between preview and confirm the uploaded workbook is kept in the file storage under a random token
(shared by every web process, unlike process memory) and the token is remembered in the session, so
only the person who uploaded it can confirm it; on confirm the file is read and checked AGAIN (the
library may have changed since the preview) and imported in one transaction, or not at all.
"""

from __future__ import annotations

import secrets

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from govhall.catalog import imports
from govhall.catalog.models import GuideVersion
from govhall.core.uploads import check_upload
from govhall.workbench.decorators import staff_required
from govhall.workbench.menu import menu_for

XLSX = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",)}
MAX_BYTES = 10 * 1024 * 1024
SESSION_KEY = "catalog_import"
RESULT_KEY = "catalog_import_result"
TOKEN_BYTES = 24


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("事项目录表格（.xlsx）"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload, allowed=XLSX, max_bytes=MAX_BYTES)
        return upload


def _page(request: HttpRequest, template: str, status: int = 200, **context) -> HttpResponse:
    return render(request, template, {"menu": menu_for(request.user), **context}, status=status)


def _allowed(request: HttpRequest) -> None:
    if not request.user.has_perm("catalog.import_items"):
        raise PermissionDenied


def _path(token: str) -> str:
    return f"catalog/imports/{token}.xlsx"


def _stored(request: HttpRequest, token: str) -> str:
    """The storage path of this person's upload; 404 for another token (or another person's)."""
    if request.session.get(SESSION_KEY) != token or not default_storage.exists(_path(token)):
        raise Http404
    return _path(token)


@staff_required
def upload(request: HttpRequest) -> HttpResponse:
    """Upload form; a checked workbook is stored under a fresh token and previewed."""
    _allowed(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = secrets.token_urlsafe(TOKEN_BYTES)
        previous = request.session.get(SESSION_KEY)
        if previous and default_storage.exists(_path(previous)):
            default_storage.delete(_path(previous))
        default_storage.save(_path(token), ContentFile(form.cleaned_data["file"].read()))
        request.session[SESSION_KEY] = token
        return redirect("workbench:catalog_import_preview", token=token)
    return _page(request, "workbench/catalog/import.html", status=400 if form.errors else 200, form=form)


@staff_required
def template(request: HttpRequest) -> HttpResponse:
    """The blank workbook to fill in."""
    _allowed(request)
    response = HttpResponse(imports.build_template(), content_type=next(iter(XLSX)))
    response["Content-Disposition"] = "attachment; filename*=UTF-8''catalog-import-template.xlsx"
    return response


@staff_required
def preview(request: HttpRequest, token: str) -> HttpResponse:
    """Every row with its problems; the confirm button only when there are none."""
    _allowed(request)
    with default_storage.open(_stored(request, token), "rb") as file:
        result = imports.parse_workbook(file)
    return _page(request, "workbench/catalog/import_preview.html", preview=result, token=token)


@staff_required
@require_POST
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Import in one transaction (drafts only); on any problem nothing is imported."""
    _allowed(request)
    path = _stored(request, token)
    with default_storage.open(path, "rb") as file:
        result = imports.parse_workbook(file)
    try:
        drafts = imports.apply_import(result, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _page(request, "workbench/catalog/import_preview.html", status=400, preview=result, token=token)
    default_storage.delete(path)
    request.session.pop(SESSION_KEY, None)
    request.session[RESULT_KEY] = [draft.pk for draft in drafts]
    messages.success(request, _("已导入 %(count)s 个事项，均为指南草稿。") % {"count": len(drafts)})
    return redirect("workbench:catalog_import_result")


@staff_required
def result(request: HttpRequest) -> HttpResponse:
    """The drafts the last import created, with links to edit them."""
    _allowed(request)
    ids = request.session.get(RESULT_KEY, [])
    drafts = GuideVersion.objects.filter(pk__in=ids).select_related("item__department", "item__region")
    return _page(request, "workbench/catalog/import_result.html", drafts=drafts.order_by("item__implementation_code"))
