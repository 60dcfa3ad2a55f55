"""No PDF sets a name one character per line: every printed document, rendered with long names (维吾尔族
names with "·", 11 characters) in every place a name goes, keeps each name on one line of the text layer.
Also checks that every font in them is the CJK font or the rare-character fallback (no boxes)."""

import subprocess
from datetime import date

import pytest

from ballots import documents as ballot_documents
from ballots import papers as ballot_papers
from ballots.models import Tally
from ballots.services.announcement import announce_results
from candidates.documents import candidate_list_pdf
from candidates.overview import candidate_board
from tests.ballots.scenario import central_sheet, group_sheet
from tests.builders import enter_tally, make_voter
from voters import documents as voter_documents
from voters import papers as voter_papers
from voters.models import AmendmentBatch, AmendmentItem, Appeal, Proxy

DAY = date(2027, 1, 16)
CANDIDATE = "阿卜杜热合曼·买买提明"  # the chair candidate, elected
HOLDER = "古丽米热·艾合买提江"
SHORT = "王伟"  # a short name beside long texts: the column an automatic table layout squeezes first
LONG_TEXT = "因外出务工不能返回本村参加投票经本人书面申请并经村民选举委员会审核同意予以办理" * 2
PRINCIPAL = "热依汗古丽·吐尔逊"
SUBJECT = "买买提江·阿不都热依木"


@pytest.fixture
def long_names(counting, clerk):
    c = counting
    c.v[0].name = CANDIDATE
    c.v[0].save(update_fields=["name"])
    election = c.election
    holder = make_voter(election=election, name=HOLDER, serial=60)
    principal = make_voter(election=election, name=PRINCIPAL, serial=61, away=True)
    Proxy.objects.create(election=election, principal=principal, holder=holder, relation="spouse",
                         authorized_on=date(2027, 1, 3), status="approved", document_ref=LONG_TEXT[:50])
    short = make_voter(election=election, name=SHORT, serial=63)
    Proxy.objects.create(election=election, principal=make_voter(election=election, name="李娜", serial=64, away=True),
                         holder=short, relation="child", authorized_on=date(2027, 1, 3), status="approved",
                         document_ref=LONG_TEXT[:50])
    subject = make_voter(election=election, name=SUBJECT, serial=62)
    batch = AmendmentBatch.objects.create(election=election, number=1, effective_on=date(2027, 1, 2),
                                          reason=LONG_TEXT[:200], created_by=clerk)
    AmendmentItem.objects.create(batch=batch, voter=subject, change="add", note=LONG_TEXT[:200])
    AmendmentItem.objects.create(batch=batch, voter=short, change="add", note=LONG_TEXT[:200])
    Appeal.objects.create(election=election, filer_name=HOLDER, voter=subject, kind="wrong_details", reason=LONG_TEXT,
                          received_on=date(2027, 1, 1), decision_text=LONG_TEXT)
    Appeal.objects.create(election=election, filer_name=SHORT, voter=short, kind="wrong_details", reason=LONG_TEXT,
                          received_on=date(2027, 1, 1), decision_text=LONG_TEXT)
    enter_tally(by=clerk, round=c.round, station=c.central, values=central_sheet(c))
    enter_tally(by=clerk, round=c.round, station=c.group, values=group_sheet(c))
    announce_results(by=clerk, election=election, on=DAY, today=DAY)
    return c


def _tally_sheet(c):
    tally = c.round.tallies.filter(station=c.central, status=Tally.Status.CONFIRMED).get()
    return ballot_documents.tally_sheet_pdf(c.election, c.round, station=c.central, tally=tally)


DOCUMENTS = {
    "选民名单 A4": (lambda c: voter_documents.render_published_list_pdf(c.election, as_of=DAY), (HOLDER, PRINCIPAL, SUBJECT)),
    "选民名单 A3 张贴版": (lambda c: voter_documents.render_published_list_pdf(c.election, as_of=DAY, paper=voter_documents.A3_POSTER),
                      (HOLDER, PRINCIPAL, SUBJECT)),
    "委托投票名单": (lambda c: voter_documents.proxy_list_pdf(c.election), (HOLDER, PRINCIPAL, SHORT)),
    "委托投票证": (lambda c: voter_papers.proxy_certificates_pdf(c.election), (HOLDER, PRINCIPAL, SHORT)),
    "增减名单": (lambda c: voter_documents.amendments_pdf(c.election), (SUBJECT, SHORT)),
    "申诉及处理决定": (lambda c: voter_documents.appeals_pdf(c.election), (HOLDER, SUBJECT, SHORT)),
    "正式候选人名单": (lambda c: candidate_list_pdf(candidate_board(c.election, today=DAY)), (CANDIDATE,)),
    "选票": (lambda c: ballot_documents.ballot_pdf(c.election, c.round), (CANDIDATE,)),
    "计票结果报告单": (_tally_sheet, (CANDIDATE,)),
    "选举结果报告单": (lambda c: ballot_documents.results_report_pdf(c.election, printed_on=DAY), (CANDIDATE,)),
    "选民证": (lambda c: ballot_papers.voter_cards_pdf(c.election, as_of=DAY), (HOLDER, PRINCIPAL, SUBJECT)),
    "选举结果公告": (lambda c: ballot_papers.results_notice_pdf(c.election), (CANDIDATE,)),
    "当选证书": (lambda c: ballot_papers.certificates_pdf(c.election), (CANDIDATE,)),
}


def poppler(tool, content, tmp_path, *args):
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    return subprocess.run([tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])], capture_output=True,
                          text=True, check=True).stdout


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_name_prints_on_one_line_in_the_cjk_font(long_names, document, tmp_path):
    render, names = DOCUMENTS[document]
    content = render(long_names)
    lines = poppler("pdftotext", content, tmp_path, "-layout").splitlines()
    for name in names:
        assert any(name in line for line in lines), (document, name, [line for line in lines if name[:2] in line])
    fonts = poppler("pdffonts", content, tmp_path).splitlines()[2:]
    assert fonts and all("Noto-Sans-CJK" in row or "HanaMin" in row for row in fonts), fonts
