"""Benchmark of the voter import (issue 3 "Performance").

For each size, generates a voter workbook with a fixed seed, then, in a fresh subprocess (so that
its peak RSS is the import's own) on a throwaway database, measures:

- upload-to-preview time (``start_import`` checked inline) and confirm time (``confirm_import``);
- rows per second of the two together, and the process's peak RSS;
- a re-import of the same file (every row unchanged: nothing may be duplicated);
- a bare openpyxl read-only pass over the same file, and the ratios of the preview and confirm to
  it in wall time and in CPU time of the process (the second is what a loaded machine skews least);
- django-import-export's default import of the same rows into a plain table, when the package is
  importable (it is not a dependency of the project: ``pip install django-import-export``).

Targets (issue 3): preview and confirm each within 0.5x of the bare openpyxl read, together at
least 10x faster than django-import-export, peak memory under 400 MB at 200,000 rows. Issue 14:
under 400 MB for the re-import too, and the preview within 0.3x, the confirm within 0.2x.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

HEADER = ("姓名", "性别", "民族", "出生日期", "公民身份号码", "文化程度", "政治面貌", "村民小组", "户籍地址",
          "居住情况", "联系电话", "登记类别", "外出", "备注")
FIELD_NAMES = ("name", "sex", "ethnicity", "birth_date", "id_number", "education", "political_status", "group",
               "address", "residence", "phone", "category", "away", "remarks")
GROUPS = 8
ELECTION_DAY = date(2027, 1, 16)
TARGET_RATIO = 0.5
TARGET_PREVIEW_RATIO = 0.3  # issue 14
TARGET_CONFIRM_RATIO = 0.2  # issue 14
TARGET_SPEEDUP = 10
TARGET_RSS_MB = 400
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国玉梅志红春海云飞鹏燕小宁"


class Command(BaseCommand):
    help = "测量选民名单导入的速度和内存（生成固定随机种子的工作簿，与openpyxl和django-import-export对比）。"

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="5000,50000,200000", help="逗号分隔的行数，默认 5000,50000,200000")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "election-bench"),
                            help="生成的工作簿和临时数据库放在这里（工作簿会复用）")
        parser.add_argument("--database-url", default="",
                            help="在这个数据库服务器上测量，代替临时SQLite（如 postgres://postgres@127.0.0.1:5432/election_bench；"
                                 "每个行数用一个新建的 test_ 开头的数据库，测完删除）")
        parser.add_argument("--compare-max", type=int, default=50000,
                            help="django-import-export 只比较不超过这个行数的文件（它逐行保存，很慢）")
        parser.add_argument("--child", type=int, default=0, help=argparse.SUPPRESS)  # one size, in the subprocess
        parser.add_argument("--file", default="", help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if options["child"]:
            fresh = bool(options["database_url"])  # a server: a new database per size, dropped after
            result = _measure(options["child"], Path(options["file"]), options["compare_max"], fresh=fresh)
            self.stdout.write(json.dumps(result))
            return
        workdir = Path(options["workdir"])
        workdir.mkdir(parents=True, exist_ok=True)
        try:
            sizes = [int(size) for size in options["sizes"].split(",") if size.strip()]
        except ValueError as exc:
            raise CommandError("--sizes 应为逗号分隔的整数，如 5000,50000") from exc
        results = []
        for size in sizes:
            path = workdir / f"voters-{size}-seed{options['seed']}.xlsx"
            if not path.exists():
                started = time.perf_counter()
                generate_workbook(path, rows=size, seed=options["seed"])
                self.stderr.write(f"生成 {size} 行工作簿：{time.perf_counter() - started:.1f} 秒（{path}）")
            self.stderr.write(f"测量 {size} 行……")
            results.append(self._run_child(size, path, workdir, options))
        self._report(results)

    def _run_child(self, size: int, path: Path, workdir: Path, options) -> dict:
        env = dict(os.environ)
        database = workdir / f"bench-{size}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = options["database_url"] or f"sqlite:///{database}"
        env["MEDIA_ROOT"] = str(workdir / "media")
        # As in production: DEBUG off (no query log), which needs a long secret key.
        env.update(DEBUG="false", SECRET_KEY="bench-only-" + "x" * 40, SECURE_SSL_REDIRECT="false")
        manage = Path(__file__).resolve().parents[3] / "manage.py"
        command = [sys.executable, str(manage), "bench_import", "--child", str(size), "--file", str(path),
                   "--compare-max", str(options["compare_max"])]
        if options["database_url"]:
            command.append("--database-url=" + options["database_url"])
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode:
            raise CommandError(f"{size} 行的测量失败：\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def _report(self, results: list[dict]) -> None:
        write = self.stdout.write
        write(" | ".join(("行数", "预览 秒", "确认 秒", "行/秒", "峰值内存 MB", "启动后基线 MB", "重新导入预览 秒", "重新导入后峰值 MB",
                         "openpyxl只读 秒", "预览/openpyxl", "确认/openpyxl", "预览/openpyxl CPU", "确认/openpyxl CPU",
                         "import-export 秒", "加速倍数")))
        for r in results:
            ie = r.get("import_export_seconds")
            speedup = f"{ie / (r['preview_seconds'] + r['confirm_seconds']):.1f}x" if ie else "—"
            write(" | ".join([
                f"{r['rows']:,}", f"{r['preview_seconds']:.2f}", f"{r['confirm_seconds']:.2f}",
                f"{r['rows_per_second']:,.0f}", f"{r['peak_rss_mb']:.0f}", f"{r['baseline_rss_mb']:.0f}",
                f"{r['reimport_preview_seconds']:.2f}",
                f"{r['peak_rss_reimport_mb']:.0f}",
                f"{r['openpyxl_seconds']:.2f}", f"{r['preview_ratio']:.2f}", f"{r['confirm_ratio']:.2f}",
                f"{r['preview_cpu_ratio']:.2f}", f"{r['confirm_cpu_ratio']:.2f}",
                f"{ie:.2f}" if ie else "—", speedup,
            ]))
        for r in results:
            verdicts = [
                ("预览≤0.5×openpyxl", r["preview_ratio"] <= TARGET_RATIO),
                ("确认≤0.5×openpyxl", r["confirm_ratio"] <= TARGET_RATIO),
                (f"预览≤{TARGET_PREVIEW_RATIO}×openpyxl", r["preview_ratio"] <= TARGET_PREVIEW_RATIO),
                (f"确认≤{TARGET_CONFIRM_RATIO}×openpyxl", r["confirm_ratio"] <= TARGET_CONFIRM_RATIO),
            ]
            if r.get("import_export_seconds"):
                total = r["preview_seconds"] + r["confirm_seconds"]
                fast_enough = r["import_export_seconds"] >= TARGET_SPEEDUP * total
                verdicts.append((f"快于import-export {TARGET_SPEEDUP}倍", fast_enough))
            if r["rows"] >= 200_000:
                verdicts.append((f"内存<{TARGET_RSS_MB}MB", r["peak_rss_mb"] < TARGET_RSS_MB))
                verdicts.append((f"重新导入内存<{TARGET_RSS_MB}MB", r["peak_rss_reimport_mb"] < TARGET_RSS_MB))
            write(f"{r['rows']:,} 行：" + "；".join(f"{name} {'达到' if ok else '未达到'}" for name, ok in verdicts))
            if r.get("import_export_note"):
                write(f"  {r['import_export_note']}")


def generate_workbook(path: Path, *, rows: int, seed: int) -> None:
    """A clean voter list of ``rows`` distinct adults with valid ID numbers, in the usual layout (a
    title row above the header), written row by row so that generation needs little memory."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from voters.idnumber import check_character

    rnd = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("选民名单")
    sheet.append(["东山村第十二届村民委员会选举选民登记表"])
    sheet.append(list(HEADER))
    seen: set[str] = set()
    earliest = date(1930, 1, 1)
    for _ in range(rows):
        while True:
            born = earliest + timedelta(days=rnd.randrange(0, 27000))  # up to 2003: all adults in 2027
            first17 = f"330102{born:%Y%m%d}{rnd.randrange(1000):03d}"
            if first17 not in seen:
                seen.add(first17)
                break
        number = WriteOnlyCell(sheet, first17 + check_character(first17))
        number.number_format = "@"
        sequence = int(first17[-1])
        sheet.append([
            rnd.choice(_SURNAMES) + rnd.choice(_GIVEN) + rnd.choice(_GIVEN), "男" if sequence % 2 else "女",
            rnd.choice(("汉族",) * 9 + ("回族",)), born, number, rnd.choice(("小学", "初中", "初中", "高中", "大专")),
            rnd.choice(("群众",) * 8 + ("中共党员", "共青团员")), f"第{rnd.randrange(1, GROUPS + 1)}组",
            f"青山镇东山村{rnd.randrange(1, 800)}号", "在本村居住", f"13{rnd.randrange(10**9):09d}",
            "户籍在本村且在本村居住", rnd.choice(("否",) * 9 + ("是",)), None,
        ])
    book.save(path)


def _measure(size: int, path: Path, compare_max: int, *, fresh: bool) -> dict:
    from django.db import connection

    if not fresh:
        call_command("migrate", verbosity=0, interactive=False)
        return _measure_in(size, path, compare_max)
    original = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        return _measure_in(size, path, compare_max)
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)


def _measure_in(size: int, path: Path, compare_max: int) -> dict:
    from django.core.files import File
    from django.db import connection

    from voters.services import imports as service

    election, clerk = _world()
    baseline_mb = _peak_rss_mb()  # Django with every app loaded and migrated, before the import
    started, cpu = time.perf_counter(), time.process_time()
    with open(path, "rb") as fh:
        job = service.start_import(by=clerk, election=election, upload=File(fh), filename=path.name, background=False)
    preview, preview_cpu = time.perf_counter() - started, time.process_time() - cpu
    if job.state != "preview":
        raise CommandError(f"预览失败：{job.state} {job.message} {job.issues[:3]}")
    started, cpu = time.perf_counter(), time.process_time()
    service.confirm_import(by=clerk, job=job)
    confirm, confirm_cpu = time.perf_counter() - started, time.process_time() - cpu
    peak_mb = _peak_rss_mb()
    started = time.perf_counter()
    with open(path, "rb") as fh:
        again = service.start_import(by=clerk, election=election, upload=File(fh), filename=path.name, background=False)
    reimport = time.perf_counter() - started
    if again.counts.get("unchanged") != size:
        raise CommandError(f"重新导入应全部不变：{again.counts}")
    peak_reimport_mb = _peak_rss_mb()
    cpu = time.process_time()
    openpyxl_seconds = _openpyxl_pass(path)
    openpyxl_cpu = time.process_time() - cpu
    result = {
        "rows": size, "preview_seconds": preview, "confirm_seconds": confirm,
        "rows_per_second": size / (preview + confirm), "peak_rss_mb": peak_mb, "baseline_rss_mb": baseline_mb,
        "reimport_preview_seconds": reimport, "peak_rss_reimport_mb": peak_reimport_mb,
        "openpyxl_seconds": openpyxl_seconds,
        "preview_ratio": preview / openpyxl_seconds, "confirm_ratio": confirm / openpyxl_seconds,
        # The same in CPU seconds of this process: what other processes on the machine do not skew
        # (on SQLite the database's work is in the process too).
        "preview_cpu_ratio": preview_cpu / openpyxl_cpu, "confirm_cpu_ratio": confirm_cpu / openpyxl_cpu,
        "database": connection.vendor,
    }
    result.update(_import_export(path, size, compare_max))
    return result


def _world():
    from villages import services as village_services
    from villages.models import County, Role, RulePreset, Township, User, Village, VillagerGroup

    county = County.objects.create(name="清河县", code="339901")
    township = Township.objects.create(county=county, name="青山镇", code="339901101")
    village = Village.objects.create(township=township, name="东山村", code="339901101201")
    VillagerGroup.objects.bulk_create(
        VillagerGroup(village=village, number=n, name=f"第{n}组") for n in range(1, GROUPS + 1))
    clerk = User.objects.create_user(username="bench", password=None, role=Role.CLERK, township=township)
    campaign = village_services.open_campaign(
        by=clerk, township=township, term_number=12, preset=RulePreset.objects.get(code="VCOL_2018_NATIONAL"),
        default_election_day=ELECTION_DAY)
    return campaign.elections.select_related("village", "campaign").get(), clerk


def _openpyxl_pass(path: Path) -> float:
    from openpyxl import load_workbook

    started = time.perf_counter()
    book = load_workbook(path, read_only=True)
    for _row in book.worksheets[0].iter_rows(values_only=True):
        pass
    book.close()
    return time.perf_counter() - started


def _import_export(path: Path, size: int, compare_max: int) -> dict:
    try:
        import tablib
        from import_export import resources
    except ImportError:
        return {"import_export_note": "未安装 django-import-export，跳过对比（pip install django-import-export 后重跑）。"}
    if size > compare_max:
        return {"import_export_note": f"django-import-export 逐行保存，{size:,} 行超过 --compare-max={compare_max:,}，跳过对比。"}
    from django.db import connection, models

    class BenchVoter(models.Model):
        name = models.CharField(max_length=30)
        sex = models.CharField(max_length=2)
        ethnicity = models.CharField(max_length=20)
        birth_date = models.DateField(null=True)
        id_number = models.CharField(max_length=18, unique=True)
        education = models.CharField(max_length=20)
        political_status = models.CharField(max_length=20)
        group = models.CharField(max_length=20)
        address = models.CharField(max_length=200)
        residence = models.CharField(max_length=20)
        phone = models.CharField(max_length=30)
        category = models.CharField(max_length=40)
        away = models.CharField(max_length=4)
        remarks = models.CharField(max_length=200, null=True)

        class Meta:
            app_label = "voters"
            db_table = "bench_import_export_voter"

    with connection.schema_editor() as editor:
        editor.create_model(BenchVoter)

    class BenchResource(resources.ModelResource):
        class Meta:
            model = BenchVoter
            import_id_fields = ("id_number",)
            fields = FIELD_NAMES

    for name, label in zip(FIELD_NAMES, HEADER):
        BenchResource.fields[name].column_name = label  # match the sheet's Chinese headers
    started = time.perf_counter()
    with open(path, "rb") as fh:
        dataset = tablib.Dataset().load(fh, format="xlsx", skip_lines=1)  # the title row above the header
    result = BenchResource().import_data(dataset, dry_run=False, raise_errors=True)
    seconds = time.perf_counter() - started
    if result.has_errors() or BenchVoter.objects.count() != size:
        raise CommandError("django-import-export 导入结果不完整")
    return {"import_export_seconds": seconds}


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
