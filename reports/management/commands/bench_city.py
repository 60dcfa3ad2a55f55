"""Benchmark at city scale (issue 15), on PostgreSQL only, on demand (never in the tests):

1. a throwaway city (code 339800, not a real division) of counties of 300 villages (15 townships of 20),
   each village with ``--voters-per-village`` registered voters (1,000), a counted first ballot, five
   elected members, last term's roster and a Party branch roster. The voters are written with
   PostgreSQL's ``COPY`` (3,000,000 rows in about a minute), the rest with ``bulk_create``;
2. at each size (``--sizes 300,3000`` villages) the per-election aggregates are rebuilt
   (``reports.aggregates.rebuild``) and the reports are measured: the county report of the first
   county (300 villages, from the voter rows), the city report from the aggregates, and for comparison
   the city report computed from the voter rows as a county's is (``from_aggregates=False``); time and
   queries of each, and of the city's page (a whole request, signed in as the administrator);
3. the import: ``--import-villages`` villages (20) of a township opened through the real services, one
   workbook each of ``--import-rows`` rows (1,000) made from the village's import template, uploaded
   through ``start_import`` with the check queued for the task worker; two ``db_worker`` processes
   check them (wall time from the first upload to the last preview), then every import is confirmed
   through ``confirm_import`` in this process (each confirmation refreshes its election's aggregate
   after the commit, as on the page).

Run it on a database of its own: ``make bench-city`` drops and recreates ``BENCH_CITY_DATABASE_URL``
(its name must contain ``bench``) and migrates it. Prints the figures as a Markdown table.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ballots.models import ElectedMember, PollingStation, Round, Tally
from reports import aggregates
from reports.models import Region, Roster, RosterMember
from reports.queries import build_report
from reports.scopes import get_scope
from villages.models import Campaign, County, Election, Role, RulePreset, Township, User, Village, VillagerGroup
from voters.idnumber import check_character
from voters.models import Voter

CITY = "339800"
COUNTY_VILLAGES = 300
TOWNSHIP_VILLAGES = 20
ELECTION_DAY = date(2027, 1, 16)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华建国志红玉梅海波宁"
POSTS = ("chair", "vice_chair", "member", "member", "member")
ROOT = Path(settings.BASE_DIR)


class Command(BaseCommand):
    help = "市级规模性能测试（仅 PostgreSQL）：生成300/3000个村、每村1000名选民，测县、市报表耗时与查询次数和两个任务进程的导入吞吐量。"

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="300,3000", help="村数，逗号分隔，递增（默认 300,3000）")
        parser.add_argument("--voters-per-village", type=int, default=1000)
        parser.add_argument("--import-villages", type=int, default=20, help="导入测试的村数（每村一个工作簿）")
        parser.add_argument("--import-rows", type=int, default=1000, help="每个工作簿的行数")
        parser.add_argument("--workers", type=int, default=2, help="db_worker 进程数")
        parser.add_argument("--seed", type=int, default=20270116)

    def handle(self, *args, sizes, voters_per_village, import_villages, import_rows, workers, seed, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_city 只在 PostgreSQL 上运行（设置 DATABASE_URL）。")
        if County.objects.filter(code__startswith=CITY[:4]).exists():
            raise CommandError("数据库中已有性能测试市的数据：请在新建的数据库上运行（make bench-city 会重建数据库）。")
        targets = [int(s) for s in sizes.split(",") if s.strip()]
        if targets != sorted(targets) or any(t % COUNTY_VILLAGES for t in targets):
            raise CommandError(f"--sizes 须递增且为{COUNTY_VILLAGES}的倍数。")
        rng = random.Random(seed)
        self.rows: list[tuple[str, str, str]] = []
        Region.objects.update_or_create(code=CITY, defaults={"name": "测试市（性能）", "level": "city"})
        admin = User.objects.create_user(username="bench_city_admin", password=None, role=Role.ADMIN,
                                         display_name="性能测试管理员")
        made = 0
        for target in targets:
            t0 = time.perf_counter()
            voters = 0
            while made < target:
                voters += self._county(made // COUNTY_VILLAGES, voters_per_village, rng, admin)
                made += COUNTY_VILLAGES
            self._analyze()
            self._row(f"{target}", "生成数据（新增选民{:,}人）".format(voters), f"{time.perf_counter() - t0:.1f} s")
            self._measure(target, admin)
        if import_villages:
            self._imports(import_villages, import_rows, workers, admin, rng)
        self.stdout.write("\n| 村数 | 项目 | 结果 |\n|---:|---|---|")
        for size, label, value in self.rows:
            self.stdout.write(f"| {size} | {label} | {value} |")

    def _row(self, size: str, label: str, value: str) -> None:
        self.rows.append((size, label, value))
        self.stdout.write(f"[{size}] {label}: {value}")

    def _analyze(self) -> None:
        with connection.cursor() as cursor:  # fresh statistics after a bulk load, as autovacuum would give
            cursor.execute("ANALYZE")

    # --- measuring the reports -------------------------------------------------------------------

    def _timed(self, fn):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            result = fn()
            seconds = time.perf_counter() - t0
        return result, seconds, len(queries)

    def _measure(self, size: int, admin: User) -> None:
        _, seconds, _ = self._timed(aggregates.rebuild)
        self._row(str(size), "重建全部选举汇总（rebuild_report_aggregates）", f"{seconds:.1f} s")
        one = Election.objects.filter(village__township__county__code__startswith=CITY[:4]).order_by("pk").first()
        _, seconds, queries = self._timed(lambda: aggregates.refresh([one.pk]))
        self._row(str(size), "更新一个选举的汇总（每次写入提交后）", f"{seconds * 1000:.0f} ms，{queries} 次查询")
        county = get_scope("county", f"{CITY[:4]}01")
        city = get_scope("city", CITY)
        build_report(county)  # warm: imports, the planner's caches
        for label, fn in (
            (f"县报表 build_report（{COUNTY_VILLAGES}个村，读选民行）", lambda: build_report(county)),
            (f"市报表 build_report（{size}个村，读汇总行）", lambda: build_report(city)),
            (f"市报表不用汇总（{size}个村，读选民行，对照）", lambda: build_report(city, from_aggregates=False)),
        ):
            best = None
            for _ in range(3):
                figures, seconds, queries = self._timed(fn)
                best = seconds if best is None else min(best, seconds)
            self._row(str(size), label, f"{best * 1000:.0f} ms，{queries} 次查询（{figures.turnout.villages}个村，"
                                        f"登记选民{figures.turnout.registered:,}人，参选率{figures.turnout.turnout}）")
        host = (settings.ALLOWED_HOSTS or ["127.0.0.1"])[0].lstrip(".")
        reader = self._city_reader(county.county_id)
        for user, who in ((admin, "管理员（范围下拉框列出每个村）"), (reader, "市督导")):
            client = Client()
            client.force_login(user)
            for kind, code in (("county", county.code), ("city", CITY)):
                url = reverse("reports:report", kwargs={"kind": kind, "code": code})
                client.get(url, HTTP_HOST=host)  # warm: charts drawn once, then from the cache
                response, seconds, queries = self._timed(lambda url=url, client=client: client.get(url, HTTP_HOST=host))
                assert response.status_code == 200, response.status_code
                self._row(str(size), f"{'县' if kind == 'county' else '市'}报表页面，{who}（完整请求，图表已缓存）",
                          f"{seconds * 1000:.0f} ms，{queries} 次查询，{len(response.content) // 1024} KB")

    def _city_reader(self, county_id: int) -> User:
        """The city's 督导: a supervisor of the first county assigned to the city (``RegionReader``)."""
        from reports.models import RegionReader

        user, _ = User.objects.get_or_create(username="bench_city_reader", defaults={
            "role": Role.SUPERVISOR, "county_id": county_id, "display_name": "市督导", "password": "!"})
        RegionReader.objects.get_or_create(user=user, defaults={"region": Region.objects.get(code=CITY)})
        return user

    # --- generating a county ---------------------------------------------------------------------

    @transaction.atomic
    def _county(self, index: int, per_village: int, rng: random.Random, by: User) -> int:
        preset = RulePreset.objects.get(code="VCOL_2018_NATIONAL")
        code = f"{CITY[:4]}{index + 1:02d}"
        county = County.objects.create(code=code, name=f"测试{index + 1}县")
        towns = Township.objects.bulk_create(
            Township(county=county, code=f"{code}{100 + i:03d}", name=f"{county.name}{i + 1}镇")
            for i in range(COUNTY_VILLAGES // TOWNSHIP_VILLAGES))
        villages = Village.objects.bulk_create(
            Village(township=towns[i // TOWNSHIP_VILLAGES], name=f"{i + 1}村",
                    code=f"{towns[i // TOWNSHIP_VILLAGES].code}{200 + i % TOWNSHIP_VILLAGES:03d}")
            for i in range(COUNTY_VILLAGES))
        groups = {g.village_id: g for g in VillagerGroup.objects.bulk_create(
            VillagerGroup(village=v, number=1, name="第1组") for v in villages)}
        rules = preset.rules.to_dict()
        campaigns = {c.township_id: c for c in Campaign.objects.bulk_create(
            Campaign(county_id=county.pk, township=t, term_number=12, preset=preset, rule_params=rules,
                     default_election_day=ELECTION_DAY) for t in towns)}
        elections = Election.objects.bulk_create(
            Election(campaign=campaigns[v.township_id], village=v, election_day=ELECTION_DAY, seats_chair=1,
                     seats_vice_chair=1, seats_member=3, certified_at=timezone.now() if rng.random() < 0.7 else None)
            for v in villages)
        births = [(date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 63))) for _ in range(4096)]
        names = [a + b + c for a, b, c in zip(rng.choices(SURNAMES, k=4096), rng.choices(GIVEN, k=4096),
                                              rng.choices(GIVEN, k=4096), strict=True)]
        now = timezone.now().isoformat()
        chosen: dict[int, list[tuple[str, str, date]]] = {}
        columns = ("campaign_id", "election_id", "group_id", "name", "sex", "ethnicity", "birth_date", "id_number",
                   "education", "education_edition", "political_status", "address", "lives_in_village", "phone",
                   "category", "away", "remarks", "approval_meeting", "party_restriction", "org_relation", "ill",
                   "has_political_rights", "capacity_ok", "status", "not_registered_reason", "change_reason",
                   "created_at", "updated_at", "version")
        educations = ("71", "61", "41", "31", "21", "81")
        with connection.cursor() as cursor, cursor.cursor.copy(
                f"COPY voters_voter ({', '.join(columns)}) FROM STDIN") as copy:
            for n, e in enumerate(elections):
                region = f"{(index * COUNTY_VILLAGES + n) % 900000 + 100000:06d}"
                lines = []
                for k in range(per_village):
                    birth = births[rng.getrandbits(12)]
                    first17 = f"{region}{birth:%Y%m%d}{k:03d}"
                    number = first17 + check_character(first17)
                    sex = "M" if k % 2 else "F"
                    if k < 5:
                        chosen.setdefault(e.pk, []).append((number, sex, birth))
                    r = rng.random()
                    lines.append(
                        f"{e.campaign_id}\t{e.pk}\t{groups[e.village_id].pk}\t{names[rng.getrandbits(12)]}\t{sex}\t"
                        f"{'22' if r < 0.05 else '01'}\t{birth}\t{number}\t{educations[k % 6]}\t2006\t"
                        f"{'01' if r > 0.8 else '13'}\t\tt\t\tHUJI_RESIDENT\t{'t' if r < 0.08 else 'f'}\t\t\t\t\tf\tt\tt\t"
                        f"registered\t\t\t{now}\t{now}\t1\n")
                copy.write("".join(lines))
        self._results(county, elections, chosen, rng, by)
        return per_village * len(elections)

    def _results(self, county, elections, chosen, rng, by) -> None:
        ids = {}
        numbers = [n for people in chosen.values() for n, _sex, _birth in people]
        for start in range(0, len(numbers), 5000):
            ids.update(Voter.objects.filter(id_number__in=numbers[start:start + 5000],
                                            election__campaign__county=county).values_list("id_number", "pk"))
        registered = dict(Voter.objects.filter(election__in=elections).values("election_id")
                          .annotate(n=Count("id")).values_list("election_id", "n").order_by())
        stations = PollingStation.objects.bulk_create(
            PollingStation(election=e, kind=kind, name=name, order=order)
            for e in elections for order, (kind, name) in enumerate((("central", "中心会场"), ("mobile", "流动票箱")), 1))
        station_of = {(s.election_id, s.kind): s for s in stations}
        rounds = Round.objects.bulk_create(
            Round(election=e, kind="first", number=1, held_on=ELECTION_DAY, status="announced",
                  seats={"chair": 1, "vice_chair": 1, "member": 3}, opened_by=by) for e in elections)
        Round.stations.through.objects.bulk_create(
            Round.stations.through(round_id=r.pk, pollingstation_id=station_of[(r.election_id, kind)].pk)
            for r in rounds for kind in ("central", "mobile"))
        tallies, members, rosters, roster_members = [], [], [], []
        for r in rounds:
            voted = int(registered.get(r.election_id, 0) * rng.uniform(0.75, 0.98))
            mobile = min(rng.randrange(5, 40), voted // 4)
            for kind, returned in (("central", voted - mobile), ("mobile", mobile)):
                tallies.append(Tally(round=r, station=station_of[(r.election_id, kind)], entered_by=by,
                                     status="confirmed", issued=returned + 3, returned=returned,
                                     valid=returned - min(2, returned), invalid=min(2, returned)))
            for (number, _sex, _birth), post in zip(chosen[r.election_id], POSTS, strict=True):
                members.append(ElectedMember(election_id=r.election_id, voter_id=ids[number], post=post,
                                             votes=voted // 2 + 1, round=r, elected_on=ELECTION_DAY,
                                             announced_on=ELECTION_DAY))
        Tally.objects.bulk_create(tallies, batch_size=2000)
        ElectedMember.objects.bulk_create(members, batch_size=2000)
        village_of = {e.pk: e.village_id for e in elections}
        for e in elections:
            rosters.append(Roster(village_id=village_of[e.pk], kind="village_committee", term_number=11, imported_by=by))
            rosters.append(Roster(village_id=village_of[e.pk], kind="party_branch", term_number=8, imported_by=by))
        made = Roster.objects.bulk_create(rosters)
        for e, committee, branch in zip(elections, made[0::2], made[1::2], strict=True):
            people = chosen[e.pk]
            for i, (number, sex, birth) in enumerate(people):
                kept = rng.random() < 0.6  # re-elected
                roster_members.append(RosterMember(
                    roster=committee, name="上届成员", sex=sex, birth_date=birth, post=POSTS[i],
                    id_number=number if kept else f"X{e.pk:09d}{i:02d}"))
            number, sex, birth = people[0]
            roster_members.append(RosterMember(roster=branch, name="书记", sex=sex, birth_date=birth, post="secretary",
                                               id_number=number if rng.random() < 0.5 else f"Y{e.pk:09d}"))
        RosterMember.objects.bulk_create(roster_members, batch_size=5000)

    # --- the import with two workers -------------------------------------------------------------

    def _imports(self, count: int, rows: int, workers: int, admin: User, rng: random.Random) -> None:
        import loadtest.seed as seed
        from villages import services
        from voters.models import ImportJob
        from voters.services.imports import confirm_import, start_import

        county = County.objects.get(code=f"{CITY[:4]}01")
        township = services.save_township(by=admin, township=Township(county=county, name="导入测试镇",
                                                                      code=f"{county.code}900"))
        seed._villages(township, admin, count, rng)
        from django.contrib.auth.hashers import make_password

        clerk = services.save_user(by=admin, user=User(username="bench_city_clerk", display_name="导入测试",
                                                       password=make_password(None), role=Role.CLERK,
                                                       township=township), villages=[])
        campaign = services.open_campaign(by=clerk, township=township, term_number=12,
                                          preset=RulePreset.objects.get(code="VCOL_2018_NATIONAL"),
                                          default_election_day=seed.ELECTION_DAY)
        elections = list(campaign.elections.with_places().order_by("village__code"))
        people = seed._People(rng)
        folder = Path(settings.BASE_DIR) / "test-artifacts" / "bench-city"
        folder.mkdir(parents=True, exist_ok=True)
        seed.WORKBOOK_ROWS = rows
        files = []
        t0 = time.perf_counter()
        for n, election in enumerate(elections, start=1):
            seed._to_registration(election, clerk, rng)
            files.append(seed._workbooks(election, folder, f"village{n:02d}", 1, people, region=f"35{n:04d}")[0])
        self._row("导入", f"准备{count}个村和{count}个{rows}行的工作簿（导入模板填写）", f"{time.perf_counter() - t0:.1f} s")
        procs = [subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "db_worker", "--no-reload"], cwd=ROOT,
                                  env=os.environ.copy(), start_new_session=True, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL) for _ in range(workers)]
        time.sleep(5)  # the workers start (Django and every app loaded) before the clock starts
        try:
            jobs = []
            t_start = time.perf_counter()
            for election, path in zip(elections, files, strict=True):
                jobs.append(start_import(by=clerk, election=election, upload=ContentFile(path.read_bytes()),
                                         filename=path.name, background=True))
            ids = [j.pk for j in jobs]
            while ImportJob.objects.filter(pk__in=ids, state__in=[ImportJob.State.QUEUED, ImportJob.State.PARSING]).exists():
                if time.perf_counter() - t_start > 1800:
                    raise CommandError("导入检查超过30分钟未完成。")
                time.sleep(0.2)
            t_checked = time.perf_counter() - t_start
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(timeout=30)
        states = dict(ImportJob.objects.filter(pk__in=ids).values("state").annotate(
            n=Count("id")).values_list("state", "n"))
        self._row("导入", f"上传并由{workers}个 db_worker 检查{count}个工作簿（{count * rows:,}行）",
                  f"{t_checked:.1f} s，{count * rows / t_checked:,.0f} 行/秒；结果 {states}")
        t0 = time.perf_counter()
        for job in ImportJob.objects.filter(pk__in=ids, state=ImportJob.State.PREVIEW).order_by("pk"):
            confirm_import(by=clerk, job=job)
        t_confirm = time.perf_counter() - t0
        written = Voter.objects.filter(election__in=elections).count()
        self._row("导入", f"确认导入（本进程依次确认，每次提交后更新该村汇总），写入选民{written:,}人",
                  f"{t_confirm:.1f} s，{written / t_confirm:,.0f} 人/秒")
        self._row("导入", "合计（上传到全部写入）", f"{t_checked + t_confirm:.1f} s，"
                                                 f"{written / (t_checked + t_confirm):,.0f} 人/秒")
        agg = aggregates.ElectionAggregate.objects.filter(election__in=elections)
        self._row("导入", "导入后的村汇总（登记选民合计）", f"{sum(a.registered for a in agg):,}人")
