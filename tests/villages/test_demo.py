"""The demo data command builds a realistic township and can be run again safely."""

from io import StringIO

from django.core.management import call_command

from villages.models import AuditEntry, Campaign, CommitteeMember, Constituency, Election, User, Village, VillagerGroup


def test_load_demo_is_idempotent(db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    def counts():
        villages, districts = Election.objects.of_villages().count(), Election.objects.of_districts().count()
        return Village.objects.count(), VillagerGroup.objects.count(), User.objects.count(), villages, districts

    before = counts()
    audit = AuditEntry.objects.count()
    call_command("load_demo", stdout=StringIO())
    # Six village elections; one election per 选区 of the demo 人大 rounds.
    assert before == (6, 28, 7, 6, Constituency.objects.filter(campaign__isnull=False).count())
    assert before[4] > 0
    assert counts() == before
    assert AuditEntry.objects.count() == audit
    assert "liaison_a" in out.getvalue() and "Xuanju#2026" in out.getvalue()
    assert Campaign.objects.of_kind("village_committee").get().preset.code == "ZHEJIANG_2020"
    assert CommitteeMember.objects.filter(election__isnull=False).count() == 5


def test_demo_users_have_their_roles(db):
    call_command("load_demo", stdout=StringIO())
    liaison = User.objects.get(username="liaison_a")
    assert liaison.role == "liaison"
    assert sorted(liaison.villages.values_list("name", flat=True)) == ["东山村", "西岭村"]
    assert User.objects.get(username="county_supervisor").county.name == "清河县"


def test_demo_has_a_county_and_township_deputies_round_on_one_day(db):
    from villages.district_plan import build_plan
    from villages.models import Constituency

    call_command("load_demo", stdout=StringIO())
    rounds = {c.level: c for c in Campaign.objects.of_kind("deputies")}
    assert set(rounds) == {"county", "township"}
    assert rounds["county"].default_election_day == rounds["township"].default_election_day
    assert User.objects.get(username="county_office").role == "county_office"
    for level, districts, seats in (("township", 19, 45), ("county", 5, 14)):
        campaign = rounds[level]
        plan = build_plan(
            campaign,
            Constituency.objects.filter(campaign=campaign).with_members().order_by("number"),
            Village.objects.prefetch_related("groups"),
            decision=campaign.seat_decision,
            complete=True,
        )
        assert (len(plan.rows), plan.seats) == (districts, seats)
        assert plan.coverage.ok, (level, plan.not_covered, plan.covered_twice, plan.groups_missing)
    assert rounds["township"].seat_decision.adopted_seats == 45
