"""``/healthz`` for the load balancer: open without signing in, no session, only ok/failing per part,
200 or 503; each part fails for real (a closed port, a missing bucket, a broken database)."""

from __future__ import annotations

import json

from django.db import OperationalError
from django.urls import reverse

from villages import health

URL = "/healthz"
PARTS = {"database", "cache", "storage"}


def body(response) -> dict:
    data = json.loads(response.content)
    assert set(data) == {"status"} | PARTS and set(data.values()) <= {"ok", "failing"}  # nothing else leaks
    return data


def test_the_url_is_healthz():
    assert reverse("healthz") == URL


def test_a_healthy_node_answers_200_without_a_session(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1: no session, no user
        response = client.get(URL)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert body(response) == {"status": "ok", "database": "ok", "cache": "ok", "storage": "ok"}
    assert not response.cookies and "no-cache" in response["Cache-Control"]


def test_a_signed_in_caller_gets_the_same_answer(client, clerk):
    client.force_login(clerk)
    assert body(client.get(URL))["status"] == "ok"


def test_only_get_and_head(client, db):
    assert client.head(URL).status_code == 200
    assert client.post(URL).status_code == 405


def test_an_unreachable_cache_fails_the_node(client, db, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
                                   "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    response = client.get(URL)
    assert response.status_code == 503
    assert body(response) == {"status": "failing", "database": "ok", "cache": "failing", "storage": "ok"}
    assert b"127.0.0.1" not in response.content and b"Error" not in response.content


def test_a_media_folder_that_cannot_be_written_fails_the_node(client, db, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.MEDIA_ROOT = blocker / "media"
    response = client.get(URL)
    assert response.status_code == 503 and body(response)["storage"] == "failing"
    assert str(tmp_path).encode() not in response.content


def test_a_missing_bucket_fails_the_node(client, db, s3_media, settings, monkeypatch):
    from election_site.settings import media_storage

    assert body(client.get(URL))["storage"] == "ok"  # the test's bucket: written, read and cleaned up
    monkeypatch.setenv("S3_BUCKET", "no-such-bucket")
    settings.STORAGES = {**settings.STORAGES, "default": media_storage()}
    response = client.get(URL)
    assert response.status_code == 503 and body(response)["storage"] == "failing"
    assert b"no-such-bucket" not in response.content


def test_the_probe_leaves_no_file_behind(client, db, s3_media):
    from django.core.files.storage import default_storage

    client.get(URL)
    assert default_storage.listdir(health.PROBE_FOLDER) == ([], [])


def test_a_broken_database_fails_the_node(db, monkeypatch):
    def refused(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patched:  # the test's own rollback needs the real cursor afterwards
        patched.setattr(health.connection, "cursor", refused)
        assert health.report() == {"database": False, "cache": True, "storage": True}


def test_a_cache_that_loses_what_it_was_given_fails(monkeypatch):
    monkeypatch.setattr(health.cache, "get", lambda key: None)
    assert health.cache_ok() is False
