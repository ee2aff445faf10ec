"""The city office's SMS pages in the workbench: delivery statistics, failures with resend, templates.

Mounted by ``workbench/urls.py``; thin faces over ``notifications.queries`` and ``services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.core.permissions import ensure_permission
from govhall.notifications import catalog, queries, services
from govhall.notifications.forms import ResendForm, TemplateForm
from govhall.notifications.models import SmsTemplate
from govhall.workbench.decorators import staff_required
from govhall.workbench.menu import menu_for


def _page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    return render(request, template, {"menu": menu_for(request.user), **context})


@staff_required
def deliveries(request: HttpRequest) -> HttpResponse:
    """Delivery statistics of the last 24 hours and the failures the office may resend (Art. 11)."""
    ensure_permission(request.user, "notifications.view_deliveries")
    return _page(
        request,
        "notifications/workbench/deliveries.html",
        {"stats": queries.statistics(), "failures": queries.failures(), "recent": queries.recent()},
    )


@staff_required
@require_POST
def resend(request: HttpRequest, message_id: int) -> HttpResponse:
    form = ResendForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        new = services.resend(message_id, request.user, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已重新排队发送（新短信 #%(id)s）。") % {"id": new.pk})
    return redirect("workbench:notifications")


@staff_required
def templates(request: HttpRequest) -> HttpResponse:
    ensure_permission(request.user, "notifications.view_deliveries")
    return _page(request, "notifications/workbench/templates.html", {"rows": queries.templates_overview()})


@staff_required
def template_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Edit a template: a new version; the SMS length (70 / 67 per segment) is shown as one types."""
    ensure_permission(request.user, "notifications.edit_template")
    if code not in catalog.DEFAULT_TEMPLATES:
        raise Http404
    current = services.active_template(code)
    form = TemplateForm(request.POST or None, initial=_initial(current))
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_template(code, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("模板已保存为新版本。"))
            return redirect("workbench:notification_template", code=code)
    text = form["text_zh"].value() or current.text_zh
    return _page(
        request,
        "notifications/workbench/template_edit.html",
        {
            "form": form,
            "current": current,
            "versions": queries.template_versions(code),
            "preview": _preview(current, text),
        },
    )


@staff_required
@require_POST
def template_preview(request: HttpRequest, code: str) -> HttpResponse:
    """htmx: the sample rendering and its length while the editor types."""
    ensure_permission(request.user, "notifications.edit_template")
    current = SmsTemplate.objects.filter(code=code, active=True).first()
    if current is None:
        raise Http404
    context = {"preview": _preview(current, request.POST.get("text_zh", ""))}
    return render(request, "notifications/workbench/_length.html", context)


def _initial(template: SmsTemplate) -> dict[str, str]:
    return {
        "text_zh": template.text_zh,
        "text_en": template.text_en,
        "provider_template_id": template.provider_template_id,
    }


def _preview(template: SmsTemplate, text: str) -> dict:
    sample = queries.sample_of(template, text)
    unknown = sorted(set(catalog.placeholders(text)) - set(template.params))
    return {"text": sample, "length": catalog.sms_length(sample), "unknown": unknown, "params": template.params}


def _attach(form: TemplateForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
