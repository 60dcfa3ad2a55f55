"""villages.access for 人大 rounds and 选区: one test per branch (STYLE.md §18)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tests.builders import make_deputy_round, make_district, make_user
from villages.access import (
    can_run_deputy_round,
    check_write,
    deputy_rounds_visible_to,
    districts_visible_to,
    get_deputy_round_for,
    get_district_for,
    villages_visible_to,
)
from villages.models import Role, User


@pytest.fixture
def npc(county_office, township, village_a, village_b, other_township, other_village):
    """The county round and the township round of 青山镇, another county's round, and districts."""
    county_round = make_deputy_round(by=county_office, county=township.county)
    township_round = make_deputy_round(by=county_office, township=township)
    foreign_office = make_user(username="foreign_office", role=Role.COUNTY_OFFICE, county=other_township.county)
    foreign_round = make_deputy_round(by=foreign_office, township=other_township)
    return {
        "county_round": county_round,
        "township_round": township_round,
        "foreign_round": foreign_round,
        "district_a": make_district(campaign=township_round, by=county_office, number=1, villages=[village_a]),
        "district_b": make_district(campaign=township_round, by=county_office, number=2, villages=[village_b]),
        "county_district": make_district(campaign=county_round, by=county_office, number=1, villages=[village_a, village_b], seats=2),
        "foreign_district": make_district(campaign=foreign_round, by=foreign_office, number=1, villages=[other_village]),
    }


def names(qs):
    return sorted(str(x) for x in qs)


def test_admin_sees_every_round_and_district(admin_user, npc):
    assert deputy_rounds_visible_to(admin_user).count() == 3
    assert districts_visible_to(admin_user).count() == 4


def test_county_office_sees_both_levels_of_their_county_only(county_office, npc):
    assert set(deputy_rounds_visible_to(county_office)) == {npc["county_round"], npc["township_round"]}
    assert npc["foreign_district"] not in districts_visible_to(county_office)
    assert districts_visible_to(county_office).count() == 3


def test_county_supervisor_reads_like_the_county_office(township, npc):
    reader = make_user(username="county_supervisor", role=Role.SUPERVISOR, county=township.county)
    assert set(deputy_rounds_visible_to(reader)) == {npc["county_round"], npc["township_round"]}
    assert not can_run_deputy_round(reader, npc["township_round"])


def test_clerk_sees_their_township_round_and_their_county_round(clerk, npc):
    assert set(deputy_rounds_visible_to(clerk)) == {npc["county_round"], npc["township_round"]}
    assert districts_visible_to(clerk).count() == 3


def test_user_without_township_or_county_sees_no_round(db, npc):
    # The database refuses such a user (user_has_scope_unless_admin); the function does not rely on it.
    assert not deputy_rounds_visible_to(User(username="orphan", role=Role.CLERK)).exists()


def test_liaison_sees_only_the_districts_containing_their_village(liaison_a, npc):
    assert set(districts_visible_to(liaison_a)) == {npc["district_a"], npc["county_district"]}
    assert set(deputy_rounds_visible_to(liaison_a)) == {npc["county_round"], npc["township_round"]}
    with pytest.raises(Http404):
        get_district_for(liaison_a, npc["district_b"].pk)


def test_liaison_sees_a_district_that_takes_their_village_by_villager_groups(liaison_a, county_office, township, village_a):
    campaign = make_deputy_round(by=county_office, township=township, term_number=19)
    district = make_district(campaign=campaign, by=county_office, number=1, groups=list(village_a.groups.all())[:1])
    assert list(districts_visible_to(liaison_a)) == [district]


def test_who_runs_which_round(admin_user, county_office, clerk, supervisor, liaison_a, npc):
    township_round, county_round, foreign = npc["township_round"], npc["county_round"], npc["foreign_round"]
    assert can_run_deputy_round(admin_user, foreign)
    assert can_run_deputy_round(county_office, county_round) and can_run_deputy_round(county_office, township_round)
    assert not can_run_deputy_round(county_office, foreign)
    assert can_run_deputy_round(clerk, township_round) and not can_run_deputy_round(clerk, county_round)
    assert not can_run_deputy_round(supervisor, township_round)
    assert not can_run_deputy_round(liaison_a, township_round)


def test_get_round_for_is_404_outside_and_403_for_a_reader(clerk, supervisor, npc):
    with pytest.raises(Http404):
        get_deputy_round_for(clerk, npc["foreign_round"].pk)
    assert get_deputy_round_for(clerk, npc["county_round"].pk) == npc["county_round"]
    with pytest.raises(PermissionDenied):
        get_deputy_round_for(clerk, npc["county_round"].pk, write=True)
    with pytest.raises(PermissionDenied):
        get_deputy_round_for(supervisor, npc["township_round"].pk, write=True)


def test_get_district_for_writes_follow_the_round(clerk, county_office, liaison_a, npc):
    assert get_district_for(clerk, npc["district_a"].pk, write=True) == npc["district_a"]
    with pytest.raises(PermissionDenied):
        get_district_for(clerk, npc["county_district"].pk, write=True)
    assert get_district_for(county_office, npc["county_district"].pk, write=True)
    with pytest.raises(PermissionDenied):
        get_district_for(liaison_a, npc["district_a"].pk, write=True)


def test_county_office_reads_every_village_of_the_county_and_changes_none(county_office, village_a, other_village):
    assert village_a in villages_visible_to(county_office)
    assert other_village not in villages_visible_to(county_office)
    with pytest.raises(PermissionDenied):
        check_write(county_office)
