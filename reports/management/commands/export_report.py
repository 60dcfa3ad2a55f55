from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import timezone

from reports.documents import CONTENT_TYPES
from reports.scopes import get_scope, parse_scope
from reports.services import export_report


class Command(BaseCommand):
    help = "导出换届选举统计报表（Excel 或 PDF）：--scope village:<12位村级代码> | township:<乡镇代码> | county:<县代码> | city:<市代码> | province:<省代码>。"

    def add_arguments(self, parser):
        parser.add_argument("--scope", required=True, help="例如 township:330199101")
        parser.add_argument("--format", required=True, choices=sorted(CONTENT_TYPES), dest="fmt")
        parser.add_argument("-o", "--output", required=True, help="输出文件路径")

    def handle(self, *args, scope, fmt, output, **options):
        try:
            kind, code = parse_scope(scope)
            target = get_scope(kind, code)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        except Http404:
            raise CommandError(f"没有找到范围 {scope}。") from None
        content, _filename = export_report(by=None, scope=target, fmt=fmt, now=timezone.now())
        Path(output).write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"已导出 {target.label} 的统计报表（{fmt}，{len(content)} 字节）到 {output}"))
