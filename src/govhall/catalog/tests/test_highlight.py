import pytest
from django.template import Context, Template

from govhall.catalog.highlight import highlight
from govhall.catalog.queries import expand


@pytest.mark.parametrize(
    ("text", "query", "expected"),
    [
        ("社保卡补换", "社保", "<mark>社保</mark>卡补换"),  # the query itself
        ("城乡居民社会保险参保登记", "社保", "城乡居民<mark>社会保险</mark>参保登记"),  # through the synonym
        ("个体工商户设立登记", "营业执照", "个体工商户<mark>设立登记</mark>"),
        ("机动车驾驶证补领", "证", "机动车驾驶<mark>证</mark>补领"),  # one character, exact
        ("证照证明", "证", "<mark>证</mark>照<mark>证</mark>明"),  # every occurrence
        ("社会 保险登记", "社会保险", "<mark>社会 保险</mark>登记"),  # whitespace is ignored, as in search
        ("ＡＢＣ证明", "abc", "<mark>ＡＢＣ</mark>证明"),  # full-width text, half-width query
        ("户籍迁入", "", "户籍迁入"),  # no query: nothing marked
        ("户籍迁入", "结婚", "户籍迁入"),  # no match: nothing marked
    ],
)
def test_matches_are_marked(text, query, expected):
    assert highlight(text, expand(query)) == expected


def test_overlapping_variants_give_one_mark():
    assert highlight("社会保险卡", ["社会保险", "保险卡"]) == "<mark>社会保险卡</mark>"


@pytest.mark.parametrize(
    ("text", "query", "expected"),
    [
        ("<script>alert(1)</script>社保", "社保", "&lt;script&gt;alert(1)&lt;/script&gt;<mark>社保</mark>"),
        ("<b>社保</b>", "社保", "&lt;b&gt;<mark>社保</mark>&lt;/b&gt;"),
        ("a&b 登记", "&b", "a<mark>&amp;b</mark> 登记"),  # the match itself is escaped too
        ("<mark>证</mark>", "mark", "&lt;<mark>mark</mark>&gt;证&lt;/<mark>mark</mark>&gt;"),
    ],
)
def test_html_in_names_is_escaped(text, query, expected):
    assert highlight(text, expand(query)) == expected


def test_template_filter_escapes_and_marks():
    rendered = Template("{% load catalog_tags %}{{ name|highlight:variants }}").render(
        Context({"name": '<img src=x onerror="x">社会保险', "variants": expand("社保")})
    )
    assert rendered == "&lt;img src=x onerror=&quot;x&quot;&gt;<mark>社会保险</mark>"
