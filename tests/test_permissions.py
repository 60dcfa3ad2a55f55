"""The permission matrix: every URL × every role × own / sibling / foreign village → status.

"own" is village_a's object (liaison_a's village), "sibling" is village_b's object in the same
township (not assigned to liaison_a), "foreign" is an object of another county's township. The
list of URL names comes from the URLconf, so a new URL missing from ``MATRIX`` fails
``test_matrix_covers_every_url``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.builders import make_campaign, make_county, make_township, make_user, make_village
from villages.audit import log_action
from villages.models import CommitteeMember, Constituency, Role

ROLES = ("anonymous", "admin", "clerk", "liaison", "supervisor")
SCOPES = ("own", "sibling", "foreign")

# Expected status by role, per scope (own, sibling, foreign).
READ = {
    "admin": (200, 200, 200),
    "clerk": (200, 200, 404),
    "liaison": (200, 404, 404),
    "supervisor": (200, 200, 404),
}
SETUP_WRITE = {
    "admin": (200, 200, 200),
    "clerk": (200, 200, 404),
    "liaison": (403, 404, 404),
    "supervisor": (403, 403, 404),
}
SETUP_CREATE = {"admin": (200,) * 3, "clerk": (200,) * 3, "liaison": (403,) * 3, "supervisor": (403,) * 3}
ADMIN_ONLY = {"admin": (200,) * 3, "clerk": (403,) * 3, "liaison": (403,) * 3, "supervisor": (403,) * 3}
ANY_USER = {"admin": (200,) * 3, "clerk": (200,) * 3, "liaison": (200,) * 3, "supervisor": (200,) * 3}
# POST-only actions redirect back after doing (or refusing with a message) what was asked.
SETUP_POST = {
    "admin": (302, 302, 302),
    "clerk": (302, 302, 404),
    "liaison": (403, 404, 404),
    "supervisor": (403, 403, 404),
}


@dataclass
class Entry:
    kwargs: object  # (world, scope) -> dict
    expected: dict
    method: str = "get"


def _village(w, s):
    return {"pk": w[s]["village"].pk}


def _election(w, s):
    return {"pk": w[s]["election"].pk}


def _none(w, s):
    return {}


MATRIX: dict[str, Entry] = {
    "villages:dashboard": Entry(_none, ANY_USER),
    "villages:object-history": Entry(lambda w, s: {"model": "villages.village", "pk": w[s]["village"].pk}, READ),
    "villages:county-create": Entry(_none, ADMIN_ONLY),
    "villages:township-list": Entry(_none, ANY_USER),
    "villages:township-create": Entry(_none, ADMIN_ONLY),
    "villages:township-edit": Entry(lambda w, s: {"pk": w[s]["village"].township_id}, ADMIN_ONLY),
    "villages:village-list": Entry(_none, ANY_USER),
    "villages:village-create": Entry(_none, SETUP_CREATE),
    "villages:village-detail": Entry(_village, READ),
    "villages:village-edit": Entry(_village, SETUP_WRITE),
    "villages:group-create": Entry(_village, SETUP_WRITE),
    "villages:group-edit": Entry(lambda w, s: {"pk": w[s]["village"].pk, "group_pk": w[s]["group"].pk}, SETUP_WRITE),
    "villages:constituency-list": Entry(_none, ANY_USER),
    "villages:constituency-create": Entry(_none, SETUP_CREATE),
    "villages:constituency-edit": Entry(
        lambda w, s: {"pk": w[s]["constituency"].pk},
        # 选区 belong to a township: a liaison officer reads their township's but changes none.
        {**SETUP_WRITE, "liaison": (403, 403, 404)},
    ),
    "villages:campaign-list": Entry(_none, ANY_USER),
    "villages:campaign-create": Entry(_none, SETUP_CREATE),
    "villages:campaign-detail": Entry(
        lambda w, s: {"pk": w[s]["election"].campaign_id},
        # The round is township-wide: a liaison officer sees it (with only their villages in it).
        {**READ, "liaison": (200, 200, 404)},
    ),
    "villages:election-detail": Entry(_election, READ),
    "villages:election-setup": Entry(_election, SETUP_WRITE),
    "villages:election-postpone": Entry(_election, SETUP_WRITE),
    "villages:election-advance": Entry(_election, SETUP_POST, method="post"),
    "villages:committee-member-create": Entry(_election, SETUP_WRITE),
    "villages:committee-member-edit": Entry(
        lambda w, s: {"pk": w[s]["election"].pk, "member_pk": w[s]["member"].pk}, SETUP_WRITE
    ),
    "villages:preset-list": Entry(_none, ANY_USER),
    "villages:preset-detail": Entry(lambda w, s: {"pk": w["preset"].pk}, ANY_USER),
    "villages:user-list": Entry(_none, ADMIN_ONLY),
    "villages:user-create": Entry(_none, ADMIN_ONLY),
    "villages:user-edit": Entry(lambda w, s: {"pk": w["liaison"].pk}, ADMIN_ONLY),
}

# URLs outside the matrix, each with the reason.
UNSCOPED = {
    "login": "the sign-in page is public",
    "logout": "ends the caller's own session",
    "password_change": "changes the caller's own password",
    "password_change_done": "confirms the caller's own password change",
}


def named_urls(resolver=None, namespace="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin has its own staff check, tested separately
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= named_urls(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_matrix_covers_every_url():
    assert named_urls() - set(UNSCOPED) == set(MATRIX)


@pytest.fixture
def world(db, clerk, liaison_a, supervisor, admin_user, township, village_a, village_b):
    foreign_township = make_township(name="白水乡", code="330198201", county=make_county(name="白河县", code="330198"))
    foreign_village = make_village(township=foreign_township, name="白水村")
    foreign_clerk = make_user(username="foreign_clerk", role=Role.CLERK, township=foreign_township)
    campaigns = {
        "own": make_campaign(township=township, by=clerk),
        "foreign": make_campaign(township=foreign_township, by=foreign_clerk),
    }
    w = {"preset": campaigns["own"].preset, "liaison": liaison_a}
    for scope, village in (("own", village_a), ("sibling", village_b), ("foreign", foreign_village)):
        election = campaigns["own" if scope != "foreign" else "foreign"].elections.get(village=village)
        member = CommitteeMember.objects.create(election=election, name="成员", sex="M")
        constituency = Constituency.objects.create(
            township=village.township, number=Constituency.objects.count() + 1, name="选区", population=1000, deputy_seats=2
        )
        log_action(by=clerk, action="test.village.touched", obj=village)
        w[scope] = {
            "village": village,
            "group": village.groups.first(),
            "election": election,
            "member": member,
            "constituency": constituency,
        }
    return w


CASES = [
    (name, role, scope)
    for name in sorted(MATRIX)
    for role in ROLES
    for scope in SCOPES
    if not (role == "anonymous" and scope != "own")
]


@pytest.mark.parametrize("name,role,scope", CASES)
def test_permission_matrix(client, world, name, role, scope, clerk, liaison_a, supervisor, admin_user):
    entry = MATRIX[name]
    url = reverse(name, kwargs=entry.kwargs(world, scope))
    users = {"admin": admin_user, "clerk": clerk, "liaison": liaison_a, "supervisor": supervisor}
    if role != "anonymous":
        client.force_login(users[role])
    response = getattr(client, entry.method)(url)
    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
        return
    expected = entry.expected[role][SCOPES.index(scope)]
    assert response.status_code == expected, f"{name} as {role} on {scope}: {response.status_code} != {expected}"


def test_get_on_post_only_action_is_refused(client, world, clerk):
    client.force_login(clerk)
    response = client.get(reverse("villages:election-advance", kwargs=_election(world, "own")))
    assert response.status_code == 405


def test_admin_site_refuses_non_staff(client, clerk):
    client.force_login(clerk)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url
