"""Properties that must hold for every input, not just the examples in the tables."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from govhall.core import crypto
from govhall.core.validators import USCC_ALPHABET, uscc_from_parts, validate_resident_id, validate_uscc
from govhall.core.workdays.hours import OfficeHours

birth_dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2020, 12, 31))


@given(birth=birth_dates, sequence=st.integers(min_value=0, max_value=999))
def test_every_resident_id_with_its_check_character_validates(birth, sequence):
    body = f"220102{birth:%Y%m%d}{sequence:03d}"
    number = body + ric.calc_check_digit(body + "0")
    assert validate_resident_id(number) == number


@given(birth=birth_dates, sequence=st.integers(min_value=0, max_value=999), wrong=st.sampled_from("0123456789X"))
def test_every_other_check_character_is_refused(birth, sequence, wrong):
    body = f"220102{birth:%Y%m%d}{sequence:03d}"
    if wrong == ric.calc_check_digit(body + "0"):
        return
    with pytest.raises(ValidationError) as info:
        validate_resident_id(body + wrong)
    assert info.value.code == "checksum"


alphabet = st.sampled_from(USCC_ALPHABET)


@given(prefix=st.text(alphabet, min_size=8, max_size=8), body=st.text(alphabet, min_size=8, max_size=8))
def test_built_usccs_validate(prefix, body):
    code = uscc_from_parts(prefix, body)
    assert validate_uscc(code) == code


@given(st.text(max_size=200))
def test_encryption_round_trips_any_text(text):
    assert crypto.decrypt(crypto.encrypt(text)) == text


@given(
    st.dictionaries(
        st.integers(min_value=0, max_value=6),
        st.sampled_from(
            [
                (),
                ((datetime.time(9), datetime.time(12)),),
                ((datetime.time(8, 30), datetime.time(11, 30)), (datetime.time(13), datetime.time(17))),
            ]
        ),
    )
)
def test_office_hours_json_round_trips(weekly):
    hours = OfficeHours(weekly=weekly)
    assert OfficeHours.from_json(hours.to_json()) == (hours if weekly else OfficeHours())
