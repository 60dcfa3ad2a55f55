from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from villages.audit import log_action
from villages.backup import BackupError, backup_database, backup_media


class Command(BaseCommand):
    help = "备份整个数据库（SQLite 在线备份；PostgreSQL 使用 pg_dump），并把上传和归档文件（本地目录 MEDIA_ROOT 或对象存储中的全部文件）打包在旁边。"

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="备份文件路径（默认 backups/election-时间.backup）")

    def handle(self, *args, **options):
        path = Path(options["output"] or f"backups/election-{timezone.localtime():%Y%m%d-%H%M%S}.backup")
        try:
            backup_database(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        media = backup_media(path)
        log_action(by=None, action="villages.backup.created", changes={"file": [None, str(path)], "media": [None, str(media)]})
        self.stdout.write(self.style.SUCCESS(
            f"已备份到 {path}（{path.stat().st_size:,} 字节），文件（归档、上传）备份到 {media}（{media.stat().st_size:,} 字节）"))
