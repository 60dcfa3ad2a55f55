from django.core.management.base import BaseCommand

from reports.aggregates import rebuild


class Command(BaseCommand):
    help = ("重新计算每个村民委员会选举的汇总（市、省统计报表读取的参选和当选成员计数）。"
            "汇总在每次写入后自动更新；恢复备份后，或怀疑某次更新丢失时运行。")

    def handle(self, *args, **options):
        written = rebuild(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"已重新计算 {written} 个选举的汇总。"))
