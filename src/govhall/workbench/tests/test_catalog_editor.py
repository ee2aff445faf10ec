"""The guide editor and the publication review, as staff use them (issue 5; Art. 7, 10, 17, 23)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from govhall.catalog.models import GuideVersion, ServiceItem, VersionStatus

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" + b"0" * 200 + b"\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200

NEW_CONDITIONS = "有经营能力的公民；经营场所符合规定；名称符合规定；申请人无失信被执行记录。"


def _form_values(form) -> dict:
    """What a browser would post for ``form`` as the page rendered it."""
    data = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False or hasattr(value, "storage"):
            continue
        if value is True:
            data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(getattr(entry, "pk", entry)) for entry in value]
        else:
            data[bound.html_name] = str(value)
    return data


def _editor_post(response) -> dict:
    """The editor page's whole form as rendered: guide fields, every formset and its management form."""
    context = response.context
    data = _form_values(context["guide"])
    for formset in [*context["lists"].values(), context["materials"]]:
        data.update(_form_values(formset.management_form))
        for form in formset.forms:
            data.update(_form_values(form))
    return data


@pytest.fixture
def item(demo):
    """The city market regulator's item (a district implements the same national item too)."""
    return ServiceItem.objects.get(name="个体工商户设立登记", department__name="长春市市场监督管理局")


def _start(client, item) -> GuideVersion:
    response = client.post(reverse("workbench:catalog_start_draft", args=[item.pk]))
    draft = item.versions.get(status=VersionStatus.DRAFT)
    assert response.status_code == 302
    assert response.url == reverse("workbench:catalog_edit", args=[draft.pk])
    return draft


def _materials(response) -> list[str]:
    """The names of the materials the editor page shows (extra blank rows left out)."""
    return [form.initial["name"] for form in response.context["materials"].forms if form.initial]


def test_editor_revises_a_guide_and_the_office_publishes_it(staff_client, item):
    editor = staff_client("amr_editor")
    listing = editor.get(reverse("workbench:catalog_items"))
    assert listing.status_code == 200
    assert "个体工商户设立登记" in listing.text
    assert "内地居民婚姻登记" not in listing.text

    draft = _start(editor, item)
    page = editor.get(reverse("workbench:catalog_edit", args=[draft.pk]))
    assert page.status_code == 200
    assert 'id="publication-problems"' in page.text
    data = _editor_post(page)
    names = _materials(page)
    premises, other = 0, len(names) - 1
    data["conditions"] = NEW_CONDITIONS
    data[f"materials-{premises}-acceptance_standard"] = "不动产权证书或租赁合同，地址与申请一致"
    data[f"materials-{premises}-blank_form"] = SimpleUploadedFile("租赁合同模板.pdf", PDF, "application/pdf")
    saved = editor.post(reverse("workbench:catalog_edit", args=[draft.pk]), data)
    assert saved.status_code == 302, saved.context and saved.context["materials"].errors

    draft.refresh_from_db()
    assert draft.conditions == NEW_CONDITIONS
    stored = draft.materials.get(name=names[premises])
    assert stored.acceptance_standard.startswith("不动产权证书")
    assert stored.blank_form.name.endswith(".pdf")
    assert list(draft.materials.values_list("name", flat=True)) == names  # the others survived the save

    # An executable renamed .pdf is refused, and nothing of that save is kept.
    other_form_before = draft.materials.get(name=names[other]).blank_form.name
    page = editor.get(reverse("workbench:catalog_edit", args=[draft.pk]))
    data = _editor_post(page)
    data["conditions"] = "这次修改不应被保存"
    data[f"materials-{other}-blank_form"] = SimpleUploadedFile("申请表.pdf", EXE, "application/pdf")
    refused = editor.post(reverse("workbench:catalog_edit", args=[draft.pk]), data)
    assert refused.status_code == 400
    assert "可执行程序" in refused.text
    draft.refresh_from_db()
    assert draft.conditions == NEW_CONDITIONS
    assert draft.materials.get(name=names[other]).blank_form.name == other_form_before
    assert draft.materials.get(name=names[premises]).blank_form.name == stored.blank_form.name  # kept

    submitted = editor.post(reverse("workbench:catalog_submit", args=[draft.pk]))
    assert submitted.status_code == 302
    draft.refresh_from_db()
    assert draft.status == VersionStatus.SUBMITTED
    assert editor.post(reverse("workbench:catalog_publish", args=[draft.pk])).status_code == 403

    office = staff_client("city_admin")
    to_review = office.get(reverse("workbench:catalog_items"), {"status": "to_review"})
    assert "个体工商户设立登记" in to_review.text
    assert "食品经营许可" not in to_review.text
    review = office.get(reverse("workbench:catalog_review", args=[draft.pk]))
    assert review.status_code == 200
    conditions = next(entry for entry in review.context["diff"].changed_fields if entry.name == "conditions")
    assert conditions.old == item.published_version.conditions
    assert conditions.new == NEW_CONDITIONS
    plain = re.sub(r"</?(ins|del)>", "", review.text)  # changed words are marked inside the texts
    assert NEW_CONDITIONS in plain
    assert item.published_version.conditions in plain
    assert "<ins>" in review.text
    assert "<del>" in review.text
    assert "租赁合同模板" in review.text  # the material change, attribute by attribute

    published = office.post(reverse("workbench:catalog_publish", args=[draft.pk]))
    assert published.status_code == 302
    item.refresh_from_db()
    assert item.published_version_id == draft.pk

    guide = office.get(reverse("portal:item", args=[item.implementation_code]))
    assert NEW_CONDITIONS in guide.text

    history = editor.get(reverse("workbench:catalog_item", args=[item.pk]))
    old = item.versions.get(number=1)
    assert [v.number for v in history.context["versions"]] == [2, 1]
    assert "已替代" in history.text
    assert "已发布" in history.text
    old_page = editor.get(reverse("workbench:catalog_version", args=[old.pk]))
    assert old_page.status_code == 200
    assert old.conditions in old_page.text
    diff_page = editor.get(reverse("workbench:catalog_diff", args=[draft.pk]))
    assert NEW_CONDITIONS in re.sub(r"</?(ins|del)>", "", diff_page.text)


def test_a_fee_with_fractions_of_a_fen_is_refused(staff_client, item):
    editor = staff_client("amr_editor")
    draft = _start(editor, item)
    data = _editor_post(editor.get(reverse("workbench:catalog_edit", args=[draft.pk])))
    data.update({"fees-0-name": "工本费", "fees-0-amount_yuan": "10.005", "fees-0-legal_basis": "某文件"})
    response = editor.post(reverse("workbench:catalog_edit", args=[draft.pk]), data)
    assert response.status_code == 400
    assert "两位小数" in response.text
    draft.refresh_from_db()
    assert draft.fees == []

    data["fees-0-amount_yuan"] = "10.05"
    assert editor.post(reverse("workbench:catalog_edit", args=[draft.pk]), data).status_code == 302
    draft.refresh_from_db()
    assert draft.fees == [{"name": "工本费", "amount_fen": 1005, "legal_basis": "某文件", "exemption": ""}]


def test_returned_with_a_reason_the_editor_sees_it(staff_client, item):
    editor = staff_client("amr_editor")
    draft = _start(editor, item)
    editor.post(reverse("workbench:catalog_submit", args=[draft.pk]))
    office = staff_client("city_admin")
    assert office.post(reverse("workbench:catalog_return", args=[draft.pk]), {"reason": ""}).status_code == 400
    office.post(reverse("workbench:catalog_return", args=[draft.pk]), {"reason": "受理条件表述不清"})
    draft.refresh_from_db()
    assert draft.status == VersionStatus.RETURNED
    page = staff_client("amr_editor").get(reverse("workbench:catalog_edit", args=[draft.pk]))
    assert "受理条件表述不清" in page.text


def test_preview_renders_the_form_or_lists_what_is_wrong(staff_client, item):
    editor = staff_client("amr_editor")
    draft = _start(editor, item)
    url = reverse("workbench:catalog_preview", args=[draft.pk])
    good = '{"fields": [{"name": "shop", "label": "店铺名称", "type": "text", "required": true}]}'
    response = editor.post(url, {"form_definition": good})
    assert response.status_code == 200
    assert "店铺名称" in response.text
    assert 'name="preview-shop"' in response.text
    bad = editor.post(url, {"form_definition": '{"fields": [{"name": "x", "label": "X", "type": "colour"}]}'})
    assert "未知的字段类型" in bad.text
    broken = editor.post(url, {"form_definition": '{"fields": ['})
    assert "不是有效的JSON" in broken.text


def test_the_editor_creates_an_item_of_their_department(staff_client, demo):
    from govhall.directory.models import Department

    editor = staff_client("amr_editor")
    amr = Department.objects.get(name="长春市市场监督管理局")
    data = {
        "name": "测试新事项",
        "basic_code": "000101009000",
        "implementation_code": amr.uscc + "0000000000199",
        "item_type": "01",
        "department": amr.pk,
        "region": amr.region_id,
        "service_object": "legal_person",
        "case_type": "2",
    }
    response = editor.post(reverse("workbench:catalog_create_item"), data)
    assert response.status_code == 302
    assert ServiceItem.objects.filter(name="测试新事项", department=amr).exists()


@pytest.mark.parametrize("username", ["nanguan_admin", "amr_acceptor"])
def test_staff_outside_the_department_get_403(staff_client, item, username):
    outsider = staff_client(username)
    draft = _start(staff_client("amr_editor"), item)
    outsider = staff_client(username)
    assert outsider.get(reverse("workbench:catalog_item", args=[item.pk])).status_code == 403
    assert outsider.get(reverse("workbench:catalog_edit", args=[draft.pk])).status_code == 403
    assert outsider.post(reverse("workbench:catalog_start_draft", args=[item.pk])).status_code == 403
    assert outsider.post(reverse("workbench:catalog_submit", args=[draft.pk])).status_code == 403


def test_the_district_office_sees_only_its_district(staff_client):
    response = staff_client("nanguan_admin").get(reverse("workbench:catalog_items"))
    assert response.status_code == 200
    assert "个体工商户设立登记" not in response.text  # a city item
    assert all(row.region.code.startswith("220102") for row in response.context["page_obj"])


def test_staff_without_a_catalog_role_get_403_on_the_list(staff_client):
    assert staff_client("amr_acceptor").get(reverse("workbench:catalog_items")).status_code == 403
