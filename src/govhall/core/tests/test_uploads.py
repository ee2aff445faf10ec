"""Uploads are judged by content: documents pass, executables and disguised files are refused."""

import io
import sys

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from govhall.core.uploads import check_upload

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("申请表.pdf", PDF, "application/pdf"),
        ("照片.PNG", PNG, "image/png"),
        ("事项清单.xlsx", _xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_documents_pass_with_type_size_and_digest(name, content, expected):
    checked = check_upload(SimpleUploadedFile(name, content))
    assert (checked.content_type, checked.size, len(checked.sha256)) == (expected, len(content), 64)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("申请表.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200, "executable"),
        ("申请表.pdf", open(sys.executable, "rb").read(8192), "executable"),  # noqa: SIM115 (a real ELF binary)
        ("申请表.pdf", b"#!/bin/sh\nrm -rf /\n", "executable"),
        ("说明.pdf", "纯文本内容".encode(), "type"),
        ("申请表.docx", PDF, "extension"),
        ("空.pdf", b"", "empty"),
    ],
)
def test_executables_and_disguised_files_are_refused(name, content, code):
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile(name, content))
    assert error.value.code == code
    assert name in error.value.messages[0]


def test_oversized_file_is_refused():
    with pytest.raises(ValidationError, match="超过大小上限"):
        check_upload(SimpleUploadedFile("大.pdf", PDF + b"0" * 2000), max_bytes=1024)
