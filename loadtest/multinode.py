"""The multi-node rehearsal in one command (`make multinode`; issue 15 "Proven by"): two app nodes and two
task workers over one PostgreSQL, one Redis and one S3-compatible object store, all on loopback; the load
test's users spread over both nodes; one node lost mid-run; then a check that nothing acknowledged was
lost and nothing was duplicated.

1. drops and recreates the load database (its name must contain "load"), migrates, loads the demo and
   seeds the load township as ``make loadtest`` does (``loadtest.run.prepare``), with the media already
   in the object store;
2. starts moto's S3 server on a free loopback port with a bucket of its own. moto (``moto[s3]``, already
   the test extra's S3 endpoint, tests/s3.py) is pip-installable, speaks the S3 API that django-storages
   uses against MinIO, Ceph RGW or a government cloud's object service, and needs no network, no
   container and no binary download: the rehearsal runs wherever the tests run;
3. starts two nodes, A and B: each a gunicorn (its own loopback port) and a ``db_worker``, each in its
   own empty working folder with its own empty ``MEDIA_ROOT`` (which must still be empty at the end:
   every file goes through the storage API to the object store), sharing the database, Redis
   (``CACHE_URL``: a database number and a key prefix of their own, removed at the end) and the bucket.
   ``VOTER_IMPORT_STALLED_SECONDS`` and ``TASK_STALLED_SECONDS`` are short, so the recovery of a dead
   worker's job happens within the run;
4. runs the load test's users (``loadtest.scenario``), half starting on each node, through a client-side
   load balancer (``loadtest.balancer``): a node that cannot be reached is marked down and the request
   goes to the node whose ``/healthz`` answers (GETs always; a POST only if it was never sent);
5. at ``--kill-at`` seconds kills node B with SIGKILL: its gunicorn (master and workers) and its
   worker, as a machine that loses power;
6. when the users are done, lets the surviving worker finish, looks at every unfinished job as its page
   does (which queues a dead worker's job again, or fails it), and checks the database and the object
   store (``loadtest.multinode_check``);
7. stops everything it started, removes its Redis keys and the moto server, prints the figures and writes
   ``results.json`` to ``--out``. Exits 1 if anything acknowledged was lost, anything was duplicated, a
   node's media folder was used, or a request failed after the failover had settled.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from . import stats
from .balancer import Balancer, FailoverBrowser
from .client import Recorder, RequestFailed
from .run import ROOT, _wait_until_up, prepare, role_mix, server_env, smoke_test
from .scenario import ROLES

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
STALLED_SECONDS = 10  # both VOTER_IMPORT_STALLED_SECONDS and TASK_STALLED_SECONDS during the rehearsal
INFLIGHT_LEAD = 1  # seconds before the kill at which node B is given work of its own (``--inflight``)
INFLIGHT_EXPORTS = 12  # a county workbook takes well under a second: enough for the kill to find one running
INFLIGHT_WAIT = 3  # at most this many seconds past --kill-at, waiting for B's worker to be building one
SETTLE_GRACE = 5  # seconds after the kill in which failed requests are the failover's, not errors
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/election_multinode_load"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="多节点演练：两个应用节点、两个任务进程，共用 PostgreSQL、Redis、S3；中途杀掉一个节点")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--kill-at", type=float, default=25, help="第几秒杀掉节点B（默认25）")
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--no-inflight", dest="inflight", action="store_false",
                        help="不在杀掉前让节点B的任务进程正在处理导出（默认会）")
    parser.add_argument("--ramp", type=float, default=5)
    parser.add_argument("--workers", type=int, default=2, help="每个节点的 gunicorn 进程数（默认2）")
    parser.add_argument("--database-url", default=os.getenv("MULTINODE_DATABASE_URL", DATABASE_URL))
    parser.add_argument("--redis-db", type=int, default=int(os.getenv("MULTINODE_REDIS_DB", "13")),
                        help="演练专用的 Redis 数据库号（默认13）")
    parser.add_argument("--villages", type=int, default=10)
    parser.add_argument("--voters", type=int, default=500, help="每村选民人数")
    parser.add_argument("--settle", type=float, default=90, help="结束后最多等这么多秒，让剩下的任务完成")
    parser.add_argument("--out", default=str(ROOT / "test-artifacts" / "multinode"))
    parser.add_argument("--seed", type=int, default=2027)
    args = parser.parse_args(argv)
    if args.users < 3:
        parser.error("--users 至少为3")
    if not 0 < args.kill_at < args.duration:
        parser.error("--kill-at 必须在 0 与 --duration 之间")

    out = Path(args.out).resolve()
    shutil.rmtree(out / "nodes", ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    started = []  # every process this run started, stopped in the end whatever happens
    prefix = f"multinode-load-{secrets.token_hex(4)}"
    redis_url = f"redis://{REDIS_HOST}:{REDIS_PORT}/{args.redis_db}"
    check_redis(args.redis_db)
    try:
        s3 = start_moto(out, started)
        bucket = f"election-multinode-{secrets.token_hex(4)}"
        make_bucket(s3, bucket)
        shared = {
            "MEDIA_STORAGE": "s3", "S3_ENDPOINT_URL": s3, "S3_BUCKET": bucket,
            "S3_ACCESS_KEY": "multinode-access-key", "S3_SECRET_KEY": "multinode-secret-key",
            "CACHE_URL": redis_url, "CACHE_KEY_PREFIX": prefix,
            "VOTER_IMPORT_STALLED_SECONDS": str(STALLED_SECONDS), "TASK_STALLED_SECONDS": str(STALLED_SECONDS),
            "PYTHONPATH": str(ROOT),
        }
        mix = role_mix(args.users)
        prepare_dir = out / "nodes" / "prepare"
        env = server_env(args.database_url, out) | shared | {"MEDIA_ROOT": str(_empty(prepare_dir / "media"))}
        args.wait_idle = 0
        manifest = prepare(args, out, env, mix)
        nodes = [start_node(name, args, out, env, started) for name in ("A", "B")]
        for node in nodes:
            _wait_until_up(node["port"], timeout=60)
        smoke_test(manifest, nodes[0]["port"], out)
        recorder, balancer, seconds, killed = run_users(args, manifest, mix, nodes)
        acks = out / "acks.json"
        acks.write_text(json.dumps(balancer.acks, ensure_ascii=False), encoding="utf-8")
        checked = run_check(acks, args, nodes[0], env)
        stop(nodes[0]["gunicorn"])
        stop(nodes[0]["worker"])
        objects = count_objects(s3, bucket)
        summary = summarize(args, recorder, balancer, seconds, killed, nodes, checked, s3, objects)
    finally:
        for process in reversed(started):
            stop(process)
        removed = clean_redis(args.redis_db, prefix)
    summary["redis_keys_removed"] = removed
    (out / "results.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    print(report(summary, recorder))
    print(f"\n结果已写入 {out / 'results.json'}")
    return 1 if summary["failed"] else 0


# ---------------------------------------------------------------- the nodes


def start_node(name: str, args, out: Path, env: dict, started: list) -> dict:
    """gunicorn and db_worker of one node, each in an empty folder of its own with an empty MEDIA_ROOT."""
    port = _free_port()
    node = {"name": name, "port": port, "dirs": []}
    for part in ("web", "worker"):
        home = _empty(out / "nodes" / f"{name}-{part}")
        media = _empty(home / "media")
        node["dirs"].append(str(home))
        node_env = env | {"MEDIA_ROOT": str(media), "NODE_NAME": f"{name}-{part}"}
        log = open(out / f"node-{name}-{part}.log", "w")
        if part == "web":
            command = [sys.executable, "-m", "gunicorn", "election_site.wsgi:application", "--bind",
                       f"127.0.0.1:{port}", "--workers", str(args.workers), "--timeout", "60",
                       "--graceful-timeout", "10", "--log-level", "warning"]
        else:
            command = [sys.executable, str(ROOT / "manage.py"), "db_worker", "--no-reload"]
        process = subprocess.Popen(command, env=node_env, cwd=home, start_new_session=True,
                                   stdout=log, stderr=subprocess.STDOUT)
        started.append(process)
        node["gunicorn" if part == "web" else "worker"] = process
    return node


def kill_node(node: dict) -> None:
    """SIGKILL to the node's gunicorn (master and workers: its process group) and its task worker."""
    for process in (node["gunicorn"], node["worker"]):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to the process group it leads, SIGKILL after 20 s."""
    if process.poll() is not None:
        try:
            os.killpg(process.pid, signal.SIGKILL)  # workers a killed master may have left
        except (ProcessLookupError, PermissionError):
            pass
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# ---------------------------------------------------------------- the users


def run_users(args, manifest: dict, mix: dict, nodes: list[dict]):
    recorder = Recorder()
    start = time.monotonic()
    balancer = Balancer([n["port"] for n in nodes], t0=start)
    deadline = start + args.duration
    users = []
    for key, count in mix.items():
        accounts = manifest[key]
        users += [(ROLES[key], accounts[i % len(accounts)]) for i in range(count)]
    random.Random(args.seed).shuffle(users)
    print(f"{len(users)} 个虚拟用户分在节点 A（{nodes[0]['port']}）和 B（{nodes[1]['port']}）上，"
          f"{args.duration:.0f} 秒，第 {args.kill_at:.0f} 秒杀掉节点 B……", flush=True)
    threads = []
    killed = None
    for n, (cls, account) in enumerate(users):
        time.sleep(max(0.0, start + args.ramp * n / len(users) - time.monotonic()))
        port = nodes[n % len(nodes)]["port"]  # round-robin
        thread = cls(account, manifest, browser=FailoverBrowser(balancer, port, recorder), deadline=deadline,
                     think=args.think, rng=random.Random(args.seed * 1000 + n))
        thread.start()
        threads.append(thread)
    inflight = {}
    if args.inflight:
        time.sleep(max(0.0, start + args.kill_at - INFLIGHT_LEAD - time.monotonic()))
        inflight = jobs_on_node_b(args, manifest, nodes, balancer, recorder)
    time.sleep(max(0.0, start + args.kill_at - time.monotonic()))
    if args.inflight:  # A's worker is paused: an export being built now is B's; the kill waits for one
        inflight["exports_running_on_B_at_kill"] = wait_for_running_export(args.database_url, INFLIGHT_WAIT)
    killed = round(time.perf_counter() - recorder.t0, 1)  # on the samples' clock
    kill_node(nodes[1])
    if args.inflight:
        _signal_group(nodes[0]["worker"], signal.SIGCONT)
    balancer.kill_at = killed
    balancer.inflight = inflight
    print(f"第 {killed} 秒：节点 B 已被 SIGKILL（gunicorn 主进程与工作进程、任务进程）", flush=True)
    for thread in threads:
        thread.join(timeout=max(1.0, deadline - time.monotonic()) + 150)
    return recorder, balancer, time.monotonic() - start, killed


def jobs_on_node_b(args, manifest: dict, nodes: list[dict], balancer: Balancer, recorder: Recorder) -> dict:
    """Make sure node B's worker is in the middle of a job when the node dies: node A's worker is paused
    (SIGSTOP, for less than the stalled time), a county supervisor asks node B for ``INFLIGHT_EXPORTS``
    county workbooks, and the kill waits (``INFLIGHT_WAIT`` at most) until B's worker is building one; A's
    worker resumes right after the kill and takes the rest."""
    _signal_group(nodes[0]["worker"], signal.SIGSTOP)
    browser = FailoverBrowser(balancer, nodes[1]["port"], recorder)
    account = manifest["county_supervisors"][0]
    requested = 0
    try:
        browser.get("login", "/accounts/login/")
        browser.post("login POST", "/accounts/login/", {"username": account["username"],
                                                        "password": manifest["password"], "next": ""})
        for _ in range(INFLIGHT_EXPORTS):
            browser.post("reports:report-export county xlsx POST (before the kill)",
                         f"/reports/report/county/{manifest['county']}/export/xlsx/", {})
            requested += 1
    except RequestFailed:
        pass
    finally:
        browser.close()
    return {"exports_requested_on_B": requested}


def wait_for_running_export(database_url: str, seconds: float) -> int:
    """How many exports are being built, as soon as there is one (a county workbook takes a few tens of
    milliseconds once its charts are cached: the database is asked every 5 ms), or after ``seconds``."""
    import psycopg

    until = time.monotonic() + seconds
    with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        while True:
            running = conn.execute("SELECT count(*) FROM reports_reportexport WHERE state = 'running'").fetchone()[0]
            if running or time.monotonic() > until:
                return running
            time.sleep(0.005)


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass


def run_check(acks: Path, args, node: dict, env: dict) -> dict:
    """``loadtest.multinode_check`` in node A's worker folder, with the nodes' environment."""
    print(f"用户已结束；等待剩下的任务完成并核对（最多 {args.settle:.0f} 秒）……", flush=True)
    node_env = env | {"MEDIA_ROOT": str(Path(node["dirs"][1]) / "media")}
    done = subprocess.run([sys.executable, "-m", "loadtest.multinode_check", "--acks", str(acks),
                           "--settle", str(args.settle)], env=node_env, cwd=node["dirs"][1],
                          capture_output=True, text=True, check=False)
    if done.returncode:
        return {"problems": [f"核对失败：{done.stderr[-2000:]}"]}
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- shared services


def start_moto(out: Path, started: list) -> str:
    port = _free_port()
    log = open(out / "moto.log", "wb")
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    started.append(process)
    until = time.monotonic() + 30
    while time.monotonic() < until:
        if process.poll() is not None:
            raise SystemExit(f"moto 服务器启动后退出：{(out / 'moto.log').read_text(errors='replace')[-500:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    raise SystemExit("moto 服务器 30 秒内没有应答（pip install -e '.[test]' 会装上 moto[s3]）")


def _s3(url: str):
    import boto3

    return boto3.client("s3", endpoint_url=url, aws_access_key_id="multinode-access-key",
                        aws_secret_access_key="multinode-secret-key", region_name="us-east-1")


def make_bucket(url: str, bucket: str) -> None:
    _s3(url).create_bucket(Bucket=bucket)


def count_objects(url: str, bucket: str) -> int:
    pages = _s3(url).get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return sum(page.get("KeyCount", 0) for page in pages)


def check_redis(db: int) -> None:
    import redis

    try:
        redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=db, socket_timeout=3).ping()
    except redis.RedisError as exc:
        raise SystemExit(f"Redis {REDIS_HOST}:{REDIS_PORT} 不可用：{exc}") from None


def clean_redis(db: int, prefix: str) -> int:
    """Remove this run's keys (its own prefix) from its Redis database; returns how many."""
    import redis

    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=db, socket_timeout=5)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=500))
    return client.delete(*keys) if keys else 0


# ---------------------------------------------------------------- figures


def summarize(args, recorder: Recorder, balancer: Balancer, seconds: float, killed: float, nodes: list[dict],
              checked: dict, s3: str, objects: int) -> dict:
    names = {n["port"]: n["name"] for n in nodes}
    errors = [s for s in recorder.samples if s.error]
    ended = {id(s): s.started + s.ms / 1000 for s in errors}  # a request cut by the kill ends after it
    before = sum(1 for s in errors if ended[id(s)] < killed)
    during = sum(1 for s in errors if killed <= ended[id(s)] < killed + SETTLE_GRACE)
    after = sum(1 for s in errors if ended[id(s)] >= killed + SETTLE_GRACE)
    content = len(recorder.failures)
    media_used = {d: sorted(str(p.relative_to(d)) for p in Path(d, "media").rglob("*"))
                  for n in nodes for d in n["dirs"]}
    media_used = {d: files for d, files in media_used.items() if files}
    unanswered = dict(balancer.unanswered)
    problems = list(checked.get("problems", []))
    if media_used:
        problems.append(f"节点的 MEDIA_ROOT 被用到了：{media_used}")
    if after:
        problems.append(f"故障转移之后仍有 {after} 个请求出错")
    if before:
        problems.append(f"杀掉节点之前就有 {before} 个请求出错")
    if content:
        problems.append(f"{content} 个应答内容不对：{recorder.failures[:5]}")
    settle = checked.get("settle", {})
    if settle.get("imports_open") or settle.get("exports_open"):
        problems.append(f"等待 {settle.get('seconds')} 秒后仍有未完成的任务：{settle}")
    return {
        "settings": {"users": args.users, "duration_s": args.duration, "kill_at_s": killed, "think_s": args.think,
                     "gunicorn_workers_per_node": args.workers, "villages": args.villages,
                     "voters_per_village": args.voters, "stalled_seconds": STALLED_SECONDS,
                     "s3": f"moto server {s3}", "redis_db": args.redis_db},
        "seconds": round(seconds, 1),
        "requests_per_node": {names[p]: balancer.requests[p] for p in sorted(names, key=names.get)},
        "node_marked_down_at_s": {names[p]: t for p, t in balancer.marked_down.items()},
        "failovers": balancer.failovers,
        "inflight_at_kill": balancer.inflight,
        "errors": {"before_kill": before, f"within_{SETTLE_GRACE}s_of_kill": during, "after": after,
                   "wrong_content": content},
        "unanswered_posts": unanswered,
        "error_samples": [{"page": s.page, "at_s": round(s.started, 1), "error": s.error} for s in errors[:30]],
        "imports": checked.get("imports", {}),
        "tallies": checked.get("tallies", {}),
        "exports": checked.get("exports", {}),
        "duplicates": checked.get("duplicates", {}),
        "settle": settle,
        "media_root_used": media_used,
        "problems": problems,
        "failed": bool(problems),
        "outcomes": dict(sorted(recorder.outcomes.items())),
        "pages": stats.summarize(recorder, seconds=seconds)["pages"],
        "objects_in_bucket": objects,
    }


def report(summary: dict, recorder: Recorder) -> str:
    s = summary
    rows = [("图表", "数值")]
    rows += [(f"请求数 节点{k}", v) for k, v in s["requests_per_node"].items()]
    rows += [("节点B被杀（秒）", s["settings"]["kill_at_s"]),
             ("客户端发现节点下线（秒）", s["node_marked_down_at_s"]),
             ("故障转移重试次数", s["failovers"]),
             ("杀掉时节点B上的任务", s["inflight_at_kill"]),
             ("出错请求 杀掉之前", s["errors"]["before_kill"]),
             (f"出错请求 杀掉后{SETTLE_GRACE}秒内", s["errors"][f"within_{SETTLE_GRACE}s_of_kill"]),
             (f"出错请求 之后", s["errors"]["after"]),
             ("应答丢失的POST", s["unanswered_posts"] or 0)]
    rows += [(f"导入 {k}", v) for k, v in s["imports"].items()]
    rows += [(f"计票 {k}", v) for k, v in s["tallies"].items()]
    rows += [(f"导出 {k}", v) for k, v in s["exports"].items()]
    rows += [(f"重复 {k}", v) for k, v in s["duplicates"].items()]
    rows += [("收尾等待", s["settle"]), ("对象存储中的对象", s["objects_in_bucket"]), ("节点 MEDIA_ROOT 中的文件", len(s["media_root_used"])),
             ("清除的 Redis 键", s.get("redis_keys_removed")),
             ("结论", "通过" if not s["failed"] else "失败")]
    width = max(stats._width(str(a)) for a, _ in rows)
    lines = ["", stats.table({"pages": s["pages"], "total": stats.summarize(recorder, seconds=s["seconds"])["total"]}), ""]
    lines += [str(a) + " " * (width - stats._width(str(a))) + "  " + str(b) for a, b in rows]
    lines += [f"  问题：{p}" for p in s["problems"]]
    lines += [f"  出错：{e['at_s']}s {e['page']} {e['error']}" for e in s["error_samples"][:15]]
    return "\n".join(lines)


def _empty(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


if __name__ == "__main__":
    sys.exit(main())
