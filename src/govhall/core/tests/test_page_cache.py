"""Anonymous public pages come from the page cache, with the visitor's own CSRF token, and a change
to what they show is visible at once; visitors with a session always get a fresh page."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from govhall.directory import services as directory_services
from govhall.directory.models import SubHall

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _visit(client: Client, path: str = "/sub-halls/") -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_repeat_visit_is_served_from_the_cache_without_rendering(demo):
    first, _ = _visit(Client())
    hall = SubHall.objects.first()
    # Behind the services' back (no version bump): only a re-render would show the new title.
    SubHall.objects.filter(pk=hall.pk).update(title="未经发布的标题")
    second, warm = _visit(Client())
    assert "未经发布的标题" not in second
    assert TOKEN.sub("", first) == TOKEN.sub("", second)
    assert warm <= 2  # the versions and the page, from the database cache; none from Redis


def test_each_visitor_gets_a_working_token_of_their_own(demo):
    _visit(Client())
    visitor = Client(enforce_csrf_checks=True)
    page, _ = _visit(visitor)
    token = TOKEN.search(page).group(1)
    response = visitor.post("/display/elder-mode/", {"elder_mode": "1", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert response.cookies["elder_mode"].value == "1"
    elder_page, _ = _visit(visitor)
    assert "elder-mode" in elder_page


def test_a_directory_change_is_visible_at_once(demo, django_capture_on_commit_callbacks):
    hall = SubHall.objects.select_related("region").first()
    path = f"/sub-halls/{hall.region.code}/"
    _visit(Client(), path)
    admin = demo["city_admin"]
    with django_capture_on_commit_callbacks(execute=True):
        directory_services.update_sub_hall(hall.pk, by=admin, notice="明日起延长办公时间至19:00")
    page, _ = _visit(Client(), path)
    assert "明日起延长办公时间至19:00" in page


def test_logged_in_visitors_get_their_own_page(demo, client):
    _visit(Client())
    client.force_login(demo["张三"] if "张三" in demo else next(u for u in demo.values() if u.kind == "person"))
    page, queries = _visit(client)
    assert queries > 2
    assert "退出" in page
