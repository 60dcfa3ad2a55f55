"""Nomination services: who may nominate and stand, the committee, withdrawal with replacement,
publication with its slate checks, and the audit log."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from candidates import proxy_checks, services
from candidates.models import Candidate, CandidateListPublication, Nomination
from tests.builders import make_campaign, make_nominee, make_voter, open_nomination
from tests.candidates.conftest import codes
from villages import stages
from villages.models import AuditEntry, CommitteeMember, Election, RulePreset
from voters.models import Proxy

NOMINATED_ON = date(2026, 12, 28)
PUBLISHED_ON = date(2027, 1, 10)  # D − 6: on time for D − 5


def nominate(election, by, voter, post="member", **kwargs):
    kwargs.setdefault("nominated_on", NOMINATED_ON)
    return services.nominate_candidate(by=by, election=election, voter=voter, post=post, **kwargs)


def publish(election, by, *, mode="candidates", on=PUBLISHED_ON, today=None, date_reason=""):
    return services.publish_candidate_list(by=by, election=election, published_on=on, mode=mode, today=today or on,
                                           date_reason=date_reason)


def full_slate(election, by, voters, *, chair_votes=(10, 8), member_votes=(9, 7, 5)):
    """Two nominees for 主任 (1 seat) and three for 委员 (2 seats)."""
    made = [
        make_nominee(election=election, by=by, voter=voters[i], post="chair", votes=v) for i, v in enumerate(chair_votes)
    ]
    start = len(chair_votes)
    made += [
        make_nominee(election=election, by=by, voter=voters[start + i], post="member", votes=v)
        for i, v in enumerate(member_votes)
    ]
    return made


def state(election):
    return sorted(Candidate.objects.filter(election=election).values_list("voter__name", "post", "status", "list_order"))


# ---------------------------------------------------------------- nominating


def test_nomination_by_named_voters_counts_them_and_is_logged(election, voters, clerk):
    candidate = nominate(election, clerk, voters[0], post="chair", nominators=voters[5:8])
    assert candidate.nomination_votes == 3
    assert candidate.status == Candidate.Status.NOMINATED
    assert sorted(candidate.nominations.values_list("nominator__name", flat=True)) == sorted(v.name for v in voters[5:8])
    entry = AuditEntry.objects.get(action="candidates.candidate.nominated")
    assert entry.village_id == election.village_id
    assert entry.changes["nomination_votes"] == [None, 3]


def test_nomination_ballot_count_may_exceed_the_named_nominators(election, voters, clerk):
    candidate = nominate(election, clerk, voters[0], nominators=voters[5:6], nomination_votes=40)
    assert candidate.nomination_votes == 40


@pytest.mark.parametrize(
    "kwargs,code",
    [
        ({}, "needs_nominations"),
        ({"nomination_votes": 0}, "needs_nominations"),
        ({"nomination_votes": 1, "nominators_slice": (5, 8)}, "votes_below_nominators"),
        ({"post": "vice_chair", "nomination_votes": 3}, "post_not_in_election"),
        ({"nomination_votes": 3, "nominated_on": date(2027, 1, 16)}, "nominated_on_late"),
    ],
)
def test_bad_nomination_is_refused_and_writes_nothing(election, voters, clerk, kwargs, code):
    kwargs = dict(kwargs)
    if "nominators_slice" in kwargs:
        start, end = kwargs.pop("nominators_slice")
        kwargs["nominators"] = voters[start:end]
    with pytest.raises(ValidationError) as exc:
        nominate(election, clerk, voters[0], **kwargs)
    assert codes(exc.value) == [code]
    assert not Candidate.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="candidates.").exists()


def test_nominee_must_be_a_registered_voter_of_this_village(election, voters, clerk, election_b):
    stranger = make_voter(election=election_b, name="外村人", serial=300, listed_from=date(2026, 12, 20))
    refused = make_voter(election=election, name="未登记", serial=301, status="not_registered")
    for person in (stranger, refused):
        with pytest.raises(ValidationError) as exc:
            nominate(election, clerk, person, nomination_votes=3)
        assert codes(exc.value) == ["nominee_not_registered"]
    assert not Candidate.objects.exists()


def test_voter_entered_after_publication_is_not_on_the_list_and_cannot_stand(election, voters, clerk):
    late = make_voter(election=election, name="补登前", serial=302, listed_from=None)
    with pytest.raises(ValidationError) as exc:
        nominate(election, clerk, late, nomination_votes=3)
    assert codes(exc.value) == ["nominee_not_registered"]


def test_nominator_must_be_a_registered_voter_of_this_village(election, voters, clerk, election_b):
    stranger = make_voter(election=election_b, name="外村人", serial=300, listed_from=date(2026, 12, 20))
    with pytest.raises(ValidationError) as exc:
        nominate(election, clerk, voters[0], nominators=[voters[5], stranger])
    assert codes(exc.value) == ["nominator_not_registered"]
    assert not Nomination.objects.exists()


def test_a_voter_nominates_at_most_the_seats_of_a_post(election, voters, clerk):
    nominate(election, clerk, voters[0], post="chair", nominators=[voters[9]])
    with pytest.raises(ValidationError) as exc:
        nominate(election, clerk, voters[1], post="chair", nominators=[voters[9], voters[10]])
    assert codes(exc.value) == ["too_many_nominations"]
    assert "周伟" in exc.value.messages[0] and "主任应选1名" in exc.value.messages[0]
    assert Candidate.objects.count() == 1


def test_naming_one_person_for_two_posts_on_one_ballot_is_refused_in_exclusive_mode(election, voters, clerk):
    nominate(election, clerk, voters[0], post="chair", nominators=[voters[9]])
    with pytest.raises(ValidationError) as exc:
        nominate(election, clerk, voters[0], post="member", nominators=[voters[9]])
    assert codes(exc.value) == ["same_person_several_posts"]


def test_same_person_same_post_twice_is_refused_but_may_stand_again_after_withdrawing(election, voters, clerk):
    first = nominate(election, clerk, voters[0], nomination_votes=3)
    with pytest.raises(ValidationError) as exc:
        nominate(election, clerk, voters[0], nomination_votes=4)
    assert codes(exc.value) == ["already_nominated"]
    services.withdraw_candidate(by=clerk, candidate=first, withdrawn_on=date(2026, 12, 29), reason="本人书面退出",
                                expected_version=first.version)
    assert nominate(election, clerk, voters[0], nomination_votes=4).status == Candidate.Status.NOMINATED


def test_nomination_only_in_the_nomination_stage(election_b, clerk, village_b):
    voter = make_voter(election=election_b, listed_from=date(2026, 12, 20))
    with pytest.raises(ValidationError) as exc:
        nominate(election_b, clerk, voter, nomination_votes=3)
    assert codes(exc.value) == ["not_nomination_stage"]


# ---------------------------------------------------------------- self-nomination (ZJ Art. 20)


def test_self_nominee_stands_for_one_post_only(zj_election, zj_voters, clerk):
    nominate(zj_election, clerk, zj_voters[0], post="chair", source="self")
    with pytest.raises(ValidationError) as exc:
        nominate(zj_election, clerk, zj_voters[0], post="member", source="self")
    assert codes(exc.value) == ["self_nomination_one_post"]


def test_self_nomination_closes_ten_days_before_election_day(zj_election, zj_voters, clerk):
    nominate(zj_election, clerk, zj_voters[0], post="chair", source="self", nominated_on=date(2027, 1, 6))  # D − 10
    with pytest.raises(ValidationError) as exc:
        nominate(zj_election, clerk, zj_voters[2], post="chair", source="self", nominated_on=date(2027, 1, 7))
    assert codes(exc.value) == ["self_nomination_late"]
    assert "2027年1月6日" in exc.value.messages[0]


def test_self_nominee_has_no_nominators(zj_election, zj_voters, clerk):
    with pytest.raises(ValidationError) as exc:
        nominate(zj_election, clerk, zj_voters[0], post="chair", source="self", nominators=[zj_voters[3]])
    assert codes(exc.value) == ["self_nomination_no_nominators"]


def test_preset_without_the_mode_refuses_that_source(township, village_a, village_b, clerk):
    RulePreset.objects.create(code="HAIXUAN_ONLY", name="只海选", params={"nomination_modes": ["no_candidate"]})
    campaign = make_campaign(township=township, by=clerk, term_number=14, preset_code="HAIXUAN_ONLY")
    election = campaign.elections.get(village=village_a)
    people = open_nomination(election=election, by=clerk)
    election.refresh_from_db()
    for source, kwargs in (("nominated", {"nomination_votes": 3}), ("self", {})):
        with pytest.raises(ValidationError) as exc:
            nominate(election, clerk, people[0], source=source, **kwargs)
        assert codes(exc.value) == ["source_not_allowed"]


# ---------------------------------------------------------------- the election committee (OL §12)


def test_nominated_committee_member_leaves_and_first_alternate_takes_the_seat(election, voters, clerk):
    member = CommitteeMember.objects.get(election=election, selection_order=2)
    alternate = CommitteeMember.objects.get(election=election, is_alternate=True)
    nominate(election, clerk, voters[0], nomination_votes=3, committee_member=member)
    member.refresh_from_db()
    alternate.refresh_from_db()
    assert (member.left_on, member.left_reason) == (NOMINATED_ON, "被提名为候选人")
    assert alternate.is_active and alternate.position == "member"
    entries = AuditEntry.objects.filter(action__startswith="candidates.committee_member").order_by("pk")
    actions = list(entries.values_list("action", flat=True))
    assert actions == ["candidates.committee_member.left", "candidates.committee_member.replaced"]


def test_nominated_chair_leaves_and_the_alternate_joins_as_member(election, voters, clerk):
    chair = CommitteeMember.objects.get(election=election, position="chair")
    nominate(election, clerk, voters[0], post="chair", nomination_votes=3, committee_member=chair)
    active = CommitteeMember.objects.filter(election=election, left_on__isnull=True, is_alternate=False)
    assert active.count() == 3
    assert not active.filter(position="chair").exists()


def test_without_alternates_the_seat_stays_empty_and_that_is_logged(election, voters, clerk):
    CommitteeMember.objects.filter(election=election, is_alternate=True).delete()
    member = CommitteeMember.objects.get(election=election, selection_order=3)
    nominate(election, clerk, voters[0], nomination_votes=3, committee_member=member)
    assert AuditEntry.objects.filter(action="candidates.committee_member.not_replaced").count() == 1


def test_member_who_already_left_cannot_leave_again(election, voters, clerk):
    member = CommitteeMember.objects.get(election=election, selection_order=2)
    nominate(election, clerk, voters[0], nomination_votes=3, committee_member=member)
    with pytest.raises(ValidationError) as exc:
        nominate(election, clerk, voters[2], nomination_votes=3, committee_member=member)
    assert codes(exc.value) == ["committee_member_left"]
    assert Candidate.objects.count() == 1


def test_committee_member_of_another_election_is_refused(election, voters, clerk, election_b):
    other = CommitteeMember.objects.create(election=election_b, name="外村委员", sex="M")
    with pytest.raises(ValidationError) as exc:
        nominate(election, clerk, voters[0], nomination_votes=3, committee_member=other)
    assert codes(exc.value) == ["committee_member_other_election"]
    assert not Candidate.objects.exists()


def test_zhejiang_close_relatives_in_the_committee_leave_too(zj_election, zj_voters, clerk):
    relative = CommitteeMember.objects.get(election=zj_election, selection_order=4)
    nominate(zj_election, clerk, zj_voters[0], post="chair", nomination_votes=3, committee_relatives=[relative])
    relative.refresh_from_db()
    assert relative.left_reason == "近亲属被提名为候选人"


# ---------------------------------------------------------------- individual nominations and votes


def test_adding_a_nominator_raises_the_votes_and_the_version(election, voters, clerk):
    candidate = nominate(election, clerk, voters[0], nominators=[voters[5]])
    services.add_nomination(by=clerk, candidate=candidate, nominator=voters[6], nominated_on=NOMINATED_ON)
    candidate.refresh_from_db()
    assert (candidate.nomination_votes, candidate.version) == (2, 2)
    assert AuditEntry.objects.filter(action="candidates.nomination.added").count() == 1


def test_the_same_nominator_cannot_nominate_the_same_person_twice(election, voters, clerk):
    candidate = nominate(election, clerk, voters[0], nominators=[voters[5]])
    with pytest.raises(ValidationError) as exc:
        services.add_nomination(by=clerk, candidate=candidate, nominator=voters[5], nominated_on=NOMINATED_ON)
    assert codes(exc.value) == ["duplicate_nomination"]
    assert Candidate.objects.get().nomination_votes == 1


def test_stale_votes_form_is_refused_with_a_conflict(election, voters, clerk):
    candidate = nominate(election, clerk, voters[0], nomination_votes=5)
    services.update_nomination_votes(by=clerk, candidate=candidate, votes=12, expected_version=1)
    with pytest.raises(ValidationError) as exc:
        services.update_nomination_votes(by=clerk, candidate=candidate, votes=9, expected_version=1)
    assert codes(exc.value) == ["conflict"]
    assert Candidate.objects.get().nomination_votes == 12


def test_votes_never_fall_below_the_named_nominators(election, voters, clerk):
    candidate = nominate(election, clerk, voters[0], nominators=voters[5:8])
    with pytest.raises(ValidationError) as exc:
        services.update_nomination_votes(by=clerk, candidate=candidate, votes=2, expected_version=candidate.version)
    assert codes(exc.value) == ["votes_below_nominators"]


# ---------------------------------------------------------------- publication


def test_publication_lists_candidates_by_votes_and_moves_the_election_to_voting(election, voters, clerk):
    full_slate(election, clerk, voters, chair_votes=(8, 10), member_votes=(5, 9, 7))
    publication = publish(election, clerk)
    assert state(election) == sorted([
        ("李伟", "chair", "on_list", 1),  # 10 votes
        ("王伟", "chair", "on_list", 2),
        ("刘伟", "member", "on_list", 3),  # 9
        ("陈伟", "member", "on_list", 4),  # 7
        ("张伟", "member", "on_list", 5),  # 5
    ])
    election.refresh_from_db()
    assert election.stage == stages.VOTING
    assert election.candidate_list_published_on == PUBLISHED_ON
    assert (publication.mode, publication.published_by, publication.is_late) == ("candidates", clerk, False)
    entry = AuditEntry.objects.get(action="candidates.list.published")
    assert entry.changes["on_list"][0] == "1. 李伟（主任）"
    stage_moves = AuditEntry.objects.filter(action="villages.election.stage_advanced")
    assert stage_moves.filter(changes__stage=["nomination", "voting"]).exists()


def test_publication_without_surplus_is_refused_and_nothing_changes(election, voters, clerk):
    full_slate(election, clerk, voters, chair_votes=(10,), member_votes=(9, 7, 5))
    with pytest.raises(ValidationError) as exc:
        publish(election, clerk)
    assert codes(exc.value) == ["surplus_too_small"]
    assert exc.value.messages == ["主任应选1名，候选人1名，差额0名，少于规定的至少1名。"]
    assert set(Candidate.objects.values_list("status", flat=True)) == {"nominated"}
    assert not CandidateListPublication.objects.exists()
    assert Election.objects.get(pk=election.pk).stage == stages.NOMINATION


def test_late_publication_is_allowed_and_shows_as_done_late(election, voters, clerk):
    full_slate(election, clerk, voters)
    with pytest.raises(ValidationError) as refused:
        publish(election, clerk, on=date(2027, 1, 12))  # D − 4, one day after D − 5: needs a reason
    assert refused.value.error_list[0].code == "date_needs_reason"
    publication = publish(election, clerk, on=date(2027, 1, 12), date_reason="候选人资格复核")
    assert publication.is_late
    election.refresh_from_db()
    item = next(i for i in election.calendar(date(2027, 1, 12)) if i.code == "candidate_list")
    assert item.status == "done_late"
    assert AuditEntry.objects.get(action="candidates.list.published").changes["late"] is True


@pytest.mark.parametrize(
    "on,today,code",
    [
        (date(2027, 1, 16), date(2027, 1, 16), "publish_not_before_election_day"),
        (date(2027, 1, 10), date(2027, 1, 9), "stage_date_future"),
    ],
)
def test_publication_date_must_be_past_and_before_election_day(election, voters, clerk, on, today, code):
    full_slate(election, clerk, voters)
    with pytest.raises(ValidationError) as exc:
        publish(election, clerk, on=on, today=today)
    assert codes(exc.value) == [code]
    assert not CandidateListPublication.objects.exists()
    assert set(Candidate.objects.values_list("status", flat=True)) == {"nominated"}


def test_publication_outside_the_nomination_stage_is_refused(election_b, clerk):
    with pytest.raises(ValidationError) as exc:
        publish(election_b, clerk)
    assert codes(exc.value) == ["publish_wrong_stage"]


def test_publication_twice_is_refused(election, voters, clerk):
    full_slate(election, clerk, voters)
    publish(election, clerk)
    with pytest.raises(ValidationError) as exc:
        publish(election, clerk)
    assert codes(exc.value) == ["publish_wrong_stage"]


def test_mode_the_preset_does_not_allow_is_refused(zj_election, clerk):
    with pytest.raises(ValidationError) as exc:
        publish(zj_election, clerk, mode="no_candidate")
    assert codes(exc.value) == ["mode_not_allowed"]


def test_no_candidate_election_publishes_no_names(election, voters, clerk):
    full_slate(election, clerk, voters, chair_votes=(10,), member_votes=(9,))
    publication = publish(election, clerk, mode="no_candidate")
    assert not publication.has_list
    assert set(Candidate.objects.values_list("status", flat=True)) == {"not_selected"}
    assert Election.objects.get(pk=election.pk).stage == stages.VOTING


def test_capped_surplus_takes_the_top_nominees(township, village_a, village_b, clerk):
    campaign = make_campaign(township=township, by=clerk, term_number=13, preset_code="SHANGHAI_2020")  # 主任 +1 only
    election = campaign.elections.get(village=village_a)
    people = open_nomination(election=election, by=clerk)
    election.refresh_from_db()
    full_slate(election, clerk, people, chair_votes=(10, 8, 6), member_votes=(9, 7, 5))
    publish(election, clerk)
    assert Candidate.objects.get(voter=people[2]).status == "not_selected"
    assert Candidate.objects.get(voter=people[2]).list_order is None


def test_tie_across_the_cut_off_blocks_publication(township, village_a, village_b, clerk):
    campaign = make_campaign(township=township, by=clerk, term_number=13, preset_code="SHANGHAI_2020")
    election = campaign.elections.get(village=village_a)
    people = open_nomination(election=election, by=clerk)
    election.refresh_from_db()
    full_slate(election, clerk, people, chair_votes=(10, 8, 8), member_votes=(9, 7, 5))
    with pytest.raises(ValidationError) as exc:
        publish(election, clerk)
    assert codes(exc.value) == ["tie_at_cutoff"]
    assert "（均为8票）：张伟、李伟" in exc.value.messages[0]


def test_self_nomination_list_is_in_stroke_order_and_leaves_out_voters_nominees(zj_election, zj_voters, clerk):
    # Surname strokes: 王 4, 刘 6, 张 7, 陈 7, 杨 7, 黄 11 (equal counts by code point).
    posts = {6: "chair", 0: "chair", 2: "member", 4: "member", 5: "woman_member", 3: "woman_member"}
    for index, post in posts.items():
        nominate(zj_election, clerk, zj_voters[index], post=post, source="self")
    nominate(zj_election, clerk, zj_voters[8], post="chair", nomination_votes=30)
    publish(zj_election, clerk, mode="self_nomination")
    listed = list(Candidate.objects.on_list().order_by("list_order").values_list("voter__name", "post"))
    assert listed == [("王伟", "chair"), ("黄伟", "chair"), ("张伟", "member"), ("陈伟", "member"),
                      ("刘伟", "woman_member"), ("杨伟", "woman_member")]
    assert Candidate.objects.get(voter=zj_voters[8]).status == "not_selected"


def test_women_seat_needs_women_and_a_woman_among_member_candidates(zj_election, zj_voters, clerk):
    # Zhejiang: 主任 1, 委员 1 and 妇女委员 1; only men (even indexes) stand.
    make_nominee(election=zj_election, by=clerk, voter=zj_voters[0], post="chair", votes=9)
    make_nominee(election=zj_election, by=clerk, voter=zj_voters[2], post="chair", votes=8)
    make_nominee(election=zj_election, by=clerk, voter=zj_voters[4], post="member", votes=9)
    make_nominee(election=zj_election, by=clerk, voter=zj_voters[6], post="member", votes=8)
    make_nominee(election=zj_election, by=clerk, voter=zj_voters[8], post="woman_member", votes=9)
    make_nominee(election=zj_election, by=clerk, voter=zj_voters[10], post="woman_member", votes=8)
    with pytest.raises(ValidationError) as exc:
        publish(zj_election, clerk)
    assert codes(exc.value) == [
        "woman_seat_candidate_not_woman", "woman_seat_candidate_not_woman", "no_woman_member_candidate"
    ]


# ---------------------------------------------------------------- withdrawal and replacement


def test_withdrawn_formal_candidate_is_replaced_by_the_next_ranked_nominee(township, village_a, village_b, clerk):
    campaign = make_campaign(township=township, by=clerk, term_number=13, preset_code="SHANGHAI_2020")
    election = campaign.elections.get(village=village_a)
    people = open_nomination(election=election, by=clerk)
    election.refresh_from_db()
    made = full_slate(election, clerk, people, chair_votes=(10, 8, 6), member_votes=(9, 7, 5))
    publish(election, clerk)
    top = Candidate.objects.get(pk=made[0].pk)
    outcome = services.withdraw_candidate(by=clerk, candidate=top, withdrawn_on=date(2027, 1, 12), reason="本人书面申请退出",
                                          expected_version=top.version)
    assert outcome.was_on_list and outcome.replacement.voter == people[2]
    assert state(election) == sorted([
        ("王伟", "chair", "withdrawn", None),
        ("李伟", "chair", "on_list", 1),
        ("张伟", "chair", "on_list", 2),
        ("刘伟", "member", "on_list", 3),
        ("陈伟", "member", "on_list", 4),
        ("杨伟", "member", "on_list", 5),
    ])
    assert Candidate.objects.get(voter=people[2]).replaces_id == top.pk
    assert AuditEntry.objects.filter(action="candidates.candidate.replaced").count() == 1


def test_withdrawal_with_nobody_left_to_replace_leaves_the_post_short(election, voters, clerk):
    made = full_slate(election, clerk, voters)
    publish(election, clerk)
    top = Candidate.objects.get(pk=made[0].pk)
    outcome = services.withdraw_candidate(by=clerk, candidate=top, withdrawn_on=date(2027, 1, 12), reason="书面退出",
                                          expected_version=top.version)
    assert outcome.was_on_list and outcome.replacement is None
    assert list(Candidate.objects.on_list().filter(post="chair").values_list("list_order", flat=True)) == [1]
    assert AuditEntry.objects.filter(action="candidates.candidate.not_replaced").count() == 1


def test_replacement_skips_a_person_already_standing_for_another_post(township, village_a, village_b, clerk):
    campaign = make_campaign(township=township, by=clerk, term_number=13, preset_code="SHANGHAI_2020")
    election = campaign.elections.get(village=village_a)
    people = open_nomination(election=election, by=clerk)
    election.refresh_from_db()
    made = full_slate(election, clerk, people, chair_votes=(10, 8), member_votes=(9, 7, 5, 4, 3))
    # 委员: 2 seats + at most 3, so 王伟 (also a 主任 candidate) and 赵伟 are left off the 委员 list.
    nominate(election, clerk, people[0], post="member", nomination_votes=2)
    nominate(election, clerk, people[7], post="member", nomination_votes=1)
    publish(election, clerk)
    member = Candidate.objects.get(pk=made[2].pk)
    outcome = services.withdraw_candidate(by=clerk, candidate=member, withdrawn_on=date(2027, 1, 12), reason="书面退出",
                                          expected_version=member.version)
    assert outcome.replacement.voter == people[7]  # 赵伟: 王伟 already stands for 主任


def test_withdrawal_after_the_deadline_is_refused(zj_election, zj_voters, clerk):
    candidate = make_nominee(election=zj_election, by=clerk, voter=zj_voters[0], post="chair", votes=9)
    with pytest.raises(ValidationError) as exc:
        services.withdraw_candidate(by=clerk, candidate=candidate, withdrawn_on=date(2027, 1, 14), reason="书面退出",
                                    expected_version=candidate.version)
    assert codes(exc.value) == ["withdraw_after_deadline"]
    assert "2027年1月13日" in exc.value.messages[0]
    assert Candidate.objects.get().status == "nominated"


@pytest.mark.parametrize("reason,version,code", [("  ", 1, "withdraw_needs_reason"), ("书面退出", 7, "conflict")])
def test_withdrawal_needs_a_reason_and_the_current_version(election, voters, clerk, reason, version, code):
    candidate = nominate(election, clerk, voters[0], nomination_votes=3)
    with pytest.raises(ValidationError) as exc:
        services.withdraw_candidate(by=clerk, candidate=candidate, withdrawn_on=date(2027, 1, 2), reason=reason,
                                    expected_version=version)
    assert codes(exc.value) == [code]
    assert Candidate.objects.get().status == "nominated"


def test_withdrawing_twice_is_refused(election, voters, clerk):
    candidate = nominate(election, clerk, voters[0], nomination_votes=3)
    services.withdraw_candidate(by=clerk, candidate=candidate, withdrawn_on=date(2027, 1, 2), reason="书面退出",
                                expected_version=1)
    with pytest.raises(ValidationError) as exc:
        services.withdraw_candidate(by=clerk, candidate=candidate, withdrawn_on=date(2027, 1, 2), reason="书面退出",
                                    expected_version=2)
    assert codes(exc.value) == ["withdraw_not_active"]


# ---------------------------------------------------------------- proxies (ZJ Art. 25)


def test_candidate_is_refused_as_proxy_holder_where_the_preset_forbids_it(zj_election, zj_voters, clerk):
    nominate(zj_election, clerk, zj_voters[0], post="chair", nomination_votes=3)
    assert proxy_checks.candidate_holder_refusal(zj_election, zj_voters[0]) == (
        "受委托人王伟是主任候选人，本选举规则规定候选人（含自荐人）不得接受委托投票。"
    )
    assert proxy_checks.candidate_holder_refusal(zj_election, zj_voters[2]) is None


def test_national_preset_lets_candidates_hold_proxies(election, voters, clerk):
    nominate(election, clerk, voters[0], post="chair", nomination_votes=3)
    assert proxy_checks.candidate_holder_refusal(election, voters[0]) is None


def test_voters_proxy_service_refuses_a_candidate_as_holder(zj_election, zj_voters, clerk):
    from voters.services.proxies import register_proxy

    nominate(zj_election, clerk, zj_voters[0], post="chair", nomination_votes=3)
    zj_voters[1].away = True
    zj_voters[1].save(update_fields=["away"])
    with pytest.raises(ValidationError) as exc:
        register_proxy(by=clerk, election=zj_election, principal=zj_voters[1], holder=zj_voters[0], relation="spouse",
                       authorized_on=date(2027, 1, 2), today=date(2027, 1, 2))
    assert "受委托人王伟是主任候选人" in " ".join(exc.value.messages)
    assert not Proxy.objects.exists()


def test_proxy_holder_who_is_nominated_is_flagged_not_refused(zj_election, zj_voters, clerk):
    from candidates.overview import proxy_notes_for

    Proxy.objects.create(election=zj_election, principal=zj_voters[1], holder=zj_voters[0], relation="spouse",
                         authorized_on=date(2026, 12, 27))
    candidate = nominate(zj_election, clerk, zj_voters[0], post="chair", nomination_votes=3)
    assert proxy_notes_for(candidate, zj_election) == [
        "持有1份投票委托：本规则规定候选人不得接受委托投票，相关委托须另行办理"
    ]
