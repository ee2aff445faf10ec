import pytest
from django.test import RequestFactory

from govhall.core.middleware import client_ip


@pytest.mark.parametrize(
    ("header", "count", "forwarded", "expected"),
    [
        ("", 1, "1.2.3.4", "10.0.0.9"),  # no trusted proxy: the header is ignored
        ("X-Forwarded-For", 1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # the proxy appended the last one
        ("X-Forwarded-For", 2, "6.6.6.6, 1.2.3.4, 10.0.0.2", "1.2.3.4"),  # two proxies
        ("X-Forwarded-For", 1, "", "10.0.0.9"),  # header missing: the socket address
    ],
)
def test_client_ip_trusts_only_the_configured_proxy(settings, header, count, forwarded, expected):
    settings.TRUSTED_PROXY_HEADER = header
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


@pytest.mark.django_db
def test_healthz_reports_database_cache_and_missing_worker(client):
    body = client.get("/healthz").json()
    assert body["checks"] == {"database": "ok", "cache": "ok", "worker": "missing"}


@pytest.mark.django_db
def test_healthz_sees_the_worker_heartbeat(client):
    from govhall.core.tasks import heartbeat

    heartbeat()
    assert client.get("/healthz").json()["checks"]["worker"] == "ok"


@pytest.mark.django_db
def test_friendly_chinese_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@pytest.mark.django_db
def test_api_404_uses_the_json_error_format(client):
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "页面不存在", "fields": {}}
