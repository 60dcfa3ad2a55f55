"""The two Party kinds (村党组织换届选举, 乡镇党代表大会代表选举): registry, parameters, presets and labels."""

import dataclasses
import json
import re
from datetime import date

import pytest
from django.db import IntegrityError, transaction

from villages.kinds import TOWNSHIP, get_kind
from villages.kinds.party_branch import PRESETS as BRANCH_PRESETS
from villages.kinds.party_branch import BranchRuleParameters, legal_calendar
from villages.kinds.party_congress import PRESETS as CONGRESS_PRESETS
from villages.kinds.party_congress import CongressRuleParameters
from villages.legal_calendar import DONE, DUE, CalendarFacts
from villages.preset_labels import (
    PARTY_BRANCH_PARAMETERS,
    PARTY_BRANCH_SECTIONS,
    PARTY_CONGRESS_PARAMETERS,
    PARTY_CONGRESS_SECTIONS,
    display_value,
    parameter_rows,
)


def test_branch_kind_is_a_township_round_of_party_organisations_served_by_setup_the_register_and_the_ballots():
    kind = get_kind("party_branch")
    assert (kind.label, kind.unit, kind.unit_label, kind.levels) == (
        "村党组织换届选举", "party_organisation", "村党组织", (TOWNSHIP,))
    assert [(p.code, p.label, p.seats_min, p.seats_max) for p in kind.posts] == [
        ("secretary", "书记", 1, 1), ("deputy_secretary", "副书记", 0, 1), ("member", "委员", 0, 4)]
    assert kind.nomination_methods == (
        ("two_recommendations", "两推一选"), ("open_recommendation", "公推直选"), ("two_ballots", "两票制"))
    # The Party member register is the voters app's one register and import (issue 12, step 2); the nomination
    # pipeline is the candidates app's (step 4); the 党员大会 votes on the ballot stage (step 5); the archive
    # certifies, keeps the 工作移交 of the seal, the Party fee accounts and the records, and files.
    assert kind.parameters is BranchRuleParameters
    assert kind.stage_apps == frozenset({"villages", "voters", "candidates", "ballots", "archive"})
    assert kind.has_handover and kind.handover_items == (
        ("seal", "党组织印章"), ("finance", "党费收缴、使用和管理账目"), ("records", "党员名册、组织关系和党组织档案"),
        ("other", "其他"))
    assert kind.title(TOWNSHIP) == "村党组织换届选举"


def test_congress_kind_elects_delegates_per_electoral_unit():
    kind = get_kind("party_congress")
    assert (kind.label, kind.unit, kind.unit_label, kind.levels) == (
        "乡镇党代表大会代表选举", "party_electoral_unit", "选举单位", (TOWNSHIP,))
    assert [(p.code, p.label, p.seats_min, p.seats_max) for p in kind.posts] == [("delegate", "党代表", 1, 300)]
    assert [code for code, _ in kind.nomination_methods] == ["recommendation", "two_recommendations_two_reviews"]
    assert kind.parameters is CongressRuleParameters
    # The archive certifies and files each unit; a unit hands nothing over (its delegates go to the congress).
    assert kind.stage_apps == frozenset({"villages", "voters", "candidates", "ballots", "archive"})
    assert (kind.has_handover, kind.locked_records) == (False, "党员名册、代表候选人、党员大会计票和选举结果")
    assert (kind.stage_label("handover"), kind.stage_date_label("handover"), kind.stage_date_label("archived")) == (
        "代表资格审查", "选举结果公布日期", "归档日期")


def test_branch_defaults_are_those_of_law_section_4():
    p = BranchRuleParameters()
    assert (p.quorum_share, p.quorum_strict) == ((4, 5), True)
    assert (p.win_share, p.win_strict, p.shortfall_filled_from_below_half) == ((1, 2), True, False)
    assert (p.member_surplus_share, p.secretary_contested, p.proxy_allowed) == ((1, 5), False, False)
    assert p.excused_categories == ("ill", "abroad", "sentenced", "frail", "away") and p.excused_away_months_min == 6
    assert (p.branch_members_min, p.committee_members_min) == (3, 7)
    assert (p.branch_committee_size_min, p.branch_committee_size_max, p.deputy_secretary_max) == (3, 5, 1)
    assert p.committee_size_population_threshold is None
    assert (p.confidence_min_share, p.confidence_min_strict, p.confidence_share_base) == ((1, 2), True, "voted")
    assert (p.recommendation_min_share, p.stage_turnout_min_share, p.preliminary_ratio) == (None, None, None)
    assert (p.term_years, p.term_delay_max_years, p.delegate_meeting_members_min) == (5, 1, 500)
    assert (p.candidate_order, p.invalidate_scope) == ("strokes", "ballot")


def test_congress_defaults_leave_the_provincial_composition_rules_off():
    p = CongressRuleParameters()
    assert (p.delegates_usual_min, p.delegates_usual_max, p.delegates_max, p.delegate_surplus_share) == (
        100, 200, 300, (1, 5))
    assert (p.quorum_share, p.win_share, p.proxy_allowed) == ((4, 5), (1, 2), False)
    assert (p.cadre_max_share, p.young_min_share, p.young_age_max) == (None, None, 45)
    assert (p.women_not_below_members, p.minorities_not_below_members) == (False, False)


def _definition(presets, code):
    return next(d for d in presets if d.code == code)


@pytest.mark.parametrize("cls,presets,code,expected", [
    (BranchRuleParameters, BRANCH_PRESETS, "CPC_BRANCH_2020_NATIONAL", {}),
    (BranchRuleParameters, BRANCH_PRESETS, "CHONGREN_TWO_BALLOTS", {
        "nomination_methods": ("two_ballots",), "confidence_min_share": (7, 10), "confidence_min_strict": False,
        "preliminary_ratio": (3, 2), "preliminary_ratio_base": "formal_candidates",
        "committee_size_population_threshold": 2000}),
    (CongressRuleParameters, CONGRESS_PRESETS, "CPC_CONGRESS_2020_NATIONAL", {}),
    (CongressRuleParameters, CONGRESS_PRESETS, "REFERENCE_003_CONGRESS", {
        "nomination_methods": ("two_recommendations_two_reviews",), "preliminary_ratio": (3, 1),
        "cadre_max_share": (3, 5), "young_min_share": (1, 2), "women_not_below_members": True,
        "minorities_not_below_members": True}),
])
def test_presets_override_the_defaults_and_round_trip_through_json(cls, presets, code, expected):
    params = cls.from_dict(_definition(presets, code).overrides)
    changed = {f.name: getattr(params, f.name) for f in dataclasses.fields(cls)
               if getattr(params, f.name) != getattr(cls(), f.name)}
    assert changed == expected
    assert cls.from_dict(params.to_dict()) == params
    assert cls.from_dict(json.loads(json.dumps(params.to_dict()))) == params


@pytest.mark.parametrize("cls,overrides,message", [
    (BranchRuleParameters, {"proxy_allowed": True}, "不得委托"),
    (BranchRuleParameters, {"win_share": [1, 3]}, "超过实到会"),
    (BranchRuleParameters, {"win_strict": False}, "恰好半数不能当选"),
    (BranchRuleParameters, {"shortfall_filled_from_below_half": True}, "依次递补"),
    (BranchRuleParameters, {"member_surplus_share": [1, 10]}, "20%"),
    (BranchRuleParameters, {"quorum_share": [1, 2]}, "多于应到会人数的半数"),
    (BranchRuleParameters, {"quorum_share": [4, 0]}, "分母大于0"),
    (BranchRuleParameters, {"excused_categories": ["holiday"]}, "应到会"),
    (BranchRuleParameters, {"branch_committee_size_max": 9}, "3至5人"),
    (BranchRuleParameters, {"committee_size_population_threshold": 2000, "committee_size_above_threshold": 7},
     "职数范围内"),
    (BranchRuleParameters, {"confidence_min_share": [2, 5]}, "过半数信任票"),
    (BranchRuleParameters, {"confidence_min_share": [1, 2], "confidence_min_strict": False}, "过半数信任票"),
    (BranchRuleParameters, {"nomination_methods": ["lottery"]}, "产生方式"),
    (BranchRuleParameters, {"preliminary_ratio": [2, 3]}, "1:1"),
    (BranchRuleParameters, {"confidence_share_base": "households"}, "计算基数"),
    (CongressRuleParameters, {"delegates_max": 150}, "代表名额"),
    (CongressRuleParameters, {"delegate_surplus_share": [1, 10]}, "第九条"),
    (CongressRuleParameters, {"young_age_max": 12}, "年龄"),
    (CongressRuleParameters, {"committee_members_min": 7}, "未知的规则参数"),
])
def test_parameters_against_law_section_4_are_refused(cls, overrides, message):
    with pytest.raises(ValueError, match=message):
        cls.from_dict(overrides)


@pytest.mark.parametrize("cls,sections,labels", [
    (BranchRuleParameters, PARTY_BRANCH_SECTIONS, PARTY_BRANCH_PARAMETERS),
    (CongressRuleParameters, PARTY_CONGRESS_SECTIONS, PARTY_CONGRESS_PARAMETERS),
])
def test_every_party_parameter_has_a_chinese_label_section_and_value(cls, sections, labels):
    names = {f.name for f in dataclasses.fields(cls)}
    assert set(labels) == names
    members = [name for _section, items in sections for name in items]
    assert sorted(members) == sorted(names)
    for label, _unit, help_text in labels.values():
        assert label and help_text and not re.search("[A-Za-z_]", label)
    for definition in (BRANCH_PRESETS if cls is BranchRuleParameters else CONGRESS_PRESETS):
        for _section, rows in parameter_rows(cls.from_dict(definition.overrides).to_dict()):
            for label, value, _help in rows:
                assert not re.search("[A-Za-z_]", label + value), (label, value)


@pytest.mark.parametrize("name,value,shown", [
    ("quorum_share", (4, 5), "4/5"),
    ("confidence_min_share", (7, 10), "7/10"),
    ("recommendation_min_share", None, "不作要求"),
    ("preliminary_ratio", (3, 2), "1:1.5"),
    ("preliminary_ratio", (3, 1), "1:3"),
    ("preliminary_ratio", None, "不按比例（达到要求者均列入）"),
    ("committee_size_population_threshold", None, "不按人口确定"),
    ("committee_size_population_threshold", 2000, "2000人"),
    ("excused_away_months_min", 6, "6个月以上"),
    ("preliminary_ratio_base", "formal_candidates", "正式候选人数"),
    ("confidence_share_base", "voted", "参加投票（推荐）的人数"),
    ("excused_categories", ("ill", "away"), "因病不能表达本人意志、外出未转组织关系"),
    ("nomination_methods", ("two_recommendations", "two_ballots"), "两推一选、两票制"),
    ("young_age_max", 45, "45周岁以下"),
])
def test_party_parameter_values_read_as_chinese(name, value, shown):
    labels = PARTY_CONGRESS_PARAMETERS if name in PARTY_CONGRESS_PARAMETERS else PARTY_BRANCH_PARAMETERS
    assert display_value(name, value, labels) == shown


def test_congress_rows_use_the_congress_labels():
    rows = dict(parameter_rows(CongressRuleParameters().to_dict()))
    assert ("代表候选人产生方式", "党组织推荐和党员推荐、两推两评一选", "党组织推荐和党员推荐；两推两评一选。") in rows["代表候选人"]
    assert ("党员干部代表比例上限", "不作要求",
            "乡镇、村、经济组织、社会组织的党员干部代表的比例不超过该比例（某省要求60%）。") in rows["代表结构"]


@pytest.mark.parametrize("today,announced,status", [
    (date(2027, 1, 10), None, DUE),
    (date(2027, 1, 16), date(2027, 1, 16), DONE),
])
def test_party_calendar_has_the_election_day(today, announced, status):
    facts = CalendarFacts(election_day=date(2027, 1, 16), results_announced_on=announced)
    [item] = legal_calendar(facts, BranchRuleParameters(), today=today)
    assert (item.code, item.label, item.deadline, item.status) == ("election_day", "选举日（党员大会）", date(2027, 1, 16), status)
    # The rule in words, the article beneath it (the page printed the article twice).
    assert item.rule == "任期届满按期进行换届选举；需延期或提前的，报上级党组织批准，一般不超过1年"
    assert str(item.citation) == "《中国共产党基层组织选举工作条例》（2020年）第3条"


# ---------------------------------------------------------------- the database: migration, constraint, preset page

PARTY_PRESET_CODES = {"CPC_BRANCH_2020_NATIONAL": "party_branch", "CHONGREN_TWO_BALLOTS": "party_branch",
                      "CPC_CONGRESS_2020_NATIONAL": "party_congress", "REFERENCE_003_CONGRESS": "party_congress"}


@pytest.mark.django_db
def test_the_data_migration_created_the_party_presets():
    from villages.models import RulePreset

    presets = {p.code: p for p in RulePreset.objects.filter(code__in=PARTY_PRESET_CODES)}
    assert {code: p.election_type for code, p in presets.items()} == PARTY_PRESET_CODES
    assert all(p.is_builtin for p in presets.values())
    assert presets["CHONGREN_TWO_BALLOTS"].province == "江西省"
    assert presets["CHONGREN_TWO_BALLOTS"].rules.preliminary_ratio == (3, 2)
    assert presets["REFERENCE_003_CONGRESS"].rules.cadre_max_share == (3, 5)


@pytest.mark.django_db
@pytest.mark.parametrize("kind,level,allowed", [
    ("party_branch", "township", True),
    ("party_congress", "township", True),
    ("party_branch", "county", False),
    ("party_congress", "county", False),
])
def test_campaign_constraint_admits_the_party_kinds_at_township_level_only(township, kind, level, allowed):
    from villages.models import Campaign, RulePreset

    preset = RulePreset.objects.get(code="CPC_BRANCH_2020_NATIONAL" if kind == "party_branch" else "CPC_CONGRESS_2020_NATIONAL")
    fields = dict(county=township.county, township=township if level == "township" else None, level=level,
                  term_number=10, election_type=kind, preset=preset, default_election_day=date(2027, 1, 16))
    if allowed:
        campaign = Campaign.objects.create(**fields)
        number = {"party_branch": "第10届", "party_congress": "第十次"}[kind]  # a congress counts sessions
        assert campaign.rules == preset.rules and str(campaign) == f"青山镇{number}{get_kind(kind).label}"
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            Campaign.objects.create(**fields)


@pytest.mark.django_db
def test_party_preset_pages_show_chinese_labels(client, clerk):
    from bs4 import BeautifulSoup
    from django.urls import reverse

    from villages.models import RulePreset

    client.force_login(clerk)
    for code in PARTY_PRESET_CODES:
        preset = RulePreset.objects.get(code=code)
        page = BeautifulSoup(client.get(reverse("villages:preset-detail", args=[preset.pk])).content.decode(),
                             "html.parser")
        text = " ".join(td.get_text() for td in page.select("table.preset-params td"))
        assert "进行选举的到会人数比例" in text and "4/5" in text
        for english in ("quorum_share", "True", "False", "None", "two_ballots", "formal_candidates"):
            assert english not in text
    chongren = RulePreset.objects.get(code="CHONGREN_TWO_BALLOTS")
    page = BeautifulSoup(client.get(reverse("villages:preset-detail", args=[chongren.pk])).content.decode(), "html.parser")
    rows = {tr.select("td")[0].get_text(): tr.select("td")[1].get_text() for tr in page.select("table.preset-params tbody tr")}
    assert (rows["确定预备人选的比例"], rows["两票制：成为候选人所需信任票比例"], rows["按村人口确定委员职数的人口界线"]) == (
        "1:1.5", "7/10", "2000人")
