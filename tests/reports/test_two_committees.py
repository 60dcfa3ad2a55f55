"""The township's 两委 report (reports.two_committees, reports.two_committee_queries): every figure of
tests/reports/two_committee_scenario.py, worked out by hand, with its base."""

from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from reports.figures import Share
from reports.scopes import get_scope
from reports.two_committee_queries import build_two_committee_report, build_village_view
from reports.two_committees import body_narrative, cross_narrative, report_tables
from tests.builders import make_elected, make_round, make_village, make_voter
from tests.reports import two_committee_scenario as scenario
from villages.models import Election

NOW = datetime(2027, 1, 25, 8, 0, tzinfo=UTC)


@pytest.fixture
def world(db, clerk):
    return scenario.build(clerk=clerk)


@pytest.fixture
def report(world):
    return build_two_committee_report(get_scope("township", world.township.code), now=NOW)


def test_branch_posts_all_filled_and_85_percent_re_elected(report):
    b = report.branch
    assert (b.villages, b.seats, b.elected, b.filled, b.all_filled) == (4, 20, 20, Share(20, 20), True)
    assert [(p.label, p.seats, p.elected) for p in b.posts] == [("书记", 4, 4), ("副书记", 5, 5), ("委员", 11, 11)]
    assert (b.re_elected, b.re_elected.percent()) == (Share(17, 20), Decimal("85.0"))
    assert (b.new, b.new.percent()) == (Share(3, 20), Decimal("15.0"))
    assert [p.re_elected for p in b.posts] == [Share(4, 4), Share(4, 5), Share(9, 11)]


def test_branch_women_deputy_secretaries_minorities_ages_education(report):
    b = report.branch
    assert b.women == Share(6, 20)
    assert (b.women_deputies, b.women_deputies.percent()) == (Share(2, 5), Decimal("40.0"))
    assert b.minority == Share(2, 20)
    assert {k: s.numerator for k, s in b.age_bands.items()} == {"≤35岁": 4, "36–45岁": 6, "46–55岁": 6, "≥56岁": 4}
    assert (b.average_age, b.average_age_display) == (Fraction(901, 20), "45.1")
    assert {k: s.numerator for k, s in b.education.items()} == {"初中及以下": 9, "高中/中专": 6, "大专及以上": 5}
    assert b.education_unknown == Share(0, 20)


def test_committee_one_seat_empty_and_re_election_over_villages_with_last_term(report):
    c = report.committee
    assert (c.seats, c.elected, c.filled.percent(), c.all_filled) == (12, 11, Decimal("91.7"), False)
    assert [(p.label, p.seats, p.elected) for p in c.posts] == [("主任", 4, 4), ("副主任", 0, 0), ("委员", 8, 7)]
    assert (c.re_elected, c.re_elected.percent()) == (Share(6, 9), Decimal("66.7"))  # 丁村: no last term
    assert c.new == Share(3, 9)
    assert [p.re_elected for p in c.posts] == [Share(3, 3), Share(0, 0), Share(3, 6)]
    assert (c.women, c.minority, c.party_members) == (Share(4, 11), Share(2, 11), Share(9, 11))
    assert {k: s.numerator for k, s in c.age_bands.items()} == {"≤35岁": 2, "36–45岁": 5, "46–55岁": 4, "≥56岁": 0}
    assert (c.average_age, c.average_age_display) == (Fraction(479, 11), "43.5")


def test_cross_appointment_and_one_shoulder_from_the_two_elections(report):
    assert (report.cross_appointed, report.cross_appointed.percent()) == (Share(8, 11), Decimal("72.7"))
    assert (report.one_shoulder, report.one_shoulder.percent()) == (Share(3, 4), Decimal("75.0"))
    assert report.branch_known == Share(4, 4)
    assert report.branch_from_election == 4
    people = report.people_figures
    assert (people["total"], people["women"], people["minority"]) == (23, Share(7, 23), Share(2, 23))
    assert people["average_age"] == Fraction(1027, 23)


def test_village_rows(report):
    rows = {r.name: r for r in report.village_rows}
    a, d = rows["甲村"], rows["丁村"]
    assert (a.branch_seats, a.branch_elected, a.branch_re_elected, a.committee_seats, a.committee_elected,
            a.committee_re_elected, a.cross_appointed, a.one_shoulder, a.people) == (5, 5, 4, 3, 3, 2, 2, True, 6)
    assert (d.committee_elected, d.committee_re_elected, d.cross_appointed, d.one_shoulder, d.people) == (
        2, None, 1, False, 6)


def test_narratives_in_the_words_of_reference_000(report):
    assert body_narrative(report.branch, "全镇") == (
        "全镇4个村村党组织委员会20名职数全部选举到位；连选连任17人，占85.0%，新当选3人，占15.0%；"
        "书记4名中连任4名，副书记5名中连任4名，委员11名中连任9名；妇女6名，占30.0%；女副书记2名，占副书记总数的40.0%；"
        "少数民族2名，占10.0%；≤35岁4人、36–45岁6人、46–55岁6人、≥56岁4人，平均年龄45.1岁；"
        "文化结构：初中及以下9人、高中/中专6人、大专及以上5人。")
    assert body_narrative(report.committee, "全镇").startswith(
        "全镇4个村村民委员会12名职数已选出11名（91.7%）；在有上届数据的9人中，连选连任6人，占66.7%，新当选3人，占33.3%；"
        "主任连任3名（有上届数据的3名中），委员连任3名（有上届数据的6名中）；")
    assert cross_narrative(report, "全镇") == (
        "全镇村“两委”共选出成员23人；村委会成员11人中有8人与村党组织委员交叉任职，交叉比例72.7%；"
        "村党组织书记和村委会主任“一肩挑”的有3个村，占75.0%（3/4）；“两委”平均年龄44.7岁，妇女7人，少数民族2人。")


def test_tables_state_each_base(report):
    tables = {t.key: t for t in report_tables(report)}
    branch = {row[0]: row for row in tables["branch"].rows}
    assert branch["已选举到位"] == ("已选举到位", 20, 20, Share(20, 20), "应选职数")
    assert branch["连选连任"] == ("连选连任", 17, 20, Share(17, 20), "有上届数据的村的当选人数")
    assert branch["女副书记"] == ("女副书记", 2, 5, Share(2, 5), "当选副书记")
    cross = {row[0]: row for row in tables["cross"].rows}
    assert cross["村委会成员与村党组织委员交叉任职"][1:4] == (8, 11, Share(8, 11))
    assert cross["村党组织书记、村委会主任“一肩挑”的村"][1:4] == (3, 4, Share(3, 4))


def test_village_view_sets_the_two_committees_side_by_side(world):
    view = build_village_view(get_scope("village", world.villages["甲村"].code))
    assert [(r.cadre.post_label, r.cadre.name, r.cross_appointed, r.one_shoulder) for r in view.branch] == [
        ("书记", "甲书记", True, True), ("副书记", "甲副书记", False, False), ("副书记", "甲新副书记", False, False),
        ("委员", "甲委员", True, False), ("委员", "甲老委员", False, False)]
    assert [(r.cadre.post_label, r.cadre.name, r.cadre.age, r.cadre.re_elected, r.cross_appointed, r.one_shoulder)
            for r in view.committee] == [
        ("主任", "甲书记", 55, True, True, True), ("委员", "甲委员", 45, True, True, False),
        ("委员", "甲村委", 42, False, False, False)]
    assert (view.one_shoulder, view.cross_appointed, view.people) == (True, Share(2, 3), 6)
    assert view.branch[2].cadre.re_elected is False  # 甲新副书记: not on last term's branch committee


@pytest.mark.parametrize("more", [0, 8])
def test_report_queries_do_not_grow_with_villages(world, clerk, more, django_assert_num_queries):
    branch_round, committee_round = world.branch["甲村"].campaign, world.committee["甲村"].campaign
    for n in range(more):
        village = make_village(township=world.township, name=f"新{n}村")
        for campaign, post in ((branch_round, "secretary"), (committee_round, "chair")):
            election = Election.objects.create(campaign=campaign, village=village, election_day=campaign.default_election_day)
            voter = make_voter(election=election, name=f"新{n}", serial=300 + n)
            make_elected(election=election, round=make_round(election=election, by=clerk), voter=voter, post=post)
    scope = get_scope("township", world.township.code)
    with django_assert_num_queries(13):  # 10, the 书记/副书记 votes read for the committee and for 交叉任职, seats reduced
        report = build_two_committee_report(scope, now=NOW)
    assert (report.branch.villages, report.one_shoulder) == (4 + more, Share(3 + more, 4 + more))
