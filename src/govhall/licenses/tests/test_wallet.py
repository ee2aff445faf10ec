"""我的证照: the holder downloads; another holder cannot; a share link works once, expires, survives a
link previewer's GET; every use is shown to the holder."""

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from govhall.licenses import wallet
from govhall.licenses.models import LicenseAccess, ShareLink
from govhall.licenses.services import issue_license, pdf_bytes


@pytest.fixture
def license(hall):
    return issue_license(hall.food, hall.alice, {"shop_name": "张记面馆", "operator": "张三"}, hall.department)


def _share(client, license, purpose="办理银行开户"):
    response = client.post(reverse("portal:license_share", args=[license.identifier]), {"purpose": purpose})
    assert response.status_code == 200
    url = response.context["url"]
    return url[url.index("/licenses/shared/") :]


def test_the_wallet_lists_the_holders_licenses_with_status_and_the_header_links_it(client, hall, license):
    client.force_login(hall.alice)
    page = client.get(reverse("portal:licenses")).content.decode()
    assert "食品经营许可证" in page
    assert "有效" in page
    assert reverse("portal:licenses") in page
    detail = client.get(reverse("portal:license", args=[license.identifier])).content.decode()
    assert "张记面馆" in detail
    assert license.identifier in detail


def test_the_holder_downloads_the_signed_pdf_and_the_jws(client, hall, license):
    client.force_login(hall.alice)
    pdf = client.get(reverse("portal:license_download", args=[license.identifier, "pdf"]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf) == pdf_bytes(license)
    jws = client.get(reverse("portal:license_download", args=[license.identifier, "jws"]))
    assert jws.content.decode() == license.jws


@pytest.mark.parametrize("url_name", ["license", "license_download"])
def test_another_holder_gets_404_and_nothing_leaks(client, hall, license, url_name):
    client.force_login(hall.bob)
    args = [license.identifier] + (["pdf"] if url_name == "license_download" else [])
    response = client.get(reverse(f"portal:{url_name}", args=args))
    assert response.status_code == 404
    assert "张记面馆" not in response.content.decode()
    assert "食品经营许可证" not in client.get(reverse("portal:licenses")).content.decode()
    share = client.post(reverse("portal:license_share", args=[license.identifier]), {"purpose": "x"})
    assert share.status_code == 404
    assert not ShareLink.objects.exists()


def test_anonymous_visitors_are_sent_to_login(client, license):
    response = client.get(reverse("portal:license_download", args=[license.identifier, "pdf"]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_share_link_survives_a_previewers_get_works_once_and_is_logged(client, hall, license):
    client.force_login(hall.alice)
    path = _share(client, license)
    token = path.rstrip("/").rsplit("/", 1)[1]
    link = ShareLink.objects.get()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in link.token_hash
    client.logout()

    for _ in range(3):  # a chat app's previewer, then the recipient opening it
        page = client.get(path)
        assert page.status_code == 200
        assert "办理银行开户" in page.content.decode()
    assert ShareLink.objects.get().consumed_at is None

    used = client.post(path)
    assert used.status_code == 200
    assert used["Content-Type"] == "application/pdf"
    assert used.content == pdf_bytes(license)

    again = client.post(path)
    assert again.status_code == 410
    assert "已被使用过" in again.content.decode()
    assert client.get(path).status_code == 410

    access = LicenseAccess.objects.get()
    assert access.purpose == "办理银行开户"
    assert access.share_link == link
    client.force_login(hall.alice)
    log = client.get(reverse("portal:license", args=[license.identifier])).content.decode()
    assert "分享链接使用" in log
    assert "办理银行开户" in log


def test_a_share_link_expires_after_ten_minutes(client, hall, license):
    created = wallet.create_share_link(license, hall.alice, purpose="租房")
    assert created.link.expires_at - created.link.created_at == datetime.timedelta(minutes=10)
    ShareLink.objects.filter(pk=created.link.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    path = reverse("portal:license_shared", args=[created.token])
    response = client.post(path)
    assert response.status_code == 410
    assert "已过期" in response.content.decode()
    assert not LicenseAccess.objects.exists()


def test_an_unknown_token_says_so(client, license):
    response = client.get(reverse("portal:license_shared", args=["nope"]))
    assert response.status_code == 410
    assert "无效" in response.content.decode()


def test_a_share_needs_a_purpose_and_a_valid_license(client, hall, license):
    from django.core.exceptions import ValidationError

    from govhall.licenses.models import LicenseStatus
    from govhall.licenses.services import change_status

    with pytest.raises(ValidationError) as refused:
        wallet.create_share_link(license, hall.alice, purpose="  ")
    assert "purpose" in refused.value.message_dict
    change_status(license, LicenseStatus.SUSPENDED, "整改", None)
    license.refresh_from_db()
    with pytest.raises(ValidationError):
        wallet.create_share_link(license, hall.alice, purpose="租房")
    assert not ShareLink.objects.exists()


def test_the_access_log_is_append_only_in_python_and_in_the_database(hall, license):
    from django.db import DatabaseError, connection, transaction

    from govhall.licenses.models import AppendOnlyError

    access = wallet.record_staff_access(license, hall.acceptor, purpose="受理审查")
    with pytest.raises(AppendOnlyError):
        access.save()
    with pytest.raises(AppendOnlyError):
        LicenseAccess.objects.all().update(purpose="x")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE licenses_licenseaccess SET purpose = 'x'")
    assert LicenseAccess.objects.get().purpose == "受理审查"
