"""Charts of a report as inline SVG, drawn by matplotlib from the figures (never from the database).

The same SVG goes into the page and into the PDF: WeasyPrint runs no JavaScript, so Chart.js is out
(ENVIRONMENT.md "Charts"). Text stays text (``svg.fonttype = "none"``): WeasyPrint draws it with the
Noto Sans CJK SC it already embeds for the page (checked with ``pdffonts``), browsers with whatever
CJK font the office PC has, and the labels stay searchable and a third of the size of glyph paths.

Only matplotlib's object API is used (no pyplot state); the font is registered once, explicitly, from
the Debian package, and rcParams are changed only inside a lock-guarded ``rc_context``.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import threading
from dataclasses import dataclass
from fractions import Fraction

import matplotlib

matplotlib.use("svg")

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .figures import AGE_BANDS, EDUCATION_BUCKETS, ReportFigures, Share

FONT_PATH = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FONT_FAMILY = "Noto Sans CJK SC"
COLORS = ("#1f5fa8", "#e07b39", "#6aa84f", "#a64d79", "#999999")
PER_VILLAGE_MAX = 40  # more villages than this: turnout as a distribution, not one bar each
TURNOUT_BANDS = (
    ("低于80%", Fraction(0), Fraction(80, 100)),
    ("80%–90%", Fraction(80, 100), Fraction(90, 100)),
    ("90%–95%", Fraction(90, 100), Fraction(95, 100)),
    ("95%及以上", Fraction(95, 100), Fraction(2)),
)

_lock = threading.Lock()
_font_registered = False
# Charts kept in the cache (a few KB of SVG each) for a day; a change to how charts are drawn
# changes CACHE_VERSION, so nodes never show a chart drawn by an older release.
CACHE_SECONDS = 24 * 60 * 60
CACHE_VERSION = 1


@dataclass(frozen=True)
class Chart:
    """One chart: the page and the PDF both show the SVG as an image (``data_uri``), which keeps its
    style attributes inside the image, out of reach of the page's Content-Security-Policy; WeasyPrint
    draws it with its SVG renderer and the embedded Noto CJK font."""

    key: str
    title: str
    svg: SafeString

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode("ascii")


def report_charts(figures: ReportFigures) -> list[Chart]:
    """The charts of a report; a chart with nothing to show is left out."""
    c = figures.composition
    charts = []
    if c.total:
        charts.append(_bars("age", "当选成员年龄结构", [label for label, *_ in AGE_BANDS],
                            [c.age_bands[label] for label, *_ in AGE_BANDS]))
        labels = list(EDUCATION_BUCKETS) + (["未填写"] if c.education_unknown else [])
        shares = [c.education[b] for b in EDUCATION_BUCKETS] + (
            [Share(c.education_unknown, c.total)] if c.education_unknown else []
        )
        charts.append(_bars("education", "当选成员文化程度", labels, shares))
        structure = [("女性", c.women), ("中共党员", c.party_members), ("50岁以下", c.under_50),
                     ("少数民族", c.minority)]
        if not c.branch_unknown:
            structure.append(("交叉任职", c.cross_appointed))
        if c.re_election_known:
            structure.append(("连选连任", c.re_elected))
        charts.append(_shares("structure", "当选成员结构（占当选人数）", structure))
    rows = [v for v in figures.villages if v.registered and v.has_voted]  # 尚未投票: not a 0% bar
    if len(rows) > 1 and len(rows) <= PER_VILLAGE_MAX:
        charts.append(_shares("turnout", "各村参选率", [(v.name, v.turnout) for v in rows], reference=figures.turnout.turnout))
    elif len(rows) > PER_VILLAGE_MAX:
        counts = [sum(low <= v.turnout.ratio < high for v in rows) for _, low, high in TURNOUT_BANDS]
        charts.append(_bars("turnout", "各村参选率分布（村数）", [label for label, *_ in TURNOUT_BANDS],
                            [Share(n, len(rows)) for n in counts], unit="个"))
    if figures.previous is not None and c.total:
        p = figures.previous
        pairs = [("女性", c.women, p.women), ("中共党员", c.party_members, p.party_members),
                 ("50岁以下", c.under_50, p.under_50), ("大专及以上", c.education["大专及以上"], p.education["大专及以上"])]
        charts.append(_compare("compare", "与上届比较（占当选人数）", pairs))
    return charts


def _percent(share: Share) -> float:
    return float(share.ratio * 100) if share.ratio is not None else 0.0


def _label(share: Share, unit: str = "人") -> str:
    pct = share.percent()
    return f"{share.numerator}{unit}" + (f"\n{pct}%" if pct is not None else "")


def _bars(key: str, title: str, labels: list[str], shares: list[Share], *, unit: str = "人") -> Chart:
    def draw(ax):
        counts = [s.numerator for s in shares]
        bars = ax.bar(labels, counts, color=COLORS[0], width=0.6)
        ax.bar_label(bars, labels=[_label(s, unit) for s in shares], fontsize=8, padding=2)
        ax.set_ylim(0, max(counts + [1]) * 1.45)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel(unit if unit != "人" else "人数", fontsize=9)

    return _render(key, title, draw, size=(4.6, 2.8), inputs=(labels, shares, unit))


def _shares(key: str, title: str, items: list[tuple[str, Share]], *, reference: Share | None = None) -> Chart:
    def draw(ax):
        labels = [label for label, _ in items][::-1]
        values = [_percent(s) for _, s in items][::-1]
        bars = ax.barh(labels, values, color=COLORS[0], height=0.6)
        texts = [f"{s.percent()}%（{s.numerator}/{s.denominator}）" if s.denominator else "—" for _, s in items][::-1]
        ax.bar_label(bars, labels=texts, fontsize=8, padding=2)
        ax.set_xlim(0, 135)
        ax.set_xticks([0, 20, 40, 60, 80, 100])
        ax.set_xlabel("%", fontsize=9)
        if reference is not None and reference.ratio is not None:
            ax.axvline(_percent(reference), color=COLORS[1], linestyle="--", linewidth=1)
            ax.set_xlabel(f"%（虚线：合计 {reference.percent()}%）", fontsize=9)

    height = max(2.2, 0.32 * len(items) + 0.9)
    return _render(key, title, draw, size=(4.6, height), inputs=(items, reference))


def _compare(key: str, title: str, pairs: list[tuple[str, Share, Share]]) -> Chart:
    def draw(ax):
        xs = range(len(pairs))
        width = 0.38
        now = ax.bar([x - width / 2 for x in xs], [_percent(c) for _, c, _p in pairs], width, label="本届", color=COLORS[0])
        before = ax.bar([x + width / 2 for x in xs], [_percent(p) for _, _c, p in pairs], width, label="上届", color=COLORS[4])
        ax.bar_label(now, labels=[f"{c.percent()}%" if c.denominator else "—" for _, c, _p in pairs], fontsize=7, padding=1)
        ax.bar_label(before, labels=[f"{p.percent()}%" if p.denominator else "—" for _, _c, p in pairs], fontsize=7, padding=1)
        ax.set_xticks(list(xs), [label for label, *_ in pairs])
        ax.set_ylim(0, 115)
        ax.set_ylabel("%", fontsize=9)
        ax.legend(fontsize=8, frameon=False, loc="upper right", ncols=2)

    return _render(key, title, draw, size=(4.6, 2.8), inputs=pairs)


def _render(key: str, title: str, draw, *, size: tuple[float, float], inputs) -> Chart:
    """Draw a chart, or return the same chart drawn before: charts are a pure function of their
    ``inputs`` (the figures' integers), so their SVG is kept in Django's cache under a digest of the
    repr of those inputs: per process by default, shared by every node with ``CACHE_URL`` (Redis).
    Drawing is most of a report page's time (a township report: 240 of 270 ms, ``make loadtest``)."""
    signature = repr((CACHE_VERSION, key, title, size, inputs))
    cache_key = "reports.chart." + hashlib.sha256(signature.encode()).hexdigest()
    svg = cache.get(cache_key)
    if svg is not None:
        return Chart(key=key, title=title, svg=mark_safe(svg))
    chart = _draw(key, title, draw, size=size)
    cache.set(cache_key, str(chart.svg), CACHE_SECONDS)
    return chart


def _draw(key: str, title: str, draw, *, size: tuple[float, float]) -> Chart:
    _register_font()
    params = {
        "font.family": [FONT_FAMILY, "sans-serif"],
        "font.size": 9,
        "svg.fonttype": "none",
        "svg.hashsalt": f"report-{key}",  # ids differ between the charts of one page
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with _lock, matplotlib.rc_context(params):
        fig = Figure(figsize=size, layout="constrained")
        ax = fig.add_subplot()
        ax.set_title(title, fontsize=10)
        ax.tick_params(labelsize=8)
        draw(ax)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    svg = text[text.index("<svg"):]
    # Element ids are unique per chart, so several charts can share one page.
    for prefix in ('id="', 'href="#', "url(#"):
        svg = svg.replace(prefix, f"{prefix}{key}-")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{title}" class="report-chart" ', 1)
    return Chart(key=key, title=title, svg=mark_safe(svg))


def _register_font() -> None:
    """Register the Debian Noto CJK font with matplotlib once (idempotent; a missing font is reported
    by the system checks, and the chart then falls back to matplotlib's default face)."""
    global _font_registered
    if _font_registered:
        return
    if os.path.exists(FONT_PATH):
        font_manager.fontManager.addfont(FONT_PATH)
    _font_registered = True

