import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from govhall.core.audit.models import AuditEvent
from govhall.directory import services
from govhall.directory.models import Department, Region, ServiceCentre, SubHall


def test_district_office_edits_its_sub_hall_and_it_is_audited(demo):
    hall = SubHall.objects.get(region__code="220102")
    services.update_sub_hall(hall.pk, by=demo["nanguan_admin"], notice="国庆期间周六正常办公。")
    hall.refresh_from_db()
    assert hall.notice == "国庆期间周六正常办公。"
    event = AuditEvent.objects.get(action="sub_hall.updated")
    assert event.after == {"notice": "国庆期间周六正常办公。"}
    assert event.actor_id == demo["nanguan_admin"].pk


def test_district_office_cannot_edit_another_sub_hall(demo):
    hall = SubHall.objects.get(region__code="220104")
    with pytest.raises(PermissionDenied):
        services.update_sub_hall(hall.pk, by=demo["nanguan_admin"], notice="越权")
    hall.refresh_from_db()
    assert hall.notice != "越权"
    assert not AuditEvent.objects.filter(action="sub_hall.updated").exists()


def test_unknown_fields_are_refused(demo):
    hall = SubHall.objects.get(region__code="220102")
    with pytest.raises(ValidationError):
        services.update_sub_hall(hall.pk, by=demo["nanguan_admin"], region_id=1)


@pytest.mark.parametrize(
    "hours",
    [
        {"mon": [["12:00", "09:00"]]},  # ends before it starts
        {"mon": [["09:00", "12:00"], ["11:00", "17:00"]]},  # overlap
        {"funday": [["09:00", "12:00"]]},  # no such day
        {"mon": [["9 am", "12:00"]]},
    ],
)
def test_bad_office_hours_change_nothing(demo, hours):
    centre = ServiceCentre.objects.get(code="nanguan")
    before = centre.office_hours
    with pytest.raises(ValidationError):
        services.update_centre(centre.pk, by=demo["nanguan_admin"], office_hours=hours)
    centre.refresh_from_db()
    assert centre.office_hours == before


def new_department(**extra):
    return {
        "name": "长春市测试局",
        "region": Region.objects.get(code="220100"),
        "level": "city",
        "consultation_phone": "0431-1",
        "complaint_phone": "0431-2",
    } | extra


def test_department_with_a_valid_uscc(demo):
    department = services.create_department(by=demo["city_admin"], **new_department(uscc="91110000802100433b"))
    assert department.uscc == "91110000802100433B"


def test_legacy_uscc_needs_the_city_office_override_with_a_reason(demo):
    legacy = "11220100MB0001001X"  # fails its checksum
    with pytest.raises(ValidationError) as info:
        services.create_department(by=demo["city_admin"], **new_department(uscc=legacy))
    assert "校验位" in str(info.value)
    department = services.create_department(
        by=demo["city_admin"],
        legacy_uscc_reason="2015年前赋码，经市场监管局核实",
        **new_department(uscc=legacy),
    )
    assert department.uscc_override_reason
    assert AuditEvent.objects.get(action="department.created").reason == "2015年前赋码，经市场监管局核实"


def test_override_does_not_excuse_a_malformed_code(demo):
    with pytest.raises(ValidationError):
        services.create_department(by=demo["city_admin"], legacy_uscc_reason="理由", **new_department(uscc="ABC"))
    assert not Department.objects.filter(name="长春市测试局").exists()


def test_only_the_city_office_registers_departments(demo):
    with pytest.raises(PermissionDenied):
        services.create_department(by=demo["nanguan_admin"], **new_department(uscc="91110000802100433B"))
