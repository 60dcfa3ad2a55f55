"""Django's admin changes nothing that bypasses the services: it is read-only but for the rule presets,
whose changes are audited."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from axes.models import AccessAttempt

from tests.builders import make_user, make_voter
from villages.models import AuditEntry, Election, RulePreset, Role
from voters.models import Voter

EDITABLE = {RulePreset}  # with audited saves, tested below
DELETABLE = {AccessAttempt}  # lifting a sign-in lockout, audited, tested below


@pytest.fixture
def superuser(db):
    user = make_user(username="root", role=Role.ADMIN)
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


@pytest.fixture
def certified(election_a, clerk):
    Election.objects.filter(pk=election_a.pk).update(certified_at=timezone.now(), certified_by=clerk)
    election_a.refresh_from_db()
    return election_a


def test_admin_is_read_only_for_every_model_but_presets(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    for model, model_admin in admin.site._registry.items():
        if model in EDITABLE:
            continue
        assert model_admin.has_view_permission(request), model
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert model_admin.has_delete_permission(request) == (model in DELETABLE), model


def test_admin_cannot_clear_a_certification(client, superuser, certified):
    client.force_login(superuser)
    url = reverse("admin:villages_election_change", args=[certified.pk])
    assert client.get(url).status_code == 200  # shown, read-only
    data = {"campaign": certified.campaign_id, "village": certified.village_id, "election_day": "2027-01-16",
            "seats_chair": 1, "seats_vice_chair": 0, "seats_member": 4, "stage": certified.stage,
            "certified_at_0": "", "certified_at_1": "", "certified_by": ""}
    response = client.post(url, data)
    assert response.status_code == 403
    certified.refresh_from_db()
    assert certified.is_certified


def test_admin_cannot_rename_or_delete_a_voter(client, superuser, certified):
    voter = make_voter(election=certified, name="张三")
    client.force_login(superuser)
    change = client.post(reverse("admin:voters_voter_change", args=[voter.pk]), {"name": "李四"})
    delete = client.post(reverse("admin:voters_voter_delete", args=[voter.pk]), {"post": "yes"})
    assert (change.status_code, delete.status_code) == (403, 403)
    assert Voter.objects.get(pk=voter.pk).name == "张三"


def test_admin_cannot_change_a_password(client, superuser, clerk):
    client.force_login(superuser)
    url = reverse("admin:auth_user_password_change", args=[clerk.pk])
    response = client.post(url, {"password1": "Xin#mima2027x", "password2": "Xin#mima2027x"})
    assert response.status_code == 403
    clerk.refresh_from_db()
    assert not clerk.check_password("Xin#mima2027x")


def test_admin_preset_changes_are_audited(client, superuser):
    client.force_login(superuser)
    data = {"code": "VCOL_TEST", "name": "测试省规则", "province": "测试省", "election_type": "village_committee",
            "params": '{"vice_chair_max": 1}', "sources": "[]"}
    response = client.post(reverse("admin:villages_rulepreset_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    preset = RulePreset.objects.get(code="VCOL_TEST")
    created = AuditEntry.objects.for_object(preset).get()
    assert (created.action, created.actor) == ("villages.preset.created", superuser)
    assert created.changes["name"] == [None, "测试省规则"]

    data["params"] = '{"vice_chair_max": 2}'
    response = client.post(reverse("admin:villages_rulepreset_change", args=[preset.pk]), data)
    assert response.status_code == 302
    updated = AuditEntry.objects.for_object(preset).get(action="villages.preset.updated")
    assert updated.changes == {"params": [{"vice_chair_max": 1}, {"vice_chair_max": 2}]}


def test_builtin_presets_are_read_only_in_admin(client, superuser, campaign):
    client.force_login(superuser)
    response = client.post(reverse("admin:villages_rulepreset_change", args=[campaign.preset_id]), {"name": "改"})
    assert response.status_code == 403


def test_lifting_a_lockout_in_admin_is_audited(client, superuser):
    attempt = AccessAttempt.objects.create(username="clerk", ip_address="10.0.0.9", failures_since_start=5,
                                           user_agent="", get_data="", post_data="", http_accept="", path_info="/")
    client.force_login(superuser)
    response = client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    entry = AuditEntry.objects.get(action="auth.lockout_cleared")
    assert (entry.actor, entry.changes["username"]) == (superuser, ["clerk", None])
