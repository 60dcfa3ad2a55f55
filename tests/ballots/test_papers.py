"""The papers an office prints for the vote: voter cards, the 第1号 and 第4号 announcements, certificates of
election, numbered ballots and the print-quantity sheet. Checked through poppler (text, fonts, pages)."""

import os
import re
from datetime import date

import pytest
from django.urls import reverse

from ballots import papers
from ballots.models import PollingStation
from ballots.services.announcement import announce_results
from tests.ballots.scenario import central_sheet, group_sheet
from tests.ballots.test_documents import pages, poppler
from tests.builders import enter_tally, make_voter
from villages.models import AuditEntry
from voters.models import Voter

DAY = date(2027, 1, 16)
# Set PAPERS_PNG_DIR to keep each paper's PDF for a look with ``pdftoppm -r 80 -png``.
KEEP = os.environ.get("PAPERS_PNG_DIR")


def flat(content: bytes, tmp_path) -> str:
    return re.sub(r"\s+", "", poppler("pdftotext", content, tmp_path))


def lines(content: bytes, tmp_path) -> list[str]:
    return poppler("pdftotext", content, tmp_path, "-layout").splitlines()


def keep(name: str, content: bytes) -> None:
    if KEEP:
        with open(os.path.join(KEEP, name), "wb") as handle:
            handle.write(content)


def assert_fonts_are_cjk(content: bytes, tmp_path) -> None:
    """Every font embedded is Noto Sans CJK or the rare-character fallback: no box-drawing fallback."""
    rows = poppler("pdffonts", content, tmp_path).splitlines()[2:]
    assert rows and all("Noto-Sans-CJK" in row or "HanaMin" in row for row in rows), rows


@pytest.fixture
def announced(counting, clerk):
    enter_tally(by=clerk, round=counting.round, station=counting.central, values=central_sheet(counting))
    enter_tally(by=clerk, round=counting.round, station=counting.group, values=group_sheet(counting))
    announce_results(by=clerk, election=counting.election, on=DAY, today=DAY)
    return counting


LONG_NAME = "阿卜杜热合曼·买买提明"


def test_voter_cards_are_numbered_as_on_the_list_and_printed_per_group(client, supervisor, counting, tmp_path):
    election = counting.election
    make_voter(election=election, name=LONG_NAME, serial=90)
    make_voter(election=election, name="王𪚥", serial=91)
    counting.group.location = "第一村民小组活动室"
    counting.group.group = election.village.groups.order_by("number").first()
    counting.group.save(update_fields=["location", "group"])
    cards = papers.voter_cards(election, as_of=DAY)
    assert len(cards) == Voter.objects.filter(election=election).count() == 22
    first_group = [c for c in cards if c.number.startswith("01-")]
    assert [c.number for c in first_group] == [f"01-{n:03d}" for n in range(1, len(first_group) + 1)]
    assert {c.station for c in first_group} == {"第1组投票站"}
    assert {c.station for c in cards if not c.number.startswith("01-")} == {"中心会场"}

    client.force_login(supervisor)  # read-only, but may print
    response = client.get(reverse("ballots:voter-cards-pdf", args=[election.pk]) + "?group=1")
    assert response.status_code == 200
    content = response.content
    keep("voter_cards.pdf", content)
    assert_fonts_are_cjk(content, tmp_path)
    text = flat(content, tmp_path)
    assert text.count("选民证") == len(first_group)
    assert "No.01-001" in text and "第1组投票站（第一村民小组活动室）" in text
    assert any(LONG_NAME in line for line in lines(content, tmp_path))  # on one line, never one character per line
    assert pages(content, tmp_path) == -(-len(first_group) // papers.CARDS_PER_PAGE)
    entry = AuditEntry.objects.filter(action="ballots.voter_cards.printed").get()
    assert entry.changes["group"] == [None, "第1组"]


def test_voter_cards_of_an_unknown_group_are_a_404(client, clerk, counting):
    client.force_login(clerk)
    assert client.get(reverse("ballots:voter-cards-pdf", args=[counting.election.pk]) + "?group=99").status_code == 404
    assert client.get(reverse("ballots:voter-cards-pdf", args=[counting.election.pk]) + "?group=x").status_code == 404


def test_election_day_notice_is_announcement_no_1_with_the_polling_places_and_a_seal_area(client, clerk, counting, tmp_path):
    counting.central.location = "村委会大礼堂"
    counting.central.save(update_fields=["location"])
    client.force_login(clerk)
    content = client.get(reverse("ballots:election-day-notice-pdf", args=[counting.election.pk])).content
    keep("election_day_notice.pdf", content)
    assert_fonts_are_cjk(content, tmp_path)
    text = flat(content, tmp_path)
    assert "东山村村民选举委员会公告（第1号）" in text
    assert "第十二届村民委员会选举选举日和投票地点" in text
    assert "选举日：2027年1月16日" in text and "村委会大礼堂" in text and "第1组投票站" in text
    assert "主任1名，委员2名" in text and "（盖章处）" in text
    assert AuditEntry.objects.filter(action="ballots.election_day_notice.printed").count() == 1


def test_results_notice_is_announcement_no_4_listing_the_elected_from_the_top(client, clerk, announced, tmp_path):
    client.force_login(clerk)
    content = client.get(reverse("ballots:results-notice-pdf", args=[announced.election.pk])).content
    keep("results_notice.pdf", content)
    text = flat(content, tmp_path)
    assert "东山村村民选举委员会公告（第4号）" in text and "核对稿" not in text
    v = announced.v
    assert f"主任{v[0].name}" in text and f"委员{v[2].name}" in text and f"委员{v[3].name}" in text
    assert text.index(v[0].name) < text.index(v[2].name)
    assert "东山村第十二届村民委员会选举于2027年1月16日举行" in text and "（盖章处）" in text


def test_results_notice_before_the_announcement_is_a_draft(client, clerk, counting, tmp_path):
    client.force_login(clerk)
    content = client.get(reverse("ballots:results-notice-pdf", args=[counting.election.pk])).content
    assert "核对稿（未公布）" in flat(content, tmp_path) and "尚无当选人" in flat(content, tmp_path)


def test_one_certificate_per_elected_member(client, liaison_a, announced, tmp_path):
    client.force_login(liaison_a)
    content = client.get(reverse("ballots:certificates-pdf", args=[announced.election.pk])).content
    keep("certificates.pdf", content)
    assert_fonts_are_cjk(content, tmp_path)
    assert pages(content, tmp_path) == 3  # chair and two members
    text = flat(content, tmp_path)
    assert text.count("当选证书编号") == 3 and "第十二届第01号" in text and "第十二届第03号" in text
    assert f"{announced.v[0].name}同志" in text and "当选为东山村村民委员会主任" in text
    assert AuditEntry.objects.filter(action="ballots.certificates.printed").count() == 1


def test_quantity_sheet_gives_each_station_registered_plus_reserve_in_one_run_of_numbers(client, clerk, counting, tmp_path):
    sheet = papers.quantity_sheet(counting.election, counting.round)
    assert [(r.station, r.registered, r.reserve, r.first, r.last) for r in sheet.rows] == [
        ("中心会场", 12, 5, 1, 17),
        ("第1组投票站", 8, 5, 18, 30),
    ]
    assert (sheet.registered, sheet.quantity) == (20, 30)
    client.force_login(clerk)
    content = client.get(reverse("ballots:ballot-quantities-pdf", args=[counting.election.pk, counting.round.pk])).content
    keep("ballot_quantities.pdf", content)
    text = flat(content, tmp_path)
    assert "选票印制数量表" in text and "No.000018—No.000030" in text and "合计20" in text


def test_a_mobile_box_gets_no_run_of_its_own(counting):
    PollingStation.objects.create(election=counting.election, kind="mobile", name="流动票箱", assigned_voters=3)
    counting.round.stations.add(PollingStation.objects.get(name="流动票箱"))
    assert [r.station for r in papers.quantity_sheet(counting.election, counting.round).rows] == ["中心会场", "第1组投票站"]


def test_numbered_ballots_print_one_page_per_number(client, clerk, counting, tmp_path):
    client.force_login(clerk)
    url = reverse("ballots:ballot-pdf", args=[counting.election.pk, counting.round.pk])
    content = client.get(url + "?from=18&to=20").content
    keep("ballots_numbered.pdf", content)
    assert pages(content, tmp_path) == 3
    text = flat(content, tmp_path)
    assert [n for n in ("No.000017", "No.000018", "No.000019", "No.000020", "No.000021") if n in text] == [
        "No.000018", "No.000019", "No.000020"]
    entry = AuditEntry.objects.filter(action="ballots.ballot.printed").get()
    assert entry.changes["numbers"] == [None, "18-20"]
    assert "选票编号" not in flat(client.get(url).content, tmp_path)  # the sample ballot has none


@pytest.mark.parametrize("query", ["?from=0&to=3", "?from=5&to=4", "?from=a&to=3", "?from=1"])
def test_bad_ballot_number_range_is_a_404(client, clerk, counting, query):
    client.force_login(clerk)
    url = reverse("ballots:ballot-pdf", args=[counting.election.pk, counting.round.pk])
    assert client.get(url + query).status_code == 404


def test_numbered_ballots_are_cut_to_one_batch_per_file(rf, clerk, counting):
    from ballots.views.documents import _number_range

    assert _number_range(rf.get("/?from=1&to=5000")) == (1, 500)
    assert _number_range(rf.get("/")) is None


@pytest.mark.parametrize(
    "page, round_page, paper, query",
    [
        ("voters:voter-list", False, "ballots:voter-cards-pdf", "?group=1"),
        ("voters:voter-list", False, "ballots:election-day-notice-pdf", ""),
        ("voters:proxy-list", False, "voters:proxy-certificates-pdf", ""),
        ("candidates:candidate-list", False, "candidates:candidate-list-pdf", "?mode="),
        ("ballots:station-list", False, "ballots:election-day-notice-pdf", ""),
        ("ballots:results", False, "ballots:results-notice-pdf", ""),
        ("ballots:results", False, "ballots:certificates-pdf", ""),
        ("ballots:round-detail", True, "ballots:ballot-quantities-pdf", ""),
    ],
)
def test_each_paper_is_linked_from_the_page_where_a_clerk_looks_for_it(client, supervisor, announced, page, round_page, paper, query):
    from bs4 import BeautifulSoup

    election = announced.election
    args = [election.pk, announced.round.pk] if round_page else [election.pk]
    paper_args = [election.pk, announced.round.pk] if paper == "ballots:ballot-quantities-pdf" else [election.pk]
    client.force_login(supervisor)
    html = BeautifulSoup(client.get(reverse(page, args=args)).content, "html.parser")
    hrefs = [a["href"] for a in html.select("a[href]")]
    assert any(href.startswith(reverse(paper, args=paper_args) + query) for href in hrefs), hrefs


def test_round_page_offers_numbered_ballots(client, clerk, counting):
    from bs4 import BeautifulSoup

    client.force_login(clerk)
    html = BeautifulSoup(client.get(reverse("ballots:round-detail", args=[counting.election.pk, counting.round.pk])).content, "html.parser")
    form = html.select_one("#numbered-ballots")
    assert form["action"] == reverse("ballots:ballot-pdf", args=[counting.election.pk, counting.round.pk])
    assert {i["name"] for i in form.select("input")} == {"from", "to"}
