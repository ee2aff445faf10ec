"""Validators for the national codes an applicant or a department gives us (STANDARDS.md).

Each validator returns the normalised value or raises ``ValidationError`` with a Chinese message
that names what is wrong, so a form can put it on the field.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum import numdb
from stdnum.cn import ric, uscc


class IdentityDocumentType(models.TextChoices):
    """Identity documents an applicant may hold (STANDARDS.md, "Other identity documents")."""

    RESIDENT_ID = "resident_id", _("居民身份证")
    HK_MACAO_RESIDENCE = "hk_macao_residence", _("港澳居民居住证")
    TAIWAN_RESIDENCE = "taiwan_residence", _("台湾居民居住证")
    HK_MACAO_PERMIT = "hk_macao_permit", _("港澳居民来往内地通行证")
    TAIWAN_PERMIT = "taiwan_permit", _("台湾居民来往大陆通行证")
    FOREIGN_PERMANENT_RESIDENCE = "foreign_permanent", _("外国人永久居留身份证")
    PASSPORT = "passport", _("护照")


# Residence permits carry these region codes in place of a GB/T 2260 division (STANDARDS.md).
RESIDENCE_PERMIT_REGIONS = {
    IdentityDocumentType.HK_MACAO_RESIDENCE: {"810000", "820000"},
    IdentityDocumentType.TAIWAN_RESIDENCE: {"830000"},
}


def _normalise(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").strip().upper().replace(" ", "")


def _check_gb11643(number: str) -> None:
    """18 characters, 17 digits and a MOD 11-2 check character, a real birth date (GB 11643)."""
    if len(number) != 18:
        raise ValidationError(_("证件号码应为18位，当前为%(n)d位。"), code="length", params={"n": len(number)})
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(_("证件号码只能包含数字，最后一位可以是X。"), code="format")
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("证件号码中的出生日期不存在。"), code="birth_date") from None
    if birth.year < 1900 or birth > datetime.datetime.now(datetime.UTC).date():
        raise ValidationError(_("证件号码中的出生日期不合理。"), code="birth_date")
    if ric.calc_check_digit(number) != number[17]:
        raise ValidationError(_("证件号码校验位错误，请核对后重新输入。"), code="checksum")


def _known_division(code: str) -> bool:
    """Is ``code`` a county-level division in stdnum's GB/T 2260 table, in any period?

    ``stdnum.cn.ric.get_birth_place`` also demands the code existed in the birth year, which
    rejects real numbers: the code is where the card was first issued (from 1984 on), so a person
    born in 1970 legitimately carries 220102 (南关区, created 1983).
    """
    results = numdb.get("cn/loc").info(code)
    return any("county" in props for _, props in results)


def validate_resident_id(value: str) -> str:
    """Resident ID number (GB 11643); the region must be a known division code."""
    number = _normalise(value)
    _check_gb11643(number)
    if not _known_division(number[:6]):
        raise ValidationError(_("证件号码的前6位不是有效的行政区划代码。"), code="region")
    return number


PERMIT_PATTERNS = {
    # 港澳居民来往内地通行证: H/M + 8 digits (10-year cards may add 2 digits).
    IdentityDocumentType.HK_MACAO_PERMIT: re.compile(r"^[HM]\d{8}(\d{2})?$"),
    # 台湾居民来往大陆通行证: 8 digits (10 in older booklets).
    IdentityDocumentType.TAIWAN_PERMIT: re.compile(r"^\d{8}(\d{2})?$"),
    IdentityDocumentType.PASSPORT: re.compile(r"^[A-Z0-9]{5,17}$"),
}


def validate_identity_document(document_type: str, value: str) -> str:
    """Validate a document number for its type; return the normalised number."""
    number = _normalise(value)
    if document_type == IdentityDocumentType.RESIDENT_ID:
        return validate_resident_id(number)
    if document_type in RESIDENCE_PERMIT_REGIONS:
        _check_gb11643(number)
        if number[:6] not in RESIDENCE_PERMIT_REGIONS[document_type]:
            raise ValidationError(
                _("居住证号码的前6位应为%(codes)s。"),
                code="region",
                params={"codes": "、".join(sorted(RESIDENCE_PERMIT_REGIONS[document_type]))},
            )
        return number
    if document_type == IdentityDocumentType.FOREIGN_PERMANENT_RESIDENCE:
        if len(number) == 18 and number.startswith("9"):
            _check_gb11643(number)
            return number
        if re.fullmatch(r"[A-Z]{3}\d{12}", number):  # the 15-character card issued before 2023
            return number
        raise ValidationError(_("外国人永久居留身份证号码格式不正确。"), code="format")
    pattern = PERMIT_PATTERNS.get(document_type)
    if pattern is None:
        raise ValidationError(_("不支持的证件类型。"), code="document_type")
    if not pattern.fullmatch(number):
        raise ValidationError(_("证件号码格式不正确。"), code="format")
    return number


USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def validate_uscc(value: str) -> str:
    """Unified social credit code (GB 32100).

    ``stdnum.cn.uscc`` rejects letters in the first 8 characters, which the standard allows (the
    registration authority code may be a letter, e.g. ``Y`` for trade unions), so the alphabet is
    checked here over the whole code and stdnum computes the check character.
    """
    code = _normalise(value)
    if len(code) != 18:
        raise ValidationError(_("统一社会信用代码应为18位，当前为%(n)d位。"), code="length", params={"n": len(code)})
    bad = sorted({c for c in code if c not in USCC_ALPHABET})
    if bad:
        raise ValidationError(
            _("统一社会信用代码不能包含字符：%(chars)s（不使用I、O、Z、S、V）。"),
            code="format",
            params={"chars": "".join(bad)},
        )
    if uscc.calc_check_digit(code) != code[17] or organisation_code_check(code[8:16]) != code[16]:
        raise ValidationError(_("统一社会信用代码校验位错误，请核对后重新输入。"), code="checksum")
    return code


ORGANISATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organisation_code_check(body: str) -> str:
    """GB 11714 check character of an 8-character organisation code body (USCC characters 9-16).

    python-stdnum has no GB 11714 module; the rule is a plain weighted MOD 11 (10 -> X, 11 -> 0).
    """
    total = sum(int(char, 36) * weight for char, weight in zip(body, ORGANISATION_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def uscc_from_parts(prefix: str, organisation_body: str) -> str:
    """Build a USCC from its 8-character prefix (authority, category, division) and an 8-character
    organisation code body, adding both check characters (used by the demo data and factories)."""
    first17 = prefix + organisation_body + organisation_code_check(organisation_body)
    return first17 + uscc.calc_check_digit(first17)


MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def validate_mobile(value: str) -> str:
    """A mainland mobile number: 11 digits starting 13–19 (an optional +86 is removed)."""
    number = _normalise(value).replace("-", "")
    if number.startswith("+86"):
        number = number[3:]
    elif number.startswith("0086"):
        number = number[4:]
    if not MOBILE_RE.fullmatch(number):
        raise ValidationError(_("请输入11位中国大陆手机号码。"), code="mobile")
    return number


NAME_MAX_LENGTH = 100
NAME_DOTS = "·•‧・."


def validate_person_name(value: str) -> str:
    """A natural person's name: any script, middle dot allowed, rare characters (䶮, 𠮷) kept as is.

    Different middle-dot code points are unified to U+00B7, as public-security records use.
    """
    name = unicodedata.normalize("NFC", (value or "").strip())
    for dot in NAME_DOTS:
        name = name.replace(dot, "·")
    if not name:
        raise ValidationError(_("请填写姓名。"), code="required")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(_("姓名不能超过%(max)d个字符。"), code="length", params={"max": NAME_MAX_LENGTH})
    if any(unicodedata.category(c).startswith(("C", "S", "N")) or c in "<>\"'&;" for c in name):
        raise ValidationError(_("姓名只能包含文字、间隔号和空格。"), code="format")
    if name.startswith("·") or name.endswith("·") or "··" in name:
        raise ValidationError(_("间隔号不能出现在姓名开头、结尾或连续出现。"), code="format")
    return name
