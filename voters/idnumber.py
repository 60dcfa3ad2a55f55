"""公民身份号码 (GB 11643-1999): normalise, parse and check citizen ID numbers.

Follows LAW.md §5.5 (structure, ISO 7064 MOD 11-2 check character, legacy 15-digit numbers) and
ENVIRONMENT.md "Chinese ID numbers" and "Excel in the field". We do not use python-stdnum's ``cn.ric``:
it rejects valid numbers of older people by comparing the region code's creation year with the birth
year. Region codes are therefore never checked against GB/T 2260 (LAW.md §5.5: a number keeps the code
of the county at the time of assignment, which may since have been abolished).

Pure module: no Django, no clock. The caller passes ``today``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from operator import mul

ERROR_MESSAGES = {
    "id_empty": "公民身份号码为空。",
    "id_excel_float": (
        "公民身份号码被Excel按数字格式保存（如科学计数法或带小数点），末几位数字已经丢失，无法自动还原。"
        "请把该列设置为“文本”格式，再重新录入完整的18位号码。"
    ),
    "id_format": "公民身份号码应为18位（前17位是数字，最后一位是数字或X），或15位数字的旧号码。",
    "id_birth_date_invalid": "公民身份号码中的出生日期（第7至14位）不是有效日期。",
    "id_birth_date_future": "公民身份号码中的出生日期晚于今天。",
    "id_checksum": "公民身份号码的校验码（最后一位）不正确，请核对是否录错了某一位数字。",
    "id_birth_date_mismatch": "填写的出生日期与公民身份号码中的出生日期不一致。",
    "id_sex_mismatch": "填写的性别与公民身份号码不一致（第17位奇数为男性，偶数为女性）。",
}

# ISO 7064 MOD 11-2 weights W_i = 2^(18-i) mod 11 and the check character for S mod 11 (LAW.md §5.5).
CHECK_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
_ASCII_ZERO_SUM = ord("0") * sum(CHECK_WEIGHTS)  # what the ASCII codes of 17 digits add beyond the digits

# Nobody born before this year can hold a number issued from 1984 on; stdnum's acceptance of 1800
# is listed as a fault in ENVIRONMENT.md, while 1880 (LAW.md §5.5 example) must still pass.
EARLIEST_BIRTH_YEAR = 1850

MALE = "M"
FEMALE = "F"
# GB/T 2261.1 codes, so callers may pass the stored sex code straight to check_against().
_SEX_ALIASES = {MALE: MALE, FEMALE: FEMALE, "1": MALE, "2": FEMALE}

_ID15 = re.compile(r"\d{15}")
# What Excel makes of a long number: "3.30102198001011E+17", "330102198001011000.0", "3.3E17".
_EXCEL_NUMBER = re.compile(r"\d+\.\d*(E[+-]?\d+)?|\d+E[+-]?\d+")
# Excel keeps 15 significant digits; a longer number read back from a numeric cell has been rounded.
_EXCEL_PRECISION = 15
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}
# A text-prefix apostrophe sometimes survives copying out of Excel or a CSV export.
_TEXT_PREFIXES = "'‘’`"


class IdNumberError(ValueError):
    """An ID number that cannot be accepted; ``code`` is a key of ERROR_MESSAGES."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.message = ERROR_MESSAGES[code]
        super().__init__(self.message)


@dataclass(frozen=True)
class IdNumber:
    """A checked 18-digit number; ``original`` is the normalised input (15 digits for legacy numbers)."""

    number: str
    region_code: str
    birth_date: date
    sex: str  # MALE or FEMALE, from digit 17
    original: str

    @property
    def is_legacy(self) -> bool:
        return len(self.original) == 15


@dataclass(frozen=True)
class IdMismatch:
    code: str
    message: str


def normalize_id_number(raw: object) -> str:
    """Clean an ID number as typed or read from Excel, without guessing any digit.

    Removes every kind of whitespace (full-width spaces included) and invisible characters, turns
    full-width digits and letters into half-width, and upper-cases ``x``. Returns "" for an empty
    value. Raises ``id_excel_float`` when the value is a number Excel has already rounded.
    """
    if raw is None:
        return ""
    if isinstance(raw, bool):
        raise IdNumberError("id_format")
    if isinstance(raw, float):
        raise IdNumberError("id_excel_float")
    if isinstance(raw, int):
        if len(str(abs(raw))) > _EXCEL_PRECISION:
            raise IdNumberError("id_excel_float")
        return str(raw)
    if type(raw) is str and raw.isascii() and raw.isalnum():  # the usual case: nothing to clean
        text = raw.upper()
        if "E" in text and _EXCEL_NUMBER.fullmatch(text):
            raise IdNumberError("id_excel_float")
        return text
    text = unicodedata.normalize("NFKC", str(raw))
    text = "".join(ch for ch in text if not ch.isspace() and ch not in _INVISIBLE)
    text = text.lstrip(_TEXT_PREFIXES).upper()
    if _EXCEL_NUMBER.fullmatch(text):
        raise IdNumberError("id_excel_float")
    return text


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits (LAW.md §5.5)."""
    if len(first17) == 17 and first17.isascii() and first17.isdigit():
        return CHECK_CHARACTERS[(sum(map(mul, first17.encode(), CHECK_WEIGHTS)) - _ASCII_ZERO_SUM) % 11]
    total = sum(int(digit) * weight for digit, weight in zip(first17, CHECK_WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def upgrade_legacy_number(number15: str) -> str:
    """Turn a GB 11643-1989 15-digit number into 18 digits: insert "19", append the check character."""
    if not _ID15.fullmatch(number15):
        raise IdNumberError("id_format")
    first17 = number15[:6] + "19" + number15[6:]
    return first17 + check_character(first17)


def parse_id_number(raw: object, *, today: date) -> IdNumber:
    """Validate an ID number in the order of LAW.md §5.5 and return its parts.

    Order: normalise, shape (18 or legacy 15), real birth date not after ``today``, check character.
    A legacy number has no check character to verify; it is upgraded and ``original`` keeps it.
    """
    text = normalize_id_number(raw)
    if not text:
        raise IdNumberError("id_empty")
    # Digits as a regular expression's \d reads them: any Unicode decimal digit (str.isdecimal).
    if len(text) == 15 and text.isdecimal():
        number = upgrade_legacy_number(text)
    elif len(text) == 18 and text[:17].isdecimal() and (text[17] == "X" or text[17].isdecimal()):
        number = text
    else:
        raise IdNumberError("id_format")

    birth_date = _birth_date(number[6:14])
    if birth_date > today:
        raise IdNumberError("id_birth_date_future")
    if check_character(number[:17]) != number[17]:
        raise IdNumberError("id_checksum")
    return IdNumber(
        number=number,
        region_code=number[:6],
        birth_date=birth_date,
        sex=MALE if int(number[16]) % 2 else FEMALE,
        original=text,
    )


def check_against(parsed: IdNumber, *, birth_date: date | None, sex: str | None) -> list[IdMismatch]:
    """Compare the birth date and sex typed beside the number with the number itself (DOMAIN.md).

    ``sex`` may be "M"/"F" or a GB/T 2261.1 code "1"/"2"; None, "0" or "9" (not known or not stated)
    and a missing birth date are not compared. Every mismatch is returned, not only the first.
    """
    mismatches = []
    if birth_date is not None and birth_date != parsed.birth_date:
        mismatches.append(_mismatch("id_birth_date_mismatch"))
    if sex in (None, "", "0", "9"):
        return mismatches
    if sex not in _SEX_ALIASES:
        raise ValueError(f"unknown sex value {sex!r}")
    if _SEX_ALIASES[sex] != parsed.sex:
        mismatches.append(_mismatch("id_sex_mismatch"))
    return mismatches


def mask_id_number(number: str) -> str:
    """Hide the middle of a number for published lists: keep the first 6 and last 4 characters.

    DOMAIN.md "The published list" never shows a full number. A value too short to keep 10
    characters and still hide something is masked entirely.
    """
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def shown_id_number(number: str, *, full: bool) -> str:
    """A number as a page shows it: whole when ``full``, masked otherwise.

    ``full`` is the answer of ``villages.access.can_see_full_id`` for the viewer and the person's
    village; that function is the one place deciding who sees full numbers.
    """
    return number if full else mask_id_number(number)


def _birth_date(yyyymmdd: str) -> date:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        raise IdNumberError("id_birth_date_invalid") from None
    if born.year < EARLIEST_BIRTH_YEAR:
        raise IdNumberError("id_birth_date_invalid")
    return born


def _mismatch(code: str) -> IdMismatch:
    return IdMismatch(code=code, message=ERROR_MESSAGES[code])
