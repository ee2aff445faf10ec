"""Templates: every code used in code exists and renders; versions; SMS length (70 / 67)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from govhall.core.audit.models import AuditEvent
from govhall.notifications import catalog, queries, services
from govhall.notifications.catalog import DEFAULT_TEMPLATES, TemplateCode, sms_length
from govhall.notifications.models import SmsTemplate

SRC = Path(__file__).resolve().parents[2]
SEND_CALL = re.compile(r"\bsend\(\s*(?:TemplateCode\.([A-Z_]+)|[\"']([a-z_]+)[\"'])")


def codes_used_in_code() -> set[str]:
    """Every template code passed to ``send(...)`` anywhere in the source, as literal or constant."""
    used: set[str] = set()
    for path in SRC.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for constant, literal in SEND_CALL.findall(path.read_text(encoding="utf-8")):
            used.add(getattr(TemplateCode, constant) if constant else literal)
    return used


def test_the_scan_finds_the_verification_code_sent_by_accounts():
    assert TemplateCode.VERIFICATION_CODE in codes_used_in_code()


@pytest.mark.django_db
@pytest.mark.parametrize("code", sorted(codes_used_in_code() | set(TemplateCode.all())))
def test_every_template_code_used_in_code_exists_and_renders(code):
    assert code in DEFAULT_TEMPLATES, f"send({code!r}) has no template in catalog.DEFAULT_TEMPLATES"
    default = DEFAULT_TEMPLATES[code]
    assert set(catalog.placeholders(default.text_zh)) <= set(default.params)
    assert set(catalog.placeholders(default.text_en)) <= set(default.params)
    assert set(default.sample) == set(default.params)
    template = services.active_template(code)  # created from the defaults when missing
    rendered = catalog.render(template.text_zh, default.sample)
    assert "{" not in rendered
    assert rendered.startswith(catalog.SIGNATURE)
    assert template.provider_template_id


@pytest.mark.django_db
def test_ensure_templates_is_idempotent():
    assert services.ensure_templates() == len(DEFAULT_TEMPLATES)
    assert services.ensure_templates() == 0
    assert SmsTemplate.objects.filter(active=True).count() == len(DEFAULT_TEMPLATES)


def test_the_verification_code_reads_as_specified():
    text = catalog.render(DEFAULT_TEMPLATES["verification_code"].text_zh, {"code": "480213", "minutes": 5})
    assert text == "【长春市网上办事大厅】您的验证码为480213，5分钟内有效。如非本人操作请忽略。"


def test_rendering_never_evaluates_attribute_lookups():
    assert catalog.render("{code.__class__}", {"code": "1"}) == "{code.__class__}"
    with pytest.raises(KeyError):
        catalog.render("{missing}", {})


@pytest.mark.parametrize(
    ("text", "characters", "segments", "encoding"),
    [
        ("验" * 70, 70, 1, "UCS-2"),  # 70 Chinese characters still fit one SMS
        ("验" * 71, 71, 2, "UCS-2"),  # one more: two segments of 67
        ("验" * 134, 134, 2, "UCS-2"),
        ("验" * 135, 135, 3, "UCS-2"),
        ("𠮷" * 35, 70, 1, "UCS-2"),  # outside the BMP: two UTF-16 units each
        ("a" * 160, 160, 1, "GSM-7"),  # plain Latin text: 160 / 153
        ("a" * 161, 161, 2, "GSM-7"),
        ("{}" * 80, 320, 3, "GSM-7"),  # GSM extension characters count twice
    ],
)
def test_sms_length_counts_as_providers_bill(text, characters, segments, encoding):
    length = sms_length(text)
    assert (length.characters, length.segments, length.encoding) == (characters, segments, encoding)


def test_every_default_template_fits_its_budget():
    """Codes and receipts must stay short: at most two segments with the samples."""
    for default in DEFAULT_TEMPLATES.values():
        assert sms_length(catalog.render(default.text_zh, default.sample)).segments <= 2


@pytest.mark.django_db
def test_an_edit_is_a_new_version_and_is_audited(demo):
    admin = demo["city_admin"]
    before = services.active_template("application_receipt")
    new = services.edit_template(
        "application_receipt",
        by=admin,
        text_zh="【长春市网上办事大厅】“{item}”已提交，编号{number}，进度：{progress}。",
        text_en="",
        provider_template_id="SMS_CC_0102",
        note="精简字数",
    )
    assert (new.version, new.active) == (before.version + 1, True)
    before.refresh_from_db()
    assert before.active is False
    assert services.active_template("application_receipt") == new
    assert [t.version for t in queries.template_versions("application_receipt")] == [2, 1]
    event = AuditEvent.objects.get(action="notification.template_changed")
    assert event.after["provider_template_id"] == "SMS_CC_0102"


@pytest.mark.django_db
def test_an_edit_may_not_invent_parameters_nor_be_made_by_others(demo):
    with pytest.raises(ValidationError, match="未知参数"):
        services.edit_template(
            "verification_code", by=demo["city_admin"], text_zh="验证码{code}{secret}", text_en="",
            provider_template_id="x",
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.edit_template(
            "verification_code", by=demo["amr_acceptor"], text_zh="验证码{code}", text_en="", provider_template_id="x"
        )
