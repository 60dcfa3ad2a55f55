"""The long run of the import fuzz test (issue 14, "Untrusted workbooks"): ``manage.py bench_fuzz``.

In a fresh subprocess on a throwaway SQLite database, and there in a forked child whose address space
is limited (``voters.fuzz.in_child``), it sends through the import service:

1. the findings' own files against the default limits: a 2 KB workbook whose only cell is at
   XFD1048576, a 512 KB one holding one 512 MiB shared string, a 3 MB one of 16.8 million cells;
2. ``--count`` generated hostile workbooks (``voters.fuzz``) with bombs ``--scale`` times the test's,
   against the test's limits times ``--scale``.

It prints, per kind, how the files ended and the slowest, then the child's peak memory, and fails if
any file ended in an unexpected error, a bomb was read, a voter was written or the child was lost.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from collections import defaultdict
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

ADDRESS_SPACE_MB = 2048
RSS_CEILING_MB = 600


class Command(BaseCommand):
    help = "导入模糊测试的长时间运行：大量畸形和恶意构造的工作簿经导入服务检查，统计结果、耗时和内存。"

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=5000, help="生成的工作簿数量（默认5000）")
        parser.add_argument("--scale", type=int, default=4, help="炸弹文件和限值相对测试的倍数（默认4）")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, count, scale, seed, child, **options):
        if child:
            self.stdout.write(json.dumps(_run(count, scale, seed)))
            return
        with tempfile.TemporaryDirectory(prefix="bench-fuzz-") as workdir:
            env = dict(os.environ, DATABASE_URL=f"sqlite:///{workdir}/fuzz.sqlite3", MEDIA_ROOT=f"{workdir}/media",
                       DEBUG="false", SECRET_KEY="bench-only-" + "x" * 40, SECURE_SSL_REDIRECT="false")
            manage = Path(__file__).resolve().parents[3] / "manage.py"
            started = time.perf_counter()
            done = subprocess.run([sys.executable, str(manage), "bench_fuzz", "--child", "--count", str(count),
                                   "--scale", str(scale), "--seed", str(seed)],
                                  env=env, capture_output=True, text=True, check=False)
            elapsed = time.perf_counter() - started
        if done.returncode:
            raise CommandError(f"模糊测试进程失败（{done.returncode}）：\n{done.stderr[-3000:]}")
        self._report(json.loads(done.stdout.strip().splitlines()[-1]), elapsed)

    def _report(self, result: dict, elapsed: float) -> None:
        write = self.stdout.write
        if result.get("lost"):
            raise CommandError(f"检查工作簿的子进程意外终止：{result['child']}")
        write("原始发现（默认限值）| 文件大小 | 结果 | 代码 | 秒")
        for row in result["findings"]:
            write(f"{row['name']} | {row['bytes']:,} | {row['outcome']} | {row['code']} | {row['seconds']:.2f}")
        write("")
        write("类型 | 文件数 | 拒绝 | 预览 | 有错误 | 意外错误 | 最慢 秒")
        for kind, row in sorted(result["kinds"].items()):
            write(f"{kind} | {row['files']} | {row.get('refused', 0)} | {row.get('preview', 0)} | "
                  f"{row.get('rejected', 0)} | {row.get('unexpected', 0)} | {row['slowest']:.2f}")
        child = result["child"]
        write("")
        write(f"共 {result['files']:,} 个文件，{elapsed:.0f} 秒；子进程峰值内存 {child['peak_rss_mb']:.0f} MB"
              f"（开始时 {child['start_rss_mb']:.0f} MB，增长上限 {RSS_CEILING_MB} MB，地址空间上限再加 {ADDRESS_SPACE_MB} MB）；"
              f"写入选民 {result['voters']} 人")
        problems = result["problems"]
        for kind, problem in problems[:20]:
            write(f"问题：{kind}：{problem}")
        growth = child["peak_rss_mb"] - child["start_rss_mb"]
        if problems or result["voters"] or growth > RSS_CEILING_MB:
            raise CommandError(f"未通过：{len(problems)} 个问题，写入选民 {result['voters']} 人，内存增长 {growth:.0f} MB")
        write(self.style.SUCCESS("通过：每个文件都以中文提示或预览结束，没有写入选民，内存在上限之内。"))


def _run(count: int, scale: int, seed: int) -> dict:
    from django.conf import settings

    from voters import fuzz
    from voters.management.commands.bench_import import _world
    from voters.models import Voter

    # The task worker's check runs here, as in the tests: the same function, without a second process.
    from django.core.signals import setting_changed

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    setting_changed.send(sender=None, setting="TASKS", value=settings.TASKS, enter=True)
    call_command("migrate", verbosity=0, interactive=False)
    election, clerk = _world()

    def work():
        findings = _findings(election, clerk)
        for name, value in fuzz.TEST_LIMITS.items():
            setattr(settings, name, value * (scale if name != "VOTER_IMPORT_MAX_ISSUES" else 1))
        outcomes = fuzz.run_samples(fuzz.hostile_workbooks(seed, count, scale=scale), election=election, by=clerk)
        kinds: dict[str, dict] = defaultdict(lambda: {"files": 0, "slowest": 0.0})
        for outcome in outcomes:
            row = kinds[outcome.kind]
            row["files"] += 1
            row[outcome.outcome] = row.get(outcome.outcome, 0) + 1
            row["slowest"] = max(row["slowest"], outcome.seconds)
        problems = [(o.kind, o.problem[:300]) for o in outcomes if o.problem]
        problems += [(f["name"], "not refused") for f in findings if f["outcome"] != "refused"]
        return {"findings": findings, "kinds": dict(kinds), "problems": problems, "files": len(outcomes),
                "voters": Voter.objects.count()}

    result, child = fuzz.in_child(work, address_space=ADDRESS_SPACE_MB * 1024 * 1024)
    if result is None:
        return {"lost": True, "child": child}
    return {**result, "child": child}


def _findings(election, clerk) -> list[dict]:
    """The three files of the finding, against the default limits."""
    from voters import fuzz

    samples = [("XFD1048576 的单个单元格", _far_cell()), ("512 MiB 共享字符串", _huge_string()),
               ("1680万个单元格", _many_cells())]
    rows = []
    for name, data in samples:
        outcome = fuzz.run_samples([fuzz.Sample("finding", "名单.xlsx", data, must_refuse=True)],
                                   election=election, by=clerk)[0]
        rows.append({"name": name, "bytes": len(data), "outcome": outcome.outcome, "code": outcome.code,
                     "seconds": outcome.seconds})
    return rows


def _far_cell() -> bytes:
    from voters import fuzz

    return fuzz.package(fuzz.worksheet('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'))


def _huge_string() -> bytes:
    """One shared string of 512 MiB, deflated in pieces (never held whole)."""
    from voters import fuzz

    head = f'<?xml version="1.0"?><sst xmlns="{fuzz._MAIN}"><si><t>姓名</t></si><si><t>'.encode()
    tail = b"</t></si></sst>"
    size = 512 << 20
    packer, crc = zlib.compressobj(9, zlib.DEFLATED, -15), zlib.crc32(head)
    packed = [packer.compress(head)]
    block = b"x" * (1 << 20)
    for _ in range(size >> 20):
        crc = zlib.crc32(block, crc)
        packed.append(packer.compress(block))
    crc = zlib.crc32(tail, crc)
    packed.append(packer.compress(tail))
    packed.append(packer.flush())
    data = fuzz.package(fuzz.worksheet('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'),
                        strings="<sst/>")
    return _swap_part(data, "xl/sharedStrings.xml", b"".join(packed), len(head) + size + len(tail), crc)


def _many_cells() -> bytes:
    """16.8 million cells (1,048,576 rows of 16), each holding a value."""
    from voters import fuzz

    row = "".join("<c><v>1</v></c>" for _ in range(16))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        source = zipfile.ZipFile(io.BytesIO(fuzz.package(fuzz.worksheet(""))))
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info.filename, source.read(info))
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'<?xml version="1.0"?><worksheet xmlns="{fuzz._MAIN}"><sheetData>'.encode())
            chunk = (f"<row>{row}</row>" * 4096).encode()
            for _ in range(1_048_576 // 4096):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def _swap_part(data: bytes, name: str, deflated: bytes, size: int, crc: int) -> bytes:
    """``data`` with part ``name`` replaced by an already deflated stream."""
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != name:
                archive.writestr(info.filename, source.read(info))
        info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.file_size, info.compress_size, info.CRC = size, len(deflated), crc
        info.header_offset = buffer.tell()
        buffer.write(info.FileHeader(zip64=False))
        buffer.write(deflated)
        archive.filelist.append(info)
        archive.NameToInfo[name] = info
        archive.start_dir = buffer.tell()
    return buffer.getvalue()
