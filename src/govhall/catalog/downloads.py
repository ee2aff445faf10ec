"""Blank forms and samples leave through the storage API with a safe name (Art. 17): never through
``MEDIA_URL`` (private storage in production), never with the uploader's file name."""

from __future__ import annotations

import mimetypes
import re
from pathlib import PurePath

from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _

from govhall.catalog.models import MaterialRequirement

MATERIAL_FILES = {"blank-form": ("blank_form", _("空白表格")), "sample": ("sample", _("示例样表"))}
UNSAFE_FILENAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def download_name(material: MaterialRequirement, label: str, stored: str) -> str:
    """``<material name>（空白表格）.pdf``: the applicant's words, without path or control characters."""
    name = UNSAFE_FILENAME.sub("_", material.name).strip(" ._") or "material"
    return f"{name}（{label}）{PurePath(stored).suffix.lower()}"


def material_file_response(material: MaterialRequirement, kind: str) -> FileResponse:
    """The material's blank form or sample as an attachment; 404 when it has none."""
    if kind not in MATERIAL_FILES:
        raise Http404
    field, label = MATERIAL_FILES[kind]
    stored = getattr(material, field)
    if not stored:
        raise Http404
    try:
        handle = stored.storage.open(stored.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    filename = download_name(material, str(label), stored.name)
    content_type = mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
