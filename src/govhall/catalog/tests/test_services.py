import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from govhall.catalog import queries, services
from govhall.catalog.models import GuideVersion, PublishedVersionImmutable, VersionStatus
from govhall.catalog.tests.factories import LicenseTypeFactory, valid_guide
from govhall.core.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

MATERIALS = [
    {"name": "居民身份证", "form": "original", "acceptance_standard": "在有效期内", "source": "applicant"},
    {
        "name": "授权委托书",
        "necessity": "conditional",
        "condition": {"field": "has_agent", "equals": "yes"},
        "acceptance_standard": "委托事项明确",
    },
]


def _draft(world, item=None, by=None):
    item = item or world.city_item
    by = by or world.editor
    draft = services.start_draft(item.pk, by=by)
    services.update_draft(draft.pk, by=by, **valid_guide())
    services.set_materials(draft.pk, by=by, materials=MATERIALS)
    return draft


def _publish(world, item=None):
    item = item or world.city_item
    editor = world.editor if item == world.city_item else world.district_editor
    office = world.city_admin if item == world.city_item else world.district_admin
    draft = _draft(world, item, editor)
    services.submit(draft.pk, by=editor)
    return services.publish(draft.pk, by=office)


def test_create_item_by_its_department(world):
    item = services.create_item(
        by=world.department_admin,
        basic_code="000000000001",
        implementation_code="11220100MB1234567X0000000000999",
        name="城乡居民养老保险参保登记",
        item_type="20",
        department=world.department,
        region=world.city,
        service_object="natural_person",
        case_type="1",
        themes=["retirement"],
        result_license_types=[LicenseTypeFactory().pk],
    )
    assert item.result_license_types.count() == 1
    assert AuditEvent.objects.filter(action="catalog.item_created", object_id=str(item.pk)).exists()


def test_create_item_refuses_a_wrong_code_and_changes_nothing(world):
    with pytest.raises(ValidationError) as error:
        services.create_item(
            by=world.city_admin,
            basic_code="000000000001",
            implementation_code="TOO-SHORT",
            name="x",
            item_type="01",
            department=world.department,
            region=world.city,
            service_object="natural_person",
            case_type="1",
        )
    assert "implementation_code" in error.value.message_dict


def test_draft_submit_publish(world):
    version = _publish(world)
    world.city_item.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    assert world.city_item.published_version == version
    assert version.published_by == world.city_admin
    assert [m.name for m in version.materials.all()] == ["居民身份证", "授权委托书"]
    actions = list(
        AuditEvent.objects.filter(object_type="catalog.guideversion").order_by("id").values_list("action", flat=True)
    )
    assert actions == [
        "catalog.draft_started",
        "catalog.draft_updated",
        "catalog.materials_set",
        "catalog.guide_submitted",
        "catalog.guide_published",
    ]


def test_publication_bumps_the_catalog_cache_version(world, django_capture_on_commit_callbacks):
    before = queries.version()
    with django_capture_on_commit_callbacks(execute=True):
        _publish(world)
    assert queries.version() == before + 1


def test_new_draft_copies_the_published_version_and_supersedes_it_on_publication(world):
    first = _publish(world)
    second = services.start_draft(world.city_item.pk, by=world.editor)
    assert second.number == 2
    assert second.conditions == first.conditions
    assert second.form_definition == first.form_definition
    assert [m.name for m in second.materials.all()] == [m.name for m in first.materials.all()]
    services.update_draft(second.pk, by=world.editor, promised_limit=3)
    services.submit(second.pk, by=world.editor)
    services.publish(second.pk, by=world.city_admin)
    first.refresh_from_db()
    world.city_item.refresh_from_db()
    assert first.status == VersionStatus.SUPERSEDED
    assert first.promised_limit == 5  # history unchanged
    assert world.city_item.published_version_id == second.pk


def test_return_with_reason_then_edit_and_resubmit(world):
    draft = _draft(world)
    services.submit(draft.pk, by=world.editor)
    with pytest.raises(ValidationError):
        services.return_draft(draft.pk, by=world.city_admin, reason="  ")
    returned = services.return_draft(draft.pk, by=world.city_admin, reason="受理条件表述不清")
    assert returned.status == VersionStatus.RETURNED
    assert AuditEvent.objects.get(action="catalog.guide_returned").reason == "受理条件表述不清"
    services.update_draft(draft.pk, by=world.editor, conditions="申请人为本市户籍居民。")
    assert GuideVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT
    services.submit(draft.pk, by=world.editor)
    assert services.publish(draft.pk, by=world.city_admin).status == VersionStatus.PUBLISHED


def test_publication_checks_refuse_and_list_every_problem(world):
    draft = services.start_draft(world.city_item.pk, by=world.editor)
    services.update_draft(
        draft.pk, by=world.editor, **valid_guide(promised_limit=30, fees=[{"name": "费", "amount_fen": 1}])
    )
    services.submit(draft.pk, by=world.editor)
    with pytest.raises(ValidationError) as error:
        services.publish(draft.pk, by=world.city_admin)
    messages = error.value.message_dict["__all__"]
    assert len(messages) == 2, messages
    assert GuideVersion.objects.get(pk=draft.pk).status == VersionStatus.SUBMITTED


def test_published_version_cannot_be_edited_through_the_services(world):
    version = _publish(world)
    with pytest.raises(ValidationError):
        services.update_draft(version.pk, by=world.editor, conditions="悄悄修改")
    with pytest.raises(ValidationError):
        services.set_materials(version.pk, by=world.editor, materials=[])
    version.conditions = "悄悄修改"
    with pytest.raises(PublishedVersionImmutable):
        version.save()


def test_invalid_form_definition_is_refused_at_edit_time(world):
    draft = services.start_draft(world.city_item.pk, by=world.editor)
    with pytest.raises(ValidationError) as error:
        services.update_draft(
            draft.pk, by=world.editor, form_definition={"fields": [{"name": "x", "label": "X", "type": "blob"}]}
        )
    assert "form_definition" in error.value.message_dict


def test_only_draft_fields_may_be_changed(world):
    draft = services.start_draft(world.city_item.pk, by=world.editor)
    with pytest.raises(ValidationError) as error:
        services.update_draft(draft.pk, by=world.editor, status="published")
    assert "status" in error.value.message_dict


def test_a_second_open_draft_is_refused(world):
    services.start_draft(world.city_item.pk, by=world.editor)
    with pytest.raises(ValidationError):
        services.start_draft(world.city_item.pk, by=world.editor)


@pytest.mark.parametrize(
    ("actor", "action", "allowed"),
    [
        ("editor", "edit", True),  # the department's guide editor edits its guides
        ("department_admin", "edit", True),  # so does its department admin
        ("acceptor", "edit", False),  # an acceptor of the same department does not
        ("district_editor", "edit", False),  # another department's editor does not
        ("city_admin", "edit", False),  # the office publishes, it does not write the department's guide
        ("editor", "publish", False),  # Art. 7: the department confirms, the office publishes
        ("district_admin", "publish", False),  # a district office cannot publish a city item
        ("district_editor", "publish", False),  # nor can a district editor
        ("city_admin", "publish", True),  # the city office owns city items
        ("district_admin", "return", False),
        ("city_admin", "return", True),
    ],
)
def test_permissions_on_a_city_item(world, actor, action, allowed):
    draft = _draft(world)
    user = getattr(world, actor)
    if action != "edit":
        services.submit(draft.pk, by=world.editor)
    call = {
        "edit": lambda: services.update_draft(draft.pk, by=user, conditions="新的条件"),
        "publish": lambda: services.publish(draft.pk, by=user),
        "return": lambda: services.return_draft(draft.pk, by=user, reason="请补充"),
    }[action]
    if allowed:
        call()
    else:
        with pytest.raises(PermissionDenied):
            call()


def test_district_items_are_published_by_their_district_office(world):
    draft = _draft(world, world.district_item, world.district_editor)
    services.submit(draft.pk, by=world.district_editor)
    with pytest.raises(PermissionDenied):
        services.publish(draft.pk, by=world.city_admin)
    assert services.publish(draft.pk, by=world.district_admin).status == VersionStatus.PUBLISHED


def test_license_types_are_registered_by_the_city_office(world):
    fields = {
        "type_code": world.department.uscc + "001",
        "name": "社会保障卡",
        "defining_department": world.department,
        "fields": [{"name": "card_number", "label": "卡号"}],
    }
    with pytest.raises(PermissionDenied):
        services.create_license_type(by=world.editor, **fields)
    assert services.create_license_type(by=world.city_admin, **fields).name == "社会保障卡"
    with pytest.raises(ValidationError):
        services.create_license_type(by=world.city_admin, **{**fields, "type_code": "SHORT"})


@pytest.mark.parametrize("template", ["../settings.py", "licenses/missing.html", "portal/home.html"])
def test_a_license_type_prints_only_with_a_shipped_license_template(world, template):
    from govhall.core.validators import uscc_from_parts

    with pytest.raises(ValidationError) as error:
        services.create_license_type(
            by=world.city_admin,
            type_code=uscc_from_parts("11100000", "MA0000PX") + "901",
            name="测试证照",
            defining_department=world.department,
            print_template=template,
        )
    assert "print_template" in error.value.message_dict
