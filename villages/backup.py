"""Backup and restore of the whole database: SQLite's online backup API, or pg_dump/pg_restore.

SQLite's backup copies a consistent snapshot while the app keeps running. PostgreSQL uses the
custom format of pg_dump, restored with ``pg_restore --clean`` into the configured database.

The media files (the election archive's PDFs and scans, uploaded workbooks) go with it, as
``<backup>.media.tar.gz`` beside the database file: a database restored without them would list
archived records whose files are gone. From the local folder MEDIA_ROOT the folder is packed as it
is; from an object store (``MEDIA_STORAGE=s3``) every object is read through the storage API and
packed under the same names, so a backup of either kind restores into either (which is also how a
county moves its files from one machine to the shared bucket of several nodes).

Both files hold every full ID number, so they are written readable by their owner only: the process
umask is 077 while they are written (so no temporary file or new directory is ever readable by
others either), and each file ends with the mode ``settings.BACKUP_FILE_MODE`` (0600 by default).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tarfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.core.files.utils import validate_file_name
from django.db import connection

from . import media

ERROR_MESSAGES = {
    "missing_file": "备份文件不存在：{path}",
    "not_sqlite_backup": "该文件不是 SQLite 备份文件：{path}",
    "tool_missing": "没有找到 {tool}，请安装 postgresql-client（apt-get install postgresql-client）。",
    "tool_failed": "{tool} 执行失败：{detail}",
    "unsupported": "不支持的数据库类型：{vendor}",
}


MEDIA_FOLDER = "media"  # the top folder of the media tarball


class BackupError(Exception):
    def __init__(self, code: str, **params):
        self.code = code
        super().__init__(ERROR_MESSAGES[code].format(**params))


@contextmanager
def _private_files(path: Path) -> Iterator[None]:
    """Write with umask 077, then give ``path`` the configured mode (0600 by default)."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)
    path.chmod(settings.BACKUP_FILE_MODE)


def backup_database(path: Path) -> Path:
    """Write a backup of the default database to ``path``, readable by its owner only."""
    path = Path(path)
    with _private_files(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            path.chmod(0o600)  # pg_dump and SQLite write into an existing file: restrict it before the data go in
        _backup_database(path)
    return path


def _backup_database(path: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        _run("pg_dump", ["--format=custom", "--no-owner", f"--file={path}", _pg_name()])
    else:
        raise BackupError("unsupported", vendor=connection.vendor)


def restore_database(path: Path) -> None:
    """Replace the default database's contents with the backup at ``path``."""
    path = Path(path)
    if not path.exists():
        raise BackupError("missing_file", path=path)
    if connection.vendor == "sqlite":
        if path.read_bytes()[:16] != b"SQLite format 3\x00":
            raise BackupError("not_sqlite_backup", path=path)
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    elif connection.vendor == "postgresql":
        connection.close()
        _run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction", f"--dbname={_pg_name()}", str(path)])
    else:
        raise BackupError("unsupported", vendor=connection.vendor)


def _pg_name() -> str:
    return connection.settings_dict["NAME"]


def _run(tool: str, args: list[str]) -> None:
    if not shutil.which(tool):
        raise BackupError("tool_missing", tool=tool)
    settings = connection.settings_dict
    env = dict(os.environ)
    for key, name in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if settings.get(name):
            env[key] = str(settings[name])
    result = subprocess.run([tool, *args], env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError("tool_failed", tool=tool, detail=result.stderr.strip()[:500])


def media_archive_path(path: Path) -> Path:
    return Path(path).with_name(Path(path).name + ".media.tar.gz")


def backup_media(path: Path) -> Path:
    """Write the media files as a gzip'd tar beside the database backup ``path``, readable by its
    owner only: each file as ``media/<its name in the storage>``."""
    target = media_archive_path(path)
    with _private_files(target):
        if target.exists():
            target.chmod(0o600)
        with tarfile.open(target, "w:gz") as tar:
            if media.is_local(default_storage):
                root = Path(settings.MEDIA_ROOT)
                if root.exists():
                    tar.add(root, arcname="media")
            else:
                _pack_storage(default_storage, tar)
    return target


def _pack_storage(storage, tar: tarfile.TarFile) -> None:
    for name in media.walk(storage):
        with storage.open(name, "rb") as stored:
            info = tarfile.TarInfo(f"{MEDIA_FOLDER}/{name}")
            info.size, info.mode = stored.size, 0o600
            try:
                info.mtime = storage.get_modified_time(name).timestamp()
            except NotImplementedError:
                info.mtime = time.time()
            tar.addfile(info, stored)


def restore_media(path: Path) -> bool:
    """Replace the media files with those saved beside the backup ``path``; False when there are none.

    Into MEDIA_ROOT the archive is unpacked beside the folder first and swapped in only once it is
    complete. Into an object store each file is written through the storage API, then the objects
    that the backup does not hold are removed (files written after the backup): an interrupted
    restore leaves every file of the backup or more, never fewer, and can be run again.
    """
    archive = media_archive_path(path)
    if not archive.exists():
        return False
    if not media.is_local(default_storage):
        _unpack_to_storage(default_storage, archive)
        return True
    root = Path(settings.MEDIA_ROOT)
    staging, previous = root.with_name(root.name + ".restoring"), root.with_name(root.name + ".before-restore")
    shutil.rmtree(staging, ignore_errors=True)
    with tarfile.open(archive) as tar:
        tar.extractall(staging, filter="data")
    shutil.rmtree(previous, ignore_errors=True)
    if root.exists():
        root.rename(previous)
    unpacked = staging / "media"
    if unpacked.exists():
        unpacked.rename(root)
    else:
        root.mkdir(parents=True)
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(previous, ignore_errors=True)
    return True


def _unpack_to_storage(storage, archive: Path) -> None:
    restored = set()
    with tarfile.open(archive) as tar:
        for member in tar:
            name = _stored_name(member)
            if name is None:
                continue
            with tar.extractfile(member) as content, storage.open(name, "wb") as out:
                shutil.copyfileobj(content, out, media.COPY_CHUNK)
            restored.add(name)
    for name in list(media.walk(storage)):
        if name not in restored:
            storage.delete(name)


def _stored_name(member: tarfile.TarInfo) -> str | None:
    """The storage name of a regular file of the archive (``media/<name>``); None for folders, links
    and anything that would land outside the media (an absolute name, ``..``)."""
    if not member.isfile() or not member.name.startswith(f"{MEDIA_FOLDER}/"):
        return None
    name = member.name[len(MEDIA_FOLDER) + 1:]
    try:
        validate_file_name(name, allow_relative_path=True)
    except SuspiciousFileOperation:
        return None
    return name
