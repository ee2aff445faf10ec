"""The department's actions on an application, each a POST with its form (issue 7): accept, not
accept, ONE correction notice, the current review stage, special procedure and resume, extension,
the decision with the TOTP step-up (regulation Art. 20), issuance and conclusion.

A form carries the status the page showed (``expected``): if someone acted meanwhile, the service
refuses with "该申请已被他人处理，请刷新后重试", shown as a message on the refreshed page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from govhall.accounts import mfa
from govhall.applications import services
from govhall.applications.clocks import MAX_EXTENSION_WORKING_DAYS
from govhall.applications.models import Application, Channel, SpecialProcedure, Status
from govhall.catalog.models import CaseType
from govhall.core.web import errors_to_form
from govhall.workbench.decorators import staff_required
from govhall.workbench.views.applications import detail_context, load

TEXT = {"class": "form-control"}
AREA = {"class": "form-control", "rows": 3}


class ActionForm(forms.Form):
    expected = forms.CharField(widget=forms.HiddenInput, required=False)


class NotAcceptForm(ActionForm):
    reason = forms.CharField(label=_lazy("不予受理理由"), max_length=2000, widget=forms.Textarea(attrs=AREA))
    legal_basis = forms.CharField(label=_lazy("法律依据"), max_length=1000, widget=forms.Textarea(attrs=AREA))


class CorrectionForm(ActionForm):
    """One notice: a reason beside every material and field to correct (blank = not listed)."""

    round_reason = forms.CharField(
        label=_lazy("再次补正的理由（第二次起必填，提供给监督部门）"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={**AREA, "rows": 2}),
    )

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for requirement in application.version.materials.all():
            self.fields[f"material_{requirement.pk}"] = forms.CharField(
                label=_("材料：%(name)s") % {"name": requirement.name},
                max_length=500,
                required=False,
                widget=forms.TextInput(attrs={**TEXT, "placeholder": _("需补正的原因，留空表示无需补正")}),
            )
        for field in (application.version.form_definition or {}).get("fields", []):
            self.fields[f"field_{field['name']}"] = forms.CharField(
                label=_("填报项：%(label)s") % {"label": field.get("label", field["name"])},
                max_length=500,
                required=False,
                widget=forms.TextInput(attrs={**TEXT, "placeholder": _("需补正的原因，留空表示无需补正")}),
            )

    def items(self) -> list[dict[str, Any]]:
        listed = []
        for name, value in self.cleaned_data.items():
            if not value or name in ("expected", "round_reason"):
                continue
            kind, _sep, key = name.partition("_")
            listed.append({"material": int(key)} if kind == "material" else {"field": key})
            listed[-1]["reason"] = value
        return listed


class StageForm(ActionForm):
    opinion = forms.CharField(label=_lazy("审查意见"), max_length=2000, widget=forms.Textarea(attrs=AREA))


class SuspendForm(ActionForm):
    procedure = forms.ChoiceField(
        label=_lazy("特别程序"), choices=SpecialProcedure.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    reason = forms.CharField(label=_lazy("理由"), max_length=2000, widget=forms.Textarea(attrs=AREA))


class ResumeForm(ActionForm):
    comment = forms.CharField(
        label=_lazy("特别程序结果"), max_length=2000, required=False, widget=forms.Textarea(attrs=AREA)
    )


class ExtendForm(ActionForm):
    days = forms.IntegerField(
        label=_lazy("延长工作日数（1至10个工作日）"),
        min_value=1,
        max_value=MAX_EXTENSION_WORKING_DAYS,
        widget=forms.NumberInput(attrs=TEXT),
    )
    reason = forms.CharField(label=_lazy("延长理由"), max_length=2000, widget=forms.Textarea(attrs=AREA))


class DecideForm(ActionForm):
    outcome = forms.ChoiceField(
        label=_lazy("决定"),
        choices=[("approve", _lazy("准予许可")), ("refuse", _lazy("不予许可"))],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(label=_lazy("决定理由"), max_length=4000, widget=forms.Textarea(attrs=AREA))
    legal_basis = forms.CharField(label=_lazy("决定依据"), max_length=2000, widget=forms.Textarea(attrs=AREA))
    otp_token = forms.CharField(
        label=_lazy("动态验证码（请重新输入验证器中的6位数字）"),
        max_length=16,
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class CommentForm(ActionForm):
    comment = forms.CharField(label=_lazy("备注"), max_length=1000, required=False, widget=forms.TextInput(attrs=TEXT))


# action -> (form class, permission, statuses where it is offered, button label)
ACTIONS: dict[str, tuple[type[forms.Form], str, tuple[str, ...], Any]] = {
    "accept": (ActionForm, "applications.accept", (Status.SUBMITTED, Status.AWAITING_ACCEPTANCE), _lazy("受理")),
    "not_accept": (
        NotAcceptForm,
        "applications.accept",
        (Status.SUBMITTED, Status.AWAITING_ACCEPTANCE),
        _lazy("不予受理"),
    ),
    "correction": (
        CorrectionForm,
        "applications.accept",
        (Status.SUBMITTED, Status.AWAITING_ACCEPTANCE),
        _lazy("一次性告知补正"),
    ),
    "stage": (StageForm, "applications.review_stage", (Status.ACCEPTED, Status.IN_REVIEW), _lazy("完成本环节")),
    "suspend": (SuspendForm, "applications.suspend", (Status.IN_REVIEW,), _lazy("启动特别程序")),
    "resume": (ResumeForm, "applications.suspend", (Status.SUSPENDED,), _lazy("特别程序结束，恢复计时")),
    "extend": (
        ExtendForm,
        "applications.extend",
        (Status.ACCEPTED, Status.IN_REVIEW, Status.SUSPENDED),
        _lazy("批准延长期限"),
    ),
    "decide": (DecideForm, "applications.decide", (Status.ACCEPTED, Status.IN_REVIEW), _lazy("作出决定")),
    "issue": (CommentForm, "applications.issue", (Status.APPROVED, Status.REFUSED), _lazy("结果已送达")),
    "conclude": (ActionForm, "applications.issue", (Status.RESULT_ISSUED,), _lazy("办结")),
    # Issue 8: pre-review (Art. 12) and instant items decided at once (Art. 9).
    "pass_pre_review": (CommentForm, "applications.accept", (Status.SUBMITTED,), _lazy("预审通过")),
    "decide_instantly": (
        DecideForm,
        "applications.decide",
        (Status.AWAITING_ACCEPTANCE,),
        _lazy("当场受理并决定（即办件）"),
    ),
}


def offered(user: Any, application: Application, action: str) -> bool:
    _form, perm, statuses, _label = ACTIONS[action]
    if application.status not in statuses or not user.has_perm(perm, application):
        return False
    if action == "stage":
        return application.stage is not None
    if action == "decide":
        return application.stage is None
    if action == "extend":
        return not application.extension_days
    if action in ("accept", "pass_pre_review") and application.status == Status.SUBMITTED:
        return (action == "pass_pre_review") == (application.channel == Channel.PRE_REVIEW)
    if action == "decide_instantly":
        return application.item.case_type == CaseType.INSTANT and user.has_perm("applications.accept", application)
    return True


def _new_form(action: str, application: Application, data: Any = None) -> forms.Form:
    form_class = ACTIONS[action][0]
    kwargs: dict[str, Any] = {"application": application} if form_class is CorrectionForm else {}
    initial = {"expected": application.status}
    form = form_class(data, initial=initial, prefix=action, **kwargs)
    form.label = ACTIONS[action][3]
    return form


def available_forms(user: Any, application: Application, bound: tuple[str, forms.Form] | None = None) -> dict:
    """The forms of the actions this user may take now (the bound one keeps its errors)."""
    found = {action: _new_form(action, application) for action in ACTIONS if offered(user, application, action)}
    if bound:
        found[bound[0]] = bound[1]
    return found


def _step_up(user: Any, token: str, request: HttpRequest) -> Any:
    """Art. 20: the decider in person — the TOTP code is verified again, now."""
    if mfa.verify_second_factor(user, token, request) is None:
        raise ValidationError({"otp_token": [_("动态验证码不正确或已使用，请等待下一个验证码后重试。")]})
    return timezone.now()


def _call(action: str, application: Application, user: Any, data: dict[str, Any], request: HttpRequest) -> str:
    """Call the one service of the action; returns the success message."""
    expected = data.get("expected") or None
    if action == "accept":
        services.accept(application, user, expected=expected)
        return _("已受理，受理通知书已生成。")
    if action == "not_accept":
        services.not_accept(
            application, user, reason=data["reason"], legal_basis=data["legal_basis"], expected=expected
        )
        return _("已作出不予受理决定，通知书已生成。")
    if action == "pass_pre_review":
        services.pass_pre_review(application, user, comment=data.get("comment", ""), expected=expected)
        return _("预审已通过，已短信通知申请人预约到现场核验。")
    if action == "decide_instantly":
        stepped_up_at = _step_up(user, data["otp_token"], request)
        services.decide_instantly(
            application,
            user,
            approve=data["outcome"] == "approve",
            reasons=data["reasons"],
            legal_basis=data["legal_basis"],
            stepped_up_at=stepped_up_at,
            expected=expected,
        )
        return _("已当场受理并作出决定，受理通知书和决定书已生成。")
    if action == "correction" and application.channel == Channel.PRE_REVIEW and application.status == Status.SUBMITTED:
        services.return_pre_review(
            application, user, data["items"], round_reason=data.get("round_reason", ""), expected=expected
        )
        return _("预审未通过，补正材料告知书已发出。")
    if action == "correction":
        services.request_correction(
            application, user, data["items"], round_reason=data.get("round_reason", ""), expected=expected
        )
        return _("补正材料告知书已发出。")
    if action == "stage":
        services.complete_stage(application, user, opinion=data["opinion"], expected=expected)
        return _("本环节审查意见已提交。")
    if action == "suspend":
        services.suspend(application, user, procedure=data["procedure"], reason=data["reason"], expected=expected)
        return _("特别程序已启动，告知书已生成，期限暂停计算。")
    if action == "resume":
        services.resume(application, user, comment=data.get("comment", ""), expected=expected)
        return _("特别程序已结束，期限恢复计算。")
    if action == "extend":
        services.extend(application, user, days=data["days"], reason=data["reason"])
        return _("已批准延长办理期限，告知书已生成。")
    if action == "decide":
        stepped_up_at = _step_up(user, data["otp_token"], request)
        services.decide(
            application,
            user,
            approve=data["outcome"] == "approve",
            reasons=data["reasons"],
            legal_basis=data["legal_basis"],
            stepped_up_at=stepped_up_at,
            expected=expected,
        )
        return _("决定已作出，决定书已生成。")
    if action == "issue":
        services.issue_result(application, user, comment=data.get("comment", ""), expected=expected)
        return _("已记录结果送达。")
    services.conclude(application, user, expected=expected)
    return _("已办结。")


def perform(
    request: HttpRequest, application: Application, action: str, data: dict[str, Any]
) -> tuple[str | None, ValidationError | None]:
    """Shared by the workbench and the staff API: the success message, or the refusal."""
    try:
        return _call(action, application, request.user, data, request), None
    except ValidationError as refused:
        return None, refused


@staff_required
@require_POST
def act(request: HttpRequest, uid: Any, action: str) -> HttpResponse:
    application = load(request, uid)
    if action not in ACTIONS:
        raise PermissionDenied
    if not request.user.has_perm(ACTIONS[action][1], application):
        raise PermissionDenied
    form = _new_form(action, application, request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        if isinstance(form, CorrectionForm):
            data["items"] = form.items()
        done, refused = perform(request, application, action, data)
        if done:
            messages.success(request, done)
            return redirect("workbench:application", uid=application.uid)
        if getattr(refused, "code", None) == "conflict":
            messages.error(request, " ".join(refused.messages))
            return redirect("workbench:application", uid=application.uid)
        errors_to_form(form, refused)
    application.refresh_from_db()
    context = detail_context(request, application, available_forms(request.user, application, (action, form)))
    context["open_action"] = action
    return render(request, "workbench/applications/detail.html", context, status=422)
