import datetime

import pytest

from govhall.core.audit.models import AuditEvent
from govhall.core.workdays import calendar as workdays
from govhall.core.workdays.models import CalendarYear


@pytest.mark.parametrize(
    ("username", "path", "status"),
    [
        ("auditor", "/workbench/audit/", 200),
        ("city_admin", "/workbench/audit/", 200),
        ("amr_acceptor", "/workbench/audit/", 403),
        ("nanguan_admin", "/workbench/audit/", 403),  # a district office reads no city-wide trail
        ("city_admin", "/workbench/calendar/", 200),
        ("auditor", "/workbench/calendar/", 403),
        ("city_admin", "/workbench/staff/", 200),
        ("nanguan_admin", "/workbench/staff/", 200),
        ("amr_reviewer", "/workbench/staff/", 403),
    ],
)
def test_pages_open_only_for_their_roles(staff_client, username, path, status):
    assert staff_client(username).get(path).status_code == status


def test_audit_search_by_action_and_export(staff_client):
    client = staff_client("auditor")
    html = client.get("/workbench/audit/", {"action": "role.*"}).content.decode()
    assert "role.assigned" in html
    assert "account.registered" not in html
    response = client.get("/workbench/audit/export.csv", {"action": "role.assigned"})
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert body.count("role.assigned") == AuditEvent.objects.filter(action="role.assigned").count()
    assert AuditEvent.objects.filter(action="audit.exported").exists()


def test_audit_search_rejects_a_bad_date(staff_client):
    html = staff_client("auditor").get("/workbench/audit/", {"since": "yesterday"}).content.decode()
    assert "有效的日期" in html or "Enter a valid date" in html


NOTICE_2027 = {
    "year": "2027",
    "source": "国办发明电〔2026〕9号（演示）",
    "holidays": "元旦 2027-01-01 2027-01-03\n春节 2027-02-05 2027-02-12\n国庆节 2027-10-01 2027-10-07",
    "makeup_days": "2027-02-14\n2027-10-09",
}


def test_city_office_previews_then_publishes_the_notice(staff_client):
    client = staff_client("city_admin")
    workdays.is_working_day(datetime.date(2027, 2, 10))  # the year exists as provisional
    html = client.post("/workbench/calendar/", NOTICE_2027 | {"action": "preview"}).content.decode()
    assert 'class="makeup_workday"' in html
    assert CalendarYear.objects.get(year=2027).status == "provisional"  # a preview writes nothing
    response = client.post("/workbench/calendar/", NOTICE_2027 | {"action": "publish"}, follow=True)
    assert "已发布为正式版" in response.content.decode()
    assert CalendarYear.objects.get(year=2027).status == "official"
    assert workdays.is_working_day(datetime.date(2027, 2, 14))  # a make-up Sunday
    assert not workdays.is_working_day(datetime.date(2027, 2, 10))
    event = AuditEvent.objects.get(action="calendar.year_published")
    assert event.actor_id is not None


def test_a_make_up_day_on_a_weekday_is_refused_and_nothing_changes(staff_client):
    client = staff_client("city_admin")
    workdays.is_working_day(datetime.date(2027, 2, 10))
    bad = NOTICE_2027 | {"makeup_days": "2027-02-10", "action": "publish"}
    html = client.post("/workbench/calendar/", bad).content.decode()
    assert "2027-02-10" in html
    assert CalendarYear.objects.get(year=2027).status == "provisional"


def test_admin_creates_staff_and_grants_a_scoped_role(staff_client, demo):
    client = staff_client("city_admin")
    response = client.post("/workbench/staff/new/", {"username": "li_si", "name": "李四", "password": "Long-enough-9"})
    assert response.status_code == 302
    from govhall.accounts.models import User

    li = User.objects.get(username="li_si")
    response = client.post(
        f"/workbench/staff/{li.pk}/roles/", {"role": "acceptor", "scope": "长春市公安局"}, follow=True
    )
    assert "已授予李四受理人员角色" in response.content.decode()
    assert li.role_assignments.get().department.name == "长春市公安局"


def test_district_admin_cannot_grant_outside_their_district(staff_client, demo):
    client = staff_client("nanguan_admin")
    reviewer = demo["amr_reviewer"]
    client.post(f"/workbench/staff/{reviewer.pk}/roles/", {"role": "reviewer", "scope": "长春市公安局"})
    assert not reviewer.role_assignments.filter(department__name="长春市公安局").exists()
    response = client.post(
        f"/workbench/staff/{reviewer.pk}/roles/", {"role": "reviewer", "scope": "南关区民政局"}, follow=True
    )
    assert reviewer.role_assignments.filter(department__name="南关区民政局").exists()
    assert "已授予" in response.content.decode()


def test_a_wrong_scope_kind_says_so(staff_client, demo):
    client = staff_client("city_admin")
    staff = demo["amr_reviewer"]
    response = client.post(
        f"/workbench/staff/{staff.pk}/roles/", {"role": "window_staff", "scope": "不存在"}, follow=True
    )
    assert "未找到服务中心“不存在”" in response.content.decode()
