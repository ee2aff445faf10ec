import base64

import pytest
from django.db import connection

from govhall.accounts.models import User
from govhall.core import crypto


def key(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def test_round_trip_and_fresh_nonce_each_time():
    first, second = crypto.encrypt("13800138000"), crypto.encrypt("13800138000")
    assert first != second  # the same number never looks the same at rest
    assert crypto.decrypt(first) == crypto.decrypt(second) == "13800138000"


def test_rare_characters_survive_encryption():
    assert crypto.decrypt(crypto.encrypt("𠮷野家·䶮")) == "𠮷野家·䶮"


@pytest.mark.django_db
def test_mobile_is_stored_encrypted_with_a_lookup_hash():
    user = User.objects.create(
        username="u1",
        name="张三",
        kind="person",
        mobile="13800138000",
        mobile_hash=crypto.blind_index("13800138000", "mobile"),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile, mobile_hash FROM accounts_user WHERE id = %s", [user.pk])
        stored, lookup = cursor.fetchone()
    assert "13800138000" not in stored
    assert stored.startswith("dev1:")
    assert User.objects.get(mobile_hash=crypto.blind_index("13800138000", "mobile")).mobile == "13800138000"
    assert lookup != crypto.blind_index("13800138000", "identity")  # purposes never collide


def test_rotation_old_rows_still_decrypt(settings):
    old = "old1:" + key(b"0" * 32)
    settings.FIELD_ENCRYPTION_KEYS = old
    token = crypto.encrypt("220102199003071234")
    settings.FIELD_ENCRYPTION_KEYS = "new2:" + key(b"1" * 32) + "," + old
    assert crypto.key_id_of(crypto.encrypt("x")) == "new2"
    assert crypto.decrypt(token) == "220102199003071234"


def test_tampered_ciphertext_is_refused():
    token = crypto.encrypt("13800138000")
    key_id, _, body = token.partition(":")
    raw = bytearray(base64.b64decode(body))
    raw[-1] ^= 1
    with pytest.raises(Exception):  # noqa: B017, PT011 (cryptography's InvalidTag)
        crypto.decrypt(f"{key_id}:{base64.b64encode(bytes(raw)).decode()}")


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("220102199003071234", "220102********1234"),
        ("13800138000", "138****8000"),
    ],
)
def test_masks(value, masked):
    mask = crypto.mask_id_number if len(value) == 18 else crypto.mask_mobile
    assert mask(value) == masked


def test_name_mask_keeps_the_family_name():
    assert crypto.mask_name("阿依古丽·买买提") == "阿*******"
    assert crypto.mask_name("张三") == "张*"
