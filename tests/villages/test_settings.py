"""The settings that choose the media storage and the cache from the environment
(election_site/settings.py: ``media_storage``, ``cache_settings``)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from election_site.settings import cache_settings, media_storage


@pytest.fixture
def env(monkeypatch):
    for name in ("MEDIA_STORAGE", "S3_ENDPOINT_URL", "S3_BUCKET", "S3_ACCESS_KEY", "S3_SECRET_KEY", "S3_REGION",
                 "S3_PREFIX", "S3_ADDRESSING_STYLE", "CACHE_URL", "CACHE_KEY_PREFIX"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_by_default_media_are_a_local_folder_and_the_cache_is_per_process(env):
    assert media_storage() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert cache_settings()["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_s3_storage_takes_its_bucket_endpoint_and_keys(env):
    for name, value in {"MEDIA_STORAGE": "s3", "S3_ENDPOINT_URL": "http://127.0.0.1:9000", "S3_BUCKET": "xuanju",
                        "S3_ACCESS_KEY": "key", "S3_SECRET_KEY": "secret", "S3_PREFIX": "/county/"}.items():
        env.setenv(name, value)
    storage = media_storage()
    options = storage["OPTIONS"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert (options["endpoint_url"], options["bucket_name"], options["access_key"], options["secret_key"]) == (
        "http://127.0.0.1:9000", "xuanju", "key", "secret")
    assert (options["location"], options["addressing_style"], options["file_overwrite"], options["default_acl"]) == (
        "county", "path", False, None)


@pytest.mark.parametrize("missing", ["S3_BUCKET", "S3_ACCESS_KEY", "S3_SECRET_KEY"])
def test_s3_storage_refuses_to_start_without_its_bucket_or_keys(env, missing):
    env.setenv("MEDIA_STORAGE", "s3")
    for name in {"S3_BUCKET", "S3_ACCESS_KEY", "S3_SECRET_KEY"} - {missing}:
        env.setenv(name, "x")
    with pytest.raises(ImproperlyConfigured, match=missing):
        media_storage()


def test_an_unknown_storage_is_refused(env):
    env.setenv("MEDIA_STORAGE", "ftp")
    with pytest.raises(ImproperlyConfigured, match="MEDIA_STORAGE"):
        media_storage()


def test_cache_url_selects_djangos_redis_cache(env):
    env.setenv("CACHE_URL", "redis://127.0.0.1:6379/1")
    cache = cache_settings()["default"]
    assert (cache["BACKEND"], cache["LOCATION"]) == ("django.core.cache.backends.redis.RedisCache", "redis://127.0.0.1:6379/1")
    assert cache["OPTIONS"]["socket_connect_timeout"] <= 5  # a dead Redis fails a request quickly


def test_a_cache_url_of_another_kind_is_refused(env):
    env.setenv("CACHE_URL", "memcached://127.0.0.1:11211")
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_settings()
