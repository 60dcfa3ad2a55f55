"""Backup and restore round trip: the restored data equal the data at backup time."""

import io
import os
import stat
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from tests.builders import make_campaign
from villages.models import Village


def dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", "villages", "voters", "candidates", "ballots", exclude=["villages.auditentry"], stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_backup_restore_round_trip(tmp_path, township, village_a, village_b, clerk, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "archive" / "1").mkdir(parents=True)
    (settings.MEDIA_ROOT / "archive" / "1" / "选举结果报告单.pdf").write_bytes(b"%PDF-1.4 certified")
    make_campaign(township=township, by=clerk)
    before = dump()
    path = tmp_path / "election.backup"
    call_command("backup_db", "-o", str(path), stdout=io.StringIO())
    assert path.stat().st_size > 0 and (tmp_path / "election.backup.media.tar.gz").stat().st_size > 0

    Village.objects.filter(pk=village_a.pk).update(population=99999)
    village_b.groups.all().delete()
    (settings.MEDIA_ROOT / "archive" / "1" / "选举结果报告单.pdf").write_bytes(b"overwritten")
    (settings.MEDIA_ROOT / "stray.txt").write_text("written after the backup")
    assert dump() != before

    call_command("restore_db", str(path), "--yes", stdout=io.StringIO())
    assert dump() == before
    files = sorted(p.relative_to(settings.MEDIA_ROOT).as_posix() for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())
    assert files == ["archive/1/选举结果报告单.pdf"]
    assert (settings.MEDIA_ROOT / "archive" / "1" / "选举结果报告单.pdf").read_bytes() == b"%PDF-1.4 certified"


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_without_confirmation_or_file(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore_db", str(tmp_path / "x.backup"))
    with pytest.raises(CommandError, match="备份文件不存在"):
        call_command("restore_db", str(tmp_path / "x.backup"), "--yes")


@pytest.fixture
def open_umask():
    """The usual umask 022, under which new files are world-readable."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.django_db(transaction=True)
def test_backup_and_media_tarball_are_readable_by_the_owner_only(tmp_path, township, settings, open_umask):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    (settings.MEDIA_ROOT / "upload.xlsx").write_bytes(b"full ID numbers")
    stale = tmp_path / "backups" / "election.backup"
    stale.parent.mkdir()
    call_command("backup_db", "-o", str(stale), stdout=io.StringIO())
    stale.chmod(0o644)  # an older backup, made before this fix, is overwritten
    call_command("backup_db", "-o", str(stale), stdout=io.StringIO())
    assert stat.S_IMODE(stale.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "backups" / "election.backup.media.tar.gz").stat().st_mode) == 0o600
    fresh = tmp_path / "new-dir" / "election.backup"
    call_command("backup_db", "-o", str(fresh), stdout=io.StringIO())
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    assert stat.S_IMODE(fresh.parent.stat().st_mode) == 0o700  # a directory we create is private too
    assert os.umask(0o022) == 0o022  # the process umask is given back


@pytest.mark.django_db(transaction=True)
def test_backup_file_mode_can_let_a_backup_group_read(tmp_path, township, settings, open_umask):
    settings.MEDIA_ROOT, settings.BACKUP_FILE_MODE = tmp_path / "media", 0o640
    path = tmp_path / "election.backup"
    call_command("backup_db", "-o", str(path), stdout=io.StringIO())
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


@pytest.mark.parametrize("mode", ["644", "rw"])
def test_settings_refuse_a_world_readable_or_unreadable_backup_mode(mode):
    env = {**os.environ, "BACKUP_FILE_MODE": mode}
    result = subprocess.run([sys.executable, "-c", "import election_site.settings"], env=env, capture_output=True,
                            text=True, check=False)
    assert result.returncode != 0 and "BACKUP_FILE_MODE" in result.stderr
