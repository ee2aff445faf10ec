"""The printable window copy: an A4 PDF with the Chinese fonts embedded and page numbers."""

import subprocess

import pytest

from govhall.catalog import pdf, queries

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    """What a reader of the PDF sees: ``pdftotext -layout`` (poppler) over the bytes."""
    return subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def pdf_info(content: bytes, tool: str = "pdfinfo") -> str:
    return subprocess.run([tool, "-"], input=content, capture_output=True, check=True).stdout.decode()


def test_render_pdf_renders_a_template_with_rare_characters(db):
    content = pdf.render_pdf("portal/catalog/guide_print.html", _context_for("王䶮𠮷"))
    assert content.startswith(b"%PDF-")
    assert "王䶮𠮷" in pdf_text(content)


def _context_for(name):
    from types import SimpleNamespace

    item = SimpleNamespace(name=name, implementation_code="X" * 31, department=None, region=None)
    guide = SimpleNamespace(published_at=None, centres=SimpleNamespace(all=list))
    data = {"guide": {"number": 1, "statutory_limit": {}, "promised_limit": {}, "materials": []}}
    return {"item": item, "guide": guide, "data": data, "depth": []}


def test_guide_copy_is_a4_with_cjk_fonts_embedded_and_page_numbers(demo):
    item = queries.search("食品经营许可")[0]
    content = pdf.guide_pdf(item.implementation_code)
    assert "(A4)" in pdf_info(content)
    fonts = pdf_info(content, "pdffonts")
    assert "Noto-Sans-CJK-SC" in fonts or "Noto-Serif-CJK-SC" in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # every font embedded
    text = pdf_text(content)
    assert "第 1 页，共" in text
    assert item.implementation_code in text


def test_guide_copy_is_cached_per_published_version(demo, django_assert_max_num_queries):
    code = queries.search("食品经营许可")[0].implementation_code
    first = pdf.guide_pdf(code)
    with django_assert_max_num_queries(4):
        assert pdf.guide_pdf(code) == first


def test_no_copy_for_an_unknown_item(db):
    assert pdf.guide_pdf("NOPE") is None
