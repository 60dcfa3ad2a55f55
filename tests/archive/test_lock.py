"""Certified results are locked: no write URL of the permission matrix changes a certified election.

Every matrix entry with a write table (DATA_WRITE, DATA_POST, SETUP_WRITE, SETUP_POST) whose URL lies
under the own scope's election is tried by the clerk, who may otherwise change it, after certifying that
election; each must answer 403 with the lock message on GET (pages) and on POST. The steps that follow
certification are the only exceptions.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.permissions.matrix import DATA_POST, DATA_WRITE, SETUP_POST, SETUP_WRITE
from tests.permissions.test_matrix import MATRIX, world  # noqa: F401  (fixture)
from villages.access import CERTIFIED
from villages.models import Election

WRITE_TABLES = (DATA_WRITE, DATA_POST, SETUP_WRITE, SETUP_POST)
AFTER_CERTIFICATION = {
    "villages:election-advance": "moves the election on to 工作移交 and 归档",
    "archive:unlock-request": "asks to reopen the certified result",
    "archive:handover": "records the handover, which follows certification",
    "archive:handover-complete": "closes the handover",
    "archive:document-generate": "files the certified records into the archive",
    "archive:document-upload": "files signed scans (results report, certificates), which come after certification",
}
WRITE_NAMES = sorted(name for name, entry in MATRIX.items()
                     if any(entry.expected is table for table in WRITE_TABLES) and name not in AFTER_CERTIFICATION)


def _locked_url(world, name):  # noqa: F811
    entry = MATRIX[name]
    url = reverse(name, kwargs=entry.kwargs(world, "own"))  # builds the objects the URL needs first
    election = world["own"]["election"]
    if not url.startswith(f"/elections/{election.pk}/"):
        return None, entry
    Election.objects.filter(pk=election.pk).update(certified_at=timezone.now())
    return url, entry


@pytest.mark.parametrize("name", WRITE_NAMES)
def test_certified_election_refuses_every_write(client, world, clerk, name):  # noqa: F811
    url, entry = _locked_url(world, name)
    if url is None:
        pytest.skip(f"{name} does not change an election")
    client.force_login(clerk)
    methods = ["post"] if entry.method == "post" else ["get", "post"]
    for method in methods:
        response = getattr(client, method)(url)
        assert response.status_code == 403, f"{name} {method.upper()}: {response.status_code}"
        assert CERTIFIED in response.content.decode(), f"{name} {method.upper()} lacks the lock message"


def test_write_names_cover_the_election_pages():
    # Guards the filter above: the lock test must really reach the voters, candidates and ballots apps.
    for name in ("voters:voter-create", "candidates:candidate-create", "ballots:tally-entry", "ballots:announce",
                 "archive:certify"):
        assert name in WRITE_NAMES


@pytest.mark.parametrize("name", sorted(AFTER_CERTIFICATION))
def test_post_certification_steps_stay_open(client, world, clerk, name):  # noqa: F811
    entry = MATRIX[name]
    url = reverse(name, kwargs=entry.kwargs(world, "own"))
    Election.objects.filter(pk=world["own"]["election"].pk).update(certified_at=timezone.now())
    client.force_login(clerk)
    response = getattr(client, entry.method)(url)
    assert response.status_code == (302 if entry.method == "post" else 200)
