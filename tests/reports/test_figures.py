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


# --- What the reports do not know yet (issue 13: "Reports say what they know") -------------------


def test_village_that_has_not_voted_is_left_out_of_the_turnout_base_not_counted_as_zero():
    figures = turnout_figures(
        [
            TurnoutCounts(registered=1000, voted=900, valid_first_attempt=True, full_committee_first_round=True),
            TurnoutCounts(registered=800, voted=0, has_voted=False),
        ]
    )
    assert (figures.villages, figures.villages_voted, figures.villages_not_voted) == (2, 1, 1)
    assert (figures.registered, figures.registered_voted, figures.registered_not_voted) == (1800, 1000, 800)
    assert figures.turnout == Share(900, 1000)  # not 900/1800 = 50.0%
    assert figures.first_round_success == Share(1, 1)
    assert figures.valid_first_attempt == Share(1, 1)


def test_nobody_voted_yet_gives_no_turnout():
    figures = turnout_figures([TurnoutCounts(registered=800, voted=0, has_voted=False)])
    assert figures.turnout == Share(0, 0)
    assert str(figures.turnout) == "—"


def test_cross_appointment_unknown_without_branch_roster_is_not_zero():
    c = composition_figures(
        [member(post="chair", cross_appointed=None, one_shoulder=None), member(cross_appointed=None, one_shoulder=None)],
        villages=1,
    )
    assert c.branch_unknown
    assert (c.cross_appointed, c.one_shoulder, c.branch_known) == (Share(0, 0), Share(0, 0), 0)


def test_cross_appointment_counts_only_villages_with_a_roster():
    c = composition_figures(
        [
            member(village="东山村", post="chair", cross_appointed=True, one_shoulder=True),
            member(village="东山村", cross_appointed=False, one_shoulder=False),
            member(village="西岭村", post="chair", cross_appointed=None, one_shoulder=None),
        ],
        villages=2,
    )
    assert not c.branch_unknown
    assert c.cross_appointed == Share(1, 2)
    assert c.one_shoulder == Share(1, 1)


def test_men_and_high_school_or_more():
    c = composition_figures(
        [
            member(sex="M", education="21"),  # 大学本科
            member(sex="F", education="61"),  # 高中
            member(sex="M", education="71"),  # 初中
            member(sex="M", education=""),  # not filled: in the base, not in the count
        ],
        villages=1,
    )
    assert c.men == Share(3, 4)
    assert c.high_school_or_more == Share(2, 4)


def _figures(members, counts, villages=()):
    from reports.figures import village_rows

    return ReportFigures(
        scope_label="青山镇", turnout=turnout_figures(counts), composition=composition_figures(members, villages=len(counts)),
        scope_kind="township", villages=tuple(village_rows(list(villages), members)),
        branch_rosters=Share(sum(v.branch_roster for v in villages), len(villages)),
    )


def test_tables_say_not_entered_and_not_voted_instead_of_zero():
    from reports.charts import report_charts
    from reports.figures import VillageFacts
    from reports.tables import composition_table, turnout_table, village_table

    voted = TurnoutCounts(registered=100, voted=80, valid_first_attempt=True, full_committee_first_round=True)
    waiting = TurnoutCounts(registered=50, voted=0, has_voted=False)
    villages = [VillageFacts(key="1", name="东山村", township="青山镇", seats=3, certified=False, turnout=voted),
                VillageFacts(key="2", name="西岭村", township="青山镇", seats=3, certified=False, turnout=waiting),
                VillageFacts(key="3", name="南坡村", township="青山镇", seats=3, certified=False, turnout=voted)]
    members = [member(village="1", post="chair", cross_appointed=None, one_shoulder=None)]
    figures = _figures(members, [voted, waiting, voted], villages)

    composition = {row[0]: row for row in composition_table(figures).rows}
    assert composition["与村党组织交叉任职"][1:4] == ("未录入", None, None)
    assert composition["书记、主任“一肩挑”的村"][1:4] == ("未录入", None, None)
    turnout = {row[0]: row for row in turnout_table(figures).rows}
    assert turnout["参加投票（参选率）"][1:5] == (160, 200, Share(160, 200), "已投票的村的登记选民")
    assert turnout["其中：尚未投票的村"][1] == 1
    assert "不计入参选率" in turnout_table(figures).note
    rows = {row[0]: row for row in village_table(figures).rows}
    assert rows["西岭村"][2:4] == ("尚未投票", "尚未投票")
    assert rows["东山村"][3] == Share(80, 100)
    assert rows["东山村"][-3] == "未录入"  # 一肩挑 without the branch roster
    turnout_chart = next(c for c in report_charts(figures) if c.key == "turnout")
    assert "西岭村" not in turnout_chart.svg and "东山村" in turnout_chart.svg
