"""Shared pytest fixtures for every app's tests."""

from __future__ import annotations

import contextlib
import os

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# CI runs more examples with no per-example deadline (a loaded 2-core machine is slow, not wrong).
hypothesis_settings.register_profile(
    "ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.register_profile("dev", max_examples=50, deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def _isolated_keys(settings, tmp_path):
    """Each test signs audit checkpoints with its own key file and stores files in its own folders."""
    settings.AUDIT_CHECKPOINT_KEY_FILE = tmp_path / "keys" / "audit-checkpoint.pem"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.APPLICATIONS_PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness protects production; tests only need the behaviour."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _chinese_first():
    """A request in English activates English for the whole thread: each test starts in Chinese."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    """The shared caches hold rate-limit counters and rendered pages: start each test from zero."""
    from django.core.cache import caches
    from django.db import DatabaseError

    # Redis: delete only this test worker's prefixed keys (the other worker shares the database).
    # Database cache: unreachable before the db fixture, and rolled back with each test anyway.
    for alias in ("default", "pages"):
        cache = caches[alias]
        with contextlib.suppress(DatabaseError, RuntimeError):
            cache.delete_pattern("*") if hasattr(cache, "delete_pattern") else cache.clear()


@pytest.fixture
def demo(db):
    """The Changchun demo data set, loaded by the same command as `make run` (with the core catalog:
    the five items the tests rely on; the full 80+ item catalog is tested in catalog/tests/test_demo.py)."""
    from django.core.management import call_command

    from govhall.accounts.models import User

    call_command("load_demo", catalog="core", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def staff_client(client, demo):
    """Log a demo staff member into the workbench as if they had entered password and TOTP."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def login(username: str):
        user = demo[username]
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return login
