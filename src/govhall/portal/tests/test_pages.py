import pytest

from govhall.directory.models import ServiceCentre, SubHall


def test_home_page_shows_entrances_sub_halls_and_city_centres(client, demo):
    html = client.get("/").content.decode()
    assert "长春市网上办事大厅" in html
    assert "个人办事" in html
    assert "法人办事" in html
    for hall in SubHall.objects.select_related("region"):
        assert hall.region.name in html
    assert "长春市政务服务中心" in html
    assert "人民大街9999号" in html
    assert "周一至周五 09:00-12:00、13:30-17:00" in html


def test_footer_carries_the_filing_numbers_from_settings(client, demo, settings):
    settings.HALL = settings.HALL | {"icp_number": "吉ICP备12345678号", "site_code": "2201009999"}
    html = client.get("/").content.decode()
    assert "吉ICP备12345678号" in html
    assert "2201009999" in html


def test_sub_hall_page(client, demo):
    html = client.get("/sub-halls/220102/").content.decode()
    assert "南关区分厅" in html
    assert "不打烊" in html  # its notice
    assert "南关区政务服务中心" in html
    assert "南岭街道公共服务中心" in html
    assert "南关区市场监督管理局" in html


@pytest.mark.parametrize("path", ["/sub-halls/999999/", "/centres/nowhere/"])
def test_unknown_sub_hall_or_centre_is_a_friendly_404(client, demo, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_centre_page_lists_hours_and_windows(client, demo):
    html = client.get("/centres/cc-city/").content.decode()
    assert "综合受理窗口1" in html
    assert "市场监管局窗口" in html
    assert "周六 09:00-12:00" in html


def test_centres_page_lists_every_active_centre(client, demo):
    html = client.get("/centres/").content.decode()
    for centre in ServiceCentre.objects.filter(is_active=True):
        assert centre.name in html


def test_switch_to_english(client, demo):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Changchun Online Government Service Hall" in html


def test_elder_mode_is_remembered(client, demo):
    response = client.post("/display/elder-mode/", {"elder_mode": "1", "next": "/centres/"})
    assert response["Location"] == "/centres/"
    assert 'class="elder-mode' in client.get("/centres/").content.decode()
    client.post("/display/elder-mode/", {"elder_mode": "0", "next": "/"})
    assert 'class="elder-mode' not in client.get("/").content.decode()


def test_pages_load_no_asset_from_the_internet(client, demo):
    for path in ["/", "/centres/", "/sub-halls/220102/", "/accounts/login/", "/workbench/login/"]:
        html = client.get(path).content.decode()
        assert "http://" not in html.replace("http://www.w3.org", ""), path
        assert "https://" not in html, path


def test_home_page_shows_a_directory_change_at_once(client, demo, django_capture_on_commit_callbacks):
    """The home page's directory part is cached per directory version; a change bumps the version."""
    from govhall.directory import services

    assert "人民大街9999号" in client.get("/").content.decode()
    centre = ServiceCentre.objects.get(code="cc-city")
    with django_capture_on_commit_callbacks(execute=True):
        services.update_centre(centre.pk, by=demo["city_admin"], address="长春市南关区人民大街1号")
    html = client.get("/").content.decode()
    assert "人民大街1号" in html
    assert "人民大街9999号" not in html
