"""Charts and tables are drawn from the figures alone (no database): the same SVG for page and PDF."""

import base64
import re
from datetime import date

from reports.charts import report_charts
from reports.figures import (
    MemberFacts,
    ReportFigures,
    Share,
    TurnoutCounts,
    VillageFacts,
    composition_figures,
    turnout_figures,
    village_rows,
)
from reports.tables import report_tables
from reports.templatetags.reports_tags import cell, css_string, share

D = date(2027, 1, 16)


def figures(villages=2, previous=True, voted=900):
    members = [
        MemberFacts(village="v1", post="chair", sex="M", birth_date=date(1975, 6, 1), election_day=D, political_status="01", re_elected=True),
        MemberFacts(village="v1", post="member", sex="F", birth_date=date(1990, 1, 1), election_day=D, education="21", re_elected=False),
        MemberFacts(village="v2", post="chair", sex="M", birth_date=date(1960, 1, 1), election_day=D, re_elected=False),
    ]
    counts = [TurnoutCounts(registered=1000, voted=voted), TurnoutCounts(registered=500, voted=400)][:villages]
    facts = [VillageFacts(key=f"v{i + 1}", name=f"村{i + 1}", township="镇", seats=3, certified=False, turnout=c,
                          previous_known=True) for i, c in enumerate(counts)]
    composition = composition_figures(members, villages=villages)
    return ReportFigures(
        scope_label="青山镇", turnout=turnout_figures(counts), composition=composition, scope_kind="township",
        villages=tuple(village_rows(facts, members)), previous=composition if previous else None,
        compared=composition if previous else None,
    )


def test_charts_are_svg_text_in_noto_cjk_with_ids_unique_per_chart():
    charts = report_charts(figures())
    assert [c.key for c in charts] == ["age", "education", "structure", "turnout", "compare"]
    for chart in charts:
        assert chart.svg.startswith("<svg ")
        assert "font-family: 'Noto Sans CJK SC'" in chart.svg
        assert all(i.startswith(f"{chart.key}-") for i in re.findall(r' id="([^"]+)"', chart.svg))
    assert "当选成员年龄结构" in charts[0].svg
    assert base64.b64decode(charts[0].data_uri.split(",", 1)[1]).decode() == charts[0].svg


def test_charts_are_drawn_once_per_set_of_figures():
    first, again = report_charts(figures()), report_charts(figures())
    assert [a is b for a, b in zip(first, again, strict=True)] == [True] * 5  # the same figures: not redrawn
    other = {c.key: c for c in report_charts(figures(voted=901))}  # one more voter in 村1: a new turnout chart
    assert "90.1%（901/1000）" in other["turnout"].svg and "90.1%" not in first[3].svg
    assert other["age"] is first[0]  # the composition did not change
    changed = {c.key: c for c in report_charts(figures(previous=False))}
    assert "compare" not in changed and changed["age"] is first[0]  # same inputs, same chart


def test_no_members_no_composition_charts():
    empty = ReportFigures(scope_label="青山镇", turnout=turnout_figures([]), composition=composition_figures([], villages=0))
    assert report_charts(empty) == []


def test_tables_keep_counts_bases_and_shares_apart():
    tables = {t.key: t for t in report_tables(figures())}
    turnout = {row[0]: row for row in tables["turnout"].rows}
    assert turnout["参加投票（参选率）"][1:4] == (1300, 1500, Share(1300, 1500))
    assert tables["villages"].rows[0][:4] == ("村1", 1000, 900, Share(900, 1000))
    assert tables["changes"].rows[1][:5] == ("女性成员", 1, Share(1, 3), 1, Share(1, 3))
    assert tables["work"].note.startswith("信访件数来自信访举报登记")


def test_display_filters_round_once():
    assert share(Share(31, 126)) == "31人，占24.6%（31/126）"
    assert share(Share(0, 0)) == "0人（基数为0）"
    assert cell(Share(9700, 12670)) == "76.6%"
    assert (cell(None), cell(True), cell(12670)) == ("—", "是", "12670")
    assert css_string('东山村"<') == '东山村\\22 \\3c '
