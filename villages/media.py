"""Media files through Django's storage API only (issue 15 "Beyond one machine").

Uploaded workbooks and their side files, prints, report exports and the archive's PDFs and scans
live in the default storage: the local folder ``MEDIA_ROOT`` on one machine, or a bucket of an
S3-compatible object store when several app and worker nodes share the files
(``MEDIA_STORAGE=s3``, election_site/settings.py). Code reads and writes them with
``storage.open/save/delete`` and never by a path of its own; the few places that need more than
that come here:

- ``local_path``: a library that reads a real file (python-calamine reads the stored workbook by
  path, which costs less memory than from a file object) gets the file itself when the storage
  keeps files on this machine, else a private temporary copy;
- ``append``: adding to the end of a stored file (object stores cannot append);
- ``unique_name``: a name no other upload takes at the same moment;
- ``walk``: every stored file, for the backup of an object store.
"""

from __future__ import annotations

import os
import posixpath
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.files.storage import Storage

COPY_CHUNK = 1024 * 1024


def is_local(storage: Storage) -> bool:
    """Whether ``storage`` keeps its files in this machine's file system (``path`` works)."""
    try:
        storage.path("")
    except NotImplementedError:
        return False
    return True


@contextmanager
def local_path(storage: Storage, name: str) -> Iterator[str]:
    """A path on this machine holding the stored file ``name``, for as long as the block runs.

    The storage's own path when it has one; otherwise a temporary copy, readable by this process's
    user only (``tempfile`` creates it 0600: uploads hold full ID numbers), where Django keeps large
    uploads (``FILE_UPLOAD_TEMP_DIR``, else the system's temporary folder), with the stored name's
    extension (python-calamine picks its reader by it), removed when the block ends.
    """
    if is_local(storage):
        yield storage.path(name)
        return
    suffix = os.path.splitext(name)[1]
    with tempfile.NamedTemporaryFile(prefix="media-", suffix=suffix, dir=settings.FILE_UPLOAD_TEMP_DIR) as copy:
        with storage.open(name, "rb") as source:
            shutil.copyfileobj(source, copy, COPY_CHUNK)
        copy.flush()
        yield copy.name


def append(storage: Storage, name: str, data: bytes) -> None:
    """Add ``data`` to the end of the stored file ``name`` (which must exist).

    Files on this machine are opened for appending; an object store has no such operation, so the
    object is read and written again whole. Callers append to small files (an import's list of
    issues, bounded by ``VOTER_IMPORT_MAX_ISSUES``) under a lock of their own.
    """
    if is_local(storage):
        with storage.open(name, "ab") as out:
            out.write(data)
        return
    with storage.open(name, "rb") as stored:
        before = stored.read()
    with storage.open(name, "wb") as out:
        out.write(before + data)


def unique_name(name: str) -> str:
    """``name`` with a random token before its file name (``imports/选民名单.xlsx`` →
    ``imports/3f9c01ab-选民名单.xlsx``).

    A local folder creates a file exclusively and picks another name when one is taken; an object
    store's check for a free name and its write are two requests, so two nodes saving the same name
    at the same moment would each replace the other's file.
    """
    directory, base = posixpath.split(name)
    return posixpath.join(directory, f"{secrets.token_hex(4)}-{base}")


def walk(storage: Storage, top: str = "") -> Iterator[str]:
    """The name of every file in ``storage`` under the folder ``top``, folder by folder."""
    directories, files = storage.listdir(top)
    for file in sorted(files):
        yield posixpath.join(top, file) if top else file
    for directory in sorted(directories):
        yield from walk(storage, posixpath.join(top, directory) if top else directory)
