"""``manage.py generate_data``: tiny sizes (the hidden ``--count``) on SQLite and PostgreSQL."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from govhall.accounts.models import PersonProfile, User, UserKind
from govhall.accounts.services import document_hash, find_applicant
from govhall.core.audit.models import AuditCheckpoint, AuditEvent
from govhall.core.audit.verify import verify_chain
from govhall.core.validators import IdentityDocumentType, validate_mobile, validate_resident_id
from govhall.demo.management.commands import generate_data
from govhall.demo.management.commands.generate_data import (
    AUDIT_REASON,
    PRODUCTION_FLAG,
    USER_PREFIX,
    mobile_number,
    resident_id,
)

pytestmark = pytest.mark.django_db


def generate(*args: str) -> str:
    out = io.StringIO()
    call_command("generate_data", *args, stdout=out)
    return out.getvalue()


def generated_users():
    return User.objects.filter(username__startswith=USER_PREFIX)


def test_writes_people_and_events_and_the_chain_still_verifies(settings):
    settings.AUDIT_CHECKPOINT_EVERY = 10
    output = generate("--count", "50")

    assert "generated 50 natural-person users" in output
    assert "generated 50 audit events" in output
    assert generated_users().filter(kind=UserKind.PERSON).count() == 50
    assert PersonProfile.objects.filter(user__username__startswith=USER_PREFIX).count() == 50
    assert AuditEvent.objects.filter(reason=AUDIT_REASON).count() == 50
    assert AuditCheckpoint.objects.count() == 5
    result = verify_chain()
    assert result.ok, result.message()
    assert result.events == 50


def test_people_look_like_registered_people():
    generate("--count", "20", "--only", "users")
    person = generated_users().select_related("person").order_by("username").first()
    assert validate_resident_id(person.person.document_number) == person.person.document_number
    assert validate_mobile(person.mobile) == person.mobile
    assert not person.has_usable_password()
    # Stored encrypted (key id prefix), found through the keyed hashes like any registered person.
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile FROM accounts_user WHERE id = %s", [person.pk])
        stored = cursor.fetchone()[0]
    assert person.mobile not in stored
    assert find_applicant(person.mobile) == person
    assert find_applicant(person.person.document_number) == person


def test_numbers_are_unique_and_valid_over_many_indexes():
    numbers = [resident_id(index, 2026) for index in range(20_000)]
    mobiles = [mobile_number(index, 2026) for index in range(20_000)]
    assert len(set(numbers)) == len(numbers)
    assert len(set(mobiles)) == len(mobiles)
    assert {number[:6] for number in numbers} == set(generate_data.REGION_CODES)
    for number in numbers[::97]:
        assert validate_resident_id(number) == number


def test_refuses_an_existing_size_unless_forced():
    generate("--count", "10")
    with pytest.raises(CommandError, match="already exists"):
        generate("--count", "10")
    generate("--count", "10", "--force")
    assert generated_users().count() == 20
    assert AuditEvent.objects.filter(reason=AUDIT_REASON).count() == 20
    assert verify_chain().ok


def test_a_half_finished_run_is_completed():
    generate("--count", "10", "--only", "users")
    output = generate("--count", "10")
    assert "skipped: 10 natural-person users" in output
    assert generated_users().count() == 10
    assert AuditEvent.objects.filter(reason=AUDIT_REASON).count() == 10


def test_an_identity_already_registered_is_skipped():
    taken = resident_id(0, 2026)
    user = User.objects.create(username="Preal", kind=UserKind.PERSON, name="王一")
    PersonProfile.objects.create(
        user=user,
        document_type=IdentityDocumentType.RESIDENT_ID,
        document_number=taken,
        document_hash=document_hash(IdentityDocumentType.RESIDENT_ID, taken),
    )
    generate("--count", "10", "--only", "users")
    assert generated_users().count() == 9


def test_production_settings_need_the_explicit_flag(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match=PRODUCTION_FLAG):
        generate("--count", "5")
    assert not generated_users().exists()
    generate("--count", "5", PRODUCTION_FLAG)
    assert generated_users().count() == 5


def test_unknown_generator_is_refused():
    with pytest.raises(CommandError, match="unknown generator"):
        generate("--count", "5", "--only", "licenses")


def test_generators_form_a_registry():
    assert [generator.name for generator in generate_data.GENERATORS] == [
        "users",
        "audit_events",
        "catalog",
        "applications",
    ]
