"""咨询、投诉与好差评 on the portal (Art. 15, 16): ask (from a guide page or choosing a department),
file a complaint with attachments, my questions / complaints / evaluations, rate a service event,
reopen a complaint once, and the published satisfaction figures (aggregates only)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from govhall.applications.models import Application
from govhall.catalog.models import ServiceItem
from govhall.core.page_cache import public_page
from govhall.core.web import errors_to_form
from govhall.directory.models import Department, ServiceCentre
from govhall.feedback import evaluations, queries, services
from govhall.feedback.models import ComplaintStatus, ComplaintSubject, Level

LOGIN = "portal:login"
LEVELS = [(level.value, level.label) for level in Level]


def _departments():
    return Department.objects.filter(is_active=True).order_by("region__sort_order", "name")


class AskForm(forms.Form):
    department = forms.ModelChoiceField(
        label=gettext_lazy("咨询部门"), queryset=Department.objects.none(), required=False
    )
    question = forms.CharField(
        label=gettext_lazy("咨询内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, item: ServiceItem | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if item is not None:
            del self.fields["department"]
        else:
            self.fields["department"].queryset = _departments()
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            )


class ComplaintForm(forms.Form):
    subject = forms.ChoiceField(label=gettext_lazy("投诉对象"), choices=ComplaintSubject.choices)
    application = forms.ModelChoiceField(
        label=gettext_lazy("办件"), queryset=Application.objects.none(), required=False
    )
    department = forms.ModelChoiceField(
        label=gettext_lazy("责任部门"), queryset=Department.objects.none(), required=False
    )
    centre = forms.ModelChoiceField(
        label=gettext_lazy("服务中心"), queryset=ServiceCentre.objects.none(), required=False
    )
    served_by = forms.CharField(
        label=gettext_lazy("为您办理过业务的工作人员"),
        required=False,
        widget=forms.Select,
        help_text=gettext_lazy("只列出办理过您本人办件或预约的工作人员。"),
    )
    staff_name = forms.CharField(
        label=gettext_lazy("或填写工作人员（姓名或工号，须选择其所在部门）"), max_length=50, required=False
    )
    content = forms.CharField(label=gettext_lazy("投诉内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = Application.objects.filter(applicant=user).exclude(
            business_number__isnull=True
        )
        self.fields["application"].label_from_instance = lambda a: f"{a.business_number} {a.item.name}"
        self.fields["department"].queryset = _departments()
        self.fields["centre"].queryset = ServiceCentre.objects.filter(is_active=True)
        served = [(str(person.pk), person.label) for person in queries.people_who_served(user)]
        self.fields["served_by"].widget.choices = [("", "---------"), *served]
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            )


class RateForm(forms.Form):
    level = forms.TypedChoiceField(
        label=gettext_lazy("总体满意度"), choices=LEVELS, coerce=int, widget=forms.RadioSelect
    )
    efficiency = forms.TypedChoiceField(
        label=gettext_lazy("办事效率"), choices=LEVELS, coerce=int, widget=forms.RadioSelect
    )
    guide_accuracy = forms.TypedChoiceField(
        label=gettext_lazy("指南准确性"), choices=LEVELS, coerce=int, widget=forms.RadioSelect
    )
    convenience = forms.TypedChoiceField(
        label=gettext_lazy("便捷程度"), choices=LEVELS, coerce=int, widget=forms.RadioSelect
    )
    usability = forms.TypedChoiceField(
        label=gettext_lazy("平台易用性"), choices=LEVELS, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=gettext_lazy("评价内容"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    anonymous = forms.BooleanField(label=gettext_lazy("匿名评价"), required=False)


def _refuse(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, PermissionDenied):
        messages.error(request, _("只有实名认证的个人或法人账号可以办理。"))
        return
    for message in error.messages:
        messages.error(request, message)


@login_required(login_url=LOGIN)
def ask(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """Ask the item's department (from its guide page) or a department of one's choosing."""
    item = get_object_or_404(ServiceItem, implementation_code=code) if code else None
    form = AskForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.ask(
                request.user,
                question=form.cleaned_data["question"],
                item=item,
                department=form.cleaned_data.get("department"),
            )
        except PermissionDenied as error:
            _refuse(request, error)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("咨询已提交，我们将在2个工作日内答复，答复后短信通知您。"))
            return redirect("portal:feedback_consultation", consultation.pk)
    return render(request, "portal/feedback/ask.html", {"form": form, "item": item})


@login_required(login_url=LOGIN)
def my_consultations(request: HttpRequest) -> HttpResponse:
    return render(
        request, "portal/feedback/consultations.html", {"consultations": queries.my_consultations(request.user)}
    )


@login_required(login_url=LOGIN)
def consultation(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        found = queries.my_consultation(request.user, pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    return render(request, "portal/feedback/consultation.html", {"consultation": found})


def _named_staff(data: dict):
    """The free-text fallback, used only when nobody was picked from the people who served."""
    if data.get("subject") != ComplaintSubject.STAFF or data.get("served_by"):
        return None
    return services.staff_by_name(data.get("staff_name") or "", data.get("department"))


@login_required(login_url=LOGIN)
def complain(request: HttpRequest) -> HttpResponse:
    """File a complaint about an application, a department, a centre or a staff member."""
    form = ComplaintForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.complain(
                request.user,
                subject=data["subject"],
                content=data["content"],
                department=data.get("department"),
                application=data.get("application"),
                centre=data.get("centre"),
                served_by=data.get("served_by") or None,
                staff_member=_named_staff(data),
                files=request.FILES.getlist("files"),
            )
        except PermissionDenied as error:
            _refuse(request, error)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("投诉已受理，责任部门将在5个工作日内答复。"))
            return redirect("portal:feedback_complaint", complaint.pk)
    return render(request, "portal/feedback/complain.html", {"form": form})


@login_required(login_url=LOGIN)
def my_complaints(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/feedback/complaints.html", {"complaints": queries.my_complaints(request.user)})


def _own_complaint(request: HttpRequest, pk: int):
    """One's own complaint; another citizen's is not found (not theirs to know of)."""
    complaint = queries.my_complaints(request.user).filter(pk=pk).prefetch_related("attachments", "events").first()
    if complaint is None:
        raise Http404
    return complaint


@login_required(login_url=LOGIN)
def complaint(request: HttpRequest, pk: int) -> HttpResponse:
    found = _own_complaint(request, pk)
    can_reopen = found.status == ComplaintStatus.REPLIED and found.reopened_at is None
    return render(request, "portal/feedback/complaint.html", {"complaint": found, "can_reopen": can_reopen})


@login_required(login_url=LOGIN)
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    found = _own_complaint(request, pk)
    try:
        services.reopen(found, request.user, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as error:
        _refuse(request, error)
    else:
        messages.success(request, _("已申请复查，投诉已提交政务公开办办理。"))
    return redirect("portal:feedback_complaint", pk)


@login_required(login_url=LOGIN)
def attachment(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    _own_complaint(request, pk)
    try:
        found = services.attachment_for_viewing(attachment_id, request.user)
    except (ObjectDoesNotExist, PermissionDenied):
        raise Http404 from None
    if found.complaint_id != pk:
        raise Http404
    response = FileResponse(found.file.open("rb"), content_type=found.content_type)
    response["Content-Disposition"] = "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required(login_url=LOGIN)
def my_evaluations(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/feedback/evaluations.html", {"invitations": queries.my_invitations(request.user)})


@login_required(login_url=LOGIN)
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    """Rate a service event: only the person served (others get "not found")."""
    invitation = queries.my_invitations(request.user).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    if hasattr(invitation, "evaluation"):
        messages.info(request, _("该服务已评价，每次服务只能评价一次。"))
        return redirect("portal:feedback_evaluations")
    if invitation.expired:
        messages.error(request, evaluations.expired_message(invitation))
        return redirect("portal:feedback_evaluations")
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evaluations.rate(
                invitation,
                request.user,
                comment=data["comment"],
                named=not data["anonymous"],
                **{name: data[name] for name in evaluations.INDICATORS},
            )
        except PermissionDenied as error:
            _refuse(request, error)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("感谢您的评价。"))
            return redirect("portal:feedback_evaluations")
    return render(request, "portal/feedback/rate.html", {"form": form, "invitation": invitation})


@public_page("feedback", "catalog", "directory")
def satisfaction(request: HttpRequest) -> HttpResponse:
    """Published satisfaction by department and by item (Art. 16): aggregates only, no comments."""
    context = {"departments": queries.satisfaction_by_department(), "items": queries.satisfaction_by_item()}
    return render(request, "portal/feedback/satisfaction.html", context)
