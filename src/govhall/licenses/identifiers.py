"""License identifiers (GB/T 36904, STANDARDS.md).

``1.2.156.3005.2.<type code>.<issuer code>.<serial>.<version>.<check>``: the check character is
ISO/IEC 7064 MOD 37,36 (GB/T 17710) over type code + issuer + serial + version, without the root and
without the dots.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.iso7064 import mod_37_36

ROOT = "1.2.156.3005.2"
TYPE_CODE_RE = re.compile(r"^[0-9A-Z]{21}$")
ISSUER_RE = re.compile(r"^(?:[0-9A-Z]{18}|[0-9]{6})$")
SERIAL_RE = re.compile(r"^[0-9A-Z]{1,40}$")
VERSION_RE = re.compile(r"^[0-9]{3}$")


@dataclass(frozen=True)
class Identifier:
    type_code: str
    issuer_code: str
    serial: str
    version: int
    check: str

    def __str__(self) -> str:
        return f"{ROOT}.{self.type_code}.{self.issuer_code}.{self.serial}.{self.version:03d}.{self.check}"


def check_character(type_code: str, issuer_code: str, serial: str, version: int) -> str:
    return mod_37_36.calc_check_digit(f"{type_code}{issuer_code}{serial}{version:03d}")


def build(type_code: str, issuer_code: str, serial: str, version: int) -> Identifier:
    """A new identifier; raises ``ValidationError`` for a part that does not fit the standard."""
    serial = serial.upper()
    if not TYPE_CODE_RE.match(type_code):
        raise ValidationError(_("证照类型代码应为 21 位字母或数字。"))
    if not ISSUER_RE.match(issuer_code):
        raise ValidationError(_("颁发机构代码应为 18 位统一社会信用代码或 6 位行政区划代码。"))
    if not SERIAL_RE.match(serial):
        raise ValidationError(_("证照编号只能包含字母和数字。"))
    if not 1 <= version <= 999:
        raise ValidationError(_("证照版本应在 001 至 999 之间。"))
    return Identifier(type_code, issuer_code, serial, version, check_character(type_code, issuer_code, serial, version))


def parse(text: str) -> Identifier:
    """Parse and check an identifier; ``ValidationError`` when malformed or the check fails."""
    value = (text or "").strip().upper()
    if not value.startswith(ROOT + "."):
        raise ValidationError(_("证照标识应以 %(root)s 开头。") % {"root": ROOT})
    parts = value[len(ROOT) + 1 :].split(".")
    if len(parts) != 5 or not VERSION_RE.match(parts[3]):
        raise ValidationError(_("证照标识格式不正确。"))
    type_code, issuer_code, serial, version, check = parts
    identifier = build(type_code, issuer_code, serial, int(version))
    if identifier.check != check:
        raise ValidationError(_("证照标识校验位不正确。"))
    return identifier
