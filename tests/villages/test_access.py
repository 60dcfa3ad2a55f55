"""The access chokepoint, one test per branch."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tests.builders import make_user
from villages import access
from villages.models import Role


def test_clerk_sees_every_village_of_their_township_only(clerk, village_a, village_b, other_village):
    assert set(access.villages_visible_to(clerk)) == {village_a, village_b}


def test_liaison_sees_only_assigned_villages(liaison_a, village_a, village_b):
    assert list(access.villages_visible_to(liaison_a)) == [village_a]


def test_township_supervisor_sees_their_township(supervisor, village_a, village_b, other_village):
    assert set(access.villages_visible_to(supervisor)) == {village_a, village_b}


def test_county_supervisor_sees_every_township_of_the_county(township, village_a, other_village):
    county_supervisor = make_user(username="cs", role=Role.SUPERVISOR, county=township.county)
    assert list(access.villages_visible_to(county_supervisor)) == [village_a]
    assert list(access.townships_visible_to(county_supervisor)) == [township]


def test_admin_sees_everything(admin_user, village_a, other_village):
    assert set(access.villages_visible_to(admin_user)) == {village_a, other_village}


def test_liaison_sees_the_township_of_their_villages(liaison_a, township, other_township):
    assert list(access.townships_visible_to(liaison_a)) == [township]


def test_other_village_is_not_found(liaison_a, village_b):
    with pytest.raises(Http404):
        access.get_village_for(liaison_a, village_b.pk)


def test_missing_or_malformed_pk_is_not_found(clerk):
    with pytest.raises(Http404):
        access.get_village_for(clerk, 999999)
    with pytest.raises(Http404):
        access.get_village_for(clerk, "abc")


def test_liaison_may_write_records_but_not_setup(liaison_a, village_a):
    assert access.get_village_for(liaison_a, village_a.pk, write=True) == village_a
    with pytest.raises(PermissionDenied):
        access.get_village_for(liaison_a, village_a.pk, setup=True)


def test_supervisor_may_not_write(supervisor, village_a):
    assert access.get_village_for(supervisor, village_a.pk) == village_a
    with pytest.raises(PermissionDenied):
        access.get_village_for(supervisor, village_a.pk, write=True)


def test_foreign_object_is_404_before_403(supervisor, other_village):
    with pytest.raises(Http404):
        access.get_village_for(supervisor, other_village.pk, write=True)


def test_elections_are_scoped_like_their_villages(liaison_a, election_a, election_b):
    assert list(access.elections_visible_to(liaison_a)) == [election_a]
    with pytest.raises(Http404):
        access.get_election_for(liaison_a, election_b.pk)


def test_audit_entries_follow_village_scope(clerk, liaison_a, village_a, village_b, township):
    from villages.audit import log_action

    own = log_action(by=clerk, action="t.a", obj=village_a)
    sibling = log_action(by=clerk, action="t.b", obj=village_b)
    township_wide = log_action(by=clerk, action="t.c", obj=township)
    assert set(access.audit_entries_visible_to(clerk)) == {own, sibling, township_wide}
    assert list(access.audit_entries_visible_to(liaison_a)) == [own]


def test_certified_election_is_readable_but_locked(clerk, election_a):
    from django.utils import timezone

    election_a.certified_at = timezone.now()
    election_a.save(update_fields=["certified_at"])
    assert access.get_election_for(clerk, election_a.pk) == election_a
    for kwargs in ({"write": True}, {"setup": True}):
        with pytest.raises(PermissionDenied, match="已认定"):
            access.get_election_for(clerk, election_a.pk, **kwargs)
    assert access.get_election_for(clerk, election_a.pk, setup=True, after_certification=True) == election_a


# --- history_visible_to: who may read an object's change history -----------------------------------


@pytest.mark.parametrize("user,obj,visible", [
    ("admin_user", "other_village", True),
    ("clerk", "village_a", True),
    ("clerk", "township", True),
    ("clerk", "other_village", False),
    ("clerk", "other_township", False),
    ("liaison_a", "village_a", True),
    ("liaison_a", "village_b", False),
    ("liaison_a", "township", False),  # a township-level object is not a liaison officer's
    ("supervisor", "village_b", True),
    ("clerk", "preset", False),  # no scope: administrators only
])
def test_history_visible_to(request, db, user, obj, visible):
    from villages.access import history_visible_to
    from villages.models import RulePreset

    subject = RulePreset.objects.first() if obj == "preset" else request.getfixturevalue(obj)
    assert history_visible_to(request.getfixturevalue(user), subject) is visible


def test_history_of_an_object_without_changes_is_an_empty_page_not_404(client, clerk, village_a, other_village):
    from django.urls import reverse

    client.force_login(clerk)
    response = client.get(reverse("villages:object-history", args=["villages.village", village_a.pk]))
    assert response.status_code == 200 and "暂无修改记录" in response.content.decode()
    assert client.get(reverse("villages:object-history", args=["villages.village", other_village.pk])).status_code == 404
    assert client.get(reverse("villages:object-history", args=["villages.village", 99999])).status_code == 404
