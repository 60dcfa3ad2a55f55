"""The permission matrix: every URL × every role × own / sibling / foreign village → status.

"own" is village_a's object (liaison_a's village), "sibling" is village_b's object in the same
township (not assigned to liaison_a), "foreign" is an object of another county's township. The
list of URL names comes from the URLconf, so a new URL missing from ``MATRIX`` fails
``test_matrix_covers_every_url``.
"""

from __future__ import annotations

import importlib

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.builders import make_campaign, make_county, make_township, make_user, make_village
from tests.permissions.matrix import ROLES, SCOPES, _election
from villages.audit import log_action
from villages.models import CommitteeMember, Role

# One module of entries per app (or per area of an app). Each has ``ENTRIES`` and may have
# ``extend_world(world, users)`` to add the objects its URLs need to each scope.
ENTRY_MODULES = [
    "tests.permissions.villages",
    "tests.permissions.deputies",
    "tests.permissions.voters_register",
    "tests.permissions.voters_imports",
    "tests.permissions.party_register",
    "tests.permissions.party_ballots",
    "tests.permissions.party_congress",
    "tests.permissions.candidates",
    "tests.permissions.party_nomination",
    "tests.permissions.ballots",
    "tests.permissions.reports",
    "tests.permissions.archive",
]
_modules = [importlib.import_module(name) for name in ENTRY_MODULES]
MATRIX = {name: entry for module in _modules for name, entry in module.ENTRIES.items()}

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


# URLs open to everyone, signed in or not (each answers every role alike, tested below).
PUBLIC = {
    "healthz": "the load balancer's health check: ok/failing for the database, cache and storage, nothing else",
}


def test_matrix_covers_every_url():
    assert named_urls() - set(UNSCOPED) - set(PUBLIC) == set(MATRIX)


@pytest.mark.parametrize("name", sorted(PUBLIC))
@pytest.mark.parametrize("role", (*ROLES, "county_office"))
def test_public_urls_answer_every_role_without_sign_in(client, db, name, role, clerk, liaison_a, supervisor, admin_user,
                                                       county_office):
    users = {"admin": admin_user, "clerk": clerk, "liaison": liaison_a, "supervisor": supervisor, "county_office": county_office}
    if role != "anonymous":
        client.force_login(users[role])
    response = client.get(reverse(name))
    assert response.status_code == 200, f"{name} as {role}: {response.status_code}"


@pytest.fixture
def world(db, clerk, liaison_a, supervisor, admin_user, county_office, township, village_a, village_b):
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
        log_action(by=clerk, action="test.village.touched", obj=village)
        w[scope] = {
            "village": village,
            "group": village.groups.first(),
            "election": election,
            "member": member,
        }
    users = {"clerk": clerk, "liaison": liaison_a, "supervisor": supervisor, "admin": admin_user, "county_office": county_office}
    for module in _modules:
        if hasattr(module, "extend_world"):
            module.extend_world(w, users)
    return w


def cases(name: str) -> list[tuple[str, str]]:
    """The (role, scope) pairs checked for one URL: every role on every scope, anonymous on the own scope.
    县选举办工作人员 read every village record of their county like a county-wide 督导 and change none
    (villages.access.COUNTY_READERS, check_write): where an entry has no expectation of its own for them,
    they are checked on the own scope against the supervisor's. Entries of 人大 rounds, which they run,
    give their own expectations for every scope."""
    pairs = [(role, scope) for role in ROLES for scope in SCOPES if not (role == "anonymous" and scope != "own")]
    county_scopes = SCOPES if "county_office" in MATRIX[name].expected else ("own",)
    return pairs + [("county_office", scope) for scope in county_scopes]


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(client, world, name, clerk, liaison_a, supervisor, admin_user, county_office):
    """One world per URL, every role and scope asked of it in turn. Each request runs in a savepoint that is
    rolled back, so what one role's POST did is undone before the next asks: every case meets the world as
    built, as if it had a test of its own. Every mismatch is reported, not only the first."""
    entry = MATRIX[name]
    users = {"admin": admin_user, "clerk": clerk, "liaison": liaison_a, "supervisor": supervisor,
             "county_office": county_office}
    wrong = []
    for role, scope in cases(name):
        url = reverse(name, kwargs=entry.kwargs(world, scope))  # objects built on demand stay for the next case
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        with transaction.atomic():
            response = getattr(client, entry.method)(url)
            transaction.set_rollback(True)
        if role == "anonymous":
            if response.status_code != 302 or not response.url.startswith(reverse("login")):
                wrong.append(f"{role} on {scope}: {response.status_code} {getattr(response, 'url', '')}")
            continue
        expected = entry.expected.get(role, entry.expected["supervisor"])[SCOPES.index(scope)]
        if response.status_code != expected:
            wrong.append(f"{role} on {scope}: {response.status_code} != {expected}")
    assert not wrong, f"{name}: " + "; ".join(wrong)


def test_every_url_is_asked_of_every_role_and_scope():
    """The cases of one URL: 4 roles × 3 scopes, anonymous once, the county office once or on every scope."""
    supervisor_like = next(name for name in MATRIX if "county_office" not in MATRIX[name].expected)
    assert len(cases(supervisor_like)) == 4 * 3 + 1 + 1
    county_run = [name for name in MATRIX if "county_office" in MATRIX[name].expected]
    assert county_run and len(cases(county_run[0])) == 4 * 3 + 1 + 3


def test_get_on_post_only_action_is_refused(client, world, clerk):
    client.force_login(clerk)
    response = client.get(reverse("villages:election-advance", kwargs=_election(world, "own")))
    assert response.status_code == 405


def test_admin_site_refuses_non_staff(client, clerk):
    client.force_login(clerk)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url
