"""The load test's figures: per page (URL name) requests, errors, requests per second and latency
percentiles, plus totals; as a console table, markdown and JSON."""

from __future__ import annotations

import math
from collections import defaultdict

from .client import Recorder

COLUMNS = ("page", "requests", "errors", "rps", "p50 ms", "p95 ms", "p99 ms", "max ms", "queries")


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list (p in 0..100)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def summarize(recorder: Recorder, *, seconds: float, queries: dict[str, int] | None = None) -> dict:
    by_page: dict[str, list] = defaultdict(list)
    for sample in recorder.samples:
        by_page[sample.page].append(sample)
    failures: dict[str, int] = defaultdict(int)
    for page, _message in recorder.failures:
        failures[page] += 1
    queries = queries or {}
    rows = []
    for page in sorted(by_page):
        rows.append(_row(page, by_page[page], failures[page], seconds, queries.get(page)))
    total = _row("TOTAL", recorder.samples, len(recorder.failures), seconds, None)
    errors = [{"page": s.page, "method": s.method, "status": s.status, "at_s": round(s.started, 1), "error": s.error}
              for s in recorder.samples if s.error]
    errors += [{"page": page, "error": message} for page, message in recorder.failures]
    jobs = sorted(recorder.jobs)
    return {
        "seconds": round(seconds, 1),
        "pages": rows,
        "total": total,
        "outcomes": dict(sorted(recorder.outcomes.items())),
        "export_jobs": {"count": len(jobs), "p50_s": round(percentile(jobs, 50), 1),
                        "max_s": round(jobs[-1], 1) if jobs else 0.0},
        "errors": errors[:200],
        "error_count": total["errors"],
    }


def _row(page: str, samples: list, failures: int, seconds: float, queries: int | None) -> dict:
    ms = sorted(s.ms for s in samples)
    return {
        "page": page,
        "requests": len(samples),
        "errors": sum(1 for s in samples if s.error) + failures,
        "rps": round(len(samples) / seconds, 2) if seconds else 0.0,
        "p50_ms": round(percentile(ms, 50)),
        "p95_ms": round(percentile(ms, 95)),
        "p99_ms": round(percentile(ms, 99)),
        "max_ms": round(ms[-1]) if ms else 0,
        "queries": queries,
    }


def _cells(row: dict) -> list[str]:
    q = row["queries"]
    return [row["page"], str(row["requests"]), str(row["errors"]), f"{row['rps']:.2f}", str(row["p50_ms"]),
            str(row["p95_ms"]), str(row["p99_ms"]), str(row["max_ms"]), "—" if q is None else str(q)]


def table(summary: dict) -> str:
    """A fixed-width console table."""
    rows = [list(COLUMNS)] + [_cells(r) for r in summary["pages"]] + [_cells(summary["total"])]
    widths = [max(_width(r[i]) for r in rows) for i in range(len(COLUMNS))]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0] + " " * (widths[0] - _width(row[0]))] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        lines.append("  ".join(cells))
        if n == 0 or n == len(rows) - 2:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown(summary: dict) -> str:
    head = "| " + " | ".join(COLUMNS) + " |\n|" + "|".join(["---"] + ["---:"] * (len(COLUMNS) - 1)) + "|\n"
    body = "".join("| " + " | ".join(_cells(r)) + " |\n" for r in summary["pages"])
    total = _cells(summary["total"])
    total[0] = "**total**"
    return head + body + "| " + " | ".join(total) + " |\n"


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
