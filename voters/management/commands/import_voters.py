"""``python manage.py import_voters <election_id> <file.xlsx> [--dry-run]``: the browser's import,
from the command line, through the same service (voters.services.imports)."""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from villages.access import check_not_certified, get_election_for
from villages.models import Election, Role, User

from ...models import ImportJob
from ...services import imports as service

LEVELS = {"error": "错误", "warning": "提示", "info": "说明"}


class Command(BaseCommand):
    help = "从Excel工作簿（.xlsx）导入一个村的选民名单：先检查全部行，没有错误才写入。--dry-run 只检查不写入。"

    def add_arguments(self, parser):
        parser.add_argument("election_id", type=int, help="村委会选举的编号")
        parser.add_argument("file", help="选民名单工作簿（.xlsx）")
        parser.add_argument("--dry-run", action="store_true", help="只检查并列出问题，不写入")
        parser.add_argument("--user", default="", help="记入操作日志的用户名（默认：第一个系统管理员）")

    def handle(self, *args, election_id, file, dry_run, user, **options):
        election = Election.objects.with_places().filter(pk=election_id).first()
        if election is None:
            raise CommandError(f"没有编号为{election_id}的村委会选举。")
        try:
            check_not_certified(election)  # certified results lock the register (archive app)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        actor = self._actor(user)
        try:  # the same access rule as the upload page: who may change this village's register
            get_election_for(actor, election.pk, write=True)
        except Http404:
            raise CommandError(f"用户“{actor.username}”不能查看{election.unit_name}的选民名单。") from None
        except PermissionDenied as exc:
            raise CommandError(f"用户“{actor.username}”不能修改{election.unit_name}的选民名单：{exc}") from exc
        try:
            with path.open("rb") as fh:
                job = service.start_import(by=actor, election=election, upload=File(fh), filename=path.name,
                                           background=False)
        except ValidationError as exc:
            raise CommandError("".join(exc.messages)) from exc
        self._report(job)
        if job.state != ImportJob.State.PREVIEW:
            raise CommandError(f"{election}：文件有{job.counts.get('errors', 0)}处错误，没有导入任何数据。")
        if dry_run:
            service.end_check_only(by=actor, job=job)  # this preview cannot be confirmed later
            self.stdout.write("只检查（--dry-run），没有写入；这次检查不能再在网页上确认导入。")
            return
        try:
            job = service.confirm_import(by=actor, job=job)
        except ValidationError as exc:
            raise CommandError("".join(exc.messages)) from exc
        except PermissionDenied as exc:  # certified meanwhile (checked again under the election's row lock)
            raise CommandError(str(exc)) from exc
        written = job.counts["written"]
        self.stdout.write(self.style.SUCCESS(
            f"已导入{election}：新登记{written['created']}人，更新{written['updated']}人，{written['unchanged']}人无变化。"))

    def _actor(self, username: str) -> User:
        users = User.objects.filter(username=username) if username else User.objects.filter(role=Role.ADMIN)
        actor = users.order_by("pk").first()
        if actor is None:
            raise CommandError(f"没有用户“{username}”。" if username else "没有系统管理员，请用 --user 指定操作人。")
        return actor

    def _report(self, job: ImportJob) -> None:
        counts = job.counts
        self.stdout.write(
            f"共{counts.get('rows', 0)}行：新登记{counts.get('new', 0)}，更新{counts.get('updated', 0)}，"
            f"无变化{counts.get('unchanged', 0)}，有错误{counts.get('error', 0)}；"
            f"错误{counts.get('errors', 0)}处，提示{counts.get('warnings', 0)}处。"
        )
        for issue in job.issues:
            where = f"第{issue['row']}行" if issue["row"] else "全表"
            column = f" {issue['label']}" if issue["label"] else ""
            self.stdout.write(f"{where}{column} [{LEVELS[issue['level']]} {issue['code']}] {issue['message']}")
