"""A township Party congress's delegates against the province's composition rules (reference 003): no database.

Reference 003: 23 branches, 431 full members (women about 13.2% — 57 of 431 — no minority members), 49
delegates: 14 women (28.6%), 25 cadres (51.02%), 28 aged 45 or under (57.14%).
"""

import pytest

from villages.kinds.party_composition import (
    CANDIDATES,
    DelegateCounts,
    MemberCounts,
    composition_check,
    is_young,
)
from villages.kinds.party_congress import PRESETS, CongressRuleParameters
from villages.kinds.party_rules import ERROR, OK, WARNING

PROVINCE = CongressRuleParameters.from_dict(next(p for p in PRESETS if p.code == "REFERENCE_003_CONGRESS").overrides)
MEMBERS = MemberCounts(total=431, women=57, minorities=0)


def test_reference_003_delegates_meet_every_rule_with_their_figures():
    check = composition_check(DelegateCounts(total=49, cadres=25, young=28, women=14, minorities=0), MEMBERS, PROVINCE)
    assert [(f.code, f.severity, f.message) for f in check.findings] == [
        ("cadres_ok", OK, "乡镇、村、经济组织、社会组织的党员干部代表25名，占代表总数49名的51.0%，不超过60%"),
        ("young_ok", OK, "45周岁以下代表28名，占代表总数49名的57.1%，不少于50%"),
        ("women_ok", OK, "女代表14名，占代表总数49名的28.6%，不低于女党员57名占党员总数431名的13.2%"),
        ("minorities_none", OK, "本乡镇没有少数民族党员，少数民族代表的比例不作要求"),
    ]
    assert [(s.numerator, s.denominator) for s in (check.cadres, check.young, check.women, check.women_members)] == [
        (25, 49), (28, 49), (14, 49), (57, 431)]


@pytest.mark.parametrize("cadres,total,code,message", [
    (29, 49, "cadres_ok", "乡镇、村、经济组织、社会组织的党员干部代表29名，占代表总数49名的59.2%，不超过60%"),
    (30, 49, "cadres_over", "乡镇、村、经济组织、社会组织的党员干部代表30名，占代表总数49名的61.2%，超过60%"),
    (30, 50, "cadres_ok", "乡镇、村、经济组织、社会组织的党员干部代表30名，占代表总数50名的60.0%，不超过60%"),
])
def test_cadre_ceiling_is_inclusive(cadres, total, code, message):
    check = composition_check(DelegateCounts(total=total, cadres=cadres, young=total, women=total, minorities=0),
                              MEMBERS, PROVINCE)
    assert (check.findings[0].code, check.findings[0].message) == (code, message)
    assert check.findings[0].severity == (OK if code == "cadres_ok" else ERROR)


@pytest.mark.parametrize("young,code,message", [
    (25, "young_ok", "45周岁以下代表25名，占代表总数50名的50.0%，不少于50%"),
    (24, "young_short", "45周岁以下代表24名，占代表总数50名的48.0%，少于50%"),
])
def test_under_45_floor_is_inclusive(young, code, message):
    check = composition_check(DelegateCounts(total=50, cadres=0, young=young, women=50, minorities=0), MEMBERS, PROVINCE)
    assert (check.findings[1].code, check.findings[1].message) == (code, message)


@pytest.mark.parametrize("age,young", [(44, True), (45, True), (46, False)])
def test_45_or_under_includes_45(age, young):
    assert is_young(age, PROVINCE) is young


@pytest.mark.parametrize("women,members,code,message", [
    # 57/431 of 49 is 6.48: 7 women meet the floor, 6 do not — compared exactly, not by rounded percentages.
    (7, MEMBERS, "women_ok", "女代表7名，占代表总数49名的14.3%，不低于女党员57名占党员总数431名的13.2%"),
    (6, MEMBERS, "women_short", "女代表6名，占代表总数49名的12.2%，低于女党员57名占党员总数431名的13.2%"),
])
def test_women_floor_at_their_share_among_members(women, members, code, message):
    check = composition_check(DelegateCounts(total=49, cadres=0, young=49, women=women, minorities=0), members, PROVINCE)
    women_finding = check.findings[2]
    assert (women_finding.code, women_finding.message) == (code, message)
    assert women_finding.severity == (OK if code == "women_ok" else WARNING)


def test_equal_shares_meet_the_floor():
    check = composition_check(DelegateCounts(total=50, cadres=0, young=50, women=10, minorities=0),
                              MemberCounts(total=100, women=20, minorities=0), PROVINCE)
    assert check.findings[2].code == "women_ok"


@pytest.mark.parametrize("minorities,code,severity,message", [
    (1, "minorities_ok", OK, "少数民族代表1名，占代表总数49名的2.0%，不低于少数民族党员3名占党员总数431名的0.7%"),
    (0, "minorities_short", WARNING, "少数民族代表0名，占代表总数49名的0.0%，低于少数民族党员3名占党员总数431名的0.7%"),
])
def test_minority_floor(minorities, code, severity, message):
    check = composition_check(DelegateCounts(total=49, cadres=0, young=49, women=49, minorities=minorities),
                              MemberCounts(total=431, women=57, minorities=3), PROVINCE)
    assert (check.findings[3].code, check.findings[3].severity, check.findings[3].message) == (code, severity, message)


def test_the_candidate_list_is_checked_in_the_same_words():
    check = composition_check(DelegateCounts(total=59, cadres=30, young=33, women=17, minorities=0), MEMBERS, PROVINCE,
                              subject=CANDIDATES)
    assert [f.message for f in check.findings[:3]] == [
        "乡镇、村、经济组织、社会组织的党员干部代表候选人30名，占代表候选人总数59名的50.8%，不超过60%",
        "45周岁以下代表候选人33名，占代表候选人总数59名的55.9%，不少于50%",
        "女代表候选人17名，占代表候选人总数59名的28.8%，不低于女党员57名占党员总数431名的13.2%",
    ]


def test_the_national_default_checks_nothing():
    check = composition_check(DelegateCounts(total=49, cadres=49, young=0, women=0, minorities=0), MEMBERS,
                              CongressRuleParameters())
    assert check.findings == ()


@pytest.mark.parametrize("delegates,members,error", [
    (DelegateCounts(total=49, cadres=50, young=0, women=0, minorities=0), MEMBERS, "多于总人数"),
    (DelegateCounts(total=49, cadres=0, young=0, women=0, minorities=0), MemberCounts(431, 432, 0), "多于总人数"),
    (DelegateCounts(total=0, cadres=0, young=0, women=0, minorities=0), MEMBERS, "须为正数"),
])
def test_impossible_counts_are_refused(delegates, members, error):
    with pytest.raises(ValueError, match=error):
        composition_check(delegates, members, PROVINCE)
