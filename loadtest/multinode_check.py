"""After the multi-node rehearsal (``loadtest.multinode``): let the surviving worker finish, then check
from the database and the object store that nothing acknowledged was lost and nothing was duplicated.

Runs as a Django process with the nodes' environment (``MEDIA_STORAGE=s3``…), reads the client's
acknowledgements (``acks.json``) and prints one line of JSON:

- settle: every import job still 正在检查 and every export still 排队中/正在生成 is looked at as its
  page does (``recover_stalled``, ``recover_report_export``: a job silent for the stalled time is
  queued again or failed) until all are over or ``--settle`` seconds have passed;
- uploads: each job a 302 answered exists, its workbook is in the object store and its check is over;
  a confirmation answered is 已导入 (or 有错误 when the register changed meanwhile), once in the audit;
- tallies: per station, no two acknowledged saves from the same version (a lost update), the last
  acknowledged save is stored (its version + 1, its numbers) unless a later save whose answer was lost
  came after it;
- exports: each requested county export is 已完成 with its file in the object store;
- duplicates: voters with one ID number twice in a round or an election, tally entries twice, an
  import confirmed twice, two jobs on one stored file.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict

import django


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--acks", required=True)
    parser.add_argument("--settle", type=float, default=90)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "election_site.settings")
    django.setup()
    with open(args.acks, encoding="utf-8") as f:
        acks = json.load(f)
    settled = settle(args.settle)
    result = {"settle": settled, **check(acks)}
    print(json.dumps(result, ensure_ascii=False))
    return 0


def settle(seconds: float) -> dict:
    from reports.models import ReportExport
    from reports.services import recover_report_export
    from voters.models import ImportJob
    from voters.services.imports import recover_stalled

    started = time.monotonic()
    open_imports = (ImportJob.State.QUEUED, ImportJob.State.PARSING)
    open_exports = (ReportExport.State.QUEUED, ReportExport.State.RUNNING)
    while True:
        for job in ImportJob.objects.filter(state=ImportJob.State.PARSING):
            recover_stalled(job)
        for export in ReportExport.objects.filter(state__in=open_exports):
            recover_report_export(export)
        left = (ImportJob.objects.filter(state__in=open_imports).count(),
                ReportExport.objects.filter(state__in=open_exports).count())
        if not any(left) or time.monotonic() - started > seconds:
            return {"seconds": round(time.monotonic() - started, 1), "imports_open": left[0], "exports_open": left[1]}
        time.sleep(1)


def check(acks: dict) -> dict:
    from django.db.models import Count

    from ballots.models import Tally
    from reports.models import ReportExport
    from villages.models import AuditEntry
    from voters.models import ImportJob, Voter

    problems: list[str] = []
    over = {ImportJob.State.PREVIEW, ImportJob.State.REJECTED, ImportJob.State.CONFIRMED,
            ImportJob.State.CHECKED_ONLY, ImportJob.State.FAILED}

    # Uploads and their checks.
    jobs = ImportJob.objects.in_bulk([a["job"] for a in acks["uploads"]])
    imports = defaultdict(int)
    for a in acks["uploads"]:
        job = jobs.get(a["job"])
        if job is None:
            problems.append(f"上传 {a['job']} 已应答但数据库中没有")
            continue
        if not job.source.storage.exists(job.source.name):
            problems.append(f"上传 {job.pk} 的工作簿不在对象存储中：{job.source.name}")
        if job.attempts > 1:
            imports["resumed (checked again after its process died)"] += 1
        if job.state not in over:
            problems.append(f"上传 {job.pk} 的检查没有结束：{job.state}")
        elif job.state == ImportJob.State.FAILED:
            code = (job.counts or {}).get("code")
            if code == "worker_lost":
                imports["failed by recovery (worker lost twice)"] += 1
            else:
                problems.append(f"上传 {job.pk} 检查失败：{code} {job.message}")
        else:
            imports["checked"] += 1
    imports["uploads acknowledged"] = len(acks["uploads"])
    resumed_all = ImportJob.objects.filter(attempts__gt=1).count()
    imports["resumed (all jobs)"] = resumed_all
    confirmed_audit = dict(AuditEntry.objects.filter(action="voters.import.confirmed")
                           .values_list("object_id").annotate(n=Count("id")).values_list("object_id", "n"))
    confirm_states = defaultdict(int)
    for a in acks["confirms"]:
        job = ImportJob.objects.get(pk=a["job"])
        confirm_states[job.state] += 1
        if job.state == ImportJob.State.CONFIRMED:
            if confirmed_audit.get(str(job.pk)) != 1:
                problems.append(f"导入 {job.pk} 的确认记录 {confirmed_audit.get(str(job.pk))} 次")
        elif job.state != ImportJob.State.REJECTED:
            problems.append(f"导入 {job.pk} 已应答确认，状态却是 {job.state}")
    imports["confirmations acknowledged"] = len(acks["confirms"])
    imports["confirmed"] = confirm_states.get(ImportJob.State.CONFIRMED, 0)
    imports["rejected on confirm (register changed)"] = confirm_states.get(ImportJob.State.REJECTED, 0)
    imports["states (all jobs)"] = dict(ImportJob.objects.values_list("state").annotate(n=Count("id"))
                                        .values_list("state", "n"))

    # Tallies.
    by_station = defaultdict(list)
    for a in acks["tallies"]:
        by_station[(a["round"], a["station"])].append(a)
    tallies = {"saves acknowledged": len(acks["tallies"]), "stations": len(by_station), "lost": 0,
               "later unanswered save": 0}
    for (round_id, station_id), saves in by_station.items():
        versions = [s["version"] for s in saves]
        if len(versions) != len(set(versions)):
            problems.append(f"投票站 {station_id}：两次已应答的保存来自同一版本 {sorted(versions)}（丢失更新）")
        stored = Tally.objects.filter(round_id=round_id, station_id=station_id).order_by("entry_number").first()
        last = max(saves, key=lambda s: s["version"])
        if stored is None or stored.version < last["version"] + 1:
            tallies["lost"] += 1
            problems.append(f"投票站 {station_id} 第 {round_id} 轮：已应答的计票结果不在数据库中")
            continue
        if stored.version > last["version"] + 1:
            tallies["later unanswered save"] += 1  # a save sent to the killed node, or by a later race
            continue
        numbers = {k: getattr(stored, k) for k in last["numbers"]}
        if numbers != last["numbers"]:
            tallies["lost"] += 1
            problems.append(f"投票站 {station_id}：数据库中的数字 {numbers} 不是最后应答的 {last['numbers']}")
    tallies["audit entries (seed included)"] = AuditEntry.objects.filter(action="ballots.tally.recorded").count()

    # Exports.
    exports = {"requested (acknowledged)": len(acks["exports"]), "done": 0, "resumed": 0, "failed by recovery": 0}
    found = ReportExport.objects.in_bulk([a["export"] for a in acks["exports"]])
    for a in acks["exports"]:
        export = found.get(a["export"])
        if export is None:
            problems.append(f"导出 {a['export']} 已应答但数据库中没有")
            continue
        if export.attempts > 1:
            exports["resumed"] += 1
        if export.state == ReportExport.State.DONE and export.file and export.file.storage.exists(export.file.name):
            exports["done"] += 1
        elif export.state == ReportExport.State.FAILED and "意外中断" in export.message:
            exports["failed by recovery"] += 1
        else:
            problems.append(f"导出 {export.pk} 没有完成：{export.state} {export.message} {export.file.name}")
    exports["all exports"] = ReportExport.objects.count()

    # Duplicates.
    duplicates = {
        "voters: one ID number twice in a round": Voter.objects.values("campaign_id", "id_number")
        .annotate(n=Count("id")).filter(n__gt=1).count(),
        "voters: one ID number twice in an election": Voter.objects.values("election_id", "id_number")
        .annotate(n=Count("id")).filter(n__gt=1).count(),
        "tallies: one entry of a station twice": Tally.objects.values("round_id", "station_id", "entry_number")
        .annotate(n=Count("id")).filter(n__gt=1).count(),
        "imports: confirmed twice": sum(1 for n in confirmed_audit.values() if n > 1),
        "imports: two jobs on one stored file": ImportJob.objects.values("source").annotate(n=Count("id"))
        .filter(n__gt=1).count(),
        "exports: two on one stored file": ReportExport.objects.exclude(file="").values("file")
        .annotate(n=Count("id")).filter(n__gt=1).count(),
    }
    for what, n in duplicates.items():
        if n:
            problems.append(f"重复：{what}：{n}")
    return {"imports": dict(imports), "tallies": tallies, "exports": exports, "duplicates": duplicates,
            "problems": problems}


if __name__ == "__main__":
    sys.exit(main())
