"""The ``licenses`` API, step 2: wallet, downloads, share links, access log, outages."""

import datetime

import pytest
from django.utils import timezone

from govhall.licenses import outages
from govhall.licenses.services import issue_license, pdf_bytes
from govhall.licenses.tests.test_faces import staff_login

API = "/api/v1/licenses"


@pytest.fixture
def license(hall):
    return issue_license(hall.food, hall.alice, {"shop_name": "张记面馆", "operator": "张三"}, hall.department)


def test_the_wallet_lists_and_downloads_the_holders_licenses(client, hall, license):
    client.force_login(hall.alice)
    listed = client.get(f"{API}/wallet").json()
    assert [row["identifier"] for row in listed] == [license.identifier]
    assert listed[0]["status"] == "01"
    assert listed[0]["data"]["shop_name"] == "张记面馆"
    assert client.get(f"{API}/wallet/{license.identifier}/pdf").content == pdf_bytes(license)
    assert client.get(f"{API}/wallet/{license.identifier}/jws").content.decode() == license.jws


def test_another_holder_gets_404_and_an_anonymous_caller_401(client, hall, license):
    assert client.get(f"{API}/wallet").status_code == 401
    client.force_login(hall.bob)
    assert client.get(f"{API}/wallet").json() == []
    for suffix in ("", "/pdf", "/jws", "/accesses"):
        response = client.get(f"{API}/wallet/{license.identifier}{suffix}")
        assert response.status_code == 404
        assert "张记面馆" not in response.content.decode()
    refused = client.post(
        f"{API}/wallet/{license.identifier}/shares", {"purpose": "x"}, content_type="application/json"
    )
    assert refused.status_code == 404


def test_a_share_link_via_the_api_previews_without_burning_then_works_once(client, hall, license):
    client.force_login(hall.alice)
    created = client.post(
        f"{API}/wallet/{license.identifier}/shares", {"purpose": "签订租房合同"}, content_type="application/json"
    )
    assert created.status_code == 201
    token = created.json()["token"]
    assert created.json()["url"].endswith(f"/licenses/shared/{token}/")
    client.logout()
    preview = client.get(f"{API}/shared/{token}")
    assert preview.json()["purpose"] == "签订租房合同"
    assert client.get(f"{API}/shared/{token}").status_code == 200
    used = client.post(f"{API}/shared/{token}")
    assert used.content == pdf_bytes(license)
    again = client.post(f"{API}/shared/{token}")
    assert again.status_code == 410
    assert again.json()["code"] == "used"
    client.force_login(hall.alice)
    log = client.get(f"{API}/wallet/{license.identifier}/accesses").json()
    assert [(row["kind"], row["purpose"]) for row in log] == [("share", "签订租房合同")]


def test_a_share_without_purpose_is_refused_with_the_field(client, hall, license):
    client.force_login(hall.alice)
    refused = client.post(
        f"{API}/wallet/{license.identifier}/shares", {"purpose": " "}, content_type="application/json"
    )
    assert refused.status_code == 422
    assert "purpose" in refused.json()["fields"]


def test_staff_list_outages_and_applicants_cannot(client, hall):
    outages.record_outage(
        hall.department,
        hall.head,
        license_types=[hall.food],
        reason="签章系统升级",
        starts_at=timezone.now() - datetime.timedelta(minutes=1),
        ends_at=None,
    )
    staff_login(client, hall.head)
    rows = client.get(f"{API}/outages").json()
    assert [(row["reason"], row["active"]) for row in rows] == [("签章系统升级", True)]
    staff_login(client, hall.acceptor)
    assert client.get(f"{API}/outages").status_code == 403
    client.force_login(hall.alice)
    assert client.get(f"{API}/outages").status_code == 403
