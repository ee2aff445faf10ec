"""The item list, new items and an item's version history (issue 5, items 3, 9; Art. 7, Art. 23)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.accounts.models import Role
from govhall.catalog import queries, services
from govhall.catalog.models import OPEN_STATUSES, ServiceItem
from govhall.core.web import errors_to_form
from govhall.workbench.decorators import staff_required
from govhall.workbench.forms_catalog import ItemFilterForm, ItemForm
from govhall.workbench.menu import menu_for

CATALOG_ROLES = (Role.CITY_ADMIN, Role.DISTRICT_ADMIN, Role.DEPARTMENT_ADMIN, Role.GUIDE_EDITOR)
PAGE_SIZE = 50


def page(request: HttpRequest, template: str, status: int = 200, **context) -> HttpResponse:
    return render(request, template, {"menu": menu_for(request.user), **context}, status=status)


def ensure_catalog_staff(user) -> None:
    if not any(user.has_role(role) for role in CATALOG_ROLES):
        raise PermissionDenied


def item_for(user, pk: int) -> ServiceItem:
    """The item, if the user may see its versions (403 otherwise)."""
    item = get_object_or_404(ServiceItem.objects.select_related("department", "region", "published_version"), pk=pk)
    if not user.has_perm("catalog.view_versions", item):
        raise PermissionDenied
    return item


@staff_required
def items(request: HttpRequest) -> HttpResponse:
    """The items the user works on, with their publication status (also the district office's view)."""
    user = request.user
    ensure_catalog_staff(user)
    form = ItemFilterForm(request.GET or None, wide=user.has_role(Role.CITY_ADMIN))
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = queries.manageable_items(
        user,
        status=filters.get("status") or None,
        region=getattr(filters.get("region"), "pk", None),
        department=getattr(filters.get("department"), "pk", None),
        query=filters.get("q") or "",
    )
    page_obj = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page(
        request,
        "workbench/catalog/items.html",
        form=form,
        page_obj=page_obj,
        query=query.urlencode(),
    )


@staff_required
def create_item(request: HttpRequest) -> HttpResponse:
    user = request.user
    ensure_catalog_staff(user)
    departments, regions = queries.item_creation_scopes(user)
    form = ItemForm(request.POST or None, departments=departments, regions=regions)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.create_item(by=user, **form.service_arguments())
        except PermissionDenied:
            form.add_error(None, _("您无权在所选实施主体和区划下新建事项。"))
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("已新建事项：%(name)s。请编写办事指南。") % {"name": item.name})
            return redirect("workbench:catalog_item", item.pk)
    return page(request, "workbench/catalog/item_form.html", status=400 if form.errors else 200, form=form)


IDENTITY_FIELDS = ("basic_code", "implementation_code", "department", "region")


def _item_initial(item: ServiceItem) -> dict:
    initial = {name: getattr(item, name) for name in ItemForm.base_fields if name != "result_license_types"}
    return {**initial, "result_license_types": list(item.result_license_types.all())}


@staff_required
def edit_item(request: HttpRequest, pk: int) -> HttpResponse:
    """The owning office edits the item's own fields; a published item keeps its codes and owner."""
    user = request.user
    found = item_for(user, pk)
    if not user.has_perm("catalog.update_item", found):
        raise PermissionDenied
    departments, regions = queries.item_creation_scopes(user)
    form = ItemForm(request.POST or None, initial=_item_initial(found), departments=departments, regions=regions)
    if found.published_version_id:
        for name in IDENTITY_FIELDS:
            form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        for name in IDENTITY_FIELDS:
            if found.published_version_id:
                arguments.pop(name)
        try:
            services.update_item(found.pk, by=user, **arguments)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("事项信息已保存。"))
            return redirect("workbench:catalog_item", found.pk)
    return page(request, "workbench/catalog/item_form.html", status=400 if form.errors else 200, form=form, item=found)


@staff_required
def item(request: HttpRequest, pk: int) -> HttpResponse:
    """The item's versions, newest first: who submitted and published each, and why one was returned."""
    user = request.user
    found = item_for(user, pk)
    versions = list(queries.item_versions(found.pk))
    open_version = next((version for version in versions if version.status in OPEN_STATUSES), None)
    return page(
        request,
        "workbench/catalog/item.html",
        item=found,
        versions=versions,
        open_version=open_version,
        may_edit=user.has_perm("catalog.edit_guide", found),
        may_publish=user.has_perm("catalog.publish_guide", found),
        may_update=user.has_perm("catalog.update_item", found),
    )


@require_POST
@staff_required
def start_draft(request: HttpRequest, pk: int) -> HttpResponse:
    found = item_for(request.user, pk)
    try:
        draft = services.start_draft(found.pk, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("workbench:catalog_item", found.pk)
    messages.success(request, _("已新建第%(n)d版草稿。") % {"n": draft.number})
    return redirect("workbench:catalog_edit", draft.pk)
