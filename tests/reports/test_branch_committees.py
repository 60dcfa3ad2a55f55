"""交叉任职 and 一肩挑 from the two elections of the 两委 round (reports.branch_committees): the Party branch
election of the same township and 换届 year decides when it has results; the imported roster otherwise."""

from datetime import UTC, date, datetime

import pytest

from reports.branch_committees import ELECTION, ROSTER, branch_committees, is_paired
from reports.figures import Share
from reports.queries import build_report
from reports.scopes import get_scope
from tests.builders import make_elected, make_party_campaign, make_round, make_voter
from tests.reports import scenario

NOW = datetime(2027, 1, 25, 8, 0, tzinfo=UTC)


@pytest.fixture
def world(township, campaign, village_a, village_b, clerk):
    return scenario.build(township=township, campaign=campaign, village_a=village_a, village_b=village_b, clerk=clerk)


def elect_branch(election, clerk, members):
    """``members``: (name, sex, born, id_number, post) of the branch committee elected at ``election``."""
    first = make_round(election=election, by=clerk, held_on=election.election_day)
    for serial, (name, sex, born, id_number, post) in enumerate(members, start=40):
        voter = make_voter(election=election, name=name, sex=sex, birth_date=born, serial=serial,
                           id_number=id_number or scenario.person_id(born, sex, serial), political_status="01")
        make_elected(election=election, round=first, voter=voter, post=post)


@pytest.mark.parametrize("branch_day,paired", [
    (date(2026, 11, 20), True),  # November before the January committee elections: the same 两委 round
    (date(2027, 12, 30), True),
    (date(2026, 1, 10), False),  # more than a year before: another round
    (date(2022, 1, 15), False),  # last term
])
def test_branch_round_is_paired_within_a_year_of_the_committee_round(branch_day, paired):
    assert is_paired(branch_day, date(2027, 1, 16)) is paired


def test_party_branch_election_decides_over_the_roster(world, township, clerk, village_a):
    """东山村's roster says 陈国华 is the branch secretary and 李秀英 a member; the branch election of the same
    round elected 王建平 secretary and 陈国华 a member: the election decides, so no 一肩挑 and 2 of 3 cross."""
    branch = make_party_campaign(township=township, by=clerk).elections.get(village=village_a)
    elect_branch(branch, clerk, [
        ("王建平", "M", date(1991, 1, 17), scenario.WANG, "secretary"),
        ("陈国华", "M", date(1975, 6, 1), scenario.CHEN, "member"),
        ("孙强", "M", date(1980, 3, 3), None, "member"),
    ])
    committees = branch_committees([world.election_a, world.election_b])
    assert committees[village_a.pk].source == ELECTION
    assert committees[village_a.pk].election_id == branch.pk
    assert village_a.pk not in {v for v, c in committees.items() if c.source == ROSTER}
    report = build_report(get_scope("township", township.code), now=NOW)
    c = report.composition
    assert c.one_shoulder == Share(0, 1)  # 王建平 is the secretary but not the committee's chair
    assert c.cross_appointed == Share(2, 3)  # 陈国华 and 王建平; 李秀英 is on the roster only
    row = {v.name: v for v in report.villages}["东山村"]
    assert row.one_shoulder is False


def test_branch_election_without_results_leaves_this_terms_roster_in_force(world, township, clerk, village_a):
    """The branch round is 第5届, the term of 东山村's roster: until its election has results, the roster counts."""
    make_party_campaign(township=township, by=clerk, term_number=5)  # elections opened, nobody elected yet
    committees = branch_committees([world.election_a, world.election_b])
    assert committees[village_a.pk].source == ROSTER
    c = build_report(get_scope("township", township.code), now=NOW).composition
    assert (c.one_shoulder, c.cross_appointed) == (Share(1, 1), Share(2, 3))  # as the roster says


def test_last_terms_roster_is_not_this_terms_committee(world, township, clerk, village_a):
    """The branch round of the same 两委 year is 第8届 and has no results yet: 东山村's roster of term 5 is an
    earlier committee, so 交叉任职 and 一肩挑 are unknown (未录入), not measured against it."""
    make_party_campaign(township=township, by=clerk, term_number=8)
    assert branch_committees([world.election_a, world.election_b]) == {}
    report = build_report(get_scope("township", township.code), now=NOW)
    assert report.composition.branch_unknown
    assert report.branch_rosters == Share(0, 2)


def test_branch_election_of_another_year_is_not_paired(world, township, clerk, village_a, village_b):
    """A branch round five years earlier is last term's: 西岭村 stays unknown, 东山村 keeps its roster."""
    old = make_party_campaign(township=township, by=clerk, term_number=7, day=date(2021, 11, 20))
    elect_branch(old.elections.get(village=village_b), clerk, [("周大海", "M", date(1960, 3, 3), scenario.ZHOU, "secretary")])
    committees = branch_committees([world.election_a, world.election_b])
    assert village_b.pk not in committees
    assert committees[village_a.pk].source == ROSTER


def test_branch_election_gives_a_village_without_roster_its_one_shoulder(world, township, clerk, village_b):
    """西岭村 has no roster (未录入 before); its branch election (第5届, the term of 东山村's roster, whose election
    has no results yet) elected 周大海, the committee's chair, secretary."""
    branch = make_party_campaign(township=township, by=clerk, term_number=5).elections.get(village=village_b)
    elect_branch(branch, clerk, [("周大海", "M", date(1960, 3, 3), scenario.ZHOU, "secretary"),
                                 ("郑某", "F", date(1985, 5, 5), None, "member")])
    report = build_report(get_scope("township", township.code), now=NOW)
    assert report.composition.one_shoulder == Share(2, 2)  # 东山村 by its roster, 西岭村 by its election
    assert report.composition.cross_appointed == Share(3, 6)  # 陈国华, 李秀英; 周大海
    assert report.branch_rosters == Share(2, 2)


def test_report_names_the_base_of_the_branch_figures_by_where_they_come_from(world, township, clerk, village_a, client):
    """东山村's branch committee from its election, 西岭村 unknown: the base is the villages whose branch committee
    is known, not "已导入名册" (东山村's roster is set aside)."""
    from bs4 import BeautifulSoup
    from django.urls import reverse

    from reports.tables import composition_table

    branch = make_party_campaign(township=township, by=clerk).elections.get(village=village_a)
    elect_branch(branch, clerk, [("陈国华", "M", date(1975, 6, 1), scenario.CHEN, "secretary")])
    report = build_report(get_scope("township", township.code), now=NOW)
    assert (report.branch_rosters, report.branch_elected) == (Share(1, 2), 1)
    table = composition_table(report)
    assert table.note.endswith("村党组织委员会已知1个村（本系统村党组织选举结果1个村，导入的名册0个村），共2个村；"
                               "其余的村不计交叉任职和“一肩挑”。")
    rows = {row[0]: row for row in table.rows}
    assert rows["与村党组织交叉任职"] == ("与村党组织交叉任职", 1, 3, Share(1, 3), "村党组织委员会已知的村的当选人数")
    client.force_login(clerk)
    page = BeautifulSoup(client.get(reverse("reports:report", kwargs={"kind": "township", "code": township.code}))
                         .content.decode(), "html.parser")
    assert page.select_one("#kf-one-shoulder").get_text(strip=True) == "1个村，占100.0%（1/1）（基数为村党组织委员会已知的村）"


def test_the_branch_secretary_is_whom_the_new_committee_elected(world, township, clerk, village_a):
    """The 党员大会 elects 委员 only; the committee's vote then makes 陈国华 (the village committee's chair) the
    书记 with 3 of 3 and 孙强 gets 1 of 3 for 副书记 (not elected): 一肩挑 in 东山村, read from the votes."""
    from ballots.models import CommitteePostVote, ElectedMember

    branch = make_party_campaign(township=township, by=clerk).elections.get(village=village_a)
    elect_branch(branch, clerk, [
        ("王建平", "M", date(1991, 1, 17), scenario.WANG, "member"),
        ("陈国华", "M", date(1975, 6, 1), scenario.CHEN, "member"),
        ("孙强", "M", date(1980, 3, 3), None, "member"),
    ])
    ids = dict(ElectedMember.objects.filter(election=branch).values_list("voter__name", "voter_id"))
    before = build_report(get_scope("township", township.code), now=NOW).composition
    assert before.one_shoulder == Share(0, 1)  # nobody holds the 书记 yet
    for post, votes in (("secretary", {str(ids["陈国华"]): 3}), ("deputy_secretary", {str(ids["孙强"]): 1})):
        CommitteePostVote.objects.create(election=branch, post=post, electorate="committee", base=3, returned=3,
                                         votes=votes, held_on=date(2026, 11, 20), recorded_by=clerk)
    committee = branch_committees([world.election_a, world.election_b])[village_a.pk]
    assert committee.posts[scenario.CHEN] == "secretary"
    assert sorted(committee.posts.values()) == ["member", "member", "secretary"]  # 孙强: 1 of 3 is not elected
    c = build_report(get_scope("township", township.code), now=NOW).composition
    assert (c.one_shoulder, c.cross_appointed) == (Share(1, 1), Share(2, 3))
