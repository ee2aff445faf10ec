import shutil
import subprocess

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from govhall.catalog import checks, queries
from govhall.catalog.demo import FILES_DIR, FULL_ITEMS, catalog_items
from govhall.catalog.demo_data import FILES
from govhall.catalog.models import GuideVersion, LicenseType, MaterialRequirement, MaterialSource, ServiceItem
from govhall.catalog.themes import THEME_CODES
from govhall.directory.models import Region

CORE_NAMES = {"个体工商户设立登记", "食品经营许可", "城乡居民养老保险参保登记", "内地居民婚姻登记", "机动车驾驶证补领"}
PDFTOTEXT = shutil.which("pdftotext")


def _load(catalog: str) -> None:
    call_command("load_demo", catalog=catalog, verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


def _pdf_text(data: bytes) -> str:
    result = subprocess.run([PDFTOTEXT, "-q", "-", "-"], input=data, capture_output=True, check=True)
    return "".join(result.stdout.decode().split())


def test_demo_items_are_published_through_the_services(demo):
    items = queries.published_items()
    assert items.count() == 5
    assert all(item.published_version.status == "published" for item in items)
    assert next(item.name for item in queries.search("营业执照")) == "个体工商户设立登记"
    assert "城乡居民养老保险参保登记" in [item.name for item in queries.search("社保")]


def test_loading_the_demo_twice_changes_nothing(demo):
    counts = (ServiceItem.objects.count(), GuideVersion.objects.count())
    _load("core")
    assert (ServiceItem.objects.count(), GuideVersion.objects.count()) == counts


def test_the_core_set_is_the_first_five_items_of_the_full_set():
    assert {spec["name"] for spec in catalog_items("core")} == CORE_NAMES
    assert catalog_items("core") == FULL_ITEMS[:5]


def test_every_item_has_its_own_codes():
    keys = [(spec["department"], spec["suffix"]) for spec in FULL_ITEMS]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("key", sorted(FILES))
def test_the_committed_blank_forms_are_small_real_pdfs(key):
    filename, title = FILES[key]
    data = (FILES_DIR / filename).read_bytes()
    assert data.startswith(b"%PDF")
    assert len(data) < 60 * 1024
    if PDFTOTEXT:
        assert title in _pdf_text(data)


@pytest.fixture
def full_demo(db):
    """The full demo catalog (``make run``), loaded once per test that needs it: it takes seconds."""
    _load("full")
    return list(queries.published_items().select_related("published_version"))


def _guide_gaps(version: GuideVersion) -> list[str]:
    """The Art. 17 elements a demo guide leaves empty."""
    required = ("conditions", "legal_basis", "window_steps", "online_steps", "review_stages", "faq")
    gaps = [name for name in required if not getattr(version, name)]
    gaps += [name for name in ("consultation_phone", "complaint_phone") if not getattr(version, name)]
    if version.statutory_limit is None and not version.statutory_note:
        gaps.append("statutory_limit")
    if version.promised_limit is None:
        gaps.append("promised_limit")
    if not version.form_definition.get("fields"):
        gaps.append("form_definition")
    if not version.centres.exists():
        gaps.append("centres")
    if not version.materials.exists():
        gaps.append("materials")
    return gaps


def test_the_full_demo_catalog_is_published_complete_and_covers_every_theme(full_demo):
    items = full_demo
    assert len(items) >= 80
    assert {item.name for item in items} >= CORE_NAMES
    for theme in THEME_CODES:
        assert queries.published_items(theme=theme).exists(), theme
    for item in items:
        version = item.published_version
        assert checks.problems(version) == [], item.name
        assert _guide_gaps(version) == [], item.name
    # Fees: most items are free (empty list); those that charge cite the basis of the charge.
    charged = [item for item in items if item.published_version.fees]
    assert 0 < len(charged) < len(items) / 4
    assert all(fee["legal_basis"] for item in charged for fee in item.published_version.fees)
    # Searches a citizen would type find the items they mean.
    assert "二手房转移登记" in [item.name for item in queries.search("过户")]
    assert "公共场所卫生许可" in [item.name for item in queries.search("卫生许可")]
    _district_items_appear_in_their_sub_hall(items)
    _license_types_have_valid_codes_and_replace_materials()


def _district_items_appear_in_their_sub_hall(items: list[ServiceItem]) -> None:
    nanguan = Region.objects.get(code="220102")
    names = {item.name: item for item in queries.published_items(region=nanguan.pk)}
    assert {"个体工商户设立登记", "食品经营许可", "灵活就业人员参保登记"} <= set(names)
    assert names["个体工商户设立登记"].department.name == "南关区市场监督管理局"
    district_regions = {item.region_id for item in items if item.region.parent_id is not None}
    assert len(district_regions) >= 5


def _license_types_have_valid_codes_and_replace_materials() -> None:
    types = list(LicenseType.objects.select_related("defining_department"))
    names = {license_type.name for license_type in types}
    assert {"营业执照", "食品经营许可证", "公共场所卫生许可证", "药品经营许可证", "道路运输经营许可证"} <= names
    assert {"排污许可证", "不动产权证书", "建设工程规划许可证", "结婚证", "机动车驾驶证"} <= names
    for license_type in types:
        license_type.full_clean()
        assert license_type.type_code[:18] == license_type.defining_department.uscc
    issued = ServiceItem.objects.filter(result_license_types__name="不动产权证书", published_version__isnull=False)
    assert issued.filter(name="二手房转移登记").exists()
    replaced = MaterialRequirement.objects.filter(
        version__status="published", source=MaterialSource.E_LICENSE, replacing_license_types__isnull=False
    )
    assert replaced.values("version").distinct().count() >= 20


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
def test_materials_say_why_they_cannot_be_shared_and_offer_real_blank_forms(full_demo):
    published = MaterialRequirement.objects.filter(version__status="published").select_related("version__item")
    core_suffixes = {spec["suffix"] for spec in catalog_items("core")}
    for material in published.filter(source=MaterialSource.APPLICANT):
        if material.version.item.implementation_code[18:] not in core_suffixes:
            assert material.non_shareable_legal_basis, material.name
    with_forms = list(published.exclude(blank_form=""))
    assert len(with_forms) >= 80
    stored = {m.blank_form.name for m in with_forms} | {m.sample.name for m in with_forms if m.sample}
    assert len(stored) <= len(FILES)  # each file stored once, shared by every material that offers it
    titles = {filename: title for filename, title in FILES.values()}
    texts = {}
    for name in stored:
        with default_storage.open(name) as handle:
            data = handle.read()
        assert data.startswith(b"%PDF"), name
        texts[name] = _pdf_text(data)
        assert titles[name.rsplit("/", 1)[-1]] in texts[name], name
    # A form made for one item carries that material's own title.
    for material in with_forms:
        if material.name in titles.values():
            assert material.name in texts[material.blank_form.name], material.name
    specific = [m for m in with_forms if m.name in ("食品经营许可申请书", "公共场所卫生许可申请书")]
    assert len(specific) >= 2
