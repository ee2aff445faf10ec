"""Blank forms and samples on materials (Art. 17): documents are stored, executables change nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from govhall.catalog import services
from govhall.catalog.models import MaterialRequirement
from govhall.catalog.tests.factories import valid_guide

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _draft(world):
    draft = services.start_draft(world.city_item.pk, by=world.editor)
    services.update_draft(draft.pk, by=world.editor, **valid_guide())
    return draft


def _material(**files):
    return {"name": "申请书", "acceptance_standard": "填写完整并签字", **files}


def test_blank_form_and_sample_are_stored_and_carried_into_the_next_draft(world):
    draft = _draft(world)
    services.set_materials(
        draft.pk,
        by=world.editor,
        materials=[
            _material(
                blank_form=SimpleUploadedFile("申请书.pdf", PDF), sample=SimpleUploadedFile("申请书样表.pdf", PDF)
            )
        ],
    )
    services.submit(draft.pk, by=world.editor)
    services.publish(draft.pk, by=world.city_admin)
    material = MaterialRequirement.objects.get(version=draft)
    assert material.blank_form.read() == PDF

    next_draft = services.start_draft(world.city_item.pk, by=world.editor)
    copied = next_draft.materials.get()
    assert (copied.blank_form.name, copied.sample.name) == (material.blank_form.name, material.sample.name)


def test_an_executable_posing_as_a_blank_form_changes_nothing(world):
    draft = _draft(world)
    services.set_materials(draft.pk, by=world.editor, materials=[_material()])
    exe = SimpleUploadedFile("申请书.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200)
    with pytest.raises(ValidationError) as error:
        services.set_materials(draft.pk, by=world.editor, materials=[_material(name="新材料", blank_form=exe)])
    assert "可执行程序" in error.value.message_dict["materials[0].blank_form"][0]
    assert list(draft.materials.values_list("name", "blank_form")) == [("申请书", "")]
