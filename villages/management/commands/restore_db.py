from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from villages.audit import log_action
from villages.backup import BackupError, media_archive_path, restore_database, restore_media


class Command(BaseCommand):
    help = "用备份文件恢复整个数据库（会覆盖当前全部数据）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="backup_db 生成的备份文件")
        parser.add_argument("--yes", action="store_true", help="确认覆盖当前数据库")

    def handle(self, *args, **options):
        if not options["yes"]:
            raise CommandError("恢复会覆盖当前数据库的全部数据。确认无误后请加 --yes 再运行。")
        try:
            restore_database(Path(options["file"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        media = restore_media(Path(options["file"]))
        log_action(by=None, action="villages.backup.restored", changes={"file": [None, options["file"]], "media": [None, media]})
        self.stdout.write(self.style.SUCCESS(f"已从 {options['file']} 恢复数据库。"))
        if media:
            self.stdout.write(self.style.SUCCESS(f"已从 {media_archive_path(Path(options['file']))} 恢复归档和上传文件。"))
        else:
            self.stdout.write(self.style.WARNING("备份旁没有文件包（.media.tar.gz），归档和上传文件未恢复。"))
