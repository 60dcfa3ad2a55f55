"""Shared fixtures: one township with two villages and a persona for each role, plus a second
township whose objects nobody in the first may see."""

import shutil
import tempfile

import pytest
from django.conf import settings

from tests import s3
from tests.builders import make_campaign, make_county, make_township, make_user, make_village
from villages.models import Role


def pytest_configure(config):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tasks run as they are enqueued; uploads (voter imports) go to a throwaway directory.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="election-test-media-")
    config.add_cleanup(lambda: shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True))


@pytest.fixture
def township(db):
    return make_township()


@pytest.fixture
def village_a(township):
    return make_village(township=township, name="东山村")


@pytest.fixture
def village_b(township):
    return make_village(township=township, name="西岭村")


@pytest.fixture
def other_township(db):
    return make_township(name="白水乡", code="330199201", county=make_county(name="白河县", code="330198"))


@pytest.fixture
def other_village(other_township):
    return make_village(township=other_township, name="白水村")


@pytest.fixture
def admin_user(db):
    return make_user(username="admin", role=Role.ADMIN)


@pytest.fixture
def clerk(township):
    return make_user(username="clerk", role=Role.CLERK, township=township)


@pytest.fixture
def liaison_a(township, village_a):
    return make_user(username="liaison_a", role=Role.LIAISON, township=township, villages=(village_a,))


@pytest.fixture
def liaison_b(township, village_b):
    return make_user(username="liaison_b", role=Role.LIAISON, township=township, villages=(village_b,))


@pytest.fixture
def supervisor(township):
    return make_user(username="supervisor", role=Role.SUPERVISOR, township=township)


@pytest.fixture
def county_office(township):
    """县选举办工作人员 of the township's county."""
    return make_user(username="county_office", role=Role.COUNTY_OFFICE, county=township.county)


@pytest.fixture
def campaign(township, village_a, village_b, clerk):
    return make_campaign(township=township, by=clerk)


@pytest.fixture
def election_a(campaign, village_a):
    return campaign.elections.get(village=village_a)


@pytest.fixture
def election_b(campaign, village_b):
    return campaign.elections.get(village=village_b)


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """moto's S3 server on loopback for the whole run (tests/s3.py); the tests that use it skip, saying
    why, where it cannot start."""
    try:
        endpoint = s3.start(tmp_path_factory.mktemp("moto") / "server.log")
    except s3.Unavailable as exc:
        pytest.skip(f"没有可用的 S3 兼容服务：{exc}")
    yield endpoint
    endpoint.stop()


@pytest.fixture
def s3_media(s3_endpoint, settings, monkeypatch, tmp_path):
    """The media storage as ``MEDIA_STORAGE=s3`` configures it (election_site.settings.media_storage),
    on a new bucket. MEDIA_ROOT points at an empty folder, which must stay empty."""
    from election_site.settings import media_storage

    for name, value in s3_endpoint.env(s3_endpoint.new_bucket()).items():
        monkeypatch.setenv(name, value)
    settings.MEDIA_ROOT = tmp_path / "unused-media-root"
    settings.STORAGES = {**settings.STORAGES, "default": media_storage()}
    return s3_endpoint
