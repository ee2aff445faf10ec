import pytest
from django.core.exceptions import ValidationError

from govhall.licenses import identifiers

SAMPLE = "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U"


def test_published_sample_identifier_gets_its_check_character():
    parsed = identifiers.parse(SAMPLE)
    assert parsed.check == "U"
    assert str(identifiers.build("11100000000013338W011", "11430000006122244L", "20230000403", 1)) == SAMPLE


def test_a_wrong_check_character_is_refused():
    with pytest.raises(ValidationError, match="校验位"):
        identifiers.parse(SAMPLE[:-1] + "V")


@pytest.mark.parametrize(
    "text",
    ["", "2.1.156.3005.2.X", "1.2.156.3005.2.111.114.2023.001.U", SAMPLE.replace(".001.", ".1.")],
)
def test_malformed_identifiers_are_refused(text):
    with pytest.raises(ValidationError):
        identifiers.parse(text)


def test_a_six_digit_division_code_is_accepted_as_issuer():
    built = identifiers.build("11100000000013338W011", "220100", "A1", 2)
    assert identifiers.parse(str(built)) == built
    assert str(built).endswith(".002." + built.check)
