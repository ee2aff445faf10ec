"""The version diff the office reads before publishing (Art. 7)."""

from __future__ import annotations

import pytest

from govhall.catalog.diff import diff_versions, segments
from govhall.catalog.tests.factories import (
    GuideVersionFactory,
    LicenseTypeFactory,
    MaterialRequirementFactory,
    ServiceItemFactory,
    valid_guide,
)

pytestmark = pytest.mark.django_db


def _pair(old_fields: dict, new_fields: dict):
    """Two drafts (of two items: only one open version per item; the diff does not look at the item)."""
    return (
        GuideVersionFactory(item=ServiceItemFactory(), number=1, **valid_guide(**old_fields)),
        GuideVersionFactory(item=ServiceItemFactory(), number=2, **valid_guide(**new_fields)),
    )


def _field(diff, name):
    return next(entry for entry in diff.fields if entry.name == name)


def test_unchanged_versions_have_no_changes():
    old, new = _pair({}, {})
    diff = diff_versions(old, new)
    assert not diff.has_changes
    assert diff.changed_fields == []
    assert {entry.name for entry in diff.unchanged_fields} >= {"conditions", "fees", "form_definition"}


def test_a_changed_condition_shows_old_and_new_with_the_changed_words_marked():
    old, new = _pair({"conditions": "申请人年满18周岁。"}, {"conditions": "申请人年满16周岁。"})
    diff = diff_versions(old, new)
    assert [entry.name for entry in diff.changed_fields] == ["conditions"]
    entry = _field(diff, "conditions")
    assert (entry.old, entry.new) == ("申请人年满18周岁。", "申请人年满16周岁。")
    assert ("delete", "18") in entry.old_segments
    assert ("insert", "16") in entry.new_segments
    assert ("equal", "申请人年满") in entry.new_segments


def test_fees_are_shown_in_yuan():
    fee = {"name": "工本费", "amount_fen": 1050, "legal_basis": "某文件", "exemption": ""}
    old, new = _pair({}, {"fees": [fee]})
    entry = _field(diff_versions(old, new), "fees")
    assert entry.changed
    assert "10.50元" in entry.new
    assert "10.00元" in entry.old


def test_long_texts_are_compared_line_by_line():
    old_text = "第一行不变\n第二行旧内容\n第三行不变"
    new_text = "第一行不变\n第二行新内容\n第三行不变"
    left, right = segments(old_text, new_text)
    assert ("delete", "第二行旧内容\n") in left
    assert ("insert", "第二行新内容\n") in right


def test_form_definition_changes_are_listed():
    definition = valid_guide()["form_definition"]
    bigger = {"fields": [*definition["fields"], {"name": "mobile", "label": "联系电话", "type": "phone"}]}
    old, new = _pair({}, {"form_definition": bigger})
    entry = _field(diff_versions(old, new), "form_definition")
    assert entry.changed
    assert any(tag == "insert" and "联系电话" in text for tag, text in entry.new_segments)


def test_materials_added_removed_and_changed_per_attribute():
    old, new = _pair({}, {})
    license_type = LicenseTypeFactory(name="营业执照")
    MaterialRequirementFactory(version=old, order=1, name="身份证", acceptance_standard="有效期内")
    MaterialRequirementFactory(version=old, order=2, name="租赁合同")
    MaterialRequirementFactory(version=old, order=3, name="户口簿")
    MaterialRequirementFactory(version=new, order=1, name="身份证", acceptance_standard="有效期内，与本人一致")
    MaterialRequirementFactory(version=new, order=2, name="户口簿")
    added = MaterialRequirementFactory(version=new, order=3, name="营业执照", source="e_license")
    added.replacing_license_types.set([license_type])
    materials = {entry.name: entry for entry in diff_versions(old, new).materials}
    assert materials["身份证"].status == "changed"
    assert [change.name for change in materials["身份证"].changes] == ["acceptance_standard"]
    assert materials["租赁合同"].status == "removed"
    assert materials["户口簿"].status == "unchanged"
    assert not materials["户口簿"].changed
    assert materials["营业执照"].status == "added"
    added_values = {change.name: change.new for change in materials["营业执照"].changes}
    assert added_values["source"] == "电子证照"
    assert added_values["replacing_license_types"] == "营业执照"


def test_the_first_version_is_compared_with_nothing():
    _old, new = _pair({}, {})
    diff = diff_versions(None, new)
    assert _field(diff, "conditions").old == ""
    assert _field(diff, "conditions").new == valid_guide()["conditions"]


def test_review_stages_name_their_kind_and_role_in_words():
    stage = {"name": "审查", "kind": "substantive", "role": "reviewer", "days": 3}
    old, new = _pair({}, {"review_stages": [stage]})
    entry = _field(diff_versions(old, new), "review_stages")
    assert entry.new == "1. 审查（实质审查，审查人员，3个工作日）"
