import base64

from django.core.management import call_command
from django.db import connection

from govhall.accounts.services import find_applicant
from govhall.core.crypto import key_id_of


def stored_tokens() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile FROM accounts_user WHERE mobile <> ''")
        tokens = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT document_number FROM accounts_personprofile")
        return tokens + [row[0] for row in cursor.fetchall()]


def test_rotation_re_encrypts_everything_and_lookups_still_work(demo, settings):
    old = settings.FIELD_ENCRYPTION_KEYS
    settings.FIELD_ENCRYPTION_KEYS = "k2:" + base64.b64encode(b"2" * 32).decode() + "," + old
    assert {key_id_of(token) for token in stored_tokens()} == {"dev1"}
    call_command("rotate_field_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert {key_id_of(token) for token in stored_tokens()} == {"k2"}
    settings.FIELD_ENCRYPTION_KEYS = "k2:" + base64.b64encode(b"2" * 32).decode()  # the old key is gone
    user = find_applicant("13800000001")
    assert user.mobile == "13800000001"
    assert user.person.document_number.startswith("220102")
