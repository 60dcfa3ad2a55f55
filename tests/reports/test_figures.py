"""Report figures are exact: counts, shares with their denominators, rounding once at display."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from reports.figures import (
    MemberFacts,
    ReportFigures,
    Share,
    TurnoutCounts,
    age_change,
    compare_terms,
    composition_figures,
    count_change,
    narrative,
    share_change,
    turnout_figures,
)

D = date(2027, 1, 16)


def member(village="东山村", post="member", sex="M", born=date(1980, 1, 1), **kw):
    return MemberFacts(village=village, post=post, sex=sex, birth_date=born, election_day=D, **kw)


def test_reference_report_turnout_is_76_6_not_90():
    figures = turnout_figures([TurnoutCounts(registered=12670, voted=9700)])
    assert figures.turnout == Share(9700, 12670)
    assert figures.turnout.percent() == Decimal("76.6")


@pytest.mark.parametrize(
    "num,den,expected",
    [(1, 8, "12.5"), (1, 3, "33.3"), (2, 3, "66.7"), (1, 200, "0.5"), (0, 5, "0.0"), (7, 7, "100.0")],
)
def test_share_rounds_half_up_once(num, den, expected):
    assert Share(num, den).percent() == Decimal(expected)


def test_share_of_zero_shows_a_dash():
    assert Share(0, 0).percent() is None
    assert str(Share(0, 0)) == "—"


def test_turnout_rolls_up_villages_with_proxies_and_mobile_boxes():
    figures = turnout_figures(
        [
            TurnoutCounts(registered=1000, voted=900, by_proxy=30, by_mobile_box=10, away=50, valid_first_attempt=True, full_committee_first_round=True),
            TurnoutCounts(registered=500, voted=300, by_proxy=5, valid_first_attempt=True),
            TurnoutCounts(registered=800, voted=350),
        ]
    )
    assert (figures.registered, figures.voted, figures.voted_in_person) == (2300, 1550, 1505)
    assert (figures.by_proxy, figures.by_mobile_box, figures.away) == (35, 10, 50)
    assert figures.valid_first_attempt == Share(2, 3)
    assert figures.first_round_success == Share(1, 3)
    assert figures.turnout.percent() == Decimal("67.4")


def test_composition_counts_and_age_bands():
    members = [
        member(post="chair", born=date(1975, 6, 1), political_status="01", education="21", re_elected=True, one_shoulder=True),
        member(sex="F", born=date(1991, 1, 16), education="61", re_elected=False),  # 36 on election day
        member(sex="F", born=date(1991, 1, 17), ethnicity="22", education="71", re_elected=False),  # 35
        member(village="西岭村", post="chair", born=date(1960, 3, 3), political_status="02", education="81"),
        member(village="西岭村", born=date(1970, 1, 1), political_status="01", education=""),
    ]
    c = composition_figures(members, villages=2)
    assert c.total == 5
    assert c.women == Share(2, 5)
    assert c.party_members == Share(2, 5)  # 02 预备党员 not counted
    assert c.minority == Share(1, 5)
    assert c.age_bands == {"≤35岁": Share(1, 5), "36–45岁": Share(1, 5), "46–55岁": Share(1, 5), "≥56岁": Share(2, 5)}
    assert c.under_50 == Share(2, 5)
    assert c.average_age == Fraction(51 + 36 + 35 + 66 + 57, 5)
    assert c.average_age_display == "49.0"
    assert c.education == {"初中及以下": Share(2, 5), "高中/中专": Share(1, 5), "大专及以上": Share(1, 5)}
    assert c.education_unknown == 1
    assert c.by_post == {"主任": 2, "副主任": 0, "委员": 3, "妇女委员": 0}
    assert (c.re_elected, c.new, c.re_election_known) == (Share(1, 3), Share(2, 3), 3)
    assert c.villages_with_woman == Share(1, 2)
    assert c.one_shoulder == Share(1, 2)


@pytest.mark.parametrize(
    "current,previous,expected",
    [(120, 110, "比上届增加10人"), (100, 103, "比上届减少3人"), (5, 5, "与上届持平")],
)
def test_count_change_wording(current, previous, expected):
    assert count_change(current, previous) == expected


def test_age_change_rounds_the_difference_once():
    assert age_change(Fraction(4610, 100), Fraction(4680, 100)) == "比上届降低0.7岁"
    assert age_change(Fraction(91, 2), Fraction(45, 1)) == "比上届提高0.5岁"


def test_share_change_in_percentage_points():
    # 31/100 vs 27/92: 31.0% vs 29.3478...%, a rise of 1.652... → 1.7 points (not 31.0 - 29.3 = 1.7 by luck)
    assert share_change(Share(31, 100), Share(27, 92)) == "比上届提高1.7个百分点"
    assert share_change(Share(1, 3), Share(1, 3)) == "与上届持平"
    assert share_change(Share(0, 0), Share(1, 3)) == "—"


def test_narrative_states_every_number_from_the_figures():
    members = [member(post="chair", political_status="01", re_elected=True), member(sex="F", education="31", re_elected=False), member()]
    figures = ReportFigures(
        scope_label="全镇",
        turnout=turnout_figures([TurnoutCounts(registered=12670, voted=9700, by_proxy=120, full_committee_first_round=True)]),
        composition=composition_figures(members, villages=1),
    )
    text = narrative(figures)
    assert "登记选民12670人，参加投票9700人" in text
    assert "参选率76.6%" in text
    assert "一次选举成功率100.0%" in text
    assert "女性成员1人，占33.3%" in text


def test_compare_terms_lists_changes():
    now = composition_figures([member(sex="F"), member(), member(political_status="01")], villages=1)
    before = composition_figures([member(), member()], villages=1)
    rows = {row.label: row.wording for row in compare_terms(now, before)}
    assert rows["当选总人数"] == "比上届增加1人"
    assert rows["女性成员"] == "比上届提高33.3个百分点"
