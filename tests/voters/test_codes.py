import pytest

from voters.codes import (
    BUCKET_COLLEGE_OR_ABOVE,
    BUCKET_JUNIOR_OR_BELOW,
    BUCKET_SENIOR_SECONDARY,
    EDUCATION_1984,
    EDUCATION_2006,
    EDUCATION_EDITION_1984,
    EDUCATION_EDITION_2006,
    ETHNIC_ALPHA_CODES,
    ETHNIC_GROUPS,
    POLITICAL_STATUS,
    SEX,
    education_bucket,
    is_minority,
    is_party_member,
    lookup_education,
    lookup_ethnic_group,
    lookup_political_status,
    lookup_sex,
)


def test_ethnic_groups_hold_all_56_codes_in_order():
    assert list(ETHNIC_GROUPS) == [f"{n:02d}" for n in range(1, 57)]
    assert len(set(ETHNIC_GROUPS.values())) == 56
    assert len(set(ETHNIC_ALPHA_CODES.values())) == 56
    assert (ETHNIC_GROUPS["25"], ETHNIC_ALPHA_CODES["25"]) == ("水族", "SU")


@pytest.mark.parametrize(
    ("code", "minority"),
    [("01", False), ("02", True), ("56", True), ("97", False), ("98", False), ("57", False), ("", False)],
)
def test_is_minority_means_one_of_the_55_groups(code, minority):
    assert is_minority(code) is minority


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("汉", "01"),
        ("汉族", "01"),
        (" 汉 族 ", "01"),
        ("01", "01"),
        ("1", "01"),
        (1, "01"),
        (1.0, "01"),
        ("HA", "01"),
        ("ha", "01"),
        ("蒙古", "02"),
        ("蒙族", "02"),
        ("维吾尔", "05"),
        ("维族", "05"),
        ("土族", "30"),
        ("土家", "15"),
        ("土家族", "15"),
        ("僮族", "08"),
        ("崩龙族", "46"),
        ("基诺族", "56"),
        ("未识别民族", "97"),
        ("98", "98"),
        ("汉人", None),
        ("哈族", None),  # 哈尼 or 哈萨克: ambiguous
        ("57", None),
        ("XX", None),
        ("", None),
        (None, None),
    ],
)
def test_lookup_ethnic_group_accepts_common_labels_and_refuses_unknowns(label, code):
    assert lookup_ethnic_group(label) == code


@pytest.mark.parametrize(
    ("code", "edition", "bucket"),
    [
        ("10", EDUCATION_EDITION_1984, BUCKET_COLLEGE_OR_ABOVE),
        ("30", EDUCATION_EDITION_1984, BUCKET_COLLEGE_OR_ABOVE),
        ("40", EDUCATION_EDITION_1984, BUCKET_SENIOR_SECONDARY),
        ("50", EDUCATION_EDITION_1984, BUCKET_SENIOR_SECONDARY),  # 技工学校
        ("60", EDUCATION_EDITION_1984, BUCKET_SENIOR_SECONDARY),
        ("70", EDUCATION_EDITION_1984, BUCKET_JUNIOR_OR_BELOW),
        ("80", EDUCATION_EDITION_1984, BUCKET_JUNIOR_OR_BELOW),  # 小学及以下 folds into 初中及以下
        ("90", EDUCATION_EDITION_1984, BUCKET_JUNIOR_OR_BELOW),
        ("97", EDUCATION_EDITION_1984, None),
        ("11", EDUCATION_EDITION_1984, None),  # 1984 sub-codes are unverified
        ("11", EDUCATION_EDITION_2006, BUCKET_COLLEGE_OR_ABOVE),
        ("28", EDUCATION_EDITION_2006, BUCKET_COLLEGE_OR_ABOVE),
        ("33", EDUCATION_EDITION_2006, BUCKET_COLLEGE_OR_ABOVE),
        ("41", EDUCATION_EDITION_2006, BUCKET_SENIOR_SECONDARY),
        ("47", EDUCATION_EDITION_2006, BUCKET_SENIOR_SECONDARY),
        ("63", EDUCATION_EDITION_2006, BUCKET_SENIOR_SECONDARY),
        ("70", EDUCATION_EDITION_2006, BUCKET_JUNIOR_OR_BELOW),
        ("73", EDUCATION_EDITION_2006, BUCKET_JUNIOR_OR_BELOW),
        ("83", EDUCATION_EDITION_2006, BUCKET_JUNIOR_OR_BELOW),
        ("90", EDUCATION_EDITION_2006, BUCKET_JUNIOR_OR_BELOW),
        ("50", EDUCATION_EDITION_2006, None),
        ("72", EDUCATION_EDITION_2006, None),
    ],
)
def test_education_bucket_folds_codes_into_three_report_buckets(code, edition, bucket):
    assert education_bucket(code, edition) == bucket


@pytest.mark.parametrize("edition", [EDUCATION_EDITION_1984, EDUCATION_EDITION_2006])
def test_every_education_code_has_a_bucket(edition):
    table = EDUCATION_1984 if edition == EDUCATION_EDITION_1984 else EDUCATION_2006
    assert all(education_bucket(code, edition) is not None for code in table)


@pytest.mark.parametrize(
    ("label", "code_1984", "code_2006"),
    [
        ("研究生", "10", "10"),
        ("硕士", "10", "10"),
        ("本科", "20", "20"),
        ("大学", "20", "20"),
        ("大专", "30", "30"),
        ("大学专科", "30", "30"),
        ("中专", "40", "40"),
        ("技校", "50", "40"),
        ("职高", "60", "40"),
        ("高中", "60", "60"),
        ("初中", "70", "70"),
        ("初中文化", "70", "70"),
        ("初中文化程度", "70", "70"),
        ("\u3000大专 ", "30", "30"),
        ("小学", "80", "80"),
        ("文盲", "90", "90"),
        ("半文盲", "90", "90"),
        ("本科毕业", "20", "21"),
        ("大专肄业", "30", "33"),
        ("高中毕业", "60", "61"),
        ("初中毕业", "70", "71"),
        ("初中结业", "70", "70"),  # 2006 has no 72: the level, not a guess
        ("技校毕业", "50", "47"),
        ("职高毕业", "60", "44"),
        ("中专毕业", "40", "41"),
        ("博士研究生毕业", "10", "11"),
        ("大学本科", "20", "20"),
        ("中等专业学校或中等技术学校", "40", None),
        ("普通高级中学教育", None, "60"),
        ("70", "70", "70"),
        ("72", None, None),
        ("50", "50", None),
        ("其他", None, None),
        ("高中以上", None, None),
        ("", None, None),
    ],
)
def test_lookup_education_reads_typed_labels_per_edition(label, code_1984, code_2006):
    assert lookup_education(label, edition=EDUCATION_EDITION_1984) == code_1984
    assert lookup_education(label, edition=EDUCATION_EDITION_2006) == code_2006


def test_lookup_education_defaults_to_the_2006_edition():
    assert lookup_education("技校") == "40"


def test_political_status_has_13_codes_with_full_and_short_names():
    assert list(POLITICAL_STATUS) == [f"{n:02d}" for n in range(1, 14)]
    assert POLITICAL_STATUS["01"] == ("中国共产党党员", "中共党员")
    assert POLITICAL_STATUS["13"].short == "群众"


@pytest.mark.parametrize(
    ("code", "include_probationary", "member"),
    [
        ("01", False, True),
        ("01", True, True),
        ("02", False, False),
        ("02", True, True),
        ("03", True, False),
        ("13", False, False),
    ],
)
def test_is_party_member_counts_probationary_only_when_asked(code, include_probationary, member):
    assert is_party_member(code, include_probationary=include_probationary) is member


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("中共党员", "01"),
        ("党员", "01"),
        ("中国共产党党员", "01"),
        ("中共", "01"),
        ("预备党员", "02"),
        ("中共预备党员", "02"),
        ("团员", "03"),
        ("共青团员", "03"),
        ("民盟", "05"),
        ("九三学社", "10"),
        ("无党派人士", "12"),
        ("群众", "13"),
        (" 群 众 ", "13"),
        ("13", "13"),
        ("1", "01"),
        ("14", None),
        ("无", None),  # could mean 群众 or 无党派: not guessed
        ("党员干部", None),
        (None, None),
    ],
)
def test_lookup_political_status_accepts_common_labels_and_refuses_unknowns(label, code):
    assert lookup_political_status(label) == code


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("男", "1"),
        ("女", "2"),
        ("男性", "1"),
        ("女性", "2"),
        (" 女 ", "2"),
        ("1", "1"),
        (2, "2"),
        ("M", "1"),
        ("f", "2"),
        ("9", "9"),
        ("未说明", "9"),
        ("3", None),
        ("男女", None),
        ("", None),
    ],
)
def test_lookup_sex_returns_gb_t_2261_1_code(label, code):
    assert lookup_sex(label) == code
    assert code is None or code in SEX
