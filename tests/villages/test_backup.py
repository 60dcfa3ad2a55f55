"""Backup and restore round trip: the restored data equal the data at backup time."""

import io

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
