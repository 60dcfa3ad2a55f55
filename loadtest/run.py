"""The load test in one command (`make loadtest`): gunicorn and PostgreSQL on loopback, a bounded run of
virtual users, the figures per page.

1. drops and recreates the load database (its name must contain "load": nothing else is ever dropped),
   migrates, loads the demo and seeds the load township (``loadtest.seed``), collects the static files
   and runs ``VACUUM ANALYZE`` (right after a bulk load the planner's statistics say the tables are empty
   and it picks nested loops over 15,000 rows; a database in service has autovacuum's statistics);
2. starts gunicorn (``DEBUG=false``, as in production) and the task worker (``db_worker``), and signs one
   user in as a smoke test (a broken checkout stops here rather than as thousands of errors);
3. runs ``--users`` virtual users for ``--duration`` seconds (``loadtest.scenario``), started evenly
   over ``--ramp`` seconds;
4. stops both, counts each page's queries once more on the idle server (``loadtest.probe``), prints the
   table and writes ``results.json`` and ``results.md`` to ``--out``. Exits 1 if any request failed.

Static files are not requested: with ``DEBUG=false`` Django does not serve them (the proxy in front does).
The environment passes through to the server, so ``CONN_MAX_AGE=60 make loadtest`` measures persistent
database connections. On a shared machine ``--wait-idle`` waits for other work to finish first.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from . import stats
from .client import Browser, Recorder, RequestFailed
from .scenario import ROLES

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/election_load"


def main(argv: list[str] | None = None) -> int:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description="负载测试：gunicorn + PostgreSQL，本机回环")
    parser.add_argument("--users", type=int, default=50, help="并发虚拟用户数（默认50）")
    parser.add_argument("--duration", type=float, default=60, help="运行秒数（默认60）")
    parser.add_argument("--think", type=float, default=1.0, help="两次请求之间的平均停顿秒数（±50%%，默认1）")
    parser.add_argument("--ramp", type=float, default=10, help="在这么多秒内逐个启动用户（默认10）")
    parser.add_argument("--workers", type=int, default=2 * cores + 1, help=f"gunicorn 进程数（默认 2×{cores}+1）")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database-url", default=os.getenv("LOAD_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--villages", type=int, default=20)
    parser.add_argument("--voters", type=int, default=1500, help="每村选民人数")
    parser.add_argument("--out", default=str(ROOT / "test-artifacts" / "load"))
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--wait-idle", type=float, default=0,
                        help="开始前最多等这么多秒，直到其他进程占用的CPU低于15%%（共用的机器上）")
    args = parser.parse_args(argv)
    if args.users < 3:
        parser.error("--users 至少为3（每种角色至少一人）")

    out = Path(args.out).resolve()
    mix = role_mix(args.users)
    env = server_env(args.database_url, out)
    manifest = prepare(args, out, env, mix)
    idle = wait_for_idle(args.wait_idle)
    recorder, seconds, cpu = serve_and_load(args, out, env, manifest, mix)
    probe = _probe(out, env)
    summary = stats.summarize(recorder, seconds=seconds, queries={k: v["queries"] for k, v in probe.items()})
    summary |= {"machine": machine(args.database_url), "settings": {
        "users": args.users, "mix": mix, "duration_s": args.duration, "think_s": args.think, "ramp_s": args.ramp,
        "gunicorn_workers": args.workers, "conn_max_age": env.get("CONN_MAX_AGE", "60"), "villages": args.villages,
        "voters_per_village": args.voters},
        "cpu": cpu | {"busy_before_percent": idle}, "probe": probe}
    (out / "results.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "results.md").write_text(report_markdown(summary), encoding="utf-8")
    print(report_text(summary))
    print(f"\n结果已写入 {out / 'results.md'} 和 {out / 'results.json'}")
    return 1 if summary["error_count"] else 0


def prepare(args, out: Path, env: dict, mix: dict[str, int]) -> dict:
    """A fresh database with the demo, the load township and its users; returns the manifest."""
    for old in ("media", "workbooks"):  # the last run's uploads and workbooks
        shutil.rmtree(out / old, ignore_errors=True)
    (out / "gunicorn.log").unlink(missing_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    recreate_database(args.database_url)
    started = time.perf_counter()
    manage = [sys.executable, str(ROOT / "manage.py")]
    _run([*manage, "migrate", "--no-input", "-v0"], env)
    _run([*manage, "load_demo"], env, quiet=True)
    _run([sys.executable, "-m", "loadtest.seed", "--out", str(out), "--villages", str(args.villages),
          "--voters", str(args.voters), *(f"--{k.replace('_', '-')}={v}" for k, v in mix.items())], env)
    _run([*manage, "collectstatic", "--no-input", "-v0"], env)
    analyze(args.database_url)  # fresh planner statistics, as a database in service has
    print(f"准备数据用时 {time.perf_counter() - started:.0f} 秒", flush=True)
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def serve_and_load(args, out: Path, env: dict, manifest: dict, mix: dict[str, int]) -> tuple[Recorder, float, dict]:
    """gunicorn and the task worker up, a smoke test, the users' run, both down; returns the samples,
    the run's seconds and the CPU each part used."""
    manage = [sys.executable, str(ROOT / "manage.py")]
    port = args.port if _port_free(args.port) else _free_port()
    worker = subprocess.Popen([*manage, "db_worker", "--no-reload"], env=env, cwd=ROOT, start_new_session=True,
                              stdout=open(out / "db_worker.log", "w"), stderr=subprocess.STDOUT)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "election_site.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--timeout", "60", "--graceful-timeout", "10",
         "--error-logfile", str(out / "gunicorn.log"), "--log-level", "warning"],
        env=env, cwd=ROOT, start_new_session=True)
    try:
        _wait_until_up(port)
        smoke_test(manifest, port, out)
        before = _cpu_snapshot(server.pid, worker.pid)
        recorder, seconds = run_users(manifest, mix, port=port, args=args)
        return recorder, seconds, _cpu_used(before, _cpu_snapshot(server.pid, worker.pid))
    finally:
        _stop(server)
        _stop(worker)


def wait_for_idle(seconds: float) -> float:
    """The share of CPU other processes use now; waits up to ``seconds`` for it to fall under 15 %."""
    idle = background_load()
    until = time.monotonic() + seconds
    while idle > 15 and time.monotonic() < until:
        print(f"整机CPU已被其他进程占用 {idle}%，等待空闲……", flush=True)
        idle = background_load(10)
    if idle > 15:
        print(f"注意：测试开始前整机已有 {idle}% 的CPU被其他进程占用，结果会偏慢。", flush=True)
    return idle


def smoke_test(manifest: dict, port: int, out: Path) -> None:
    """One user signs in and opens the dashboard before the run: a broken checkout stops here, once."""
    recorder = Recorder()
    browser = Browser("127.0.0.1", port, recorder)
    try:
        browser.get("login", "/accounts/login/")
        browser.post("login POST", "/accounts/login/", {"username": manifest["liaisons"][0]["username"],
                                                        "password": manifest["password"], "next": ""})
        browser.get("villages:dashboard", "/")
    except RequestFailed:
        log = (out / "gunicorn.log").read_text(errors="replace")[-3000:]
        raise SystemExit(f"冒烟测试失败：{recorder.samples[-1].error}\n{log}") from None
    finally:
        browser.close()


def role_mix(users: int) -> dict[str, int]:
    """Half liaison officers, 30 % clerks, the rest supervisors (one in five of them county-wide)."""
    liaisons = max(1, users * 5 // 10)
    clerks = max(1, users * 3 // 10)
    supervisors = max(1, users - liaisons - clerks)
    county = max(1, supervisors // 5) if supervisors >= 2 else 0
    return {"liaisons": liaisons, "clerks": clerks, "supervisors": supervisors - county, "county_supervisors": county}


def server_env(database_url: str, out: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "loadtest-only-" + "k" * 48,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "MEDIA_ROOT": str(out / "media"),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql", "pgsql") or "load" not in name:
        raise SystemExit(f"负载测试只使用名称含“load”的 PostgreSQL 数据库（会被删除重建），而不是 {url}")
    admin = parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def analyze(url: str) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def run_users(manifest: dict, mix: dict[str, int], *, port: int, args) -> tuple[Recorder, float]:
    recorder = Recorder()
    start = time.monotonic()
    deadline = start + args.duration
    users = []
    for key, count in mix.items():
        accounts = manifest[key]
        users += [(ROLES[key], accounts[i % len(accounts)]) for i in range(count)]
    random.Random(args.seed).shuffle(users)  # roles interleaved as the ramp starts them
    threads = []
    print(f"{len(users)} 个虚拟用户（{_mix_label(mix)}），{args.duration:.0f} 秒……", flush=True)
    for n, (cls, account) in enumerate(users):
        time.sleep(max(0.0, start + args.ramp * n / len(users) - time.monotonic()))
        thread = cls(account, manifest, browser=Browser("127.0.0.1", port, recorder), deadline=deadline,
                     think=args.think, rng=random.Random(args.seed * 1000 + n))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join(timeout=max(1.0, deadline - time.monotonic()) + 150)
    return recorder, time.monotonic() - start


# ---------------------------------------------------------------- processes


def _run(command: list[str], env: dict, *, quiet: bool = False) -> None:
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=quiet, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"失败：{' '.join(command)}\n{(done.stderr or '')[-3000:]}")


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(port: int, timeout: float = 30) -> None:
    import http.client

    until = time.monotonic() + timeout
    while time.monotonic() < until:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/accounts/login/", headers={"X-Forwarded-Proto": "https"})
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn 在 {timeout:.0f} 秒内没有在端口 {port} 上响应")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _probe(out: Path, env: dict) -> dict:
    done = subprocess.run([sys.executable, "-m", "loadtest.probe", "--manifest", str(out / "manifest.json")],
                          env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        print(f"（查询次数统计失败：{done.stderr[-1000:]}）")
        return {}
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- CPU and machine


def _processes() -> dict[int, tuple[str, int, float, float]]:
    """pid → (name, parent pid, own CPU seconds, CPU seconds of its reaped children)."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1: text.rindex(")")]
        f = text.rsplit(")", 1)[1].split()
        found[int(entry.name)] = (name, int(f[1]), (int(f[11]) + int(f[12])) / tick, (int(f[13]) + int(f[14])) / tick)
    return found


def _cpu_snapshot(server: int, worker: int) -> dict[str, float]:
    """CPU seconds so far: the whole machine, gunicorn (master and workers), the task worker, PostgreSQL
    (live backends, plus the ended ones the postmaster has reaped) and this client."""
    total = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    procs = _processes()
    postgres = sum(own for name, _, own, _ in procs.values() if name == "postgres")
    postgres += sum(reaped for name, parent, _, reaped in procs.values()
                    if name == "postgres" and procs.get(parent, ("",))[0] != "postgres")  # the postmaster
    return {
        "wall": time.monotonic(),
        "busy": (sum(total) - total[3] - total[4]) / os.sysconf("SC_CLK_TCK"),  # all but idle and iowait
        "gunicorn": sum(own for pid, (_, parent, own, _) in procs.items() if server in (pid, parent)),
        "db_worker": procs.get(worker, ("", 0, 0.0, 0.0))[2],
        "postgres": postgres,
        "client": time.process_time(),
    }


def _cpu_used(before: dict, after: dict) -> dict:
    """Core-seconds used during the run by each part, what other processes on the machine used, and the
    machine's share busy (all cores)."""
    wall = after["wall"] - before["wall"]
    parts = ("gunicorn", "postgres", "db_worker", "client")
    used = {k: round(after[k] - before[k], 1) for k in ("busy", *parts)}
    used["other"] = round(max(0.0, used["busy"] - sum(used[k] for k in parts)), 1)
    used["busy_percent"] = round(100 * used["busy"] / (wall * (os.cpu_count() or 1)), 1)
    return used


def background_load(seconds: float = 3.0) -> float:
    """The share (%) of all cores busy before the test starts: other work on the machine skews the figures."""
    def busy():
        total = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        return sum(total) - total[3] - total[4], sum(total)

    b0, t0 = busy()
    time.sleep(seconds)
    b1, t1 = busy()
    return round(100 * (b1 - b0) / max(1, t1 - t0), 1)


def machine(database_url: str) -> dict:
    import django
    import psycopg

    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.machine())
    memory = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1)) as conn:
        server = conn.execute("SHOW server_version").fetchone()[0]
    return {"cores": os.cpu_count(), "cpu": model, "memory_gib": memory, "python": platform.python_version(),
            "django": django.get_version(), "postgresql": server, "os": platform.platform()}


# ---------------------------------------------------------------- report


def _mix_label(mix: dict[str, int]) -> str:
    return (f"联络员{mix['liaisons']}、工作人员{mix['clerks']}、督导{mix['supervisors']}、"
            f"全县督导{mix['county_supervisors']}")


def _context_lines(summary: dict) -> list[str]:
    m, s, cpu = summary["machine"], summary["settings"], summary["cpu"]
    jobs = summary["export_jobs"]
    outcomes = "；".join(f"{k} {v}" for k, v in summary["outcomes"].items()) or "—"
    return [
        f"机器：{m['cores']} 核 {m['cpu']}，内存 {m['memory_gib']} GiB；PostgreSQL {m['postgresql']}，"
        f"Python {m['python']}，Django {m['django']}",
        f"负载：{s['users']} 个用户（{_mix_label(s['mix'])}），{summary['seconds']} 秒，停顿 {s['think_s']} 秒±50%，"
        f"gunicorn {s['gunicorn_workers']} 个同步进程，CONN_MAX_AGE={s['conn_max_age']}；白云镇 {s['villages']} 个村 × {s['voters_per_village']} 名选民",
        f"CPU：测试前整机忙 {cpu.get('busy_before_percent')}%，测试中 {cpu.get('busy_percent')}%；核·秒："
        f"gunicorn {cpu.get('gunicorn')}，PostgreSQL {cpu.get('postgres')}，任务进程 {cpu.get('db_worker')}，"
        f"压测客户端 {cpu.get('client')}，机器上的其他进程 {cpu.get('other')}",
        f"结果：{outcomes}；全县导出任务 {jobs['count']} 个，排队到完成中位 {jobs['p50_s']} 秒、最长 {jobs['max_s']} 秒",
        f"错误：{summary['error_count']}",
    ]


def report_text(summary: dict) -> str:
    lines = ["", stats.table(summary), "", *_context_lines(summary)]
    lines += [f"  {e}" for e in summary["errors"][:20]]
    return "\n".join(lines)


def report_markdown(summary: dict) -> str:
    lines = ["# 负载测试结果", "", stats.markdown(summary), *(f"- {line}" for line in _context_lines(summary))]
    if summary["errors"]:
        lines += ["", "## 错误（前50条）", ""] + [f"- `{json.dumps(e, ensure_ascii=False)}`" for e in summary["errors"][:50]]
    probe = summary.get("probe") or {}
    if probe:
        lines += ["", "## 空闲时单次请求（压测后，Django 测试客户端）", "", "| page | status | queries | ms |",
                  "|---|---:|---:|---:|"]
        lines += [f"| {page} | {p['status']} | {p['queries']} | {p['ms']} |" for page, p in probe.items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
