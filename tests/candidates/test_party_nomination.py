"""The nomination pipeline of a village Party organisation's election (issue 12 step 4; LAW.md §4.4): the method,
the recommendation or confidence stages with their turnout and ranking, the township's review, the formal list."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from candidates import party_pipeline as pipeline
from candidates import party_services as services
from candidates.models import Candidate, CandidateListPublication, PartyReviewDecision, PartyStage
from tests.builders import make_voters, preset
from tests.candidates.party_fixtures import (  # noqa: F401 (fixtures)
    PUBLISH_DAY,
    REVIEW_DAY,
    STAGE_DAY,
    branch,
    members,
    party_campaign,
    set_rules,
)
from villages import services as village_services
from villages.kinds.party_branch import OPEN_RECOMMENDATION, TWO_BALLOTS, TWO_RECOMMENDATIONS
from villages.models import AuditEntry

# Reference 002's confidence vote: 39 of 40 household representatives returned their ballots (97.5%).
CONFIDENCE_VOTES = {"王建国": 39, "李秀英": 38, "张伟": 36, "刘洋": 35, "陈静": 33, "杨光": 31, "赵磊": 30, "黄敏": 28,
                    "周强": 27, "吴芳": 10}


def messages(exc: ValidationError) -> list[str]:
    return exc.messages


def confidence(branch, clerk, members, *, votes=CONFIDENCE_VOTES, electorate=40, issued=40, returned=39, **kw):
    return services.record_stage(
        by=clerk, election=branch, stage=pipeline.CONFIDENCE_VOTE, basis=kw.pop("basis", pipeline.HOUSEHOLD_REPRESENTATIVES),
        electorate=electorate, basis_note="全村户代表", held_on=STAGE_DAY, ballots_issued=issued,
        ballots_returned=returned, votes={members[name].pk: n for name, n in votes.items()}, **kw)


@pytest.fixture
def two_ballots(branch, clerk, members):
    """两票制 under reference 002's rule: 委员 3 seats (the committee), 5 formal candidates → 7 preliminary."""
    services.choose_method(by=clerk, election=branch, method=TWO_BALLOTS, formal_candidates=5)
    return branch


def test_kind_serves_the_candidates_app():
    from villages.kinds.party_branch import PARTY_BRANCH

    assert "candidates" in PARTY_BRANCH.stage_apps


def test_the_method_must_be_the_presets_and_its_formal_candidates_20_percent_over_the_seats(branch, clerk):
    with pytest.raises(ValidationError) as exc:
        services.choose_method(by=clerk, election=branch, method=TWO_RECOMMENDATIONS, formal_candidates=5)
    assert messages(exc.value) == ["本次选举的规则不采用“两推一选”。"]
    with pytest.raises(ValidationError) as exc:
        services.choose_method(by=clerk, election=branch, method=TWO_BALLOTS, formal_candidates=3)
    assert messages(exc.value) == ["委员正式候选人数3名，差额不足应选3名的20%，应不少于4名。"]
    plan = services.choose_method(by=clerk, election=branch, method=TWO_BALLOTS, formal_candidates=4)
    assert (plan.method, plan.formal_candidates) == (TWO_BALLOTS, 4)
    entry = AuditEntry.objects.get(action="candidates.party_method.chosen")
    assert entry.changes == {"method": [None, "两票制"], "formal_candidates": [None, 4], "member_seats": 3}


def test_confidence_vote_turnout_ranking_and_the_preliminary_ratio(two_ballots, clerk, members):
    record = confidence(two_ballots, clerk, members)
    assert (record.electorate, record.ballots_issued, record.ballots_returned) == (40, 40, 39)
    plan = two_ballots.party_nomination
    rankings, _records, names = services.stage_rankings(two_ballots, plan)
    ranking = rankings[pipeline.CONFIDENCE_VOTE]
    assert str(ranking.turnout) == "97.5%"
    texts = [f.message for f in ranking.findings]
    assert texts[0] == "应参加信任投票40人，实际参加39人，参加率97.5%"
    assert "黄敏得信任票28票，占参加信任投票39人的71.8%，达到70%（至少28票）" in texts
    assert "周强得信任票27票，占参加信任投票39人的69.2%，未达到70%（至少28票），不能列为人选" in texts
    assert "8人得信任票达到70%，按得票多少取前7名：王建国、李秀英、张伟、刘洋、陈静、杨光、赵磊" in texts
    assert texts[-1] == "黄敏得信任票28票，名次在前7名之后，未列为人选"
    outcome = pipeline.nominees(TWO_BALLOTS, rankings, names)
    assert outcome.complete
    assert outcome.sentence == "群众信任投票确定初步候选人7名：王建国、李秀英、张伟、刘洋、陈静、杨光、赵磊，报乡镇党委审查"


def test_a_share_exactly_at_70_percent_fails_a_strict_test(two_ballots, clerk, members):
    set_rules(two_ballots.campaign, confidence_min_strict=True)
    confidence(two_ballots, clerk, members, votes={"王建国": 29, "李秀英": 28}, returned=40)
    two_ballots.refresh_from_db()
    rankings, _r, _n = services.stage_rankings(two_ballots, two_ballots.party_nomination)
    ranking = rankings[pipeline.CONFIDENCE_VOTE]
    assert [f.message for f in ranking.findings][1:3] == [
        "王建国得信任票29票，占参加信任投票40人的72.5%，超过70%（至少29票）",
        "李秀英得信任票28票，占参加信任投票40人的70.0%，未超过70%（至少29票），不能列为人选",
    ]
    assert ranking.passed == (str(members["王建国"].pk),)


def test_the_same_share_passes_an_inclusive_test(two_ballots, clerk, members):
    confidence(two_ballots, clerk, members, votes={"李秀英": 28}, returned=40)
    rankings, _r, _n = services.stage_rankings(two_ballots, two_ballots.party_nomination)
    assert rankings[pipeline.CONFIDENCE_VOTE].passed == (str(members["李秀英"].pk),)


def test_returned_over_issued_over_electorate_is_refused_and_nothing_written(two_ballots, clerk, members):
    with pytest.raises(ValidationError) as exc:
        confidence(two_ballots, clerk, members, electorate=40, issued=41, returned=42)
    assert messages(exc.value) == ["发出信任票41张，多于应参加群众信任投票的40人。", "收回信任票42张，多于发出的41张。"]
    with pytest.raises(ValidationError) as exc:
        confidence(two_ballots, clerk, members, votes={"王建国": 40}, issued=40, returned=39)
    assert messages(exc.value) == ["王建国得信任票40票，多于收回的39张。"]
    assert not PartyStage.objects.exists()


def test_only_full_members_with_voting_rights_can_be_put_forward(two_ballots, clerk, members):
    with pytest.raises(ValidationError) as exc:
        confidence(two_ballots, clerk, members, votes={"王建国": 30, "孙预备": 30, "钱察看": 20})
    assert messages(exc.value) == ["孙预备不是本支部有选举权的正式党员，不能被推荐或列为人选。",
                                   "钱察看不是本支部有选举权的正式党员，不能被推荐或列为人选。"]


def test_electorate_comes_from_the_village_register_of_the_same_year(two_ballots, clerk, members, township):
    with pytest.raises(ValidationError) as exc:
        confidence(two_ballots, clerk, members, basis=pipeline.VILLAGE_REGISTER, electorate=None)
    assert messages(exc.value) == ["本村没有同年村民委员会选举的选民名单，请按村民、村民代表或户代表录入应参加人数。"]
    committee = village_services.open_campaign(by=clerk, township=township, term_number=12,
                                               preset=preset("VCOL_2018_NATIONAL"),
                                               default_election_day=date(2026, 12, 20))
    make_voters(election=committee.elections.get(village=two_ballots.village), count=25)
    with pytest.raises(ValidationError) as exc:
        confidence(two_ballots, clerk, members, basis=pipeline.VILLAGERS, electorate=30)
    assert messages(exc.value) == [
        "本村已有同年村民委员会选举的选民名单（登记选民25人），应参加人数按名单计算，请选择“本村同年村民委员会选举的登记选民（按选民名单计算）”。"]
    record = confidence(two_ballots, clerk, members, basis=pipeline.VILLAGE_REGISTER, electorate=999, issued=25,
                        returned=25, votes={"王建国": 20})
    assert (record.electorate, record.basis_note) == (25, "第12届村民委员会选举选民登记（名单尚未公布）登记选民25人")


def test_review_then_formal_list_in_stroke_order_with_the_20_percent_check(two_ballots, clerk, members):
    confidence(two_ballots, clerk, members)
    chosen = ["王建国", "李秀英", "张伟", "刘洋", "陈静", "杨光", "赵磊"]
    decisions = {members[n].pk: (True, "") for n in chosen}
    decisions[members["赵磊"].pk] = (False, "")
    with pytest.raises(ValidationError) as exc:
        services.record_review(by=clerk, election=two_ballots, reviewed_on=REVIEW_DAY,
                               reviewed_by_body="中共青山镇委员会", decisions=decisions)
    assert messages(exc.value) == ["赵磊审查未通过，请写明原因。"]
    decisions[members["赵磊"].pk] = (False, "党纪处分影响期未满")
    decisions[members["黄敏"].pk] = (True, "")
    with pytest.raises(ValidationError) as exc:
        services.record_review(by=clerk, election=two_ballots, reviewed_on=REVIEW_DAY,
                               reviewed_by_body="中共青山镇委员会", decisions=decisions)
    assert messages(exc.value) == ["黄敏不是报请审查的人选。"]
    del decisions[members["黄敏"].pk]
    services.record_review(by=clerk, election=two_ballots, reviewed_on=REVIEW_DAY, reviewed_by_body="中共青山镇委员会",
                           review_reference="青党〔2026〕5号", decisions=decisions)
    assert list(PartyReviewDecision.objects.filter(passed=False).values_list("member__name", "reason")) == [
        ("赵磊", "党纪处分影响期未满")]
    ids = lambda names: [members[n].pk for n in names]  # noqa: E731
    with pytest.raises(ValidationError) as exc:
        services.publish_party_list(by=clerk, election=two_ballots, published_on=PUBLISH_DAY,
                                    members=ids(["王建国", "李秀英", "赵磊"]))
    assert messages(exc.value) == ["赵磊未经乡镇党委审查通过，不能列为正式候选人。",
                                   "委员应选3名，候选人3名，差额不足应选名额的20%，候选人应不少于4名。"]
    with pytest.raises(ValidationError) as exc:
        services.publish_party_list(by=clerk, election=two_ballots, published_on=PUBLISH_DAY,
                                    members=ids(["王建国", "李秀英", "张伟", "刘洋"]), secretaries=ids(["王建国"]))
    assert messages(exc.value) == ["本次选举由新一届委员会选举书记、副书记，党员大会只选举委员，不列书记、副书记候选人。"]
    services.publish_party_list(by=clerk, election=two_ballots, published_on=PUBLISH_DAY,
                                members=ids(["陈静", "李秀英", "张伟", "刘洋", "王建国"]))
    rows = list(Candidate.objects.filter(election=two_ballots).order_by("list_order")
                .values_list("post", "list_order", "voter__name", "status"))
    assert rows == [("member", 1, "王建国", "on_list"), ("member", 2, "刘洋", "on_list"), ("member", 3, "张伟", "on_list"),
                    ("member", 4, "李秀英", "on_list"), ("member", 5, "陈静", "on_list")]
    two_ballots.refresh_from_db()
    assert two_ballots.candidate_list_published_on == PUBLISH_DAY
    assert CandidateListPublication.objects.get(election=two_ballots).published_on == PUBLISH_DAY
    entry = AuditEntry.objects.get(action="candidates.party_list.published")
    assert entry.changes["委员"] == [None, ["1. 王建国", "2. 刘洋", "3. 张伟", "4. 李秀英", "5. 陈静"]]
    with pytest.raises(ValidationError) as exc:
        confidence(two_ballots, clerk, members)
    assert messages(exc.value) == ["正式候选人名单已于2026年11月5日公布，不能再修改候选人的产生过程。"]


def test_two_recommendations_put_forward_those_both_stages_choose(party_campaign, village_b, clerk, township):
    set_rules(party_campaign, nomination_methods=[TWO_RECOMMENDATIONS, OPEN_RECOMMENDATION, TWO_BALLOTS],
              preliminary_ratio=None, recommendation_min_share=[1, 2], recommendation_min_strict=True)
    election = party_campaign.elections.get(village=village_b)
    from tests.builders import make_voter

    people = {n: make_voter(election=election, name=n, category="PARTY_FULL", serial=200 + i)
              for i, n in enumerate(["王一", "李二", "张三", "刘四", "陈五"])}
    services.choose_method(by=clerk, election=election, method=TWO_RECOMMENDATIONS, formal_candidates=4)
    services.record_stage(by=clerk, election=election, stage=pipeline.MEMBERS_RECOMMENDATION,
                          basis=pipeline.PARTY_MEMBERS, electorate=99, held_on=STAGE_DAY, ballots_issued=5,
                          ballots_returned=5, votes={people[n].pk: v for n, v in
                                                     {"王一": 5, "李二": 4, "张三": 3, "刘四": 3, "陈五": 2}.items()})
    record = PartyStage.objects.get(stage=pipeline.MEMBERS_RECOMMENDATION)
    assert (record.electorate, record.basis_note) == (5, "党员名册中有选举权的正式党员")
    services.record_stage(by=clerk, election=election, stage=pipeline.VILLAGERS_RECOMMENDATION,
                          basis=pipeline.VILLAGER_REPRESENTATIVES, electorate=30, basis_note="村民代表", held_on=STAGE_DAY,
                          ballots_issued=30, ballots_returned=30,
                          votes={people[n].pk: v for n, v in {"王一": 28, "李二": 15, "张三": 20, "刘四": 16}.items()})
    election.refresh_from_db()
    rankings, _records, names = services.stage_rankings(election, election.party_nomination)
    outcome = pipeline.nominees(TWO_RECOMMENDATIONS, rankings, names)
    assert outcome.sentence == "党员推荐和群众推荐均列为人选的3名：王一、张三、刘四，报乡镇党委审查"
    assert [f.message for f in rankings[pipeline.VILLAGERS_RECOMMENDATION].findings][3:5] == (
        ["刘四得推荐票16票，占参加推荐30人的53.3%，超过50%（至少16票）",
         "李二得推荐票15票，占参加推荐30人的50.0%，未超过50%（至少16票），不能列为人选"])
    with pytest.raises(ValidationError) as exc:
        services.choose_method(by=clerk, election=election, method=OPEN_RECOMMENDATION, formal_candidates=4)
    assert messages(exc.value) == ["已登记党员推荐、群众推荐，不能再更改候选人产生方式。"]


def test_open_recommendation_elects_the_secretary_directly_and_equally(party_campaign, village_b, clerk):
    set_rules(party_campaign, nomination_methods=[OPEN_RECOMMENDATION], preliminary_ratio=None)
    election = party_campaign.elections.get(village=village_b)
    from tests.builders import make_voter

    people = {n: make_voter(election=election, name=n, category="PARTY_FULL", serial=220 + i)
              for i, n in enumerate(["王一", "李二", "张三", "刘四", "陈五"])}
    with pytest.raises(ValidationError) as exc:
        services.choose_method(by=clerk, election=election, method=OPEN_RECOMMENDATION, formal_candidates=2)
    assert messages(exc.value) == ["委员正式候选人数2名，差额不足应选2名的20%，应不少于3名。"]
    services.choose_method(by=clerk, election=election, method=OPEN_RECOMMENDATION, formal_candidates=3)
    services.record_stage(by=clerk, election=election, stage=pipeline.OPEN_RECOMMENDATION_STAGE,
                          basis=pipeline.MEMBERS_AND_VILLAGERS, electorate=60, basis_note="党员5人、群众代表55人",
                          held_on=STAGE_DAY, ballots_issued=58, ballots_returned=58,
                          votes={p.pk: 50 - i for i, p in enumerate(people.values())})
    services.record_review(by=clerk, election=election, reviewed_on=REVIEW_DAY, reviewed_by_body="中共青山镇委员会",
                           decisions={p.pk: (True, "") for p in people.values()})
    ids = lambda names: [people[n].pk for n in names]  # noqa: E731
    with pytest.raises(ValidationError) as exc:
        services.publish_party_list(by=clerk, election=election, published_on=PUBLISH_DAY,
                                    members=ids(["李二", "张三", "刘四"]), secretaries=ids(["王一", "陈五"]))
    assert messages(exc.value) == ["书记实行等额选举，应选1名，候选人应为1名，现有2名。"]
    services.publish_party_list(by=clerk, election=election, published_on=PUBLISH_DAY,
                                members=ids(["李二", "张三", "刘四"]), secretaries=ids(["王一"]))
    assert list(Candidate.objects.filter(election=election).order_by("post", "list_order")
                .values_list("post", "voter__name")) == [
        ("chair", "王一"), ("member", "刘四"), ("member", "张三"), ("member", "李二")]
    from candidates.party_overview import party_board

    board = party_board(election)
    assert board.seat_words == "书记1名、委员2名"
    assert [(g.label, [c.voter.name for c in g.candidates], g.finding.message) for g in board.groups] == [
        ("书记", ["王一"], "书记应选1名，候选人1名，实行等额选举"),
        ("委员", ["刘四", "张三", "李二"], "委员应选2名，候选人3名，多于应选名额1名，不少于应选名额的20%（至少多1名）"),
    ]


def test_a_village_committee_election_has_no_party_pipeline(election_a, clerk):
    with pytest.raises(ValidationError) as exc:
        services.choose_method(by=clerk, election=election_a, method=TWO_BALLOTS, formal_candidates=5)
    assert messages(exc.value) == ["这不是村党组织换届选举，没有推荐、信任投票和乡镇党委审查。"]


def test_correcting_a_stage_reopens_the_review_with_an_audit_entry(two_ballots, clerk, members):
    confidence(two_ballots, clerk, members)
    chosen = ["王建国", "李秀英", "张伟", "刘洋", "陈静", "杨光", "赵磊"]
    services.record_review(by=clerk, election=two_ballots, reviewed_on=REVIEW_DAY, reviewed_by_body="中共青山镇委员会",
                           decisions={members[n].pk: (True, "") for n in chosen})
    confidence(two_ballots, clerk, members, votes={**CONFIDENCE_VOTES, "赵磊": 20})
    plan = two_ballots.party_nomination
    plan.refresh_from_db()
    assert plan.reviewed_on is None and not PartyReviewDecision.objects.exists()
    entry = AuditEntry.objects.get(action="candidates.party_review.cleared")
    assert entry.changes == {"reviewed_on": ["2026-10-28", None], "reason": "群众信任投票结果已更改"}
    stage_entry = AuditEntry.objects.filter(action="candidates.party_stage.recorded").order_by("-id").first()
    assert stage_entry.changes["votes"][0]["赵磊"] == 30 and stage_entry.changes["votes"][1]["赵磊"] == 20


def test_a_tie_at_the_cut_off_blocks_the_review_until_decided(two_ballots, clerk, members):
    votes = {**CONFIDENCE_VOTES, "黄敏": 30}  # 赵磊 and 黄敏 both 30 for the 7th place
    confidence(two_ballots, clerk, members, votes=votes)
    rankings, _r, names = services.stage_rankings(two_ballots, two_ballots.party_nomination)
    ranking = rankings[pipeline.CONFIDENCE_VOTE]
    assert ({names[k] for k in ranking.tied}, ranking.open_places, len(ranking.chosen)) == ({"赵磊", "黄敏"}, 1, 6)
    assert "得信任票均为30票，并列争最后1个名额，不以排列先后或抽签决定，须另行确定" in ranking.findings[-1].message
    with pytest.raises(ValidationError) as exc:
        services.record_review(by=clerk, election=two_ballots, reviewed_on=REVIEW_DAY,
                               reviewed_by_body="中共青山镇委员会", decisions={})
    assert messages(exc.value) == ["群众信任投票有得票相同争最后名额的情形，须另行确定后再报乡镇党委审查。"]


def test_the_review_is_dated_between_the_stage_and_the_election_day(two_ballots, clerk, members):
    confidence(two_ballots, clerk, members)
    chosen = ["王建国", "李秀英", "张伟", "刘洋", "陈静", "杨光", "赵磊"]
    decisions = {members[n].pk: (True, "") for n in chosen}
    for day, text in ((date(2026, 10, 19), "审查日期不能早于群众信任投票（2026年10月20日）。"),
                      (date(2026, 11, 20), "审查日期须早于选举日（2026年11月20日）。")):
        with pytest.raises(ValidationError) as exc:
            services.record_review(by=clerk, election=two_ballots, reviewed_on=day,
                                   reviewed_by_body="中共青山镇委员会", decisions=decisions)
        assert messages(exc.value) == [text]


def test_nothing_changes_once_the_election_is_past_nomination(two_ballots, clerk, members):
    from villages.models import Election

    Election.objects.filter(pk=two_ballots.pk).update(stage="voting")
    with pytest.raises(ValidationError) as exc:
        confidence(two_ballots, clerk, members)
    assert messages(exc.value) == ["本选举已进入“党员大会选举”阶段，不能再修改候选人的产生过程。"]


# ---------------------------------------------------------------- the seams with the stages and the 两委 round


def test_the_village_register_is_the_two_committees_rounds_across_the_new_year(two_ballots, clerk, members, township):
    """The branch votes in November 2026, the village committee in January 2027: one 两委 换届, not the same year."""
    committee = village_services.open_campaign(by=clerk, township=township, term_number=12,
                                               preset=preset("VCOL_2018_NATIONAL"),
                                               default_election_day=date(2027, 1, 16))
    make_voters(election=committee.elections.get(village=two_ballots.village), count=25)
    record = confidence(two_ballots, clerk, members, basis=pipeline.VILLAGE_REGISTER, electorate=None, issued=25,
                        returned=25, votes={"王建国": 20})
    assert (record.electorate, record.basis_note) == (25, "第12届村民委员会选举选民登记（名单尚未公布）登记选民25人")


def test_a_member_stands_on_one_slate_only(party_campaign, village_b, clerk):
    set_rules(party_campaign, nomination_methods=[OPEN_RECOMMENDATION], preliminary_ratio=None)
    election = party_campaign.elections.get(village=village_b)
    from tests.builders import make_voter

    people = {n: make_voter(election=election, name=n, category="PARTY_FULL", serial=220 + i)
              for i, n in enumerate(["王一", "李二", "张三", "刘四", "陈五"])}
    services.choose_method(by=clerk, election=election, method=OPEN_RECOMMENDATION, formal_candidates=3)
    services.record_stage(by=clerk, election=election, stage=pipeline.OPEN_RECOMMENDATION_STAGE,
                          basis=pipeline.MEMBERS_AND_VILLAGERS, electorate=60, basis_note="党员5人、群众代表55人",
                          held_on=STAGE_DAY, ballots_issued=58, ballots_returned=58,
                          votes={p.pk: 50 - i for i, p in enumerate(people.values())})
    services.record_review(by=clerk, election=election, reviewed_on=REVIEW_DAY, reviewed_by_body="中共青山镇委员会",
                           decisions={p.pk: (True, "") for p in people.values()})
    ids = lambda names: [people[n].pk for n in names]  # noqa: E731
    with pytest.raises(ValidationError) as exc:
        services.publish_party_list(by=clerk, election=election, published_on=PUBLISH_DAY,
                                    members=ids(["王一", "张三", "刘四"]), secretaries=ids(["王一"]))
    assert messages(exc.value) == ["王一已列为委员候选人，不能同时列为书记候选人。"]
    assert not Candidate.objects.filter(election=election).exists()


def test_publishing_the_list_at_the_nomination_stage_opens_the_party_meeting(two_ballots, clerk, members):
    from villages.models import Election

    confidence(two_ballots, clerk, members)
    services.record_review(by=clerk, election=two_ballots, reviewed_on=REVIEW_DAY, reviewed_by_body="中共青山镇委员会",
                           decisions={members[n].pk: (True, "") for n in ["王建国", "李秀英", "张伟", "刘洋", "陈静",
                                                                         "杨光", "赵磊"]})
    Election.objects.filter(pk=two_ballots.pk).update(stage="nomination")
    services.publish_party_list(by=clerk, election=Election.objects.get(pk=two_ballots.pk), published_on=PUBLISH_DAY,
                                members=[members[n].pk for n in ["王建国", "李秀英", "张伟", "刘洋", "陈静"]],
                                today=PUBLISH_DAY)
    stored = Election.objects.get(pk=two_ballots.pk)
    assert (stored.stage, stored.candidate_list_published_on) == ("voting", PUBLISH_DAY)
    assert AuditEntry.objects.filter(action="villages.election.stage_advanced", object_id=str(stored.pk)).count() == 1
