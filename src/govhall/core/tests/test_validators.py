import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import ric

from govhall.core.validators import (
    IdentityDocumentType,
    organisation_code_check,
    uscc_from_parts,
    validate_identity_document,
    validate_mobile,
    validate_person_name,
    validate_resident_id,
    validate_uscc,
)


def with_check(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


VALID_ID = with_check("22010219900307123")


@pytest.mark.parametrize(
    ("number", "code"),
    [
        (VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1"), "checksum"),  # one wrong check character
        (with_check("22010219900230123"), "birth_date"),  # 30 February does not exist
        (with_check("22010221990307123"), "birth_date"),  # born in 2199
        (with_check("99999919900307123"), "region"),  # 999999 is no division
        ("2201021990030712", "length"),  # 16 characters
        ("22010219900307123A", "format"),  # only X may end it
    ],
)
def test_resident_id_rejected_with_the_reason(number, code):
    with pytest.raises(ValidationError) as info:
        validate_resident_id(number)
    assert info.value.code == code


def test_region_code_may_be_younger_than_its_holder():
    # 220102 (南关区) dates from 1983; a person born in 1950 got their card there later.
    number = with_check("22010219500101123")
    assert validate_resident_id(number) == number


def test_resident_id_normalises_lowercase_x_and_full_width_digits():
    number = with_check("11010519491231002")
    typed = number.lower().translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert validate_resident_id(typed) == number


@pytest.mark.parametrize(
    ("document_type", "number", "ok"),
    [
        (IdentityDocumentType.HK_MACAO_RESIDENCE, with_check("81000019900101123"), True),
        (
            IdentityDocumentType.HK_MACAO_RESIDENCE,
            with_check("22010219900101123"),
            False,
        ),  # not 810000/820000
        (IdentityDocumentType.TAIWAN_RESIDENCE, with_check("83000019900101123"), True),
        (
            IdentityDocumentType.FOREIGN_PERMANENT_RESIDENCE,
            with_check("93315619900101123"),
            True,
        ),  # 2023 format
        (IdentityDocumentType.HK_MACAO_PERMIT, "H12345678", True),
        (IdentityDocumentType.HK_MACAO_PERMIT, "X12345678", False),
        (IdentityDocumentType.PASSPORT, "E12345678", True),
        (IdentityDocumentType.PASSPORT, "E1", False),
    ],
)
def test_other_identity_documents(document_type, number, ok):
    if ok:
        assert validate_identity_document(document_type, number) == number
    else:
        with pytest.raises(ValidationError):
            validate_identity_document(document_type, number)


@pytest.mark.parametrize(
    "code",
    [
        "11430000006122244L",  # the issuer in GB/T 36904's published sample identifier
        "91110000802100433B",
        uscc_from_parts("Y1220100", "AB123456"),  # a letter in the first 8 characters is allowed
    ],
)
def test_valid_uscc(code):
    assert validate_uscc(code.lower()) == code


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("11430000006122244M", "checksum"),
        ("11430000006122245L", "checksum"),  # inner organisation-code check broken
        ("1143000000612224", "length"),
        ("11430000006I22244L", "format"),  # I is not in the alphabet
    ],
)
def test_invalid_uscc(code, error):
    with pytest.raises(ValidationError) as info:
        validate_uscc(code)
    assert info.value.code == error


@pytest.mark.parametrize(
    ("body", "check"),
    [
        ("00612224", "4"),  # sum 106, 106 mod 11 = 7, 11 - 7 = 4
        ("00001333", "8"),  # sum 47 -> 8
        ("00000001", "9"),  # sum 2 -> 9
        ("00000010", "7"),  # sum 4 -> 7
        ("00000005", "1"),  # sum 10 -> 1
        ("00000100", "3"),  # sum 8 -> 3
        ("00000006", "X"),  # sum 12, 12 mod 11 = 1, 11 - 1 = 10 -> X
        ("00000000", "0"),  # sum 0 -> 11 -> 0
        ("0000000A", "2"),  # letters count 10..35: A = 10, sum 20 -> 2
    ],
)
def test_organisation_code_check(body, check):
    assert organisation_code_check(body) == check


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13800138000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("008613800138000", "13800138000"),
    ],
)
def test_mobile_numbers(typed, stored):
    assert validate_mobile(typed) == stored


@pytest.mark.parametrize("typed", ["12800138000", "1380013800", "abc", ""])
def test_bad_mobile_numbers(typed):
    with pytest.raises(ValidationError, match="11位"):
        validate_mobile(typed)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("阿依古丽•买买提", "阿依古丽·买买提"),  # bullet unified to the middle dot
        ("王䶮", "王䶮"),  # rare character in the BMP extension A
        ("𠮷野家", "𠮷野家"),  # character outside the BMP
        ("Anna Müller", "Anna Müller"),
        ("𠮷" * 60, "𠮷" * 60),  # 60 rare characters are kept whole
    ],
)
def test_person_names_are_kept_exactly(typed, stored):
    assert validate_person_name(typed) == stored


@pytest.mark.parametrize("typed", ["", "·张三", "张··三", "张三<script>", "张" * 101, "张3"])
def test_bad_person_names(typed):
    with pytest.raises(ValidationError):
        validate_person_name(typed)
