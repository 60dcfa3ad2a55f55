from datetime import date

import pytest

from voters.idnumber import (
    ERROR_MESSAGES,
    FEMALE,
    MALE,
    IdNumberError,
    check_against,
    check_character,
    mask_id_number,
    normalize_id_number,
    parse_id_number,
    upgrade_legacy_number,
)

TODAY = date(2026, 5, 1)
MAN_1980 = "33010219800101123X"  # digit 17 is 3: male
WOMAN_1980 = "330102198001011248"  # digit 17 is 4: female


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("33010219800101123x", MAN_1980),
        ("  330102 1980 0101 123X ", MAN_1980),
        ("\u3000330102198001011248\u3000", WOMAN_1980),
        ("３３０１０２１９８００１０１１２３ｘ", MAN_1980),
        ("３３０１０２１９８００１０１１２３Ｘ", MAN_1980),
        ("330102198001011248\t\n", WOMAN_1980),
        ("\ufeff330102198001011248", WOMAN_1980),
        ("'330102198001011248", WOMAN_1980),
        (330102800101123, "330102800101123"),
        (None, ""),
        ("   ", ""),
    ],
)
def test_normalize_cleans_spaces_full_width_and_lowercase_x(raw, expected):
    assert normalize_id_number(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "3.30102198001011E+17",
        "3.30102198001011e+17",
        "3.30102198001011E17",
        "330102198001011000.0",
        "３.３０１０２１９８００１０１１Ｅ＋１７",
        3.30102198001011e17,
        330102198001011.0,
        330102198001011000,  # an 18-digit int can only come from a numeric cell, already rounded
    ],
)
def test_normalize_refuses_numbers_excel_has_rounded(raw):
    with pytest.raises(IdNumberError) as error:
        normalize_id_number(raw)
    assert error.value.code == "id_excel_float"


@pytest.mark.parametrize(
    ("first17", "check"),
    [
        ("11010519491231002", "X"),  # LAW.md §5.5, S mod 11 = 2
        ("44052418800101001", "4"),  # LAW.md §5.5, S mod 11 = 8
        ("34052419800101001", "X"),  # so 340524198001010013 is invalid
        ("33010219800101124", "8"),
    ],
)
def test_check_character_follows_iso_7064_mod_11_2(first17, check):
    assert check_character(first17) == check


@pytest.mark.parametrize(
    ("raw", "number", "birth_date", "sex"),
    [
        ("11010519491231002X", "11010519491231002X", date(1949, 12, 31), FEMALE),
        ("440524188001010014", "440524188001010014", date(1880, 1, 1), MALE),
        (MAN_1980, MAN_1980, date(1980, 1, 1), MALE),
        (WOMAN_1980, WOMAN_1980, date(1980, 1, 1), FEMALE),
        ("110105200802290011", "110105200802290011", date(2008, 2, 29), MALE),
    ],
)
def test_parse_accepts_valid_numbers_and_derives_birth_date_and_sex(raw, number, birth_date, sex):
    parsed = parse_id_number(raw, today=TODAY)
    assert (parsed.number, parsed.birth_date, parsed.sex) == (number, birth_date, sex)
    assert parsed.region_code == number[:6]
    assert not parsed.is_legacy


def test_parse_accepts_region_codes_missing_from_gb_t_2260():
    # 990000 is no division code; LAW.md §5.5 says warn at most, never reject.
    first17 = "99000019800101123"
    parsed = parse_id_number(first17 + check_character(first17), today=TODAY)
    assert parsed.region_code == "990000"


@pytest.mark.parametrize(
    ("raw", "number", "birth_date", "sex"),
    [
        ("330102800101123", MAN_1980, date(1980, 1, 1), MALE),
        ("110105491231002", "11010519491231002X", date(1949, 12, 31), FEMALE),
        ("３３０１０２８００１０１１２３", MAN_1980, date(1980, 1, 1), MALE),
    ],
)
def test_parse_upgrades_legacy_15_digit_number_and_keeps_original(raw, number, birth_date, sex):
    parsed = parse_id_number(raw, today=TODAY)
    assert (parsed.number, parsed.birth_date, parsed.sex) == (number, birth_date, sex)
    assert parsed.original == normalize_id_number(raw)
    assert parsed.is_legacy


def test_upgrade_legacy_number_inserts_century_and_appends_check_character():
    assert upgrade_legacy_number("330102800101123") == MAN_1980


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "id_empty"),
        (None, "id_empty"),
        ("3301021980010112", "id_format"),  # 16 digits
        ("3301021980010112345", "id_format"),  # 19 digits
        ("33010219800101123Y", "id_format"),
        ("3301021980010112X8", "id_format"),  # X only in the last place
        ("33010219800101123-", "id_format"),
        ("33010280010112X", "id_format"),  # a 15-digit number has no check character
        (True, "id_format"),
        ("3.30102198001011E+17", "id_excel_float"),
        ("330102202002300016", "id_birth_date_invalid"),  # 30 February, valid check character
        ("330102190002290019", "id_birth_date_invalid"),  # 1900 was not a leap year
        ("330102198013011234", "id_birth_date_invalid"),  # month 13
        ("330102184901010016", "id_birth_date_invalid"),  # before 1850, valid check character
        ("330102000229123", "id_birth_date_invalid"),  # legacy: 1900-02-29
        ("330102209912310012", "id_birth_date_future"),
        ("340524198001010013", "id_checksum"),  # LAW.md §5.5: should end in X
        ("330102198001011234", "id_checksum"),
        ("110105194912310020", "id_checksum"),
    ],
)
def test_parse_rejects_with_code(raw, code):
    with pytest.raises(IdNumberError) as error:
        parse_id_number(raw, today=TODAY)
    assert error.value.code == code


@pytest.mark.parametrize(
    ("born", "today", "accepted"),
    [
        ("20260501", date(2026, 5, 1), True),  # born today
        ("20260502", date(2026, 5, 1), False),  # born tomorrow
    ],
)
def test_parse_accepts_birth_date_up_to_today_inclusive(born, today, accepted):
    first17 = "330102" + born + "001"
    number = first17 + check_character(first17)
    if accepted:
        assert parse_id_number(number, today=today).birth_date == today
    else:
        with pytest.raises(IdNumberError) as error:
            parse_id_number(number, today=today)
        assert error.value.code == "id_birth_date_future"


@pytest.mark.parametrize(
    ("birth_date", "sex", "codes"),
    [
        (date(1980, 1, 1), "M", []),
        (date(1980, 1, 1), "1", []),
        (date(1980, 1, 2), "M", ["id_birth_date_mismatch"]),
        (date(1980, 1, 1), "F", ["id_sex_mismatch"]),
        (date(1980, 1, 1), "2", ["id_sex_mismatch"]),
        (date(1981, 1, 1), "F", ["id_birth_date_mismatch", "id_sex_mismatch"]),
        (None, None, []),
        (None, "9", []),  # 未说明的性别 is not compared
        (None, "0", []),
    ],
)
def test_check_against_reports_every_mismatch_with_typed_columns(birth_date, sex, codes):
    parsed = parse_id_number(MAN_1980, today=TODAY)
    assert [m.code for m in check_against(parsed, birth_date=birth_date, sex=sex)] == codes


@pytest.mark.parametrize(("number", "sex"), [(MAN_1980, MALE), (WOMAN_1980, FEMALE)])
def test_sex_comes_from_parity_of_digit_17(number, sex):
    assert parse_id_number(number, today=TODAY).sex == sex


def test_check_against_refuses_unknown_sex_value():
    parsed = parse_id_number(MAN_1980, today=TODAY)
    with pytest.raises(ValueError):
        check_against(parsed, birth_date=None, sex="男")


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("330102198001011234", "330102********1234"),
        ("33010219800101123X", "330102********123X"),
        ("330102800101123", "330102*****1123"),
        ("1234567890", "**********"),
        ("", ""),
    ],
)
def test_mask_keeps_first_six_and_last_four(number, masked):
    assert mask_id_number(number) == masked


def test_every_error_code_has_a_chinese_message():
    codes = {"id_empty", "id_format", "id_excel_float", "id_birth_date_invalid", "id_birth_date_future",
             "id_checksum", "id_birth_date_mismatch", "id_sex_mismatch"}
    assert codes == set(ERROR_MESSAGES)
    assert all(message for message in ERROR_MESSAGES.values())


def test_check_character_reads_any_decimal_digits_alike():
    """ASCII digits take a quicker path than other decimal digits (which ``\\d`` also accepts)."""
    ascii17 = "11010519491231002"
    arabic_indic = ascii17.translate({ord("0") + d: 0x0660 + d for d in range(10)})
    assert check_character(ascii17) == check_character(arabic_indic) == "X"
