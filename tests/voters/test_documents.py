"""The printed and downloaded lists: published voter list (PDF A4/A3, xlsx), 增减名单, proxy list."""

import io
import json
import re
import subprocess
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from villages.strokes import stroke_key
from tests.builders import make_election_ready, make_voter, make_voters, publish_list
from voters import documents
from voters.models import Proxy, Voter
from voters.services.register import Amendment, unlist_voter

AS_OF = date(2026, 12, 21)
CJK_FONT = re.compile(r"Noto-?Sans-?CJK-?SC")


@pytest.fixture
def published(election_a, clerk):
    """75 voters over two groups plus a long Uyghur name, published on 2026-12-20."""
    make_election_ready(election=election_a, by=clerk)
    make_voters(election=election_a, count=75)
    make_voter(election=election_a, name="阿卜杜热合曼·买买提明·艾则孜江", serial=400, birth_date=date(1988, 2, 29))
    publish_list(election=election_a, by=clerk)
    return election_a


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def test_rows_are_grouped_sorted_and_masked(published):
    header, rows = documents.published_list(published, as_of=AS_OF)
    rows = list(rows)
    assert [(g.name, g.men, g.women, g.total) for g in header.groups] == [("第1组", 27, 13, 40), ("第2组", 12, 24, 36)]
    assert header.total == 76 and header.published_on == date(2026, 12, 20)
    first_group = [r for r in rows if r.group_number == 1]
    assert [r.number for r in first_group] == list(range(1, 41))
    assert [r.name for r in first_group] == sorted((r.name for r in first_group), key=stroke_key)
    assert all("*" * 8 in r.masked_id for r in rows)


def test_list_prints_in_surname_stroke_order_within_each_group(election_a):
    """Not in code point order (丁一 于洋 张伟 王芳 马超): 2, 3, 3, 4, 7 strokes; equal counts by code point."""
    for serial, name in enumerate(["马超", "张伟", "王芳", "于洋", "丁一", "王𪚥"], start=1):
        make_voter(election=election_a, name=name, serial=serial)
    _, rows = documents.published_list(election_a, as_of=AS_OF)
    assert [r.name for r in rows] == ["丁一", "于洋", "马超", "王芳", "王𪚥", "张伟"]


def test_age_is_counted_on_election_day(published):
    _, rows = documents.published_list(published, as_of=AS_OF)
    leap = next(r for r in rows if r.name.startswith("阿卜杜"))
    assert leap.age == 38  # born 1988-02-29, election day 2027-01-16


def test_list_as_of_a_date_reproduces_the_counts(published, clerk):
    voter = Voter.objects.filter(election=published).first()
    unlist_voter(by=clerk, voter=voter, amendment=Amendment(effective_on=date(2026, 12, 23), reason="死亡"), today=date(2026, 12, 23))
    assert documents.published_list(published, as_of=date(2026, 12, 22))[0].total == 76
    assert documents.published_list(published, as_of=date(2026, 12, 23))[0].total == 75


def test_page_plan_starts_each_group_on_a_new_page_and_ends_with_the_summary(published):
    header, rows = documents.published_list(published, as_of=AS_OF)
    pages = list(documents.build_pages(header, rows, documents.A4_PORTRAIT))
    assert [(p.number, p.group.name if p.group else None, p.closes_group) for p in pages] == [
        (1, "第1组", False), (2, "第1组", True), (3, "第2组", False), (4, "第2组", True), (5, None, False),
    ]  # fmt: skip
    assert documents.total_pages(header.groups, documents.A4_PORTRAIT) == 5


@pytest.mark.parametrize("n,text", [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (47, "四十七")])
def test_term_in_chinese_numerals(n, text):
    assert documents.cn_numeral(n) == text


def test_pdf_embeds_the_cjk_font_and_shows_only_masked_numbers(published, tmp_path):
    pdf = documents.render_published_list_pdf(published, as_of=AS_OF)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 5
    assert CJK_FONT.search(pdf_fonts(pdf, tmp_path))
    text = pdf_text(pdf, tmp_path)
    flat = re.sub(r"\s+", "", text)
    assert "东山村第十二届村民委员会选举选民名单" in flat
    assert "公布日期：2026年12月20日" in flat and "第5页共5页" in flat
    assert "第1组合计：选民40人（男27人，女13人）" in flat
    assert "村民选举委员会（盖章）" in flat
    for number in Voter.objects.values_list("id_number", flat=True):
        assert number not in text and number[:6] + "*" * 8 + number[-4:] in text


def test_rare_name_characters_print_with_the_fallback_font(published, tmp_path):
    """生僻字 outside Noto Sans CJK (Ext-B 𪚥) are drawn from Hanazono Mincho, not as boxes."""
    Voter.objects.filter(pk=Voter.objects.filter(election=published).first().pk).update(name="王𪚥")
    pdf = documents.render_published_list_pdf(published, as_of=AS_OF)
    assert "HanaMin" in pdf_fonts(pdf, tmp_path)
    assert "王𪚥" in re.sub(r"\s+", "", pdf_text(pdf, tmp_path))


def test_chunked_rendering_gives_the_same_pages(published, tmp_path):
    whole = documents.render_published_list_pdf(published, as_of=AS_OF, chunk_rows=10_000)
    chunked = documents.render_published_list_pdf(published, as_of=AS_OF, chunk_rows=30)
    assert len(PdfReader(io.BytesIO(chunked)).pages) == len(PdfReader(io.BytesIO(whole)).pages) == 5
    assert pdf_text(chunked, tmp_path).split() == pdf_text(whole, tmp_path).split()


def type_size_pt(pdf: bytes, word: str, tmp_path) -> float:
    """The em of ``word`` on page 1, measured from its box: its width over its number of characters."""
    path = tmp_path / "size.pdf"
    path.write_bytes(pdf)
    boxes = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True, check=True).stdout
    match = re.search(rf'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">{word}</word>', boxes)
    return (float(match[2]) - float(match[1])) / len(word)


def test_a3_posting_version_is_a_large_type_poster_headed_as_the_committees_announcement(published, tmp_path):
    """Not the A4 table on half a page: A3 landscape, names in 16 pt (A4: 10.5 pt), the 公告 heading of the
    series (第2号) and a seal area under every group."""
    pdf = documents.render_published_list_pdf(published, as_of=AS_OF, paper=documents.A3_POSTER)
    reader = PdfReader(io.BytesIO(pdf))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(width), round(height)) == (1191, 842)
    assert len(reader.pages) == 3  # each group fits one A3 page, then the summary
    name = next(r.name for r in documents.published_list(published, as_of=AS_OF)[1] if len(r.name) == 2)
    assert type_size_pt(pdf, name, tmp_path) > 15.9
    a4 = documents.render_published_list_pdf(published, as_of=AS_OF)
    assert type_size_pt(a4, name, tmp_path) < 11
    flat = re.sub(r"\s+", "", pdf_text(pdf, tmp_path))
    assert "东山村村民选举委员会公告（第2号）" in flat
    assert flat.count("（盖章处）") == 3
    assert "*" * 8 not in flat  # the posted list leaves the ID numbers out


def test_draft_before_publication_says_so(election_a, tmp_path):
    make_voters(election=election_a, count=3)
    text = pdf_text(documents.render_published_list_pdf(election_a, as_of=AS_OF), tmp_path)
    assert "核对稿（未公布）" in text


def test_xlsx_keeps_numbers_as_numbers_and_freezes_the_header(published):
    workbook = load_workbook(io.BytesIO(documents.render_published_list_xlsx(published, as_of=AS_OF)))
    sheet = workbook["选民名单"]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == list(documents.XLSX_HEADERS)
    assert sheet.max_row == 77
    number, name, sex, age, group, category, masked = (c.value for c in sheet[2])
    assert isinstance(number, int) and isinstance(age, int) and "********" in masked
    totals = [[c.value for c in row] for row in workbook["分组合计"].iter_rows(min_row=2, max_row=4)]
    assert totals == [[1, "第1组", 27, 13, 40], [2, "第2组", 12, 24, 36], [None, "全村合计", 39, 37, 76]]


def test_pdf_and_xlsx_downloads(client, published, supervisor):
    client.force_login(supervisor)
    pdf = client.get(reverse("voters:published-list-pdf", args=[published.pk]), {"paper": "a3"})
    assert pdf["Content-Type"] == "application/pdf" and "filename*=utf-8''" in pdf["Content-Disposition"].lower()
    xlsx = client.get(reverse("voters:published-list-xlsx", args=[published.pk]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(reverse("voters:published-list-pdf", args=[published.pk]), {"paper": "a5"}).status_code == 404


def test_other_village_liaison_cannot_download(client, published, liaison_b):
    client.force_login(liaison_b)
    assert client.get(reverse("voters:published-list-pdf", args=[published.pk])).status_code == 404
    assert client.get(reverse("voters:published-list-xlsx", args=[published.pk])).status_code == 404


def test_amendments_pdf(client, published, clerk, tmp_path):
    voter = Voter.objects.filter(election=published).first()
    unlist_voter(
        by=clerk, voter=voter, amendment=Amendment(effective_on=date(2026, 12, 22), reason="死亡", reason_code="REM_DEAD"), today=date(2026, 12, 22)
    )
    client.force_login(clerk)
    pdf = client.get(reverse("voters:amendments-pdf", args=[published.pk])).content
    assert CJK_FONT.search(pdf_fonts(pdf, tmp_path))
    text = pdf_text(pdf, tmp_path)
    assert "选民增减名单" in text and voter.name in text and "死亡" in text and voter.masked_id_number in text
    assert voter.id_number not in text


def test_proxy_list_pdf_lists_approved_proxies_only(client, published, clerk, tmp_path):
    holder, principal, other = Voter.objects.filter(election=published).order_by("id")[:3]
    Proxy.objects.create(election=published, principal=principal, holder=holder, relation="spouse", authorized_on=date(2027, 1, 3), status="approved")
    Proxy.objects.create(election=published, principal=other, holder=holder, relation="child", authorized_on=date(2027, 1, 3))
    client.force_login(clerk)
    text = pdf_text(client.get(reverse("voters:proxy-list-pdf", args=[published.pk])).content, tmp_path)
    assert "委托投票名单" in text and principal.name in text and "配偶" in text
    assert other.name not in text


def test_proxy_list_orders_holders_by_surname_strokes(published):
    group = Voter.objects.filter(election=published).first().group
    for n, (holder_name, principal_name) in enumerate([("马超", "马一"), ("张伟", "张一"), ("丁一", "丁二")]):
        holder = make_voter(election=published, name=holder_name, serial=90 + n, group=group)
        principal = make_voter(election=published, name=principal_name, serial=95 + n, group=group)
        Proxy.objects.create(election=published, principal=principal, holder=holder, relation="spouse",
                             authorized_on=date(2027, 1, 3), status="approved")
    assert [r.holder for r in documents.proxy_rows(published)] == ["丁一", "马超", "张伟"]


def test_bench_child_renders_in_a_rolled_back_transaction(db):
    out = io.StringIO()
    call_command("bench_voter_pdf", child="list", size=40, stdout=out)
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    assert result["pages"] >= 2 and result["peak_mb"] > 0
    assert not Voter.objects.exists()
