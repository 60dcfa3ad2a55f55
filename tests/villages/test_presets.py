"""Rule presets are data: defaults, provincial overrides and validation."""

import re

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


def test_every_parameter_has_a_chinese_label_section_and_explanation():
    import dataclasses

    from villages.preset_labels import PARAMETERS, SECTIONS

    names = {f.name for f in dataclasses.fields(RuleParameters)}
    assert set(PARAMETERS) == names
    assert {name for _section, members in SECTIONS for name in members} == names
    for label, _unit, help_text in PARAMETERS.values():
        assert label and help_text and not re.search("[A-Za-z_]", label)


@pytest.mark.parametrize("name,value,shown", [
    ("woman_seat_reserved", True, "是"),
    ("proxy_max_per_holder", None, "不限"),
    ("proxy_max_per_holder", 3, "3人"),
    ("candidate_list_days_before", 5, "选举日5日前"),
    ("runoff_within_days", None, "无此要求"),
    ("multi_post_mode", "cascade_down", "向下累计（高职务得票计入较低职务）"),
    ("surplus_member", {"min_extra": 1, "max_extra": 3}, "多1至3人"),
    ("surplus_chair", {"min_extra": 1, "max_extra": 1}, "多1人"),
    ("surplus_chair", {"min_extra": 1, "max_extra": None}, "多1人以上"),
    ("proxy_holder_relations", ("spouse", "parent"), "配偶、父母"),
])
def test_parameter_values_read_as_chinese(name, value, shown):
    from villages.preset_labels import display_value

    assert display_value(name, value) == shown


def test_preset_page_shows_no_parameter_names_or_python_values(client, clerk):
    from bs4 import BeautifulSoup
    from django.urls import reverse

    from villages.models import RulePreset

    preset = RulePreset.objects.get(code="ZHEJIANG_2020")
    client.force_login(clerk)
    page = BeautifulSoup(client.get(reverse("villages:preset-detail", args=[preset.pk])).content.decode(), "html.parser")
    text = " ".join(td.get_text() for td in page.select("table.preset-params td"))
    assert "每人最多接受委托" in text and "不得兼得" in text
    for english in ("proxy_max_per_holder", "True", "False", "None", "exclusive", "min_extra"):
        assert english not in text


def test_every_deputy_parameter_has_a_label_and_a_section():
    import dataclasses

    from villages.kinds.deputies import DeputyRuleParameters
    from villages.preset_labels import DEPUTY_PARAMETERS, DEPUTY_SECTIONS, parameter_rows

    names = {f.name for f in dataclasses.fields(DeputyRuleParameters)}
    assert set(DEPUTY_PARAMETERS) == names
    assert {name for _section, members in DEPUTY_SECTIONS for name in members} == names
    rows = dict(parameter_rows(DeputyRuleParameters().to_dict()))
    assert ("当选所需票数比例", "1/2", "获得参加投票的选民过半数的选票始得当选。") in rows["选举结果与另行选举"]
    for _section, items in rows.items():
        for label, value, _help in items:
            assert not re.search("[A-Za-z_]", label + value), (label, value)
