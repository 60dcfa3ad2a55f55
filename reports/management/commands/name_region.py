from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from reports.models import Region, RegionReader
from villages.models import Role, User


class Command(BaseCommand):
    help = ("为市（地级，代码以00结尾）或省（代码以0000结尾）命名，供市、省统计报表使用，例如 "
            "name_region 330100 杭州市；--reader 用户名 指定该市（省）的督导（只读）。")

    def add_arguments(self, parser):
        parser.add_argument("code", help="6位区划代码，如 330100")
        parser.add_argument("name", nargs="?", help="名称，如 杭州市")
        parser.add_argument("--reader", help="指定为该市（省）督导的用户名（角色须为督导）")

    @transaction.atomic
    def handle(self, *args, code, name, reader, **options):
        if len(code) != 6 or not code.isdigit() or not code.endswith("00"):
            raise CommandError(f"“{code}”不是市或省的6位区划代码（市以00结尾，省以0000结尾）。")
        level = Region.Level.PROVINCE if code.endswith("0000") else Region.Level.CITY
        if name:
            region, _ = Region.objects.update_or_create(code=code, defaults={"name": name, "level": level})
        else:
            region = Region.objects.filter(code=code).first()
            if region is None:
                raise CommandError(f"区划代码 {code} 尚未命名，请同时给出名称。")
        self.stdout.write(self.style.SUCCESS(f"{region.code} {region.name}（{region.get_level_display()}）"))
        if reader:
            user = User.objects.filter(username=reader).first()
            if user is None or user.role != Role.SUPERVISOR:
                raise CommandError(f"用户 {reader} 不存在或不是督导。")
            RegionReader.objects.update_or_create(user=user, defaults={"region": region})
            self.stdout.write(self.style.SUCCESS(f"{user.username} 可查看{region.name}的统计报表。"))
