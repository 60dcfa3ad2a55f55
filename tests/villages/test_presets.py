"""Rule presets are data: defaults, provincial overrides and validation."""

import pytest

from villages.presets import BUILTIN_PRESETS, CASCADE_DOWN, EXCLUSIVE, RuleParameters, Surplus


def preset(code):
    return next(p for p in BUILTIN_PRESETS if p.code == code).params


def test_national_defaults_follow_the_organic_law():
    rules = RuleParameters()
    assert (rules.committee_size_min, rules.committee_size_max) == (3, 7)
    assert rules.voter_list_publish_days_before == 20
    assert (rules.voter_appeal_window_days, rules.voter_appeal_decision_days) == (5, 3)
    assert rules.proxy_max_per_holder is None
    assert rules.handover_days == 10


@pytest.mark.parametrize(
    "code,mode,proxy_cap,committee",
    [
        ("ZHEJIANG_2020", EXCLUSIVE, 3, (5, 9)),
        ("BEIJING_2012", EXCLUSIVE, 3, (5, 9)),
        ("SHANGHAI_2020", EXCLUSIVE, 3, (7, 9)),
        ("HENAN_2011", CASCADE_DOWN, 3, (7, 9)),
    ],
)
def test_provincial_presets(code, mode, proxy_cap, committee):
    rules = preset(code)
    assert rules.multi_post_mode == mode
    assert rules.proxy_max_per_holder == proxy_cap
    assert (rules.election_committee_size_min, rules.election_committee_size_max) == committee


def test_surplus_per_post():
    shanghai = preset("SHANGHAI_2020")
    assert shanghai.surplus_for("chair") == Surplus(1, 1)
    assert shanghai.surplus_for("member") == Surplus(1, 3)
    assert shanghai.surplus_for("woman_member") == Surplus(1, 3)


def test_round_trip_through_json():
    rules = preset("BEIJING_2012")
    assert RuleParameters.from_dict(rules.to_dict()) == rules


@pytest.mark.parametrize(
    "overrides",
    [
        {"committee_size_max": 9},
        {"committee_size_min": 2},
        {"multi_post_mode": "lottery"},
        {"surplus_member": {"min_extra": 0}},
        {"surplus_chair": {"min_extra": 2, "max_extra": 1}},
    ],
)
def test_rejects_parameters_against_the_law(overrides):
    with pytest.raises(ValueError):
        RuleParameters.from_dict(overrides)


def test_rejects_unknown_parameter():
    with pytest.raises(ValueError, match="未知的规则参数"):
        RuleParameters.from_dict({"quorum_percent": 50})
