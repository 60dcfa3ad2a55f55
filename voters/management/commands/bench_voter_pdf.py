"""Benchmark the published voter list PDF against WeasyPrint's bare fixed-layout table.

For each size, two child processes run (so each peak RSS is its own): one renders the published
list through ``voters.documents`` (chunked, joined with pypdf), the other the same rows as one plain
``table-layout: fixed`` table. Each child builds a throwaway township, village and election with
``size`` voters from a fixed seed inside a transaction that is rolled back, so the database is left
as it was. Targets (issue 3): list time ≤ 1.2 × bare table time; peak memory < 500 MB at any length.

    python manage.py bench_voter_pdf                 # 5,000 and 20,000 voters, A4
    python manage.py bench_voter_pdf --sizes 1000 --paper a3
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

BARE_TABLE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@page {{ size: A4 portrait; margin: 12mm; font-family: "Noto Sans CJK SC"; }}
body {{ font-family: "Noto Sans CJK SC"; font-size: 10.5pt; }}
table {{ table-layout: fixed; width: 100%; border-collapse: collapse; }}
th, td {{ border: .6pt solid #000; height: 6.6mm; padding: 0 1mm; }}
</style></head><body><table><thead><tr><th>序号</th><th>姓名</th><th>性别</th><th>年龄</th><th>村民小组</th><th>登记类别</th>
<th>公民身份号码</th></tr></thead><tbody>{rows}</tbody></table></body></html>"""
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华建国志红玉梅文斌海燕春生"
GROUPS = 12


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "测量选民名单PDF的生成时间、页数和峰值内存，并与WeasyPrint裸表格对比（数据在回滚的事务中生成）。"

    def add_arguments(self, parser):
        parser.add_argument("--sizes", nargs="+", type=int, default=[5000, 20000])
        parser.add_argument("--paper", default="a4", choices=["a4", "a3"])
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--child", choices=["list", "bare"], help=argparse.SUPPRESS)
        parser.add_argument("--size", type=int, help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if options["child"]:
            return self._child(options["child"], options["size"], options["paper"], options["seed"])
        results = []
        for size in options["sizes"]:
            measured = {mode: self._spawn(mode, size, options) for mode in ("list", "bare")}
            ratio = measured["list"]["seconds"] / measured["bare"]["seconds"]
            results.append((size, measured, ratio))
            self.stdout.write(
                f"{size:>6} 人  名单 {measured['list']['seconds']:6.1f} 秒 {measured['list']['pages']:4} 页 "
                f"峰值 {measured['list']['peak_mb']:4} MB | 裸表格 {measured['bare']['seconds']:6.1f} 秒 "
                f"{measured['bare']['pages']:4} 页 峰值 {measured['bare']['peak_mb']:4} MB | 时间比 {ratio:.2f}"
            )
        ok = all(r <= 1.2 and m["list"]["peak_mb"] < 500 for _, m, r in results)
        self.stdout.write(self.style.SUCCESS("达到目标") if ok else self.style.WARNING("未达到目标（时间比≤1.2，峰值<500MB）"))

    def _spawn(self, mode: str, size: int, options) -> dict:
        command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "bench_voter_pdf", "--child", mode, "--size", str(size)]
        command += ["--paper", options["paper"], "--seed", str(options["seed"])]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise CommandError(f"子进程失败：{done.stderr[-2000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def _child(self, mode: str, size: int, paper_code: str, seed: int) -> None:
        from voters import documents

        result = {}
        try:
            with transaction.atomic():
                election = _throwaway_election(size, seed)
                as_of = election.election_day - timedelta(days=20)
                start = time.perf_counter()
                if mode == "list":
                    pdf = documents.render_published_list_pdf(election, as_of=as_of, paper=documents.PAPERS[paper_code])
                else:
                    _, rows = documents.published_list(election, as_of=as_of)
                    pdf = documents.html_to_pdf(BARE_TABLE.format(rows="".join(_bare_row(r) for r in rows)))
                seconds = time.perf_counter() - start
                result = {"seconds": seconds, "pages": _page_count(pdf), "bytes": len(pdf)}
                raise _Rollback
        except _Rollback:
            pass
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        self.stdout.write(json.dumps(result))


def _bare_row(r) -> str:
    return (
        f"<tr><td>{r.number}</td><td>{r.name}</td><td>{r.sex}</td><td>{r.age}</td><td>{r.group_name}</td>"
        f"<td>{r.category}</td><td>{r.masked_id}</td></tr>"
    )


def _page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _throwaway_election(size: int, seed: int):
    """A township, village, round and published list of ``size`` voters, made up from ``seed``."""
    from villages import services
    from villages.models import County, RulePreset, Township, User, Village, VillagerGroup
    from voters.idnumber import check_character
    from voters.models import Publication, Voter

    rng = random.Random(seed)
    county = County.objects.create(name="测试县", code="999901")
    township = Township.objects.create(county=county, name="测试镇", code="999901001")
    village = Village.objects.create(township=township, name="测试村", code="999901001201")
    groups = [VillagerGroup.objects.create(village=village, number=n, name=f"第{n}组") for n in range(1, GROUPS + 1)]
    clerk = User.objects.create(username="bench_clerk_tmp", role="clerk", township=township)
    services.ensure_builtin_presets()
    campaign = services.open_campaign(
        by=clerk, township=township, term_number=12, preset=RulePreset.objects.get(code="VCOL_2018_NATIONAL"),
        default_election_day=date(2027, 1, 16),
    )  # fmt: skip
    election = campaign.elections.with_places().get()
    published_on = election.election_day - timedelta(days=20)
    voters, seen = [], set()
    while len(voters) < size:
        sex = rng.choice("MF")
        birth = date(1935, 1, 1) + timedelta(days=rng.randrange(0, 365 * 73))
        first17 = f"330102{birth:%Y%m%d}{rng.randrange(0, 500) * 2 + (1 if sex == 'M' else 0):03d}"
        if first17 in seen:
            continue
        seen.add(first17)
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        voters.append(
            Voter(
                campaign=campaign, election=election, group=rng.choice(groups), name=name, sex=sex, birth_date=birth,
                id_number=first17 + check_character(first17), category=rng.choice(("HUJI_RESIDENT",) * 8 + ("HUJI_ABSENT", "RESIDENT_NON_HUJI")),
                listed_from=published_on,
            )  # fmt: skip
        )
    Voter.objects.bulk_create(voters, batch_size=2000)
    Publication.objects.create(election=election, published_on=published_on, registered_count=size, published_by=clerk)
    return election
