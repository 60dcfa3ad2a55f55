"""Services of a 人大 round: opening it, the seat decision, 选区 and units, the committee (Art. 10)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from tests.builders import make_deputy_round, make_district, preset
from villages import deputy_services, services
from villages.models import AuditEntry, Campaign, CommitteeMember, Constituency, DistrictUnit, SeatDecision


def codes(exc: ValidationError) -> set[str]:
    return {e.code for e in exc.error_list}


def decision(**fields):
    values = dict(population=15_173, adopted_seats=50, decided_by="清河县人大常委会", document_number="清人常〔2026〕12号",
                  decided_on=date(2026, 8, 20))
    return SeatDecision(**(values | fields))


def test_county_office_opens_the_county_round_and_the_township_round_on_one_day(county_office, township):
    county_round = make_deputy_round(by=county_office, county=township.county)
    township_round = make_deputy_round(by=county_office, township=township)
    assert (county_round.level, county_round.township, county_round.county) == ("county", None, township.county)
    assert (township_round.level, township_round.township) == ("township", township)
    assert county_round.default_election_day == township_round.default_election_day
    assert str(county_round) == "清河县第18届县级人民代表大会代表选举"
    assert county_round.rules.further_runoff_allowed is False  # ZJ NPC Art. 49
    assert AuditEntry.objects.filter(action="villages.deputy_round.opened").count() == 2


def test_clerk_opens_their_township_round_but_not_the_county_round(clerk, township):
    assert make_deputy_round(by=clerk, township=township).township == township
    with pytest.raises(PermissionDenied):
        make_deputy_round(by=clerk, county=township.county)


def test_clerk_may_not_open_another_townships_round(clerk, other_township):
    with pytest.raises(PermissionDenied):
        make_deputy_round(by=clerk, township=other_township)


def test_round_of_the_same_term_twice_is_refused(county_office, township):
    make_deputy_round(by=county_office, county=township.county)
    with pytest.raises(ValidationError) as exc:
        make_deputy_round(by=county_office, county=township.county)
    assert codes(exc.value) == {"round_exists"}


def test_village_committee_preset_is_refused_for_a_deputies_round(county_office, township):
    with pytest.raises(ValidationError) as exc:
        make_deputy_round(by=county_office, township=township, preset_code="ZHEJIANG_2020")
    assert codes(exc.value) == {"preset_wrong_kind"}


def test_database_ties_the_level_to_the_place(township):
    base = dict(county=township.county, term_number=3, preset=preset("NPC_2020_NATIONAL"), default_election_day=date(2026, 11, 15))
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.create(election_type="deputies", level="county", township=township, **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.create(election_type="village_committee", level="county", **base)


def test_village_round_and_township_deputies_round_of_the_same_term_coexist(clerk, township, village_a):
    make_deputy_round(by=clerk, township=township, term_number=12)
    services.open_campaign(by=clerk, township=township, term_number=12, preset=preset(), default_election_day=date(2027, 1, 16))
    assert Campaign.objects.filter(township=township, term_number=12).count() == 2


@pytest.mark.parametrize("seats,code", [(56, "seats_above_ceiling"), (44, "seats_below_floor")])
def test_seat_decision_outside_the_art_12_range_is_refused(clerk, township, seats, code):
    campaign = make_deputy_round(by=clerk, township=township)
    with pytest.raises(ValidationError) as exc:
        deputy_services.record_seat_decision(by=clerk, campaign=campaign, decision=decision(adopted_seats=seats),
                                             planned_women=None, planned_non_party=None)
    assert codes(exc.value) == {code}
    assert not SeatDecision.objects.exists()


def test_seat_decision_is_recorded_with_its_document_and_plan_figures_and_audited(clerk, township):
    campaign = make_deputy_round(by=clerk, township=township)
    saved = deputy_services.record_seat_decision(by=clerk, campaign=campaign, decision=decision(adopted_seats=55),
                                                 planned_women=15, planned_non_party=12)
    campaign.refresh_from_db()
    assert (saved.adopted_seats, saved.document_number, campaign.planned_women, campaign.planned_non_party) == (55, "清人常〔2026〕12号", 15, 12)
    entry = AuditEntry.objects.get(action="villages.seat_decision.recorded")
    assert entry.changes["ceiling"] == [None, 55] and entry.changes["planned_women"] == [None, 15]
    saved.adopted_seats = 52
    deputy_services.record_seat_decision(by=clerk, campaign=campaign, decision=saved, planned_women=15, planned_non_party=12)
    assert AuditEntry.objects.get(action="villages.seat_decision.updated").changes["adopted_seats"] == [55, 52]


def test_plan_figures_above_the_seats_are_refused(clerk, township):
    campaign = make_deputy_round(by=clerk, township=township)
    with pytest.raises(ValidationError) as exc:
        deputy_services.record_seat_decision(by=clerk, campaign=campaign, decision=decision(), planned_women=51, planned_non_party=None)
    assert codes(exc.value) == {"plan_exceeds_seats"}


def test_supervisor_may_not_record_a_seat_decision(supervisor, clerk, township):
    campaign = make_deputy_round(by=clerk, township=township)
    with pytest.raises(PermissionDenied):
        deputy_services.record_seat_decision(by=supervisor, campaign=campaign, decision=decision(), planned_women=None, planned_non_party=None)


@pytest.mark.parametrize("seats,ok", [(0, False), (1, True), (3, True), (4, False)])
def test_district_elects_one_to_three_deputies(clerk, township, village_a, seats, ok):
    campaign = make_deputy_round(by=clerk, township=township)
    if ok:
        assert make_district(campaign=campaign, by=clerk, number=1, villages=[village_a], seats=seats).deputy_seats == seats
    else:
        with pytest.raises(ValidationError) as exc:
            make_district(campaign=campaign, by=clerk, number=1, villages=[village_a], seats=seats)
        assert "district_seats_range" in codes(exc.value)


def test_database_refuses_four_seats_in_a_district_of_a_round(clerk, township):
    campaign = make_deputy_round(by=clerk, township=township)
    with pytest.raises(IntegrityError), transaction.atomic():
        Constituency.objects.create(campaign=campaign, township=township, number=1, name="一", population=1, deputy_seats=4)


def test_district_takes_villages_of_its_own_township_only(clerk, township, village_a, other_village):
    campaign = make_deputy_round(by=clerk, township=township)
    with pytest.raises(ValidationError) as exc:
        make_district(campaign=campaign, by=clerk, number=1, villages=[village_a, other_village])
    assert codes(exc.value) == {"district_village_outside"}


def test_township_district_may_split_a_village_by_groups_but_a_county_district_may_not(county_office, township, village_a):
    groups = list(village_a.groups.all())
    township_round = make_deputy_round(by=county_office, township=township)
    make_district(campaign=township_round, by=county_office, number=1, groups=groups[:1])
    make_district(campaign=township_round, by=county_office, number=2, groups=groups[1:])
    county_round = make_deputy_round(by=county_office, county=township.county)
    with pytest.raises(ValidationError) as exc:
        make_district(campaign=county_round, by=county_office, number=1, groups=groups[:1], township=township)
    assert codes(exc.value) == {"district_split_not_allowed"}


def test_village_whole_and_by_groups_in_one_district_is_refused(clerk, township, village_a):
    campaign = make_deputy_round(by=clerk, township=township)
    with pytest.raises(ValidationError) as exc:
        make_district(campaign=campaign, by=clerk, number=1, villages=[village_a], groups=list(village_a.groups.all()))
    assert codes(exc.value) == {"district_group_and_village"}


def test_district_number_is_unique_in_its_round(clerk, township, village_a, village_b):
    campaign = make_deputy_round(by=clerk, township=township)
    make_district(campaign=campaign, by=clerk, number=1, villages=[village_a])
    with pytest.raises(ValidationError):
        make_district(campaign=campaign, by=clerk, number=1, villages=[village_b])


def test_clerk_may_not_change_a_county_district_but_county_office_may(clerk, county_office, township, village_a):
    county_round = make_deputy_round(by=county_office, county=township.county)
    with pytest.raises(PermissionDenied):
        make_district(campaign=county_round, by=clerk, number=1, villages=[village_a], township=township)
    district = make_district(campaign=county_round, by=county_office, number=1, villages=[village_a], township=township)
    assert AuditEntry.objects.get(action="villages.constituency.created").changes["villages"] == [None, ["东山村"]]
    unit = deputy_services.save_district_unit(by=county_office, unit=DistrictUnit(district=district, name="镇机关", population=120))
    assert unit.get_kind_display() == "单位"
    assert AuditEntry.objects.filter(action="villages.district_unit.created").count() == 1


def test_workplace_district_may_consist_of_units_only(county_office, township):
    county_round = make_deputy_round(by=county_office, county=township.county)
    district = Constituency(campaign=county_round, township=township, number=9, name="县直机关", basis="workplace", population=800, deputy_seats=1)
    deputy_services.save_district(by=county_office, district=district, villages=[], groups=[])
    assert district.pk


def test_residence_district_with_nothing_in_it_is_refused(clerk, township):
    campaign = make_deputy_round(by=clerk, township=township)
    with pytest.raises(ValidationError) as exc:
        make_district(campaign=campaign, by=clerk, number=1, township=township)
    assert codes(exc.value) == {"district_empty"}


def test_round_committee_member_who_becomes_a_candidate_leaves_it(county_office, township):
    campaign = make_deputy_round(by=county_office, county=township.county)
    member = services.save_committee_member(by=county_office, member=CommitteeMember(campaign=campaign, name="周建", sex="M", position="chair"))
    with pytest.raises(ValidationError) as exc:
        services.save_committee_member(by=county_office, member=CommitteeMember(campaign=campaign, name="钱二", sex="F", position="chair"))
    assert codes(exc.value) == {"committee_chair_exists"} and "村民" not in exc.value.messages[0]
    deputy_services.leave_committee_on_nomination(by=county_office, member=member, on=date(2026, 10, 20))
    member.refresh_from_db()
    assert member.left_on == date(2026, 10, 20) and "第十条" in member.left_reason
    with pytest.raises(ValidationError) as exc:
        deputy_services.leave_committee_on_nomination(by=county_office, member=member, on=date(2026, 10, 21))
    assert codes(exc.value) == {"member_already_left"}


def test_village_and_round_committee_chairs_do_not_clash(clerk, township, election_a):
    services.save_committee_member(by=clerk, member=CommitteeMember(election=election_a, name="甲", sex="M", position="chair"))
    campaign = make_deputy_round(by=clerk, township=township)
    services.save_committee_member(by=clerk, member=CommitteeMember(campaign=campaign, name="乙", sex="F", position="chair"))
    assert CommitteeMember.objects.filter(position="chair").count() == 2


def test_member_belongs_to_exactly_one_body(election_a, clerk, township):
    campaign = make_deputy_round(by=clerk, township=township)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeMember.objects.create(election=election_a, campaign=campaign, name="丙", sex="M")
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeMember.objects.create(name="丁", sex="M")


def test_builtin_presets_of_both_kinds_exist_and_refresh(db):
    services.ensure_builtin_presets()
    assert set(Campaign._meta.get_field("election_type").choices) >= {("deputies", "人民代表大会代表选举")}
    assert preset("NPC_2020_NATIONAL").election_type == "deputies"
    assert preset("ZHEJIANG_NPC").rules.mobile_box_min_staff == 2
    assert preset("ZHEJIANG_2020").election_type == "village_committee"
