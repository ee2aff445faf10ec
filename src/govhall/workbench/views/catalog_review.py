"""Review and history of guide versions: the owning office compares a submitted version with the
published one and publishes or returns it (Art. 7); every version stays readable (Art. 23)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.catalog import checks, downloads, queries, services
from govhall.catalog.diff import GUIDE_ELEMENTS, MATERIAL_ATTRIBUTES, diff_versions, guide_display, material_display
from govhall.catalog.models import GuideVersion, MaterialRequirement, VersionStatus
from govhall.workbench.decorators import staff_required
from govhall.workbench.forms_catalog import ReturnForm
from govhall.workbench.views.catalog_editor import version_for
from govhall.workbench.views.catalog_items import page


def _published(version: GuideVersion) -> GuideVersion | None:
    """The item's current published version (what a submitted version would replace)."""
    current = version.item.published_version_id
    return None if current is None or current == version.pk else queries.version_for_work(current)


def _review_page(request: HttpRequest, version: GuideVersion, status: int = 200, **extra) -> HttpResponse:
    base = _published(version)
    may_decide = version.status == VersionStatus.SUBMITTED and request.user.has_perm("catalog.publish_guide", version)
    context = {
        "version": version,
        "item": version.item,
        "base": base,
        "diff": diff_versions(base, version),
        "problems": checks.problems(version),
        "may_decide": may_decide,
        "return_form": ReturnForm(),
        "publish_errors": [],
        **extra,
    }
    return page(request, "workbench/catalog/review.html", status=status, **context)


@staff_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The submitted version against the published one, field by field, with publish / return."""
    return _review_page(request, version_for(request.user, pk))


@require_POST
@staff_required
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request.user, pk)
    try:
        services.publish(version.pk, by=request.user)
    except ValidationError as error:
        return _review_page(request, version, status=400, publish_errors=error.messages)
    messages.success(request, _("第%(n)d版已发布，门户即时显示新指南。") % {"n": version.number})
    return redirect("workbench:catalog_item", version.item_id)


@require_POST
@staff_required
def return_draft(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request.user, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.return_draft(version.pk, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            return _review_page(request, version, status=400, publish_errors=error.messages, return_form=form)
        messages.success(request, _("第%(n)d版已退回部门修改。") % {"n": version.number})
        return redirect("workbench:catalog_item", version.item_id)
    return _review_page(request, version, status=400, return_form=form)


def _material_rows(material: MaterialRequirement) -> list[tuple[str, str]]:
    rows = []
    for name in MATERIAL_ATTRIBUTES:
        label = MaterialRequirement._meta.get_field(name).verbose_name
        rows.append((label, material_display(material, name)))
    return rows


@staff_required
def material_file(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    """A blank form or sample of any version the user may see (drafts included), for checking."""
    material = get_object_or_404(MaterialRequirement.objects.select_related("version__item__region"), pk=pk)
    version_for(request.user, material.version_id)
    return downloads.material_file_response(material, kind)


@staff_required
def version(request: HttpRequest, pk: int) -> HttpResponse:
    """One version in full, read-only (history: superseded versions stay readable)."""
    found = version_for(request.user, pk)
    elements = [
        (GuideVersion._meta.get_field(name).verbose_name, guide_display(found, name)) for name in GUIDE_ELEMENTS
    ]
    materials = [(material, _material_rows(material)) for material in found.materials.all()]
    return page(
        request,
        "workbench/catalog/version.html",
        version=found,
        item=found.item,
        elements=elements,
        materials=materials,
        may_edit=found.status in services.EDITABLE_STATUSES and request.user.has_perm("catalog.edit_guide", found),
    )


@staff_required
def version_diff(request: HttpRequest, pk: int) -> HttpResponse:
    """A version against its predecessor (by number)."""
    found = version_for(request.user, pk)
    previous = queries.previous_version(found)
    return page(
        request,
        "workbench/catalog/diff.html",
        version=found,
        item=found.item,
        base=previous,
        diff=diff_versions(previous, found),
    )
