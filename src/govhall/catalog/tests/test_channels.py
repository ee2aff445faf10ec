"""One source for every channel (Art. 3(3), Art. 17; issue 5 item 7).

For an item with every guide element filled, each channel is read the way a user receives it — the
HTML page parsed into its labelled sections, the API and export JSON decoded, the PDF's extracted
text split at its headings — and compared with the DATABASE field by field.
"""

import json
import re
from html.parser import HTMLParser

import pytest

from govhall.catalog import services
from govhall.catalog.models import ONLINE_DEPTH_FIELDS, ServiceItem
from govhall.catalog.tests.factories import LicenseTypeFactory, ServiceItemFactory, complete_guide
from govhall.catalog.tests.test_pdf import pdf_text
from govhall.directory.tests.factories import ServiceCentreFactory

pytestmark = pytest.mark.django_db

HEADINGS = [
    "基本信息",
    "办理时限",
    "网上办理深度",
    "受理条件",
    "申请材料",
    "收费标准",
    "窗口办理流程",
    "网上办理流程",
    "审查环节",
    "特别程序",
    "办理地点和时间",
    "咨询和投诉",
    "常见问题",
    "设定依据",
]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


class GuideHTML(HTMLParser):
    """Text per ``<section>`` (by its h2) and per material ``<article>`` (by its h3), and dt → dd."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, str] = {}
        self.articles: dict[str, str] = {}
        self.facts: dict[tuple[str, str], str] = {}
        self._section = self._article = None
        self._heading: str | None = None
        self._buffer = ""
        self._term = self._in = None

    def handle_starttag(self, tag, attrs):
        if tag in ("h2", "h3", "dt", "dd"):
            self._in, self._buffer = tag, ""
        if tag == "section":
            self._section = ""
        if tag == "article":
            self._article = ""

    def handle_endtag(self, tag):
        if tag == "h2" and self._section is not None:
            self._section = self._buffer.strip()
            self.sections[self._section] = ""
        elif tag == "h3" and self._article is not None:
            self._article = self._buffer.strip()
            self.articles[self._article] = ""
        elif tag == "dt":
            self._term = self._buffer.strip()
        elif tag == "dd":
            self.facts[(self._article or self._section, self._term)] = self._buffer.strip()
        elif tag == "section":
            self._section = None
        elif tag == "article":
            self._article = None
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        self._buffer += data
        if self._section:
            self.sections[self._section] += data
        if self._article:
            self.articles[self._article] += data


def parse_page(html: str) -> GuideHTML:
    parser = GuideHTML()
    parser.feed(html)
    return parser


def pdf_sections(text: str) -> dict[str, str]:
    """The PDF text cut at the section headings (each heading is a line of its own)."""
    lines = text.splitlines()
    starts = [(index, line.strip()) for index, line in enumerate(lines) if line.strip() in HEADINGS]
    sections = {}
    for position, (index, heading) in enumerate(starts):
        end = starts[position + 1][0] if position + 1 < len(starts) else len(lines)
        sections[heading] = "\n".join(lines[index + 1 : end])
    return sections


@pytest.fixture
def complete(world):
    """A city item with every element filled, published through the services; with a rare name."""
    centre = ServiceCentreFactory(
        region=world.city, name="长春市政务服务中心测试馆", address="长春市南关区人民大街1号", phone="0431-88880000"
    )
    license_type = LicenseTypeFactory(name="营业执照")
    item = ServiceItemFactory(
        department=world.department,
        region=world.city,
        name="䶮𠮷经营场所许可",
        case_type="2",
        booking=True,
        pre_review=True,
        online_payment=True,
        themes=["permits"],
        aliases="场所许可",
        keywords="经营 场所",
    )
    item.result_license_types.set([LicenseTypeFactory(name="经营场所许可证")])
    fields, materials = complete_guide(centre.pk, license_type.pk)
    draft = services.start_draft(item.pk, by=world.editor)
    services.update_draft(draft.pk, by=world.editor, centres=[centre.pk], **fields)
    services.set_materials(draft.pk, by=world.editor, materials=materials)
    services.submit(draft.pk, by=world.editor)
    services.publish(draft.pk, by=world.city_admin)
    return ServiceItem.objects.get(pk=item.pk)


def expected_sections(item: ServiceItem) -> dict[str, list[str]]:
    """What each labelled section must show, read from the database (not from any serializer)."""
    guide = item.published_version
    stages = {"formal": "形式审查", "substantive": "实质审查", "procedural": "程序性审查"}
    roles = {"acceptor": "受理人员", "reviewer": "审查人员", "decider": "决定人员"}
    centres = list(guide.centres.all())
    return {
        "基本信息": [
            item.department.name,
            item.get_item_type_display(),
            item.basic_code,
            item.implementation_code,
            item.get_service_object_display(),
            item.region.name,
            item.get_case_type_display(),
            f"{guide.on_site_visits}次",
            "是（不适用30分钟网上预审时限）" if guide.special_or_complex else "否",
            *[lt.name for lt in item.result_license_types.all()],
        ],
        "办理时限": [
            f"{guide.statutory_limit}{guide.get_statutory_unit_display()}",
            guide.statutory_note,
            f"{guide.promised_limit}{guide.get_promised_unit_display()}",
            guide.promised_note,
        ],
        "网上办理深度": [
            f"{ServiceItem._meta.get_field(name).verbose_name}：{'支持' if getattr(item, name) else '不支持'}"
            for name in ONLINE_DEPTH_FIELDS
        ],
        "受理条件": [guide.conditions],
        "收费标准": [
            value
            for fee in guide.fees
            for value in (fee["name"], f"{fee['amount_fen'] / 100:.2f}元", fee["legal_basis"], fee["exemption"])
            if value
        ],
        "窗口办理流程": [f"{s['name']}：{s['applicant_action']}" for s in guide.window_steps],
        "网上办理流程": [f"{s['name']}：{s['applicant_action']}" for s in guide.online_steps],
        "审查环节": [
            f"{s['name']}：{stages[s['kind']]}，{roles[s['role']]}，{s['days']}个工作日" for s in guide.review_stages
        ],
        "特别程序": list(guide.special_procedures),
        "办理地点和时间": [v for c in centres for v in (c.name, c.address, c.phone, c.hours.describe())],
        "咨询和投诉": [guide.consultation_phone, guide.complaint_phone],
        "常见问题": [v for entry in guide.faq for v in (entry["q"], entry["a"])],
        "设定依据": [guide.legal_basis],
    }


def expected_materials(item: ServiceItem) -> dict[str, list[str]]:
    """Per material heading ``<order>. <name>``: every material element from the database."""
    expected = {}
    for m in item.published_version.materials.all():
        values = [
            m.get_necessity_display(),
            m.get_form_display(),
            m.get_source_display(),
            str(m.count),
            m.paper_spec,
            m.acceptance_standard,
            m.notes,
            m.non_shareable_legal_basis,
            *[f"可用电子证照“{lt.name}”替代" for lt in m.replacing_license_types.all()],
        ]
        if m.condition:
            values.append("当“是否委托代理人”为“是”时提交")
        expected[f"{m.order}. {m.name}"] = [v for v in values if v]
    return expected


def assert_sections(sections: dict[str, str], expected: dict[str, list[str]]) -> None:
    for heading, values in expected.items():
        assert heading in sections, heading
        text = squash(sections[heading])
        for value in values:
            assert squash(value) in text, (heading, value)


def test_complete_item_fills_every_element(complete):
    guide = complete.published_version
    materials = list(guide.materials.all())
    assert all(expected_sections(complete).values())
    assert materials[0].blank_form
    assert materials[0].sample
    assert materials[0].non_shareable_legal_basis
    assert materials[1].condition
    assert materials[2].replacing_license_types.exists()


def test_html_page_shows_every_element_in_its_section(client, complete):
    page = parse_page(client.get(f"/items/{complete.implementation_code}/").content.decode())
    assert_sections(page.sections, expected_sections(complete))
    assert_sections(page.articles, expected_materials(complete))
    guide = complete.published_version
    assert page.facts[("基本信息", "实施主体")] == complete.department.name
    assert page.facts[("基本信息", "实施编码")] == complete.implementation_code
    assert squash(page.facts[("办理时限", "法定办结时限")]) == squash(
        f"{guide.statutory_limit} 工作日（{guide.statutory_note}）"
    )
    assert page.facts[("咨询和投诉", "投诉电话")] == guide.complaint_phone
    # a step in the right section only: window steps are not listed under the online process
    assert guide.window_steps[1]["name"] not in page.sections["网上办理流程"]


def test_html_page_links_the_downloads_and_the_print_copy(client, complete):
    code = complete.implementation_code
    html = client.get(f"/items/{code}/").content.decode()
    assert f'href="/items/{code}/materials/1/blank-form/"' in html
    assert f'href="/items/{code}/materials/1/sample/"' in html
    assert "/media/" not in html
    assert f'href="/items/{code}/guide.pdf"' in html


def test_pdf_shows_every_element_in_its_section(client, complete):
    response = client.get(f"/items/{complete.implementation_code}/guide.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert_sections(pdf_sections(text), expected_sections(complete))
    materials_text = squash(pdf_sections(text)["申请材料"])
    for heading, values in expected_materials(complete).items():
        block = materials_text.split(squash(heading), 1)[1]
        for value in values:
            assert squash(value) in block, (heading, value)
    assert complete.name in text  # 生僻字 rendered with the embedded CJK font
    assert f"第{complete.published_version.number}版" in squash(text)


def assert_json_matches_db(data: dict, item: ServiceItem) -> None:
    """The JSON a machine receives, field by field against the database."""
    guide = item.published_version
    assert data["implementation_code"] == item.implementation_code
    assert data["basic_code"] == item.basic_code
    assert data["name"] == item.name
    assert data["item_type"]["code"] == item.item_type
    assert data["case_type"]["code"] == item.case_type
    assert data["department"]["name"] == item.department.name
    assert data["region"]["code"] == item.region.code
    assert data["online_depth"] == {name: getattr(item, name) for name in ONLINE_DEPTH_FIELDS}
    assert data["themes"] == item.themes
    assert [lt["type_code"] for lt in data["result_license_types"]] == [
        lt.type_code for lt in item.result_license_types.all()
    ]
    out = data["guide"]
    assert out["number"] == guide.number
    assert out["status"]["code"] == "published"
    for field in ("conditions", "legal_basis", "special_or_complex", "on_site_visits", "special_procedures", "faq"):
        assert out[field] == getattr(guide, field), field
    for kind in ("statutory", "promised"):
        limit = out[f"{kind}_limit"]
        assert limit["value"] == getattr(guide, f"{kind}_limit")
        assert limit["unit"]["code"] == getattr(guide, f"{kind}_unit")
        assert limit["note"] == getattr(guide, f"{kind}_note")
    assert [(f["name"], f["amount_fen"], f["legal_basis"], f["exemption"]) for f in out["fees"]] == [
        (f["name"], f["amount_fen"], f["legal_basis"], f["exemption"]) for f in guide.fees
    ]
    for name in ("window_steps", "online_steps"):
        assert [(s["name"], s["applicant_action"]) for s in out[name]] == [
            (s["name"], s["applicant_action"]) for s in getattr(guide, name)
        ]
    assert [(s["name"], s["kind"]["code"], s["role"]["code"], s["days"]) for s in out["review_stages"]] == [
        (s["name"], s["kind"], s["role"], s["days"]) for s in guide.review_stages
    ]
    assert (out["consultation_phone"], out["complaint_phone"]) == (guide.consultation_phone, guide.complaint_phone)
    assert [(c["code"], c["address"], c["phone"]) for c in out["centres"]] == [
        (c.code, c.address, c.phone) for c in guide.centres.all()
    ]
    assert out["form_definition"] == guide.form_definition
    materials = list(guide.materials.all())
    assert len(out["materials"]) == len(materials)
    for got, m in zip(out["materials"], materials, strict=True):
        for field in ("order", "name", "count", "paper_spec", "notes", "acceptance_standard"):
            assert got[field] == getattr(m, field), field
        assert got["non_shareable_legal_basis"] == m.non_shareable_legal_basis
        assert (got["necessity"]["code"], got["form"]["code"], got["source"]["code"]) == (
            m.necessity,
            m.form,
            m.source,
        )
        assert got["condition"] == (m.condition or None)
        assert [lt["type_code"] for lt in got["replacing_license_types"]] == [
            lt.type_code for lt in m.replacing_license_types.all()
        ]
        assert bool(got["blank_form_url"]) == bool(m.blank_form)
        assert bool(got["sample_url"]) == bool(m.sample)


def test_api_detail_matches_the_database(client, complete):
    response = client.get(f"/api/v1/catalog/items/{complete.implementation_code}")
    assert response.status_code == 200
    assert_json_matches_db(json.loads(response.content), complete)


def test_export_matches_the_database(client, complete):
    response = client.get("/catalog/export.json")
    assert response["Content-Disposition"].startswith("attachment")
    document = json.loads(response.content)
    assert document["schema_version"] == "1.0"
    entries = {entry["implementation_code"]: entry for entry in document["items"]}
    assert set(entries) == set(
        ServiceItem.objects.filter(published_version__isnull=False).values_list("implementation_code", flat=True)
    )
    assert_json_matches_db(entries[complete.implementation_code], complete)
    api = json.loads(client.get("/api/v1/catalog/export").content)
    assert_json_matches_db(next(e for e in api["items"] if e["name"] == complete.name), complete)


def _channels(client, code: str) -> dict[str, str]:
    """What every channel shows for one item, as text."""
    return {
        "page": client.get(f"/items/{code}/").content.decode(),
        "pdf": pdf_text(client.get(f"/items/{code}/guide.pdf").content),
        "api": client.get(f"/api/v1/catalog/items/{code}").content.decode("unicode_escape"),
        "export": client.get("/catalog/export.json").content.decode(),
        "api_export": json.dumps(json.loads(client.get("/api/v1/catalog/export").content), ensure_ascii=False),
    }


def test_a_new_version_reaches_every_channel_and_a_draft_none(
    client, complete, world, django_capture_on_commit_callbacks
):
    code = complete.implementation_code
    before = _channels(client, code)  # fills every cache
    assert all("申请人为本市常住居民" in squash(text) for text in before.values())

    draft = services.start_draft(complete.pk, by=world.editor)
    services.update_draft(draft.pk, by=world.editor, conditions="草稿中的新条件甲乙丙。")
    leaked = _channels(client, code)
    assert not any("草稿中的新条件甲乙丙" in squash(text) for text in leaked.values())
    assert client.get(f"/api/v1/catalog/items/{code}/versions/{draft.number}").status_code == 404

    services.submit(draft.pk, by=world.editor)
    with django_capture_on_commit_callbacks(execute=True):  # the catalog version is bumped on commit
        services.publish(draft.pk, by=world.city_admin)
    after = _channels(client, code)
    for channel, text in after.items():
        assert "草稿中的新条件甲乙丙" in squash(text), channel
        assert "申请人为本市常住居民" not in squash(text), channel

    history = json.loads(client.get(f"/api/v1/catalog/items/{code}/versions").content)
    assert [(v["number"], v["status"]["code"]) for v in history] == [
        (draft.number, "published"),
        (draft.number - 1, "superseded"),
    ]
    old = json.loads(client.get(f"/api/v1/catalog/items/{code}/versions/{draft.number - 1}").content)
    assert old["conditions"] == "申请人为本市常住居民；经营场所符合规划用途。"
