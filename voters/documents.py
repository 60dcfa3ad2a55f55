"""Printable documents of the register: the published voter list (PDF in A4 portrait or A3 landscape
for posting, and xlsx), the list of changes (增减名单) and the list of proxies.

One row iterator, ``published_list``, feeds both formats of the voter list, as pretix's
``iterate_list()`` feeds its exporters (STYLE.md §7). ID numbers are always masked (DOMAIN.md "The
published list").

PDF layout and memory (ENVIRONMENT.md "PDFs with Chinese"): WeasyPrint keeps every box of a document
in memory and spends most of its time on table cells. The voter list is therefore laid out here, not
by WeasyPrint: a fixed number of rows per page, each page a grid whose columns are single text blocks
with a fixed line height (a handful of boxes per page instead of one per cell), so page numbers and
"共 N 页" are known before rendering. The pages are rendered in chunks of about ``CHUNK_ROWS`` rows
(whole pages; every villager group starts on a new page) and the chunk PDFs are joined with pypdf, so
peak memory stays flat whatever the length of the list (see ``bench_voter_pdf``). Fewer, larger
chunks are faster (each embeds its own font subset, which the join must copy); larger ones cost memory.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from villages.announcements import VOTER_LIST, cn_numeral, notice_for
from villages.presets import PROXY_RELATIONS
from villages.strokes import stroke_key

from . import eligibility
from .idnumber import mask_id_number
from .models import AmendmentItem, Appeal, Proxy, Publication, Sex, Status, Voter

# Short category labels for the printed list, the field terms of DOMAIN.md ("户在人不在 / 人在户不在").
CATEGORY_SHORT = {
    eligibility.HUJI_RESIDENT: "户在人在",
    eligibility.HUJI_ABSENT: "户在人不在",
    eligibility.RESIDENT_NON_HUJI: "人在户不在",
}
SEX_LABELS = dict(Sex.choices)
CHUNK_ROWS = 1000
PDF_TEMPLATE = "voters/pdf/published_list.html"


@dataclass(frozen=True)
class ListRow:
    number: int  # 序号 within the villager group
    name: str
    sex: str
    age: int
    group_number: int
    group_name: str
    category: str
    masked_id: str


@dataclass(frozen=True)
class GroupTotal:
    number: int
    name: str
    men: int
    women: int

    @property
    def total(self) -> int:
        return self.men + self.women


@dataclass(frozen=True)
class ListHeader:
    title: str
    township: str
    village: str
    election_day: date
    published_on: date | None  # None: a draft before publication
    as_of: date
    groups: tuple[GroupTotal, ...]

    @property
    def men(self) -> int:
        return sum(g.men for g in self.groups)

    @property
    def women(self) -> int:
        return sum(g.women for g in self.groups)

    @property
    def total(self) -> int:
        return self.men + self.women

    @property
    def is_draft(self) -> bool:
        return self.published_on is None


def list_voters(election, *, as_of: date):
    """The voters of the list as it stood on ``as_of``; before publication, every registered voter."""
    from .registrations import register_of

    voters = register_of(election)
    if Publication.objects.filter(election=election).exists():
        return voters.listed_on(as_of)
    return voters.filter(status=Status.REGISTERED)


def published_list(election, *, as_of: date) -> tuple[ListHeader, Iterator[ListRow]]:
    """The header with totals per group (one aggregate query) and a streaming row iterator.

    Rows come grouped by villager group number and, within a group, in surname-stroke order
    (``villages.strokes.stroke_key``, the same on every database), equal names in entry order.
    """
    voters = list_voters(election, as_of=as_of)
    publication = Publication.objects.filter(election=election).first()
    counts: dict[tuple[str, int, str], dict[str, int]] = {}
    fields = ("group__village__code", "group__number", "group__village__name", "group__name", "sex")
    for row in voters.values(*fields).annotate(n=Count("id")).order_by("group__village__code", "group__number"):
        key = (row["group__village__code"], row["group__number"], group_label(election, row["group__village__name"], row["group__name"]))
        counts.setdefault(key, {})[row["sex"]] = row["n"]
    groups = tuple(
        GroupTotal(number=number, name=name, men=by_sex.get(Sex.MALE, 0), women=by_sex.get(Sex.FEMALE, 0))
        for (_, number, name), by_sex in sorted(counts.items())
    )
    header = ListHeader(
        title=list_title(election),
        township=election.township.name,
        village=election.unit_name,
        election_day=election.election_day,
        published_on=publication.published_on if publication else None,
        as_of=as_of,
        groups=groups,
    )
    return header, _rows(voters, election)


def list_title(election) -> str:
    """第七届村民委员会选举选民名单 of a village; the round and the district of a 选区."""
    campaign = election.campaign
    if election.is_district:
        return f"{campaign.place_name}第{cn_numeral(campaign.term_number)}届{campaign.kind.title(campaign.level)}{election.district}选民名单"
    return f"{election.village.name}第{cn_numeral(campaign.term_number)}届村民委员会选举选民名单"


def group_label(election, village_name: str, group_name: str) -> str:
    """A villager group as a list names it: with its village's name in a 选区, which may take in
    groups of several villages."""
    return f"{village_name}{group_name}" if election.is_district else group_name


def _rows(voters, election) -> Iterator[ListRow]:
    leap_rule = election.rules.leap_day_birthday_turns_on_march_1
    values = voters.order_by("group__village__code", "group__number", "id").values_list(
        "id", "name", "sex", "birth_date", "category", "id_number", "group__number", "group__name", "group__village__name"
    )
    grouped = groupby(values.iterator(chunk_size=2000), key=lambda v: (v[6], group_label(election, v[8], v[7])))
    for (group_number, group_name), members in grouped:
        for number, (_, name, sex, birth, category, id_number, *_rest) in enumerate(
            sorted(members, key=lambda v: (stroke_key(v[1]), v[0])), start=1
        ):
            yield ListRow(
                number=number,
                name=name,
                sex=SEX_LABELS.get(sex, sex),
                age=eligibility.age_on(birth, election.election_day, leap_day_birthday_turns_on_march_1=leap_rule),
                group_number=group_number,
                group_name=group_name,
                category=CATEGORY_SHORT.get(category, category),
                masked_id=mask_id_number(id_number),
            )


# ---------------------------------------------------------------- PDF: page plan


# The columns a list can print: (label, alignment).
COLUMN_SPECS = {
    "number": ("序号", "r"),
    "name": ("姓名", "l"),
    "sex": ("性别", "c"),
    "age": ("年龄", "c"),
    "group": ("村民小组", "l"),
    "category": ("登记类别", "l"),
    "masked_id": ("公民身份号码", "l"),
}


@dataclass(frozen=True)
class Paper:
    """A page plan: how many grids of how many rows, the type size and the columns with their widths.

    ``poster``: the posting version (张贴用), headed as the committee's announcement with a seal area and
    set in large type to be read on a wall; the villager group is in the page heading, so its column and
    the ID number (not required on the posted list, DOMAIN.md "The published list") are left out.
    """

    code: str
    label: str
    page_size: str
    grids_per_page: int
    rows_per_grid: int
    font_pt: float
    columns: tuple[tuple[str, int], ...]  # (COLUMN_SPECS key, width in mm)
    row_mm: float = 7
    grids_height_mm: int = 232
    poster: bool = False

    @property
    def rows_per_page(self) -> int:
        return self.grids_per_page * self.rows_per_grid

    @property
    def grid_width_mm(self) -> int:
        return sum(width for _, width in self.columns)

    @property
    def column_widths_mm(self) -> tuple[int, ...]:
        return tuple(width for _, width in self.columns)

    @property
    def head_mm(self) -> float:
        return self.row_mm + 1

    @property
    def rule_mm(self) -> float:
        """Where the rule under each row starts within the row's band."""
        return round(self.row_mm - 0.3, 2)


A4_PORTRAIT = Paper(
    "a4", "A4纵向", "A4 portrait", 1, 32, 10.5,
    (("number", 14), ("name", 42), ("sex", 13), ("age", 13), ("group", 28), ("category", 28), ("masked_id", 48)),
)
A3_POSTER = Paper(
    "a3", "A3横向张贴版", "A3 landscape", 3, 20, 16,
    (("number", 16), ("name", 48), ("sex", 15), ("age", 15), ("category", 32)),
    row_mm=9.6, grids_height_mm=203, poster=True,
)
PAPERS = {paper.code: paper for paper in (A4_PORTRAIT, A3_POSTER)}
MM_PER_PT = 0.3528
CELL_PADDING_MM = 2.6
SMALLEST_NAME_PERCENT = 45


def pages_for(count: int, paper: Paper) -> int:
    return max(1, math.ceil(count / paper.rows_per_page))


def total_pages(groups: Iterable[GroupTotal], paper: Paper) -> int:
    """Every group starts on a new page; one summary page closes the list."""
    return sum(pages_for(g.total, paper) for g in groups) + 1


@dataclass
class Column:
    label: str
    align: str
    left_mm: int
    width_mm: int
    text: SafeString


@dataclass
class Grid:
    columns: list[Column]
    rows: int
    height_mm: float = 0


@dataclass
class Page:
    number: int
    group: GroupTotal | None  # None on the summary page
    grids: list[Grid] = field(default_factory=list)
    closes_group: bool = False


def build_pages(header: ListHeader, rows: Iterator[ListRow], paper: Paper) -> Iterator[Page]:
    """The pages of the list in order, each with its grids filled; the summary page last."""
    groups = {g.number: g for g in header.groups}
    number = 0
    for group_number, members in groupby(rows, key=lambda r: r.group_number):
        group = groups[group_number]
        page_rows: list[ListRow] = []
        for row in members:
            page_rows.append(row)
            if len(page_rows) == paper.rows_per_page:
                number += 1
                yield _page(number, group, page_rows, paper, closes=row.number == group.total)
                page_rows = []
        if page_rows:
            number += 1
            yield _page(number, group, page_rows, paper, closes=True)
    yield Page(number=number + 1, group=None)


def _page(number: int, group: GroupTotal, rows: list[ListRow], paper: Paper, *, closes: bool) -> Page:
    grids = []
    for start in range(0, len(rows), paper.rows_per_grid):
        grids.append(_grid(rows[start : start + paper.rows_per_grid], paper))
    return Page(number=number, group=group, grids=grids, closes_group=closes)


def _grid(rows: list[ListRow], paper: Paper) -> Grid:
    name_width = dict(paper.columns)["name"] - CELL_PADDING_MM
    values = {
        "number": [str(r.number) for r in rows],
        "name": [_name_cell(r.name, name_width, paper.font_pt) for r in rows],
        "sex": [r.sex for r in rows],
        "age": [str(r.age) for r in rows],
        "group": [escape(r.group_name) for r in rows],
        "category": [r.category for r in rows],
        "masked_id": [r.masked_id for r in rows],
    }
    columns, left = [], 0
    for key, width in paper.columns:
        label, align = COLUMN_SPECS[key]
        columns.append(Column(label=label, align=align, left_mm=left, width_mm=width, text=mark_safe("\n".join(values[key]))))
        left += width
    return Grid(columns=columns, rows=len(rows), height_mm=round(len(rows) * paper.row_mm, 2))


def _name_cell(name: str, width_mm: float, font_pt: float) -> str:
    """A name, shrunk to fit its column when long (e.g. 维吾尔族 names with "·"); every CJK character
    and the middle dot take a full em."""
    needed = len(name) * font_pt * MM_PER_PT
    if needed <= width_mm:
        return escape(name)
    percent = max(SMALLEST_NAME_PERCENT, int(100 * width_mm / needed))
    return f'<span class="shrunk" style="font-size: {percent}%">{escape(name)}</span>'


# ---------------------------------------------------------------- PDF: rendering


def render_published_list_pdf(election, *, as_of: date, paper: Paper = A4_PORTRAIT, chunk_rows: int = CHUNK_ROWS) -> bytes:
    """The published list as one PDF, rendered chunk by chunk (see the module docstring)."""
    header, rows = published_list(election, as_of=as_of)
    context = {
        "header": header,
        "paper": paper,
        "total_pages": total_pages(header.groups, paper),
        "appeal_days": election.rules.voter_appeal_window_days,
        "notice": notice_for(VOTER_LIST, election, dated=header.published_on, draft=header.is_draft),
    }
    chunks: list[bytes] = []
    batch: list[Page] = []
    batch_rows = 0
    for page in build_pages(header, rows, paper):
        if batch and batch_rows >= chunk_rows:
            chunks.append(html_to_pdf(render_to_string(PDF_TEMPLATE, context | {"pages": batch})))
            batch, batch_rows = [], 0
        batch.append(page)
        batch_rows += sum(grid.rows for grid in page.grids)
    chunks.append(html_to_pdf(render_to_string(PDF_TEMPLATE, context | {"pages": batch})))
    return join_pdfs(chunks)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def join_pdfs(parts: list[bytes]) -> bytes:
    """Concatenate PDFs page by page (pypdf); one part is returned as it is."""
    if len(parts) == 1:
        return parts[0]
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def amendments_pdf(election, *, batch=None) -> bytes:
    """The 增减名单 of one batch, or of every batch since publication."""
    context = {"election": election, "batch": batch, "rows": amendment_rows(election, batch=batch)}
    return html_to_pdf(render_to_string("voters/pdf/amendments.html", context))


def proxy_list_pdf(election) -> bytes:
    return html_to_pdf(render_to_string("voters/pdf/proxy_list.html", {"election": election, "rows": proxy_rows(election)}))


def appeals_pdf(election) -> bytes:
    """选民资格申诉及处理决定: every appeal with its decision (kept in the archive, OL §14 ¶2)."""
    return html_to_pdf(render_to_string("voters/pdf/appeals.html", {"election": election, "rows": appeal_rows(election)}))


# ---------------------------------------------------------------- xlsx


XLSX_HEADERS = ("序号", "姓名", "性别", "年龄", "村民小组", "登记类别", "公民身份号码（隐去中间位）")
XLSX_WIDTHS = (7, 16, 6, 6, 14, 12, 24)


def render_published_list_xlsx(election, *, as_of: date) -> bytes:
    """The same rows as the PDF: numbers as numbers, the header row frozen, totals on a second sheet."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from villages.spreadsheets import row_values

    header, rows = published_list(election, as_of=as_of)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("选民名单")
    sheet.freeze_panes = "A2"
    for index, width in enumerate(XLSX_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append(XLSX_HEADERS)
    for row in rows:
        sheet.append(row_values([row.number, row.name, row.sex, row.age, row.group_name, row.category, row.masked_id]))
    totals = workbook.create_sheet("分组合计")
    totals.freeze_panes = "A2"
    totals.append(("组号", "村民小组", "男", "女", "合计"))
    for group in header.groups:
        totals.append(row_values([group.number, group.name, group.men, group.women, group.total]))
    totals.append([None, "全村合计", header.men, header.women, header.total])
    date_label = f"公布日期：{header.published_on:%Y-%m-%d}" if header.published_on else "未公布（核对稿）"
    totals.append([None, date_label, None, None, None])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- amendments and proxies


@dataclass(frozen=True)
class AmendmentRow:
    batch: int
    effective_on: date
    change: str
    name: str
    sex: str
    group_name: str
    masked_id: str
    reason: str
    note: str


def amendment_rows(election, *, batch=None) -> list[AmendmentRow]:
    """The 增减名单: every item of every batch (or of one), in batch order."""
    items = AmendmentItem.objects.filter(batch__election=election).select_related("batch", "voter", "voter__group")
    if batch is not None:
        items = items.filter(batch=batch)
    reasons = election.rules.register_change_reasons
    return [
        AmendmentRow(
            batch=item.batch.number,
            effective_on=item.batch.effective_on,
            change=item.get_change_display(),
            name=item.voter.name,
            sex=SEX_LABELS.get(item.voter.sex, ""),
            group_name=item.voter.group.name,
            masked_id=item.voter.masked_id_number,
            reason=reasons.get(item.reason_code, "") or item.batch.reason,
            note=item.note or item.batch.reason,
        )
        for item in items.order_by("batch__number", "id")
    ]


@dataclass(frozen=True)
class ProxyRow:
    number: int
    principal: str
    principal_group: str
    holder: str
    holder_group: str
    relation: str
    authorized_on: date
    document_ref: str


def approved_proxies(election) -> list[Proxy]:
    """Approved proxies by the holder's villager group, then the holder's name in surname-stroke order: the
    order of the proxy list and of the certificates, whose numbers are the list's 序号."""
    return sorted(
        Proxy.objects.filter(election=election, status=Proxy.Status.APPROVED).select_related("principal__group", "holder__group"),
        key=lambda p: (p.holder.group.number, stroke_key(p.holder.name), p.holder_id, p.id),
    )


def proxy_rows(election) -> list[ProxyRow]:
    """Approved proxies, grouped by holder (the published list of principals and holders, OL §15 ¶4)."""
    proxies = approved_proxies(election)
    return [
        ProxyRow(
            number=index,
            principal=p.principal.name,
            principal_group=p.principal.group.name,
            holder=p.holder.name,
            holder_group=p.holder.group.name,
            relation=PROXY_RELATIONS.get(p.relation, p.relation),
            authorized_on=p.authorized_on,
            document_ref=p.document_ref,
        )
        for index, p in enumerate(proxies, start=1)
    ]


@dataclass(frozen=True)
class AppealRow:
    number: int
    received_on: date
    filer: str
    subject: str
    masked_id: str
    kind: str
    reason: str
    decision: str
    decision_text: str
    decided_on: date | None
    published_on: date | None
    batch: int | None


def appeal_rows(election) -> list[AppealRow]:
    """Every appeal of the election in the order received; the person concerned with a masked ID."""
    appeals = Appeal.objects.filter(election=election).select_related("voter", "batch").order_by("received_on", "id")
    return [
        AppealRow(
            number=index,
            received_on=a.received_on,
            filer=a.filer_name,
            subject=a.voter.name if a.voter else a.subject_name,
            masked_id=a.voter.masked_id_number if a.voter else mask_id_number(a.subject_id_number),
            kind=a.get_kind_display(),
            reason=a.reason,
            decision=a.get_decision_display() if a.decision else "尚未决定",
            decision_text=a.decision_text,
            decided_on=a.decided_on,
            published_on=a.decision_published_on,
            batch=a.batch.number if a.batch else None,
        )
        for index, a in enumerate(appeals, start=1)
    ]
