from django.core.management.base import BaseCommand
from django.utils import timezone

from villages.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "建立演示数据：一个县、一个镇、六个村、一次换届选举和各角色的演示账号（可重复运行）。"

    def handle(self, *args, **options):
        logins = load_demo(today=timezone.localdate())
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。演示账号（密码均为 %s）：" % DEMO_PASSWORD))
        for login in logins:
            self.stdout.write(f"  {login.username:<18} {login.role}（{login.scope}）")
