"""The guide editor: a draft's elements, materials and form definition, its preview, and submission
(Art. 7: the department confirms; Art. 17: what a guide contains)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.catalog import checks, queries, services
from govhall.catalog.form_render import build_form
from govhall.catalog.models import GuideVersion
from govhall.catalog.services import EDITABLE_STATUSES
from govhall.core.web import errors_to_form
from govhall.workbench.decorators import staff_required
from govhall.workbench.forms_catalog import (
    FORMSETS,
    LIST_ELEMENTS,
    DefinitionForm,
    GuideForm,
    MaterialFormSet,
    MaterialRowForm,
    kept_forms,
    rows_json,
)
from govhall.workbench.views.catalog_items import page

_MATERIAL_ERROR_RE = re.compile(r"^materials\[(\d+)\]\.(\w+)$")
PREVIEW_PREFIX = "preview"  # the preview sits inside the editor form: its names must not collide


def version_for(user, pk: int, perm: str = "catalog.view_versions") -> GuideVersion:
    """The version prepared for work, if the user holds ``perm`` for it (403 otherwise)."""
    try:
        version = queries.version_for_work(pk)
    except GuideVersion.DoesNotExist:
        raise Http404 from None
    if not user.has_perm(perm, version):
        raise PermissionDenied
    return version


def _forms(version: GuideVersion, data: Any = None, files: Any = None) -> dict[str, Any]:
    """The guide form, one formset per list element and the material formset, bound or not."""
    lists = {
        name: FORMSETS[name](
            data, prefix=name, initial=[form.initial_from(entry) for entry in (getattr(version, name) or [])]
        )
        for name, (form, _legend) in LIST_ELEMENTS.items()
    }
    materials = MaterialFormSet(
        data,
        files,
        prefix="materials",
        initial=[MaterialRowForm.initial_from(material) for material in version.materials.all()],
    )
    guide = GuideForm(data, initial=GuideForm.initial_from(version))
    return {"guide": guide, "lists": lists, "materials": materials}


def _valid(forms: dict[str, Any]) -> bool:
    results = [forms["guide"].is_valid(), forms["materials"].is_valid()]
    results += [formset.is_valid() for formset in forms["lists"].values()]
    return all(results)


def _save(version: GuideVersion, forms: dict[str, Any], by: Any) -> None:
    data = forms["guide"].cleaned_data
    fields = {name: data[name] for name in GuideForm.SCALARS}
    fields.update({name: rows_json(formset) for name, formset in forms["lists"].items()})
    services.save_draft(
        version.pk,
        by=by,
        centres=[centre.pk for centre in data["centres"]],
        materials=rows_json(forms["materials"]),
        **fields,
    )


def _attach(forms: dict[str, Any], error: ValidationError) -> None:
    """Material errors go on their row and field; everything else on the guide form."""
    if not hasattr(error, "error_dict"):
        errors_to_form(forms["guide"], error)
        return
    rows = kept_forms(forms["materials"])
    rest = {}
    for key, messages_ in error.message_dict.items():
        match = _MATERIAL_ERROR_RE.match(key)
        if match and int(match[1]) < len(rows):
            row = rows[int(match[1])]
            row.add_error(match[2] if match[2] in row.fields else None, messages_)
        else:
            rest[key] = messages_
    if rest:
        errors_to_form(forms["guide"], ValidationError(rest))


@staff_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft (or a returned version); the publication problems are listed beside it."""
    version = version_for(request.user, pk, "catalog.edit_guide")
    if version.status not in EDITABLE_STATUSES:
        messages.info(request, _("该版本为“%(s)s”，不能修改。") % {"s": version.get_status_display()})
        return redirect("workbench:catalog_version", version.pk)
    status = 200
    if request.method == "POST":
        forms = _forms(version, request.POST, request.FILES)
        if _valid(forms):
            try:
                _save(version, forms, request.user)
            except ValidationError as error:
                _attach(forms, error)
            else:
                messages.success(request, _("草稿已保存。"))
                return redirect("workbench:catalog_edit", version.pk)
        status = 400
        messages.error(request, _("草稿未保存：请按提示修改后重新保存。"))
    else:
        forms = _forms(version)
    return page(
        request,
        "workbench/catalog/edit.html",
        status=status,
        version=version,
        item=version.item,
        problems=checks.problems(version),
        preview=build_form(version.form_definition, prefix=PREVIEW_PREFIX),
        **forms,
    )


@require_POST
@staff_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the form definition in the textarea, rendered as an applicant will see it."""
    version_for(request.user, pk)
    form = DefinitionForm(request.POST)
    context: dict[str, Any] = {"definition_errors": [], "preview": None}
    if form.is_valid():
        context["preview"] = build_form(form.cleaned_data["form_definition"], prefix=PREVIEW_PREFIX)
    else:
        context["definition_errors"] = form.errors.get("form_definition", [])
    return render(request, "workbench/catalog/_preview.html", context)


@require_POST
@staff_required
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The department confirms the draft and sends it to the owning office (Art. 7)."""
    version = version_for(request.user, pk)
    try:
        services.submit(version.pk, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("workbench:catalog_edit", version.pk)
    messages.success(request, _("第%(n)d版已提交，等待政务公开办审核发布。") % {"n": version.number})
    return redirect("workbench:catalog_item", version.item_id)
