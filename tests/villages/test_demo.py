"""The demo data command builds a realistic township and can be run again safely."""

from io import StringIO

from django.core.management import call_command

from villages.models import AuditEntry, Campaign, CommitteeMember, Election, User, Village, VillagerGroup


def test_load_demo_is_idempotent(db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    counts = (Village.objects.count(), VillagerGroup.objects.count(), User.objects.count(), Election.objects.count())
    audit = AuditEntry.objects.count()
    call_command("load_demo", stdout=StringIO())
    assert counts == (6, 28, 6, 6)
    assert (Village.objects.count(), VillagerGroup.objects.count(), User.objects.count(), Election.objects.count()) == counts
    assert AuditEntry.objects.count() == audit
    assert "liaison_a" in out.getvalue() and "Xuanju#2026" in out.getvalue()
    assert Campaign.objects.get().preset.code == "ZHEJIANG_2020"
    assert CommitteeMember.objects.count() == 5


def test_demo_users_have_their_roles(db):
    call_command("load_demo", stdout=StringIO())
    liaison = User.objects.get(username="liaison_a")
    assert liaison.role == "liaison"
    assert sorted(liaison.villages.values_list("name", flat=True)) == ["东山村", "西岭村"]
    assert User.objects.get(username="county_supervisor").county.name == "清河县"
