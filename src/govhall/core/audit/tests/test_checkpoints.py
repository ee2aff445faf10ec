"""Checkpoint keys and checkpoints: generation, production refusal, periodic signing, auditors' keys."""

from __future__ import annotations

import datetime as dt
import stat

import pytest
import time_machine
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured

from govhall.core.audit import signing
from govhall.core.audit.checks import checkpoint_key_present
from govhall.core.audit.models import AuditCheckpoint, AuditEvent
from govhall.core.audit.services import record, write_checkpoint
from govhall.core.audit.tasks import checkpoint_if_due
from govhall.core.audit.verify import verify_chain


def test_key_is_generated_once_in_development_with_private_permissions(checkpoint_key):
    first = signing.ensure_checkpoint_key()
    second = signing.ensure_checkpoint_key()

    assert checkpoint_key.exists()
    assert stat.S_IMODE(checkpoint_key.stat().st_mode) == 0o600
    assert signing.key_id(first.public_key()) == signing.key_id(second.public_key())


def test_production_never_generates_a_key(settings, checkpoint_key):
    settings.PRODUCTION = True

    with pytest.raises(ImproperlyConfigured, match="AUDIT_CHECKPOINT_KEY_FILE"):
        signing.ensure_checkpoint_key()
    assert not checkpoint_key.exists()
    assert [error.id for error in checkpoint_key_present()] == ["audit.E001"]


def test_production_with_its_key_passes_the_system_check(settings):
    signing.ensure_checkpoint_key()
    settings.PRODUCTION = True

    assert checkpoint_key_present() == []


@pytest.mark.django_db
def test_write_checkpoint_signs_the_head_once():
    assert write_checkpoint() is None  # nothing to sign yet
    for _ in range(3):
        record("system", "test.event")

    checkpoint = write_checkpoint()

    assert (checkpoint.last_event_id, checkpoint.head_hash) == (3, AuditEvent.objects.get(pk=3).hash)
    assert write_checkpoint() == checkpoint
    assert AuditCheckpoint.objects.count() == 1
    assert verify_chain().message() == "OK: 3 events, 1 checkpoints"


@pytest.mark.django_db
def test_checkpoint_if_due_waits_for_the_age_limit():
    assert checkpoint_if_due() is None  # empty chain
    record("system", "test.event")
    first = checkpoint_if_due(max_age_minutes=10)
    assert first is not None
    assert first.last_event_id == 1
    record("system", "test.event")

    assert checkpoint_if_due(max_age_minutes=10) is None  # the newest checkpoint is recent
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=11)):
        later = checkpoint_if_due(max_age_minutes=10)
        assert later is not None
        assert later.last_event_id == 2
        assert checkpoint_if_due(max_age_minutes=10) is None  # nothing new since


@pytest.mark.django_db
def test_an_auditor_verifies_with_the_public_key_only(make_chain, tmp_path):
    make_chain(12)
    public_pem = tmp_path / "audit-public.pem"
    public_pem.write_bytes(
        signing.ensure_checkpoint_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )

    keys = signing.verification_keys([public_pem])

    assert verify_chain(public_keys=keys).ok
    assert not verify_chain(public_keys={}).ok  # without any key no checkpoint can be trusted


@pytest.mark.django_db
def test_retired_keys_still_verify_old_checkpoints(make_chain, settings, tmp_path):
    make_chain(10)  # checkpoint 10 signed with the first key
    old_public = tmp_path / "retired.pem"
    old_public.write_bytes(
        signing.ensure_checkpoint_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    new_key = tmp_path / "new.pem"
    new_key.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    settings.AUDIT_CHECKPOINT_KEY_FILE = new_key
    make_chain(10)  # checkpoint 20 signed with the new key

    assert not verify_chain().ok
    settings.AUDIT_CHECKPOINT_PUBLIC_KEY_FILES = [str(old_public)]
    assert verify_chain().message() == "OK: 20 events, 2 checkpoints"
