"""A certified village's villager groups are locked: they are part of its certified voter list."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from villages.access import CERTIFIED
from villages.models import Election, VillagerGroup


@pytest.fixture
def certified(election_a):
    Election.objects.filter(pk=election_a.pk).update(certified_at=timezone.now())
    return election_a


def _edit_url(group):
    return reverse("villages:group-edit", kwargs={"pk": group.village_id, "group_pk": group.pk})


@pytest.mark.parametrize("method", ["get", "post"])
def test_renaming_a_group_of_a_certified_village_is_refused(client, clerk, certified, method):
    group = certified.village.groups.first()
    client.force_login(clerk)
    response = getattr(client, method)(_edit_url(group), {"number": group.number, "name": "改名组", "leader": ""})
    assert response.status_code == 403
    assert CERTIFIED in response.content.decode()
    group.refresh_from_db()
    assert group.name != "改名组"


def test_adding_a_group_to_a_certified_village_is_refused(client, clerk, certified):
    count = VillagerGroup.objects.filter(village=certified.village).count()
    client.force_login(clerk)
    url = reverse("villages:group-create", kwargs={"pk": certified.village_id})
    response = client.post(url, {"number": 9, "name": "第9组", "leader": ""})
    assert response.status_code == 403
    assert VillagerGroup.objects.filter(village=certified.village).count() == count


def test_groups_open_again_once_unlocked(client, clerk, certified):
    Election.objects.filter(pk=certified.pk).update(certified_at=None)
    group = certified.village.groups.first()
    client.force_login(clerk)
    response = client.post(_edit_url(group), {"number": group.number, "name": "改名组", "leader": ""})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name == "改名组"


def test_groups_of_an_uncertified_village_stay_open(client, clerk, certified, election_b):
    group = election_b.village.groups.first()
    client.force_login(clerk)
    response = client.post(_edit_url(group), {"number": group.number, "name": "改名组", "leader": ""})
    assert response.status_code == 302
