"""The archive serves a village Party organisation's election (issue 12): certification once the 党员大会's
results are announced, the 工作移交 of the branch's seal, Party fee accounts and records (the kind's list,
``villages.kinds.party_branch.HANDOVER_ITEMS``, no legal period), archiving, and the records filed with their
retention."""

import io
import os
from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from archive.models import ArchiveDocument, HandoverItem
from archive.services import certify_results, complete_handover, record_handover_item
from tests.ballots.test_party_results import DAY, branch, committee, vote  # noqa: F401  (fixtures)
from villages import stages
from villages.models import Election


def _text(document: ArchiveDocument) -> str:
    with document.file.open("rb") as handle:
        return "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(handle.read())).pages)


def _soup(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content.decode()[:1000]
    return BeautifulSoup(response.content.decode(), "html.parser")


def _item(election, kind, description="", on=DAY):
    return HandoverItem(election=election, kind=kind, description=description or kind, handed_over_by="党员009",
                        received_by="党员001", handed_on=on)


@pytest.fixture
def announced(committee):
    """The branch's 党员大会 elected all five and the results were announced: the committee is formed."""
    return Election.objects.get(pk=committee.election.pk)


@pytest.fixture
def certified(announced, clerk):
    certify_results(by=clerk, election=announced, today=DAY)
    return Election.objects.get(pk=announced.pk)


def test_the_announcement_moves_the_branch_election_on_to_the_handover(announced):
    assert (announced.stage, announced.new_committee_formed_on) == (stages.HANDOVER, DAY)
    assert stages.checklist(announced, stages.ARCHIVED, DAY) == [
        stages.ChecklistItem("results_certified", "选举结果已认定", False),
        stages.ChecklistItem("seal_handed_over", "党组织印章已移交", False),
    ]


def test_certifying_says_what_is_locked_in_the_party_words(announced, clerk, client):
    client.force_login(clerk)
    url = reverse("archive:certify", args=[announced.pk])
    page = _soup(client, url)
    assert "认定后，该村党员名册、候选人、党员大会计票和选举结果均锁定；" in page.get_text()
    response = client.post(url, {"confirm": "on"}, follow=True)
    assert "选举结果已认定，该村党员名册、候选人、党员大会计票和选举结果均已锁定。" in response.content.decode()
    assert Election.objects.get(pk=announced.pk).is_certified


def test_the_handover_takes_the_branch_items_only(certified, clerk):
    with pytest.raises(ValidationError) as exc:
        record_handover_item(by=clerk, item=_item(certified, HandoverItem.Kind.ASSETS, "办公用房"))
    assert exc.value.messages == ["村党组织换届选举的工作移交不包括“资产”。"]
    with pytest.raises(ValidationError) as exc:
        complete_handover(by=clerk, election=certified, on=DAY, today=DAY)
    assert exc.value.messages == ["尚未登记党组织印章移交，不能完成移交。"]
    item = record_handover_item(by=clerk, item=_item(certified, HandoverItem.Kind.FINANCE, "2021—2026年党费账目"))
    assert (item.label, str(item)) == ("党费收缴、使用和管理账目", "党费收缴、使用和管理账目：2021—2026年党费账目")
    record_handover_item(by=clerk, item=_item(certified, HandoverItem.Kind.SEAL, "中共东山村支部委员会印章1枚"))
    assert [i.ok for i in stages.checklist(certified, stages.ARCHIVED, DAY)] == [True, True]
    election = complete_handover(by=clerk, election=certified, on=DAY, today=DAY)
    assert (election.stage, election.handover_completed_on) == (stages.ARCHIVED, DAY)


def test_the_handover_page_offers_the_branch_items_and_no_deadline(certified, clerk, client):
    client.force_login(clerk)
    url = reverse("archive:handover", args=[certified.pk])
    page = _soup(client, url)
    assert " ".join(page.find(id="handover-deadline").get_text().split()) == (
        "移交期限：没有法定期限，新一届村党组织委员会产生后移交； 尚未完成。")
    assert [(o["value"], o.get_text()) for o in page.select("select#id_kind option")] == [
        ("", "---------"), ("seal", "党组织印章"), ("finance", "党费收缴、使用和管理账目"),
        ("records", "党员名册、组织关系和党组织档案"), ("other", "其他")]
    assert "须先登记党组织印章移交。" in page.get_text()
    response = client.post(url, {"kind": "records", "description": "党员名册、党员组织关系介绍信存根",
                                 "handed_over_by": "党员009", "received_by": "党员001",
                                 "handed_on": DAY.isoformat(), "note": ""})
    assert response.status_code == 302
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in _soup(client, url).select("#handover-items tbody tr")]
    assert rows == [["党员名册、组织关系和党组织档案", "党员名册、党员组织关系介绍信存根", "党员009", "党员001", "2026年11月20日", ""]]


def test_certifying_files_the_branch_records_with_their_retention(announced, clerk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        certify_results(by=clerk, election=announced, today=DAY)
    documents = list(ArchiveDocument.objects.filter(election=announced).order_by("pk"))
    assert [(d.kind, d.title, d.retention) for d in documents] == [
        ("tally_sheet", "东山村党员大会计票统计表（第1轮 正式选举）", "permanent"),
        ("results_report", "东山村党组织换届选举结果报告单", "permanent"),
        ("upper_report", "东山村党组织换届选举结果的报告", "permanent"),
    ]
    assert "党员大会选举计票统计表" in _text(documents[0]) and "党员00145" in _text(documents[0])
    assert "中共东山村支部委员会第八届委员会换届选举选举结果报告单" in _text(documents[1])
    assert "关于中共东山村支部委员会第八届委员会换届选举结果的报告" in _text(documents[2])


def test_the_handover_list_is_filed_under_the_branch_committees_name(announced, clerk, django_capture_on_commit_callbacks):
    from archive import filing

    with django_capture_on_commit_callbacks(execute=True):
        certify_results(by=clerk, election=announced, today=DAY)
    certified = Election.objects.get(pk=announced.pk)
    record_handover_item(by=clerk, item=_item(certified, HandoverItem.Kind.SEAL, "中共东山村支部委员会印章1枚"))
    with django_capture_on_commit_callbacks(execute=True):
        filing.request_filing(by=clerk, election=certified)
    handover = ArchiveDocument.objects.get(election=certified, kind="handover")
    folder = os.environ.get("PARTY_PDF_DIR")
    if folder:  # kept for looking at
        with handover.file.open("rb") as source, open(os.path.join(folder, "party_handover.pdf"), "wb") as target:
            target.write(source.read())
    assert (handover.title, handover.retention) == ("东山村党组织工作移交清单", "permanent")
    text = _text(handover)
    assert "中共东山村支部委员会第八届委员会工作移交清单" in text
    assert "党组织印章中共东山村支部委员会印章1枚" in text and "新一届村党组织委员会产生：2026年11月20日" in text
    assert "村民委员会" not in text and "村委会" not in text


def test_the_archive_page_lists_what_a_branch_election_files(certified, clerk, client):
    client.force_login(clerk)
    text = _soup(client, reverse("archive:document-list", args=[certified.pk])).get_text()
    assert ("正式候选人名单、党员大会计票统计表、选举结果报告单、报乡镇党委审批的选举结果报告和工作移交清单由系统按"
            in text)
    assert "选民名单" not in text


def test_the_retention_table_has_the_report_to_the_upper_level(admin_user, client):
    from archive.filing import retention_table

    row = next(r for r in retention_table() if r.kind == "upper_report")
    assert (row.label, row.retention) == ("选举结果的报告（报上级党组织审批）", "permanent")


def test_a_runoff_before_the_announcement_stays_with_the_decision(branch, clerk):  # noqa: F811
    """Seats unfilled at the announcement: the election enters 另行选举, not the handover."""
    from ballots.services.announcement import announce_results

    vote(branch, clerk, present=41, votes=[41, 30, 25, 21, 20, 19])
    announce_results(by=clerk, election=Election.objects.get(pk=branch.election.pk), on=DAY, today=DAY)
    assert Election.objects.get(pk=branch.election.pk).stage == stages.RUNOFF
    assert date(2026, 11, 20) == DAY
