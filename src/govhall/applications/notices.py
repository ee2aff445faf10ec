"""Written notices as PDFs (Licensing Law Art. 32, 38, 42, 45): rendered once, at issue, by the
single renderer (``catalog.pdf.render_pdf``, Noto CJK embedded), signed with the department's
certificate (``licenses.pdfsign.sign_document``) and stored privately."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from govhall.catalog.pdf import render_pdf
from govhall.core.workdays.calendar import BEIJING
from govhall.licenses.pdfsign import sign_document

from .models import Application, Notice, NoticeKind

TEMPLATE = "applications/notices/{kind}.html"
KIND_CODES = {
    NoticeKind.ACCEPTANCE: "SL",
    NoticeKind.NON_ACCEPTANCE: "BSL",
    NoticeKind.CORRECTION: "BZ",
    NoticeKind.SPECIAL_PROCEDURE: "TB",
    NoticeKind.EXTENSION: "YC",
    NoticeKind.DECISION: "JD",
}


def _number(application: Application, kind: str) -> str:
    count = Notice.objects.filter(application=application, kind=kind).count() + 1
    return f"{application.business_number}-{KIND_CODES[kind]}{count:02d}"


def issue_notice(application: Application, kind: str, content: dict[str, Any], *, by: Any) -> Notice:
    """Create the notice row and its PDF (department, date, business number, content)."""
    now = timezone.now()
    notice = Notice(
        application=application,
        kind=kind,
        number=_number(application, kind),
        content=content,
        issued_by=by if getattr(by, "pk", None) else None,
    )
    context = {
        "notice": notice,
        "title": NoticeKind(kind).label,
        "application": application,
        "department": application.item.department.name,
        "item": application.item.name,
        "applicant": application.applicant.name,
        "date": now.astimezone(BEIJING).date(),
        "content": content,
    }
    with translation.override(settings.LANGUAGE_CODE):  # a notice is written in Chinese, whoever clicks
        pdf = render_pdf(TEMPLATE.format(kind=kind), context)
        pdf = sign_document(pdf, application.item.department, reason=str(NoticeKind(kind).label))
    notice.pdf.save(f"{notice.number}.pdf", ContentFile(pdf), save=False)
    notice.save()
    return notice
