"""Charts and tables are drawn from the figures alone (no database): the same SVG for page and PDF."""

import base64
import os
import re
import secrets
import socket
import subprocess
import sys
from datetime import date

import pytest
from django.core.cache import cache

from reports import charts
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


@pytest.fixture
def drawn(monkeypatch):
    """The keys of the charts actually drawn (not taken from the cache), from an empty cache."""
    cache.clear()
    keys, draw = [], charts._draw

    def recording(key, *args, **kwargs):
        keys.append(key)
        return draw(key, *args, **kwargs)

    monkeypatch.setattr(charts, "_draw", recording)
    yield keys
    cache.clear()


def test_charts_are_drawn_once_per_set_of_figures(drawn):
    first = report_charts(figures())
    assert drawn == ["age", "education", "structure", "turnout", "compare"]
    again = report_charts(figures())
    assert len(drawn) == 5 and again == first  # the same figures: the same charts, from Django's cache
    other = {c.key: c for c in report_charts(figures(voted=901))}  # one more voter in 村1: a new turnout chart
    assert drawn[5:] == ["turnout"]
    assert "90.1%（901/1000）" in other["turnout"].svg and "90.1%" not in first[3].svg
    assert other["age"] == first[0]  # the composition did not change
    changed = {c.key: c for c in report_charts(figures(previous=False))}
    assert "compare" not in changed and changed["age"] == first[0] and drawn[6:] == []  # same inputs, same chart


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


REDIS = ("127.0.0.1", 6379)
# A second node: draws the charts of the same figures with the same CACHE_URL and says how many it drew.
NODE = """
import django
django.setup()
from reports import charts
from tests.reports.test_charts import figures
drawn, draw = [], charts._draw
charts._draw = lambda key, *a, **k: drawn.append(key) or draw(key, *a, **k)
charts.report_charts(figures())
print(len(drawn))
"""


def redis_reachable() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_reachable(), reason="没有在 127.0.0.1:6379 上运行的 Redis")
def test_with_redis_every_node_shares_the_charts_drawn_by_one(settings, monkeypatch):
    import redis

    prefix = f"test-charts-{secrets.token_hex(6)}"  # this run's keys only, on a shared Redis
    cache_url = f"redis://{REDIS[0]}:{REDIS[1]}/1"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": cache_url,
                                   "KEY_PREFIX": prefix}}
    drawn, draw = [], charts._draw
    monkeypatch.setattr(charts, "_draw", lambda key, *args, **kwargs: drawn.append(key) or draw(key, *args, **kwargs))

    def other_node(key_prefix: str) -> int:
        env = {**os.environ, "CACHE_URL": cache_url, "CACHE_KEY_PREFIX": key_prefix,
               "DJANGO_SETTINGS_MODULE": "election_site.settings"}
        result = subprocess.run([sys.executable, "-c", NODE], env=env, capture_output=True, text=True, check=True,
                                cwd=settings.BASE_DIR)
        return int(result.stdout.split()[-1])

    try:
        first = report_charts(figures())
        assert len(drawn) == 5
        assert other_node(prefix) == 0  # every chart came from Redis
        assert other_node(f"{prefix}-elsewhere") == 5  # control: another cache draws them all
        again = report_charts(figures())
        assert again == first and len(drawn) == 5
    finally:
        client = redis.Redis.from_url(cache_url)  # cache.clear() would empty the whole database
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)
