"""Uploaded files are judged by their content, not by their name (materials, blank forms, attachments).

libmagic (Debian ``libmagic1``, via python-magic) reads the first bytes; only document and image types
on an allow-list pass, so an executable renamed ``申请表.pdf`` is refused with a clear message, and a
file never reaches storage before it passed. Office documents are ZIP (OOXML) or OLE containers:
libmagic names them precisely when it recognises the inner structure.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

import magic
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

HEAD_BYTES = 8192
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

# mime type detected from content -> file name extensions that may carry it
DOCUMENT_TYPES: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "application/ofd": (".ofd",),
    "application/msword": (".doc",),
    "application/vnd.ms-excel": (".xls",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
}

EXECUTABLE_TYPES = frozenset(
    {
        "application/x-dosexec",
        "application/x-executable",
        "application/x-pie-executable",
        "application/x-sharedlib",
        "application/x-mach-binary",
        "application/x-msi",
        "text/x-shellscript",
        "text/x-python",
        "text/x-perl",
        "application/javascript",
        "text/javascript",
        "text/html",
    }
)


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int
    sha256: str


def detect_type(head: bytes) -> str:
    """The mime type libmagic reads from a file's first bytes."""
    return magic.from_buffer(head, mime=True)


def _digest(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def check_upload(
    upload: UploadedFile, *, allowed: dict[str, tuple[str, ...]] | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> CheckedUpload:
    """Refuse empty, oversized, executable or unexpected files; return what was detected."""
    allowed = DOCUMENT_TYPES if allowed is None else allowed
    name = PurePath(upload.name or "").name
    if not upload.size:
        raise ValidationError(_("文件“%(name)s”是空文件。") % {"name": name}, code="empty")
    if upload.size > max_bytes:
        raise ValidationError(
            _("文件“%(name)s”超过大小上限 %(limit)s。") % {"name": name, "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    upload.seek(0)
    content_type = detect_type(upload.read(HEAD_BYTES))
    upload.seek(0)
    if content_type in EXECUTABLE_TYPES:
        raise ValidationError(_("文件“%(name)s”是可执行程序或脚本，不能上传。") % {"name": name}, code="executable")
    if content_type not in allowed:
        raise ValidationError(
            _("文件“%(name)s”的内容类型（%(type)s）不在允许范围内：%(allowed)s。")
            % {"name": name, "type": content_type, "allowed": allowed_extensions(allowed)},
            code="type",
        )
    if PurePath(name).suffix.lower() not in allowed[content_type]:
        raise ValidationError(
            _("文件“%(name)s”的扩展名与内容不符（内容为 %(type)s）。") % {"name": name, "type": content_type},
            code="extension",
        )
    return CheckedUpload(name=name, content_type=content_type, size=upload.size, sha256=_digest(upload))


def allowed_extensions(allowed: dict[str, tuple[str, ...]] | None = None) -> str:
    """``.pdf、.doc、…`` for help texts and error messages."""
    allowed = DOCUMENT_TYPES if allowed is None else allowed
    return "、".join(ext for exts in allowed.values() for ext in exts)
