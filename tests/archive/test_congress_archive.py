"""The archive serves a township Party congress's 选举单位 (issue 12) by its kind's parameters: the announcement
moves the unit to 代表资格审查 (no 工作移交: its delegates go to the congress); certification locks the unit's
register, delegate candidates, 党员大会 tallies and results and files its tally sheet and results report; the unit is
archived on the certified result alone; the congress page shows each unit's archive state."""

import os

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from archive.models import ArchiveDocument
from archive.services import certify_results, complete_handover
from ballots.services.announcement import announce_results
from tests.archive.test_party_archive import _soup, _text
from tests.ballots.test_district_results import pdf_text
from tests.ballots.test_congress_meeting import DAY, unit, vote  # noqa: F401  (fixtures)
from villages import stages
from villages.models import Election
from villages.services import advance_stage


@pytest.fixture
def announced(unit, clerk):  # noqa: F811
    """The unit's 党员大会 elected its three delegates and the result was announced."""
    vote(unit, clerk, present=26, votes=[26, 20, 14, 12])
    announce_results(by=clerk, election=unit.election, on=DAY, today=DAY)
    return Election.objects.get(pk=unit.election.pk)


def test_the_announcement_moves_the_unit_to_the_credentials_review(announced):
    assert (announced.stage, announced.stage_label) == (stages.HANDOVER, "代表资格审查")
    assert stages.checklist(announced, stages.ARCHIVED, DAY) == [
        stages.ChecklistItem("results_certified", "选举结果已认定", False)]


def test_certifying_a_unit_says_what_is_locked(announced, clerk, client):
    client.force_login(clerk)
    url = reverse("archive:certify", args=[announced.pk])
    assert "认定后，该选举单位党员名册、代表候选人、党员大会计票和选举结果均锁定；" in _soup(client, url).get_text()
    response = client.post(url, {"confirm": "on"}, follow=True)
    assert "选举结果已认定，该选举单位党员名册、代表候选人、党员大会计票和选举结果均已锁定。" in response.content.decode()
    assert Election.objects.get(pk=announced.pk).is_certified


def test_a_certified_unit_refuses_its_register_candidates_and_meeting(announced, unit, clerk):  # noqa: F811
    from ballots.services import party as party_services
    from candidates import congress_services
    from villages.access import ElectionLocked

    certify_results(by=clerk, election=announced, today=DAY)
    with pytest.raises(ElectionLocked):
        congress_services.publish_delegate_candidates(by=clerk, election=unit.election,
                                                      entries=[(m, False) for m in unit.m[:4]], published_on=DAY)
    with pytest.raises(ElectionLocked):
        party_services.record_attendance(by=clerk, round=unit.round, present=27)


def test_a_unit_has_no_handover_and_is_archived_on_the_certified_result(announced, clerk):
    certify_results(by=clerk, election=announced, today=DAY)
    with pytest.raises(ValidationError) as exc:
        complete_handover(by=clerk, election=announced, on=DAY, today=DAY)
    assert exc.value.messages == ["乡镇党代表大会代表选举没有工作移交，结果认定后即可归档。"]
    certified = Election.objects.get(pk=announced.pk)
    assert [i.ok for i in stages.checklist(certified, stages.ARCHIVED, DAY)] == [True]
    archived = advance_stage(by=clerk, election=certified, target=stages.ARCHIVED, on=DAY, today=DAY)
    assert archived.stage == stages.ARCHIVED


def test_certifying_files_the_units_records_with_their_retention(announced, clerk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        certify_results(by=clerk, election=announced, today=DAY)
    documents = list(ArchiveDocument.objects.filter(election=announced).order_by("pk"))
    assert [(d.kind, d.title, d.retention) for d in documents] == [
        ("tally_sheet", "东西联合选举单位党员大会计票结果报告单（第1轮 正式选举）", "permanent"),
        ("results_report", "东西联合选举单位党代表大会代表选举结果报告单", "permanent"),
    ]
    folder = os.environ.get("PARTY_PDF_DIR")
    if folder:  # kept for looking at
        for name, document in zip(("congress_unit_tally.pdf", "congress_unit_results.pdf"), documents, strict=True):
            with document.file.open("rb") as source, open(os.path.join(folder, name), "wb") as target:
                target.write(source.read())
    tally, results = (_text(d) for d in documents)
    assert "青山镇第十次党代表大会代表选举（东西联合选举单位）" in tally and "党员000126" in tally
    assert "青山镇第十次党代表大会代表选举东西联合选举单位党员大会" in results.replace("\n", "")
    assert "应选出席青山镇第十次党代表大会的代表3名" in results and "当选代表职务姓名性别党员大会赞成票代表党员0001" in results
    assert "委员会委员" not in results and "新一届委员会" not in results
    assert "村民委员会" not in tally + results


def test_the_archive_page_lists_what_a_unit_files(announced, clerk, client):
    certify_results(by=clerk, election=announced, today=DAY)
    client.force_login(clerk)
    text = "".join(_soup(client, reverse("archive:document-list", args=[announced.pk])).get_text().split())
    assert "党员大会计票结果报告单、代表选举结果报告单由系统按本选举单位数据生成PDF归档" in text
    assert "工作移交清单" not in text and "选民名单" not in text



def test_the_congress_page_shows_each_units_archive_state(announced, clerk, client, django_capture_on_commit_callbacks):
    client.force_login(clerk)
    url = reverse("villages:congress-detail", args=[announced.campaign_id])
    [cell] = _soup(client, url).find(id="unit-progress").select("tbody tr td:nth-of-type(7)")
    assert (cell.get_text(), cell.a["href"]) == ("尚未认定", reverse("archive:document-list", args=[announced.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        certify_results(by=clerk, election=announced, today=DAY)
    [cell] = _soup(client, url).find(id="unit-progress").select("tbody tr td:nth-of-type(7)")
    assert cell.get_text() == "已认定，归档 2 件"


def test_the_units_page_links_its_stages_by_the_kinds_numbers(announced, clerk, client):
    client.force_login(clerk)
    nav = _soup(client, reverse("villages:election-detail", args=[announced.pk])).find("nav", attrs={"aria-label": "各阶段工作"})
    assert [(a.get_text(), a["href"]) for a in nav.find_all("a")] == [
        ("2 党员名册与应到会", reverse("voters:party-register", args=[announced.pk])),
        ("3 代表候选人", reverse("candidates:candidate-list", args=[announced.pk])),
        ("4–5 党员大会选举与选举结果", reverse("ballots:round-list", args=[announced.pk])),
        ("7 选举档案", reverse("archive:document-list", args=[announced.pk])),
        ("认定选举结果", reverse("archive:certify", args=[announced.pk])),
    ]


def test_the_township_archive_index_lists_the_congress_units_records(announced, clerk, client,
                                                                     django_capture_on_commit_callbacks):
    """The township's 档案目录 holds its Party congress's 选举单位 after its villages, headed by the unit and the
    congress, and its title says 换届选举 once it holds more than village committee elections."""
    with django_capture_on_commit_callbacks(execute=True):
        certify_results(by=clerk, election=announced, today=DAY)
    client.force_login(clerk)
    url = reverse("archive:township-index", args=[announced.campaign.township_id])
    page = _soup(client, url)
    assert page.h1.get_text() == "青山镇换届选举档案目录"
    headings = [h.get_text() for h in page.select("main h2")]
    assert headings[-1] == f"东西联合选举单位　{announced.campaign.title}（选举日 {announced.election_day:%Y-%m-%d}）"
    assert "在档 2 件" in page.get_text()
    unit_table = page.select("main h2")[-1].find_next("table")
    assert [td.get_text() for td in unit_table.select("tbody tr td:nth-of-type(2)")] == [
        "东西联合选举单位党员大会计票结果报告单（第1轮 正式选举）", "东西联合选举单位党代表大会代表选举结果报告单"]
    text = pdf_text(client.get(url + "?format=pdf").content)
    assert "青山镇换届选举档案目录" in text and "东西联合选举单位党代表大会代表选举结果报告单" in text

