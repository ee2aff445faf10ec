"""The owning office edits an item's own fields: visible at once, identity frozen once published."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from govhall.catalog import services
from govhall.catalog.models import ServiceItem
from govhall.core.audit.models import AuditEvent
from govhall.workbench.tests.test_catalog_editor import _form_values


@pytest.fixture
def item(demo):
    return ServiceItem.objects.get(name="个体工商户设立登记", department__name="长春市市场监督管理局")


def test_the_city_office_adds_an_alias_and_search_finds_it_at_once(
    staff_client, item, django_capture_on_commit_callbacks
):
    public = Client()
    assert "个体工商户设立登记" not in public.get("/search/", {"q": "小本买卖"}).content.decode()
    client = staff_client("city_admin")
    url = reverse("workbench:catalog_edit_item", args=[item.pk])
    data = {**_form_values(client.get(url).context["form"]), "aliases": "个体户注册 开店 小本买卖"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    assert "个体工商户设立登记" in public.get("/search/", {"q": "小本买卖"}).content.decode()
    event = AuditEvent.objects.get(action="catalog.item_updated", object_id=str(item.pk))
    assert event.after["aliases"] == "个体户注册 开店 小本买卖"


def test_a_published_item_keeps_its_code(staff_client, item):
    client = staff_client("city_admin")
    url = reverse("workbench:catalog_edit_item", args=[item.pk])
    data = {**_form_values(client.get(url).context["form"]), "implementation_code": "11220100MB0000019Q9999999999999"}
    client.post(url, data)
    item.refresh_from_db()
    assert item.implementation_code != "11220100MB0000019Q9999999999999"
    with pytest.raises(ValidationError, match="不能修改编码"):
        services.update_item(
            item.pk, by=item.versions.first().published_by, region=item.department.region.children.first()
        )


def test_an_instant_item_with_three_review_stages_is_refused_and_nothing_changes(demo):
    food = ServiceItem.objects.get(name="食品经营许可")  # 承诺件: acceptance, review, decision
    with pytest.raises(ValidationError, match="即办件"):
        services.update_item(food.pk, by=demo["city_admin"], case_type="1")
    food.refresh_from_db()
    assert food.case_type == "2"


def test_only_the_owning_office_edits_the_item(staff_client, item, demo):
    assert staff_client("amr_editor").get(reverse("workbench:catalog_edit_item", args=[item.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.update_item(item.pk, by=demo["nanguan_admin"], aliases="x")


def test_the_editor_links_a_stored_blank_form_to_the_workbench_not_to_media(staff_client, item, demo):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from govhall.catalog.tests.factories import PDF_BYTES

    client = staff_client("amr_editor")
    draft = services.start_draft(item.pk, by=demo["amr_editor"])
    materials = [{"name": m.name, "acceptance_standard": m.acceptance_standard} for m in draft.materials.all()]
    materials[0]["blank_form"] = SimpleUploadedFile("申请书.pdf", PDF_BYTES)
    services.set_materials(draft.pk, by=demo["amr_editor"], materials=materials)
    page = client.get(reverse("workbench:catalog_edit", args=[draft.pk])).content.decode()
    material = draft.materials.get(order=1)
    link = reverse("workbench:catalog_material_file", args=[material.pk, "blank-form"])
    assert f'href="{link}"' in page
    assert "/media/" not in page
    response = client.get(link)
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert staff_client("nanguan_admin").get(link).status_code == 403
