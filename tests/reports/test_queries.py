"""The facts of a report, gathered from the database with exact expected figures (tests/reports/scenario.py
works them out by hand) and a constant number of queries."""

from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from reports.figures import Share, narrative
from reports.queries import build_report, member_facts, scope_elections, turnout_counts
from reports.scopes import get_scope
from tests.builders import (
    make_campaign,
    make_elected,
    make_registered_voters,
    make_round,
    make_station,
    make_tally,
    make_township,
    make_village,
    make_voter,
)
from tests.reports import scenario

NOW = datetime(2027, 1, 25, 8, 0, tzinfo=UTC)


@pytest.fixture
def world(township, campaign, village_a, village_b, clerk):
    return scenario.build(township=township, campaign=campaign, village_a=village_a, village_b=village_b, clerk=clerk)


@pytest.fixture
def report(world, township):
    return build_report(get_scope("township", township.code), now=NOW)


def test_turnout_of_each_village(world):
    a, b = turnout_counts([world.election_a, world.election_b])
    assert (a.registered, a.voted, a.by_proxy, a.by_mobile_box, a.away) == (8000, 5800, 3, 300, 120)
    assert (a.valid_first_attempt, a.full_committee_first_round) == (True, True)
    assert (b.registered, b.voted, b.by_proxy, b.by_mobile_box, b.away) == (4670, 3900, 0, 0, 0)
    assert (b.valid_first_attempt, b.full_committee_first_round) == (False, False)


def test_township_turnout_is_76_6_percent_not_90(report):
    t = report.turnout
    assert (t.villages, t.registered, t.voted) == (2, 12670, 9700)
    assert t.turnout == Share(9700, 12670)
    assert t.turnout.percent() == Decimal("76.6")
    assert (t.by_proxy, t.by_mobile_box, t.voted_in_person, t.away) == (3, 300, 9397, 120)
    assert t.valid_first_attempt == Share(1, 2)
    assert t.first_round_success == Share(1, 2)


def test_composition_shares_to_one_decimal(report):
    c = report.composition
    assert c.total == 6  # 赵某's void election is left out
    assert (c.women, c.women.percent()) == (Share(2, 6), Decimal("33.3"))
    assert c.party_members == Share(3, 6)  # 周大海 is a probationary member (02): not counted
    assert (c.minority, c.minority.percent()) == (Share(1, 6), Decimal("16.7"))
    assert c.by_post == {"主任": 2, "副主任": 0, "委员": 4, "妇女委员": 0}
    assert c.villages_with_woman == Share(2, 2)


def test_average_age_and_bands_on_election_day(report):
    c = report.composition
    # 51, 36 (born 1991-01-16: birthday on election day), 35 (one day later), 66, 57, 41
    assert c.average_age == Fraction(51 + 36 + 35 + 66 + 57 + 41, 6)
    assert c.average_age_display == "47.7"
    assert c.age_bands == {"≤35岁": Share(1, 6), "36–45岁": Share(2, 6), "46–55岁": Share(1, 6), "≥56岁": Share(2, 6)}
    assert c.under_50 == Share(3, 6)
    assert c.education == {"初中及以下": Share(2, 6), "高中/中专": Share(1, 6), "大专及以上": Share(2, 6)}
    assert c.education_unknown == 1


def test_re_elected_matched_by_id_number_with_roster_or_last_terms_election(report):
    c = report.composition
    # 东山村: 陈国华 on last term's roster; 西岭村: 周大海 elected last term in the system. 吴小平's election
    # last term was declared void, so he is new.
    assert (c.re_elected, c.new, c.re_election_known) == (Share(2, 6), Share(4, 6), 6)
    assert report.changes_basis == Share(2, 2)
    rows = {row.name: row for row in report.villages}
    assert (rows["东山村"].re_elected, rows["西岭村"].re_elected) == (1, 1)


def test_one_shoulder_and_cross_appointment_from_the_latest_branch_roster(report):
    c = report.composition
    # 西岭村 has no branch roster: unknown there, so it is left out of both bases (not counted as "no").
    assert c.one_shoulder == Share(1, 1)  # 陈国华 is the branch secretary of 东山村
    assert c.cross_appointed == Share(2, 3)  # 陈国华, 李秀英; 王建平 was only on the older term's roster
    assert (c.branch_known, c.branch_unknown) == (3, False)
    assert report.branch_rosters == Share(1, 2)


def test_change_against_last_term(report):
    changes = {row.label: row for row in report.changes}
    assert changes["当选总人数"].wording == "与上届持平"
    assert changes["女性成员"].wording == "比上届提高16.7个百分点"  # 2/6 against 1/6
    assert changes["中共党员"].wording == "比上届提高16.7个百分点"  # 3/6 against 2/6
    # last term's ages: the roster's on last term's election day (46, 41, 56), the system's (61, 63, 49)
    assert report.previous.average_age == Fraction(46 + 41 + 56 + 61 + 63 + 49, 6)
    assert changes["平均年龄"].wording == "比上届降低5.0岁"
    assert changes["大专及以上学历"].wording == "比上届提高33.3个百分点"


def test_per_village_rows(report):
    a, b = report.villages
    assert (a.name, a.registered, a.voted, a.turnout.percent(), a.by_proxy, a.by_mobile_box, a.away) == (
        "东山村", 8000, 5800, Decimal("72.5"), 3, 300, 120)
    assert (a.seats, a.elected, a.women, a.party_members, a.one_shoulder, a.first_round_success, a.certified) == (
        3, 3, 1, 1, True, True, True)
    assert (b.name, b.registered, b.voted, b.turnout.percent()) == ("西岭村", 4670, 3900, Decimal("83.5"))
    assert (b.elected, b.women, b.party_members, b.one_shoulder, b.first_round_success, b.certified) == (
        3, 1, 2, None, False, False)  # one_shoulder None: 西岭村's branch roster is not imported (未录入)


def test_certified_only_when_every_election_is(report, world, township):
    assert report.certified == Share(1, 2)
    assert not report.is_certified
    village = build_report(get_scope("village", world.election_a.village.code), now=NOW)
    assert village.is_certified


def test_work_figures_count_complaints_of_the_scope(world, township):
    from archive.models import Complaint

    def complaint(village, status, resolved_on=None):
        Complaint.objects.create(
            township=village.township, village=village, received_on=date(2027, 1, 10), channel="visit",
            subject="反映选民登记问题", category="eligibility", status=status, resolved_on=resolved_on,
        )

    complaint(world.election_a.village, "resolved", date(2027, 1, 12))
    complaint(world.election_a.village, "in_progress")
    complaint(world.election_b.village, "received")
    report = build_report(get_scope("township", township.code), now=NOW)
    assert (report.complaints_received, report.complaints_resolved, report.complaints_in_progress) == (3, 1, 1)
    village = build_report(get_scope("village", world.election_b.village.code), now=NOW)
    assert (village.complaints_received, village.complaints_resolved, village.complaints_in_progress) == (1, 0, 0)


def test_narrative_of_the_township(report):
    text = narrative(report)
    assert text.startswith("青山镇2个村（社区）参加本届村民委员会换届选举，一次选举成功1个，一次选举成功率50.0%")
    assert "登记选民12670人，参加投票9700人（其中委托投票3人、流动票箱投票300人），参选率76.6%" in text
    assert "连选连任2人，占33.3%" in text
    assert "在已导入村党组织名册的1个村中，村党组织书记、村委会主任“一肩挑”1个村，占100.0%" in text
    assert "男性4人，占66.7%；女性成员2人，占33.3%" in text


def test_village_scope_is_its_election_in_the_latest_campaign(world):
    report = build_report(get_scope("village", world.election_b.village.code), now=NOW)
    assert (report.turnout.registered, report.turnout.voted, report.composition.total) == (4670, 3900, 3)
    assert narrative(report).startswith("青山镇西岭村参加本届村民委员会换届选举，未能一次选举成功")


def test_member_facts_leave_out_void_members(world):
    facts = member_facts([world.election_a])
    assert sorted(f.post for f in facts) == ["chair", "member", "member"]
    assert [f.re_elected for f in facts if f.post == "chair"] == [True]


def test_county_takes_each_townships_latest_campaign(world, township, clerk):
    other = make_township(name="白云乡", code="330199102", county=township.county)
    village = make_village(township=other, name="白云村")
    old = make_campaign(township=other, by=clerk, term_number=6, day=date(2017, 1, 14)).elections.get()
    make_registered_voters(election=old, count=50)
    make_campaign(township=other, by=clerk, term_number=7)
    current = other.campaigns.get(term_number=7).elections.get(village=village)
    make_registered_voters(election=current, count=30, start=40000)
    report = build_report(get_scope("county", township.county.code), now=NOW)
    assert [v.name for v in report.villages] == ["东山村", "西岭村", "白云村"]
    assert (report.turnout.registered, report.turnout.voted) == (12700, 9700)
    assert report.campaigns == ("第12届村民委员会选举", "第7届村民委员会选举")


def test_last_term_unknown_leaves_re_election_out(township, campaign, village_a, clerk):
    election = campaign.elections.get(village=village_a)
    first = make_round(election=election, by=clerk)
    make_tally(round=first, station=make_station(election=election), by=clerk, returned=2)
    for i, post in enumerate(("chair", "member", "member")):
        make_elected(election=election, round=first, post=post,
                     voter=make_voter(election=election, name=f"成员{i}", serial=i))
    report = build_report(get_scope("village", village_a.code), now=NOW)
    assert report.composition.re_election_known == 0
    assert report.composition.re_elected == Share(0, 0)
    assert report.changes == [] and report.previous is None
    assert report.villages[0].re_elected is None


def _villages(township, clerk, count, *, start=0):
    """``count`` villages of ``township`` each with a counted first ballot and three elected members."""
    for i in range(start, start + count):
        make_village(township=township, name=f"村{i}", code=f"{township.code}{300 + i}", groups=1)


def _count(township, clerk, campaign):
    for n, election in enumerate(campaign.elections.select_related("village", "campaign")):
        make_registered_voters(election=election, count=4, start=50000 + 10 * n)
        first = make_round(election=election, by=clerk)
        make_tally(round=first, station=make_station(election=election, kind="mobile", name="流动票箱"), by=clerk, returned=3)
        for i, post in enumerate(("chair", "member", "member")):
            make_elected(election=election, round=first, post=post,
                         voter=make_voter(election=election, name=f"成员{i}", serial=3 * n + i))


@pytest.mark.parametrize("villages", [2, 6])
def test_build_report_takes_the_same_queries_for_any_number_of_villages(villages, township, clerk, django_assert_num_queries):
    _villages(township, clerk, villages)
    campaign = make_campaign(township=township, by=clerk)
    _count(township, clerk, campaign)
    scope = get_scope("township", township.code)
    with django_assert_num_queries(14):  # + the paired Party branch election (reports.branch_committees)
        report = build_report(scope, now=NOW)
    assert report.turnout.villages == villages
    assert (report.turnout.registered, report.turnout.voted, report.turnout.by_mobile_box) == (7 * villages, 3 * villages, 3 * villages)
    assert report.composition.total == 3 * villages


def test_scope_elections_orders_by_village_code(world, township):
    codes = [e.village.code for e in scope_elections(get_scope("township", township.code))]
    assert codes == sorted(codes)


def test_men_and_high_school_or_more_per_scope_and_village(report):
    c = report.composition
    assert c.men == Share(4, 6)  # 陈国华, 王建平, 周大海, 吴小平
    assert c.high_school_or_more == Share(3, 6)  # 陈国华 (本科), 李秀英 (高中), 郑芳 (大专)
    rows = {row.name: row for row in report.villages}
    assert (rows["东山村"].men, rows["东山村"].high_school_or_more) == (2, 2)
    assert (rows["西岭村"].men, rows["西岭村"].high_school_or_more) == (2, 1)


def test_village_not_voted_yet_is_shown_as_such_and_left_out_of_the_bases(world, township):
    """A third village whose voters are registered but whose first ballot has no confirmed tally."""
    village = make_village(township=township, name="南坡村", code="330199101203")
    election = world.election_a.campaign.elections.create(village=village, election_day=world.election_a.election_day)
    make_registered_voters(election=election, count=40, start=30000)  # ID numbers unused in the scenario
    report = build_report(get_scope("township", township.code), now=NOW)
    t = report.turnout
    assert (t.villages, t.villages_voted, t.registered, t.registered_voted) == (3, 2, 12710, 12670)
    assert t.turnout == Share(9700, 12670)  # unchanged by the village that has not voted
    assert t.first_round_success == Share(1, 2)
    assert report.composition.villages_with_woman == Share(2, 2)  # over the villages that have voted
    row = {r.name: r for r in report.villages}["南坡村"]
    assert (row.voted, row.turnout, row.first_round_success, row.one_shoulder) == (None, None, None, None)
    assert "尚有" not in narrative(report) and "尚未投票1个" in narrative(report)
