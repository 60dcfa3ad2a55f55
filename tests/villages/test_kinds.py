"""The registry of kinds of election (villages.kinds), without the database."""

from datetime import date

import pytest

from villages.kinds import COUNTY, KINDS, TOWNSHIP, all_presets, get_kind, level_pairs
from villages.kinds.deputies import DeputyRuleParameters, calendar
from villages.models import ElectionType
from villages.presets import BUILTIN_PRESETS, RuleParameters


def test_every_kind_is_a_choice_of_election_type():
    assert [(k.code, k.label) for k in KINDS.values()] == ElectionType.choices


def test_village_committee_kind_wraps_the_existing_parameters_and_presets():
    kind = get_kind("village_committee")
    assert kind.parameters is RuleParameters and kind.presets is BUILTIN_PRESETS
    assert kind.unit == "village" and kind.levels == (TOWNSHIP,)
    assert [(p.label, p.seats_min, p.seats_max) for p in kind.posts] == [("主任", 1, 1), ("副主任", 0, 2), ("委员", 1, 6)]
    assert kind.rules({"proxy_max_per_holder": 3}) == RuleParameters(proxy_max_per_holder=3)


def test_deputies_kind_has_two_levels_one_post_and_two_nomination_methods():
    kind = get_kind("deputies")
    assert kind.unit == "district" and set(kind.levels) == {COUNTY, TOWNSHIP}
    assert [(p.label, p.seats_min, p.seats_max) for p in kind.posts] == [("代表", 1, 3)]
    assert [code for code, _ in kind.nomination_methods] == ["party_organisation", "voters_jointly"]
    assert kind.title(COUNTY) == "县级人民代表大会代表选举"
    assert set(level_pairs()) == {("village_committee", TOWNSHIP), ("deputies", COUNTY), ("deputies", TOWNSHIP),
                                  ("party_branch", TOWNSHIP), ("party_congress", TOWNSHIP)}


def test_deputy_parameters_hold_the_election_law_defaults():
    p = DeputyRuleParameters()
    assert (p.voter_list_publish_days_before, p.voter_appeal_window_days, p.voter_appeal_decision_days) == (20, 5, 3)
    assert (p.court_filing_days_before, p.initial_candidate_list_days_before, p.formal_candidate_list_days_before) == (5, 15, 7)
    assert (p.validity_share, p.validity_strict, p.win_share, p.win_strict) == ((1, 2), True, (1, 2), True)
    assert (p.runoff_min_share, p.runoff_min_strict, p.runoff_candidates_for_one_seat) == ((1, 3), False, 2)
    assert (p.joint_nominators_min, p.proxy_max_per_holder) == (10, 3)


def test_deputy_parameters_round_trip_through_json_and_refuse_unknown_keys():
    params = DeputyRuleParameters.from_dict({"further_runoff_allowed": False, "surplus_min": [1, 3]})
    assert DeputyRuleParameters.from_dict(params.to_dict()) == params
    with pytest.raises(ValueError, match="未知的规则参数"):
        DeputyRuleParameters.from_dict({"seats_chair": 1})
    with pytest.raises(ValueError, match="一名至三名"):
        DeputyRuleParameters.from_dict({"district_seats_max": 4})


def test_builtin_presets_of_every_kind_are_valid_and_unique():
    codes = [p.code for p in all_presets()]
    assert len(codes) == len(set(codes)) and {"NPC_2020_NATIONAL", "ZHEJIANG_NPC"} <= set(codes)
    for kind in KINDS.values():
        for definition in kind.presets:
            kind.rules(definition.overrides)


def test_calendar_of_a_round():
    days = {d.code: d.day for d in calendar(date(2026, 11, 15), DeputyRuleParameters())}
    assert days["voter_list"] == date(2026, 10, 26)  # E−20
    assert days["appeals_close"] == date(2026, 10, 31)  # publication + 5, start day not counted
    assert days["appeal_decisions"] == date(2026, 11, 3)  # + 3
    assert days["initial_list"] == date(2026, 10, 31)  # E−15
    assert days["court_filing"] == date(2026, 11, 10)  # E−5
    assert days["formal_list"] == date(2026, 11, 8)  # E−7
    assert "reregister" not in days


def test_calendar_follows_the_actual_publication_and_the_zhejiang_reregistration():
    params = DeputyRuleParameters(unreachable_reregister_days_before=12)
    days = {d.code: d.day for d in calendar(date(2026, 11, 15), params, published_on=date(2026, 10, 20))}
    assert days["appeals_close"] == date(2026, 10, 25)
    assert days["reregister"] == date(2026, 11, 3)
