"""The migration to kinds of election keeps existing village committee rounds working (data migration,
not a reset): each round gets its township's county, and stays a township-level village round."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("villages", "0004_election_certification")]


def latest():
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes()]


@pytest.mark.django_db(transaction=True)
def test_existing_village_round_gets_its_county_and_keeps_working():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    County, Township, Village = (old.get_model("villages", name) for name in ("County", "Township", "Village"))
    RulePreset, Campaign, Election = (old.get_model("villages", name) for name in ("RulePreset", "Campaign", "Election"))
    Constituency = old.get_model("villages", "Constituency")
    county = County.objects.create(name="清河县", code="330199")
    township = Township.objects.create(county=county, name="青山镇", code="330199101")
    village = Village.objects.create(township=township, name="东山村", code="330199101201")
    # Another transactional test may have flushed the presets that 0002 created.
    preset, _ = RulePreset.objects.get_or_create(code="ZHEJIANG_2020", defaults={"name": "浙江", "params": {}})
    campaign = Campaign.objects.create(township=township, term_number=12, preset=preset,
                                       rule_params={"proxy_max_per_holder": 3}, default_election_day=date(2027, 1, 16))
    Election.objects.create(campaign=campaign, village=village, election_day=date(2027, 1, 16))
    legacy = Constituency.objects.create(township=township, number=1, name="旧选区", population=9000, deputy_seats=5)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(latest())

    from villages.models import Campaign as NewCampaign
    from villages.models import Constituency as NewConstituency
    from villages.models import RulePreset as NewPreset

    migrated = NewCampaign.objects.get(pk=campaign.pk)
    assert (migrated.county_id, migrated.township_id, migrated.level, migrated.election_type) == (
        county.pk, township.pk, "township", "village_committee")
    assert migrated.rules.proxy_max_per_holder == 3
    assert str(migrated) == "青山镇第12届村民委员会选举"
    assert migrated.elections.get().village_id == village.pk
    # A 选区 kept from before rounds keeps its figures; the 1–3 seat rule applies to districts of a round.
    assert NewConstituency.objects.get(pk=legacy.pk).deputy_seats == 5
    assert NewPreset.objects.get(code="ZHEJIANG_NPC").election_type == "deputies"


@pytest.mark.django_db(transaction=True)
def test_each_election_takes_its_rounds_kind_and_the_seat_constraints_follow_it():
    """0014: the kind copied from the round; then a Party branch may have a 书记 only, a village committee not."""
    from django.db import IntegrityError, transaction

    before = [("villages", "0013_party_organisation")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    County, Township, Village = (old.get_model("villages", name) for name in ("County", "Township", "Village"))
    RulePreset, Campaign, Election = (old.get_model("villages", name) for name in ("RulePreset", "Campaign", "Election"))
    county = County.objects.create(name="清河县", code="330199")
    township = Township.objects.create(county=county, name="青山镇", code="330199101")
    village = Village.objects.create(township=township, name="东山村", code="330199101201")
    rounds = {}
    for kind, code in (("village_committee", "VCOL_M"), ("party_branch", "CPC_M")):
        preset = RulePreset.objects.create(code=code, name=code, election_type=kind, params={})
        rounds[kind] = Campaign.objects.create(county=county, township=township, term_number=8, election_type=kind,
                                               preset=preset, default_election_day=date(2027, 1, 16))
        Election.objects.create(campaign=rounds[kind], village=village, election_day=date(2027, 1, 16))

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(latest())

    from villages.models import Election as NewElection

    kinds = dict(NewElection.objects.values_list("campaign__election_type", "kind_code"))
    assert kinds == {"village_committee": "village_committee", "party_branch": "party_branch"}
    NewElection.objects.filter(kind_code="party_branch").update(seats_member=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        NewElection.objects.filter(kind_code="village_committee").update(seats_member=0)
    assert sorted(NewElection.objects.values_list("seats_member", flat=True)) == [0, 2]
