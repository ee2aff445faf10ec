"""综合窗口 (regulation Art. 9, issue 8): comprehensive-window staff of a centre find an application
by its business number (pre-reviewed or not), verify the originals, scan what is missing and
continue the SAME record; register a walk-in applicant into a new record of the same kind; print
the receipt; decide an instant item (即办件) at once when they also hold the department's roles.

Every change is one service of ``applications.channels``; another centre's application is 404.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from govhall.accounts.models import Role
from govhall.applications import channels, queries, services
from govhall.applications.models import Application, Channel, MaterialSubmission, Status
from govhall.applications.submission import needed_requirements
from govhall.catalog.form_render import build_form
from govhall.catalog.models import GuideVersion, ServiceItem
from govhall.catalog.pdf import render_pdf
from govhall.core.workdays.calendar import BEIJING
from govhall.directory.models import ServiceCentre
from govhall.workbench.decorators import staff_required
from govhall.workbench.menu import menu_for
from govhall.workbench.views.applications import EXTENSIONS, _stream
from govhall.workbench.views.applications_actions import DecideForm, _step_up

TEXT = {"class": "form-control"}


class FindForm(forms.Form):
    number = forms.CharField(label=_lazy("业务编号"), max_length=48, widget=forms.TextInput(attrs=TEXT))


class WalkInForm(forms.Form):
    name = forms.CharField(label=_lazy("申请人姓名（与证件一致）"), max_length=100, widget=forms.TextInput(attrs=TEXT))
    document_number = forms.CharField(
        label=_lazy("居民身份证号码"), max_length=18, widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off"})
    )
    mobile = forms.CharField(
        label=_lazy("手机号码（首次办理必填，用于短信回执）"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "tel"}),
    )


class AgentForm(forms.Form):
    """代办 at the window: the person acting for the applicant, and the principal's signed
    authorisation scanned at the counter (all empty: the applicant acts in person)."""

    name = forms.CharField(
        label=_lazy("代办人姓名（与证件一致）"), max_length=100, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    document_number = forms.CharField(
        label=_lazy("代办人居民身份证号码"),
        max_length=18,
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off"}),
    )
    mobile = forms.CharField(
        label=_lazy("代办人手机号码（代办人首次办理必填）"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "tel"}),
    )
    authorisation = forms.FileField(
        label=_lazy("授权委托书扫描件（已核对委托人签署的原件）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )

    def agent(self) -> dict[str, Any] | None:
        """The service's ``agent`` argument, or None when nobody acts for the applicant."""
        data = self.cleaned_data
        return data if any(data.values()) else None


class ScanForm(forms.Form):
    requirement = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(label=_lazy("扫描件"))


def _centres(user: Any) -> list[ServiceCentre]:
    ids = {a.centre_id for a in user.active_assignments if a.role == Role.WINDOW_STAFF and a.centre_id}
    return list(ServiceCentre.objects.filter(pk__in=ids).order_by("pk"))


def _require_window(request: HttpRequest) -> list[ServiceCentre]:
    centres = _centres(request.user)
    if not centres:
        raise PermissionDenied
    return centres


def _page(request: HttpRequest, template: str, status: int = 200, **context: Any) -> HttpResponse:
    return render(request, template, {"menu": menu_for(request.user), **context}, status=status)


def _load(request: HttpRequest, uid: Any) -> Application:
    application = (
        Application.objects.select_related("item__department", "version", "applicant", "intake_centre")
        .filter(uid=uid)
        .first()
    )
    if application is None or not request.user.has_perm("applications.window", application):
        raise Http404
    return application


def _refuse(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@staff_required
def desk(request: HttpRequest) -> HttpResponse:
    """Find by business number; the items this centre takes for walk-in registration."""
    centres = _require_window(request)
    form = FindForm(request.GET or None)
    if form.is_bound and form.is_valid():
        found = queries.window_application(request.user, form.cleaned_data["number"])
        if found is not None:
            return redirect("workbench:window_application", uid=found.uid)
        messages.error(request, _("未找到本中心可办理的该业务编号的申请，请核对。"))
    versions = GuideVersion.centres.through.objects.filter(servicecentre__in=centres).values("guideversion_id")
    items = ServiceItem.objects.filter(published_version_id__in=versions).select_related("department").order_by("name")
    return _page(request, "workbench/window/desk.html", form=form, centres=centres, items=items[:200])


def _materials(application: Application) -> list[dict[str, Any]]:
    present: dict[int, list[MaterialSubmission]] = {}
    for submission in channels.current_materials(application):
        present.setdefault(submission.requirement_id, []).append(submission)
    needed = {r.pk for r in needed_requirements(application, pre_review=False)}
    return [
        {"requirement": r, "needed": r.pk in needed, "files": present.get(r.pk, [])}
        for r in application.version.materials.all()
    ]


@staff_required
def detail(request: HttpRequest, uid: Any, *, decide_form: forms.Form | None = None) -> HttpResponse:
    """One application at the window: materials with originals verified, scans, next step."""
    application = _load(request, uid)
    context = {
        "application": application,
        "materials": _materials(application),
        "timeline": queries.timeline(application),
        "scan_form": ScanForm(),
        "can_continue": application.status in (Status.SUBMITTED, Status.PRE_REVIEWED),
        "can_submit": application.status == Status.DRAFT and application.channel == Channel.WINDOW,
        "can_scan": application.status in channels.WINDOW_STATUSES,
        "decide_form": decide_form
        or (DecideForm(prefix="instant") if channels.may_decide_instantly(application, request.user) else None),
    }
    return _page(request, "workbench/window/application.html", status=422 if decide_form else 200, **context)


@staff_required
def material(request: HttpRequest, uid: Any, material_id: int) -> FileResponse:
    """The scan or upload beside the original on the counter (Art. 9: compare, then verify); streamed
    after the permission check like every material view."""
    application = _load(request, uid)
    try:
        submission = services.material_for_viewing(material_id, request.user)
    except (MaterialSubmission.DoesNotExist, PermissionDenied) as refused:
        raise Http404 from refused
    if submission.application_id != application.pk or submission.license_id is not None:
        raise Http404
    extension = EXTENSIONS.get(submission.content_type, "bin")
    return _stream(submission.file.open("rb"), submission.content_type, f"material-{submission.pk}.{extension}")


@staff_required
@require_POST
def verify(request: HttpRequest, uid: Any, material_id: int) -> HttpResponse:
    application = _load(request, uid)
    submission = get_object_or_404(MaterialSubmission, pk=material_id, application=application)
    try:
        services.verify_original(submission, request.user)
        messages.success(request, _("已记录原件核验。"))
    except ValidationError as error:
        _refuse(request, error)
    return redirect("workbench:window_application", uid=application.uid)


@staff_required
@require_POST
def scan(request: HttpRequest, uid: Any) -> HttpResponse:
    application = _load(request, uid)
    form = ScanForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的扫描件。"))
        return redirect("workbench:window_application", uid=application.uid)
    try:
        services.scan_material(application, request.user, form.cleaned_data["requirement"], form.cleaned_data["file"])
        messages.success(request, _("扫描件已上传，原件已核验。"))
    except ValidationError as error:
        _refuse(request, error)
    return redirect("workbench:window_application", uid=application.uid)


@staff_required
@require_POST
def proceed(request: HttpRequest, uid: Any) -> HttpResponse:
    """Continue a pre-review on site, or submit a walk-in registration (every gap listed)."""
    application = _load(request, uid)
    try:
        if application.status == Status.DRAFT:
            services.submit_at_window(application, request.user)
            messages.success(request, _("已提交，申请人已收到短信回执。"))
        else:
            services.continue_on_site(application, request.user, expected=request.POST.get("expected") or None)
            messages.success(request, _("已现场核验，申请转入待受理。"))
    except ValidationError as error:
        _refuse(request, error)
    return redirect("workbench:window_application", uid=application.uid)


@staff_required
@require_POST
def instant(request: HttpRequest, uid: Any) -> HttpResponse:
    """即办件: accept and decide at once, with the TOTP step-up of every decision (Art. 20)."""
    application = _load(request, uid)
    if not channels.may_decide_instantly(application, request.user):
        raise PermissionDenied
    form = DecideForm(request.POST, prefix="instant")
    if form.is_valid():
        data = form.cleaned_data
        try:
            stepped_up_at = _step_up(request.user, data["otp_token"], request)
            services.decide_instantly(
                application,
                request.user,
                approve=data["outcome"] == "approve",
                reasons=data["reasons"],
                legal_basis=data["legal_basis"],
                stepped_up_at=stepped_up_at,
                expected=Status.AWAITING_ACCEPTANCE,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, _("已当场受理并作出决定，受理通知书和决定书已生成。"))
            return redirect("workbench:window_application", uid=application.uid)
    return detail(request, uid, decide_form=form)


@staff_required
def walk_in(request: HttpRequest, code: str) -> HttpResponse:
    """Register a walk-in applicant: identity from the presented ID card, then the form; when an
    agent (代办) comes for them, the agent's ID card and the principal's signed authorisation too."""
    _require_window(request)
    item = get_object_or_404(ServiceItem.objects.select_related("published_version"), implementation_code=code)
    if item.published_version_id is None or not request.user.has_perm("applications.window", item):
        raise Http404
    definition = item.published_version.form_definition or {"fields": []}
    identity = WalkInForm(request.POST or None, prefix="identity")
    agent = AgentForm(request.POST or None, request.FILES or None, prefix="agent")
    answers = build_form(definition, request.POST or None, prefix="form")
    if request.method == "POST" and identity.is_valid() and agent.is_valid() and answers.is_valid():
        try:
            created = services.register_walk_in(
                request.user, item, **identity.cleaned_data, answers=answers.answers(), agent=agent.agent()
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                if field.startswith("agent_") or field == "authorisation":
                    agent.add_error(field.removeprefix("agent_"), errors)
                else:
                    identity.add_error(field if field in identity.fields else None, errors)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("已登记，请扫描申请材料后提交。"))
            return redirect("workbench:window_application", uid=created.uid)
    return _page(request, "workbench/window/walk_in.html", item=item, identity=identity, agent=agent, form=answers)


@staff_required
def receipt(request: HttpRequest, uid: Any) -> HttpResponse:
    """The printed receipt (回执): business number, item, materials received, where it stands."""
    application = _load(request, uid)
    if not application.business_number:
        raise Http404
    context = {
        "application": application,
        "materials": [row for row in _materials(application) if row["files"]],
        "printed_at": timezone.now().astimezone(BEIJING),
        "by": request.user,
    }
    with translation.override("zh-hans"):
        pdf = render_pdf("workbench/window/receipt.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{application.business_number}.pdf"'
    return response
