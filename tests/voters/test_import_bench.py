"""``manage.py bench_import``: its workbooks are valid voter lists, and a tiny run completes."""

from __future__ import annotations

from datetime import date
from io import StringIO

from django.core.management import call_command

from villages.presets import RuleParameters
from voters import imports
from voters.management.commands.bench_import import GROUPS, generate_workbook
from voters.workbook import read_voter_workbook


def read(path):
    parsed = read_voter_workbook(path, filename=path.name)
    return parsed, list(parsed.rows())


def test_generated_workbook_is_a_clean_list_and_repeatable(tmp_path):
    generate_workbook(tmp_path / "a.xlsx", rows=40, seed=7)
    generate_workbook(tmp_path / "b.xlsx", rows=40, seed=7)
    parsed, rows = read(tmp_path / "a.xlsx")
    assert [r.values for r in rows] == [r.values for r in read(tmp_path / "b.xlsx")[1]]
    context = imports.ImportContext(
        election_day=date(2027, 1, 16), today=date(2026, 11, 21), params=RuleParameters(),
        groups={f"第{n}组": n for n in range(1, GROUPS + 1)}, group_numbers={n: n for n in range(1, GROUPS + 1)})
    report = imports.validate_rows(rows, context, columns={k: c.label for k, c in parsed.columns.items()})
    assert (report.counts["new"], report.issues) == (40, [])


def test_small_run_reports_every_measure(tmp_path):
    out = StringIO()
    call_command("bench_import", "--sizes", "30", "--workdir", str(tmp_path), "--compare-max", "0", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[1].startswith("30 | ")
    assert "预览≤0.5×openpyxl" in out.getvalue()
