"""The workbook and the PDF of a report, and the export_report command: the same figures as the page."""

import io
import subprocess
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.documents import report_pdf, report_workbook
from reports.queries import build_report
from reports.scopes import get_scope
from tests.reports import scenario
from villages.models import AuditEntry

NOW = datetime(2027, 1, 25, 8, 0, tzinfo=UTC)  # 16:00 in Asia/Shanghai


@pytest.fixture
def figures(township, campaign, village_a, village_b, clerk):
    scenario.build(township=township, campaign=campaign, village_a=village_a, village_b=village_b, clerk=clerk)
    return build_report(get_scope("township", township.code), now=NOW)


@pytest.fixture
def workbook(figures):
    return load_workbook(io.BytesIO(report_workbook(figures)))


def rows_by_label(sheet):
    return {row[0].value: row for row in sheet.iter_rows(min_row=2) if row[0].value}


def test_workbook_has_a_cover_and_one_sheet_per_table(workbook):
    assert workbook.sheetnames == ["封面", "参选情况", "当选成员结构", "各村情况", "与上届比较", "工作情况"]


def test_cover_sheet_states_scope_time_and_certification(workbook):
    cover = {row[0].value: row[1].value for row in workbook["封面"].iter_rows(min_row=3) if row[0].value}
    assert workbook["封面"]["A1"].value == "青山镇第12届村民委员会换届选举统计报表"
    assert cover["报表范围"] == "青山镇"
    assert cover["范围代码"] == "330199101"
    assert cover["生成时间"] == datetime(2027, 1, 25, 16, 0)
    assert cover["结果认定"] == "未认定"
    assert (cover["已认定的村"], cover["参加选举的村"]) == (1, 2)
    assert "参选率76.6%" in cover["综述"]


def test_numbers_are_numbers_and_shares_exact_ratios(workbook):
    turnout = rows_by_label(workbook["参选情况"])
    _label, count, base, share, _ = turnout["参加投票（参选率）"]
    assert (count.value, base.value) == (9700, 12670)
    assert share.value == pytest.approx(9700 / 12670)
    assert share.number_format == "0.0%"
    composition = rows_by_label(workbook["当选成员结构"])
    assert [c.value for c in composition["女性"][1:3]] == [2, 6]
    assert composition["平均年龄（岁）"][1].value == pytest.approx(286 / 6)
    assert composition["平均年龄（岁）"][1].number_format == "0.0"


def test_village_sheet_has_one_numeric_row_per_village(workbook):
    sheet = workbook["各村情况"]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["村（社区）", "登记选民", "参加投票", "参选率", "委托投票"]
    first = [c.value for c in sheet[2]]
    assert first[:3] == ["东山村", 8000, 5800]
    assert first[3] == pytest.approx(0.725)
    assert isinstance(first[1], int)
    assert sheet["D2"].number_format == "0.0%"


def test_headers_are_frozen_and_columns_readable(workbook):
    for name in workbook.sheetnames[1:]:
        sheet = workbook[name]
        assert sheet.freeze_panes in ("A2", "B2")
        assert sheet.column_dimensions["A"].width >= 12


def test_pdf_embeds_noto_cjk_and_has_pages(figures, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(report_pdf(figures))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "NotoSansCJK" in fonts.replace("-", "")
    reader = PdfReader(path)
    assert len(reader.pages) >= 1
    first = reader.pages[0].extract_text()
    assert "未认定" in first
    assert "76.6%" in first


def test_export_report_command_writes_both_formats_and_logs(figures, township, tmp_path):
    for fmt in ("xlsx", "pdf"):
        target = tmp_path / f"report.{fmt}"
        call_command("export_report", "--scope", f"township:{township.code}", "--format", fmt, "-o", str(target))
        assert target.stat().st_size > 1000
    assert load_workbook(tmp_path / "report.xlsx")["封面"]["B3"].value == "青山镇"
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    entries = AuditEntry.objects.filter(action="reports.report.exported")
    assert entries.count() == 2
    assert {e.actor_name for e in entries} == {"系统"}


def test_export_report_command_refuses_an_unknown_scope(db, tmp_path):
    with pytest.raises(CommandError, match="没有找到范围"):
        call_command("export_report", "--scope", "township:999999999", "--format", "xlsx", "-o", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match="范围应写作"):
        call_command("export_report", "--scope", "town:1", "--format", "xlsx", "-o", str(tmp_path / "x.xlsx"))


def test_change_sheet_holds_numbers_for_both_terms(workbook):
    rows = rows_by_label(workbook["与上届比较"])
    _label, now, now_share, before, before_share, wording = rows["女性成员"]
    assert (now.value, before.value) == (2, 1)
    assert (now_share.value, before_share.value) == (pytest.approx(2 / 6), pytest.approx(1 / 6))
    assert wording.value == "比上届提高16.7个百分点"
    assert rows["平均年龄（岁）"][1].value == pytest.approx(286 / 6)


def _queued(township, user):
    from reports.models import ReportExport

    return ReportExport.objects.create(kind="township", code=township.code, label=township.name, county=township.county,
                                       township=township, format="xlsx", requested_by=user)


def test_background_export_runs_once(campaign, township, clerk):
    from reports.services import run_report_export

    export = _queued(township, clerk)
    done = run_report_export(export_id=export.pk, now=NOW)
    assert (done.state, done.progress, done.filename) == ("done", 100, "青山镇换届选举统计报表_202701251600.xlsx")
    again = run_report_export(export_id=export.pk, now=NOW)  # a task delivered twice
    assert again.state == "done"
    assert AuditEntry.objects.filter(action="reports.report.exported").count() == 1


def test_failed_export_stops_polling_and_says_so(campaign, township, clerk, monkeypatch):
    import reports.documents
    from reports.services import run_report_export

    def broken(figures, fmt):
        raise RuntimeError("disk full")

    monkeypatch.setattr(reports.documents, "render_report", broken)
    export = _queued(township, clerk)
    with pytest.raises(RuntimeError):
        run_report_export(export_id=export.pk, now=NOW)
    export.refresh_from_db()
    assert (export.state, export.in_progress) == ("failed", False)
    assert "出错" in export.message
    assert not AuditEntry.objects.filter(action="reports.report.exported").exists()
