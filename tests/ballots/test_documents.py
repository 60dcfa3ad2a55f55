"""Printed documents: ballots, the tally sheet and the results report are A4 PDFs with the CJK font
embedded (checked with poppler's ``pdffonts``) and the expected number of pages."""

import subprocess
from datetime import date

import pytest
from django.urls import reverse

from ballots.models import CountingOptions
from candidates.models import CandidateListPublication, NominationMode
from tests.ballots.scenario import central_sheet, group_sheet
from tests.builders import at_stage, enter_tally, make_campaign, make_formal_candidate, make_station, make_voters, open_first_round


def poppler(tool: str, content: bytes, tmp_path, *args: str) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    return subprocess.run([tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])], capture_output=True,
                          text=True, check=True).stdout


def pages(content: bytes, tmp_path) -> int:
    info = poppler("pdfinfo", content, tmp_path)
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def assert_cjk_font_embedded(content: bytes, tmp_path) -> None:
    rows = poppler("pdffonts", content, tmp_path).splitlines()[2:]
    assert rows and all("Noto-Sans-CJK-SC" in row for row in rows), rows  # no fallback font anywhere
    assert all(row.split()[-5] == "yes" for row in rows), rows  # the "emb" column


def get_pdf(client, name, *args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def test_ballot_is_one_page_with_the_candidates_and_write_in_lines(client, clerk, counting, tmp_path):
    client.force_login(clerk)
    content = get_pdf(client, "ballots:ballot-pdf", counting.election.pk, counting.round.pk)
    assert_cjk_font_embedded(content, tmp_path)
    assert pages(content, tmp_path) == 1
    text = poppler("pdftotext", content, tmp_path, "-layout")
    assert "东山村第12届村民委员会选举选票" in text
    assert all(name in text for name in ("王伟", "李伟", "张伟", "刘伟", "陈伟"))
    assert text.count("另选他人：") == 3  # one blank per seat: chair 1, member 2
    assert "该职务一栏无效" in text and "同一人被选为两项以上职务的，选票无效" in text


def test_separate_sheets_give_one_page_per_post_with_the_women_line(client, clerk, township, village_a, tmp_path):
    campaign = make_campaign(township=township, by=clerk, term_number=13, preset_code="ZHEJIANG_2020")
    election = at_stage(campaign.elections.get(village=village_a), "voting")
    election.seats_member, election.woman_seat_reserved = 3, True
    election.save(update_fields=["seats_member", "woman_seat_reserved"])
    campaign.rule_params["separate_sheets_per_post"] = True
    campaign.save(update_fields=["rule_params"])
    voters = make_voters(election=election, count=6, start=100)
    make_formal_candidate(election=election, voter=voters[0], post="chair")
    make_formal_candidate(election=election, voter=voters[2], post="member")
    make_formal_candidate(election=election, voter=voters[1], post="woman_member")
    round = open_first_round(election=election, by=clerk, stations=[make_station(election=election)])
    client.force_login(clerk)
    content = get_pdf(client, "ballots:ballot-pdf", election.pk, round.pk)
    assert pages(content, tmp_path) == 3
    text = poppler("pdftotext", content, tmp_path)
    assert "妇女委员（应选1名，限妇女）" in text and "村民委员会妇女委员选举选票" in text


def test_no_candidate_ballot_has_blank_lines_only(client, clerk, election_a, tmp_path):
    at_stage(election_a, "voting")
    CandidateListPublication.objects.create(election=election_a, mode=NominationMode.NO_CANDIDATE,
                                            published_on=date(2027, 1, 11), published_by=clerk)
    round = open_first_round(election=election_a, by=clerk, stations=[make_station(election=election_a)])
    client.force_login(clerk)
    text = poppler("pdftotext", get_pdf(client, "ballots:ballot-pdf", election_a.pk, round.pk), tmp_path)
    assert "本次选举不提候选人" in text and "另选他人" in text


def test_blank_tally_sheet_lists_candidates_with_room_to_write(client, liaison_a, counting, tmp_path):
    CountingOptions.objects.create(election=counting.election, signature_labels=["计票人", "监票人", "记录人"])
    client.force_login(liaison_a)
    content = get_pdf(client, "ballots:tally-sheet-blank", counting.election.pk, counting.round.pk)
    assert_cjk_font_embedded(content, tmp_path)
    assert pages(content, tmp_path) == 1
    text = poppler("pdftotext", content, tmp_path)
    assert "计票结果报告单" in text and "陈伟" in text
    assert [label for label in ("计票人（签名）", "监票人（签名）", "记录人（签名）", "主持人（签名）") if label in text] == [
        "计票人（签名）", "监票人（签名）", "记录人（签名）"]


def test_filled_tally_sheet_prints_the_numbers_and_the_explanation(client, clerk, counting, tmp_path):
    c = counting
    values = central_sheet(c, valid=10, invalid=2, chair=(8, 2), member=(8, 7, 5))
    values = type(values)(**{**values.__dict__, "explanations": {"invalid_share_high": "两张选票划满所有候选人"}})
    enter_tally(by=clerk, round=c.round, station=c.central, values=values)
    client.force_login(clerk)
    content = get_pdf(client, "ballots:tally-sheet", c.election.pk, c.round.pk, c.central.pk)
    assert_cjk_font_embedded(content, tmp_path)
    text = poppler("pdftotext", content, tmp_path)
    assert "中心会场" in text and "说明：两张选票划满所有候选人" in text
    assert "无效票2张，达到收回选票12张的3%（1张）以上" in text


def test_tally_sheet_of_an_unconfirmed_station_is_not_found(client, clerk, counting):
    client.force_login(clerk)
    url = reverse("ballots:tally-sheet", args=[counting.election.pk, counting.round.pk, counting.group.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("labels", [["主持人", "监票人", "计票人", "记录人"], ["主持人", "总监票人"]])
def test_results_report_has_every_number_and_the_configured_signatures(client, clerk, counting, tmp_path, labels):
    c = counting
    CountingOptions.objects.create(election=c.election, signature_labels=labels)
    enter_tally(by=clerk, round=c.round, station=c.central, values=central_sheet(c))
    enter_tally(by=clerk, round=c.round, station=c.group, values=group_sheet(c))
    client.force_login(clerk)
    content = get_pdf(client, "ballots:results-report", c.election.pk)
    assert_cjk_font_embedded(content, tmp_path)
    assert pages(content, tmp_path) == 1
    text = poppler("pdftotext", content, tmp_path)
    assert "选举结果报告单" in text and "20 人" in text and "100.0%（20/20）" in text
    assert "王伟得票16票，超过参加投票20人的半数，当选主任。" in text
    assert [f"{label}（签名）" in text for label in labels] == [True] * len(labels)
