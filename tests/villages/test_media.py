"""villages/media.py: the few things the storage API does not do alike on a local folder and on an
S3-compatible object store (moto's server on loopback, tests/s3.py)."""

from __future__ import annotations

import gzip
import os
import stat

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from villages import media


@pytest.fixture(params=["local", "s3"])
def storage(request, settings, tmp_path):
    if request.param == "local":
        settings.MEDIA_ROOT = tmp_path / "media"
    else:
        request.getfixturevalue("s3_media")
    return default_storage


def test_only_the_file_system_storage_is_local(storage, request):
    assert media.is_local(storage) == (request.node.callspec.params["storage"] == "local")


def test_local_path_is_the_file_itself_or_a_private_copy_removed_afterwards(storage, settings):
    name = storage.save("imports/2027/01/名单.xlsx", ContentFile(b"PK\x03\x04 workbook bytes"))
    with media.local_path(storage, name) as path:
        with open(path, "rb") as fh:
            assert fh.read() == b"PK\x03\x04 workbook bytes"
        assert path.endswith(".xlsx")  # python-calamine picks its reader by the extension
        if media.is_local(storage):
            assert path == os.path.join(settings.MEDIA_ROOT, name)
        else:
            assert stat.S_IMODE(os.stat(path).st_mode) == 0o600  # full ID numbers: the owner only
    assert os.path.exists(path) == media.is_local(storage)


def test_append_adds_a_gzip_member_that_reads_as_one_file(storage):
    name = storage.save("imports/x.issues.jsonl.gz", ContentFile(gzip.compress(b'{"row":1}\n')))
    media.append(storage, name, gzip.compress(b'{"row":2}\n'))
    with storage.open(name, "rb") as raw, gzip.GzipFile(fileobj=raw) as lines:
        assert lines.read() == b'{"row":1}\n{"row":2}\n'


def test_walk_lists_every_file_in_every_folder(storage):
    for name in ("a/b/c.pdf", "a/d.pdf", "e.txt"):
        storage.save(name, ContentFile(b"x"))
    assert sorted(media.walk(storage)) == ["a/b/c.pdf", "a/d.pdf", "e.txt"]


def test_two_uploads_of_one_name_keep_both_files(storage):
    first = storage.save(media.unique_name("imports/选民名单.xlsx"), ContentFile(b"village A"))
    second = storage.save(media.unique_name("imports/选民名单.xlsx"), ContentFile(b"village B"))
    assert first != second and first.startswith("imports/") and first.endswith("-选民名单.xlsx")
    with storage.open(first, "rb") as a, storage.open(second, "rb") as b:
        assert (a.read(), b.read()) == (b"village A", b"village B")


def test_object_store_does_not_replace_a_file_saved_under_a_taken_name(s3_media):
    """The S3 storage is configured with file_overwrite=False, like the local folder."""
    first = default_storage.save("prints/1-1.pdf", ContentFile(b"one"))
    second = default_storage.save("prints/1-1.pdf", ContentFile(b"two"))
    assert first == "prints/1-1.pdf" and second != first
    with default_storage.open(first, "rb") as stored:
        assert stored.read() == b"one"
