"""The English interface: the catalogue is complete and the public pages really switch language."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from govhall.core.workdays.hours import OfficeHours
from govhall.directory.models import Department, Region, ServiceCentre, SubHall

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
CHINESE_NAV_LABELS = [
    "首页",
    "个人办事",
    "法人办事",
    "分厅",
    "服务中心",
    "部门",
    "登录",
    "注册",
    "长者模式",
    "主办单位",
]
ENGLISH_NAV_LABELS = [
    "Home",
    "Services for Individuals",
    "Services for Enterprises",
    "Sub-halls",
    "Service Centres",
    "Departments",
    "Log in",
    "Register",
    "Senior Mode",
]
ENGLISH_FOOTER_LABELS = ["Organiser", "Government Service Hotline", "Website Identification Code"]


def _po_path() -> Path:
    return Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"


def _unquote(line: str) -> str:
    body = line.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def _po_entries(text: str):
    """Yield (msgctxt, msgid, [msgstr...], flags) for every live entry of a .po file."""
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip() and not line.startswith("#~")]
        if not lines:
            continue
        fields: dict[str, list[str]] = {}
        flags: list[str] = []
        key = None
        for line in lines:
            if line.startswith("#,"):
                flags += [flag.strip() for flag in line[2:].split(",")]
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                fields[key][-1] += _unquote(line)
            else:
                key, _, value = line.partition(" ")
                fields.setdefault(key, []).append(_unquote(value))
        if "msgid" not in fields:
            continue
        strs = [value for name, values in fields.items() if name.startswith("msgstr") for value in values]
        yield fields.get("msgctxt", [None])[0], fields["msgid"][0], strs, flags


def _text(response) -> str:
    return unescape(response.content.decode())


def _switch_to_english(client, next_url="/"):
    return client.post("/i18n/setlang/", {"language": "en", "next": next_url}, follow=True)


def _header(html: str) -> str:
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def _footer(html: str) -> str:
    return html[html.index('<footer class="site-footer') : html.index("</footer>")]


# --- The catalogue ---


def test_every_msgid_in_the_english_catalogue_is_translated():
    text = _po_path().read_text(encoding="utf-8")
    entries = list(_po_entries(text))
    assert len(entries) > 400  # the header plus hundreds of interface strings
    untranslated = [
        (ctxt, msgid) for ctxt, msgid, strs, _ in entries if msgid and (not strs or not all(s.strip() for s in strs))
    ]
    assert not untranslated, f"English translation missing for: {untranslated}"
    fuzzy = [msgid for _, msgid, _, flags in entries if msgid and "fuzzy" in flags]
    assert not fuzzy, f"fuzzy (unchecked) English translations: {fuzzy}"


def test_placeholders_survive_translation():
    placeholder = re.compile(r"%\(\w+\)[sd]")
    for _, msgid, strs, _ in _po_entries(_po_path().read_text(encoding="utf-8")):
        for msgstr in strs:
            assert sorted(placeholder.findall(msgstr)) == sorted(placeholder.findall(msgid)), msgid


def test_compiled_catalogue_is_up_to_date_with_the_po_file():
    """django.mo must be recompiled after every .po change: each msgid of the .po is in the loaded catalogue."""
    catalog = translation.trans_real.translation("en")._catalog
    for ctxt, msgid, strs, _ in _po_entries(_po_path().read_text(encoding="utf-8")):
        if not msgid:
            continue
        key = f"{ctxt}\x04{msgid}" if ctxt else msgid
        if len(strs) > 1:  # plural: stored as (msgid, index)
            assert catalog.get((key, 0)) == strs[0], f"run compilemessages: {msgid!r} is stale in django.mo"
        else:
            assert catalog.get(key) == strs[0], f"run compilemessages: {msgid!r} is stale in django.mo"


# --- The pages ---


def test_home_page_in_english(client, demo):
    response = _switch_to_english(client)
    html = response.content.decode()
    assert '<html lang="en">' in html
    header, footer = _header(html), _footer(html)
    for label in ENGLISH_NAV_LABELS:
        assert label in header, label
    for label in CHINESE_NAV_LABELS:
        assert label not in header, label
    for label in ENGLISH_FOOTER_LABELS:
        assert label in footer, label
    assert "主办单位" not in footer
    assert "政务服务便民热线" not in footer
    assert "网站标识码" not in footer
    assert "Services for Individuals" in html
    assert "Services for Enterprises" in html
    assert "Municipal Government Service Centres" in html
    assert "个人办事" not in html
    # Names are data with English versions, shown instead of the Chinese ones.
    assert "Nanguan District" in html
    assert "Changchun Government Service Centre" in html
    assert "长春市政务服务中心" not in html
    # Office hours are formatted in English.
    assert "Mon–Fri 09:00-12:00, 13:30-17:00" in html


def test_language_button_offers_chinese_back(client, demo):
    html = _switch_to_english(client).content.decode()
    assert 'value="zh-hans"' in _header(html)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    html = client.get("/").content.decode()
    assert "个人办事" in _header(html)
    assert "长春市政务服务中心" in html


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "/personal/",
            ["Services for Individuals", "By life event", "Birth and Adoption", "Changchun Public Security Bureau"],
        ),
        ("/enterprise/", ["Services for Enterprises", "By business life cycle", "Operating Permits"]),
        ("/sub-halls/", ["Sub-halls of Districts", "Nanguan District Sub-hall"]),
        (
            "/sub-halls/220102/",
            ["Nanguan District Sub-hall", "Service Departments", "Nanguan District Government Service Centre"],
        ),
        ("/centres/", ["Government Service Centres", "Municipal level", "Nanling Subdistrict Public Service Centre"]),
        (
            "/centres/cc-city/",
            ["Changchun Government Service Centre", "Office hours", "Window no.", "Resident departments"],
        ),
        ("/departments/", ["Service Departments", "Unified Social Credit Code", "Changchun", "Nanguan District"]),
    ],
)
def test_directory_pages_in_english(client, demo, path, expected):
    _switch_to_english(client)
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    for text in expected:
        assert text in html, text
    assert "个人办事" not in _header(html)


def test_login_page_in_english(client, demo):
    _switch_to_english(client)
    html = client.get("/accounts/login/").content.decode()
    assert "Applicant Login" in html
    assert "Mobile number / ID document number / Unified Social Credit Code" in html
    assert "Password" in html
    assert "Individual Registration" in html
    assert "Forgot password" in html
    assert "申请人登录" not in html
    assert "密码" not in html


def test_failed_login_shows_an_english_error(client, demo):
    _switch_to_english(client)
    html = client.post("/accounts/login/", {"identifier": "13800000000", "password": "wrong-password"}).content
    assert "Incorrect account or password." in html.decode()


def test_registration_page_in_english(client, demo):
    _switch_to_english(client)
    html = client.get("/accounts/register/").content.decode()
    for label in [
        "Real-name Registration for Individuals",
        "ID document type",
        "Resident Identity Card",
        "ID document number",
        "Mobile number",
        "Image verification code",
        "Get SMS verification code",
        "SMS verification code",
        "Set a password",
        "Confirm password",
        "I have read and accept the Privacy Policy",
    ]:
        assert label in html, label
    form = html[html.index("<form method") : html.index("</form>")]
    assert not CJK.search(form.replace("简体中文", "")), CJK.findall(form)


def test_invalid_registration_shows_english_errors(client, demo):
    _switch_to_english(client)
    data = {
        "action": "register",
        "name": "张三",
        "document_type": "resident_id",
        "document_number": "123",
        "mobile": "12345",
        "code": "123456",
        "password": "Secret@2026",
        "password2": "Secret@2026",
    }
    response = client.post("/accounts/register/", data)
    assert response.status_code == 200
    page = _text(response)
    assert "Please enter an 11-digit mainland China mobile number." in page
    assert "The ID document number must have 18 characters; it has 3." in page
    assert "Please read and accept the Privacy Policy." in page
    assert "请输入11位中国大陆手机号码" not in page
    assert not client.session.get("_auth_user_id")


def test_malformed_sms_code_error_is_english(client, demo):
    _switch_to_english(client)
    response = client.post("/accounts/register/", {"action": "register", "mobile": "13900000000", "code": "1"})
    page = _text(response)
    assert "Please enter the 6-digit SMS verification code." in page
    assert "This field is required." in page  # Django's own catalogue, for the missing fields


def test_enterprise_registration_page_in_english(client, demo):
    _switch_to_english(client)
    html = _text(client.get("/accounts/register/enterprise/"))
    for label in ["Real-name Registration for Enterprises", "Enterprise name", "Legal representative's name"]:
        assert label in html, label


def test_not_found_page_in_english(client, demo):
    _switch_to_english(client)
    response = client.get("/centres/nowhere/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


# --- Localised names and office hours ---


@pytest.mark.django_db
def test_localized_name_filter_uses_the_english_name_only_in_english():
    from govhall.core.templatetags.govhall import localized_name, localized_title

    city = Region.objects.create(code="220100", name="长春市", name_en="Changchun", kind="city")
    district = Region.objects.create(code="220102", name="南关区", name_en="", kind="district", parent=city)
    hall = SubHall.objects.create(region=city, title="长春市分厅")
    with translation.override("zh-hans"):
        assert localized_name(city) == "长春市"
        assert localized_title(hall) == "长春市分厅"
    with translation.override("en"):
        assert localized_name(city) == "Changchun"
        assert localized_name(district) == "南关区"  # no English name: the Chinese one, never blank
        assert localized_title(hall) == "Changchun Sub-hall"
        assert localized_name(None) == ""


def test_demo_data_has_english_names_for_regions_centres_and_city_departments(demo):
    assert not Region.objects.filter(kind__in=["city", "district", "county", "county_city"], name_en="").exists()
    assert not ServiceCentre.objects.filter(name_en="").exists()
    assert not Department.objects.filter(level="city", name_en="").exists()


def test_office_hours_follow_the_language():
    hours = OfficeHours.from_json({day: [["09:00", "12:00"], ["13:30", "17:00"]] for day in ("mon", "tue", "wed")})
    with translation.override("zh-hans"):
        assert hours.describe() == "周一至周三 09:00-12:00、13:30-17:00（法定节假日除外）"
    with translation.override("en"):
        assert hours.describe() == "Mon–Wed 09:00-12:00, 13:30-17:00 (except public holidays)"
        assert OfficeHours(weekly={}).describe() == "Not available"
