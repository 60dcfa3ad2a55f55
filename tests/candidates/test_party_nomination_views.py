"""The Party nomination pages: the board with each stage's findings, the forms, the papers (issue 12 step 4)."""

from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse

from candidates import party_pipeline as pipeline
from candidates import party_services as services
from candidates.models import PartyStage
from tests.candidates.party_fixtures import (  # noqa: F401 (fixtures)
    PUBLISH_DAY,
    REVIEW_DAY,
    STAGE_DAY,
    branch,
    members,
    party_campaign,
)
from tests.candidates.test_party_nomination import CONFIDENCE_VOTES, confidence
from villages.kinds.party_branch import TWO_BALLOTS


@pytest.fixture
def two_ballots(branch, clerk, members):
    services.choose_method(by=clerk, election=branch, method=TWO_BALLOTS, formal_candidates=5)
    return branch


def url(name, election, *args):
    return reverse(f"candidates:{name}", args=[election.pk, *args])


def test_board_shows_each_stage_with_its_turnout_and_findings(client, clerk, two_ballots, members):
    confidence(two_ballots, clerk, members)
    client.force_login(clerk)
    page = client.get(url("candidate-list", two_ballots)).content.decode()
    assert "两票制" in page and "参加率 <strong class=\"stage-turnout\">97.5%</strong>" in page
    assert "收回率 <strong class=\"stage-returned\">97.5%</strong>" in page
    assert "黄敏得信任票28票，名次在前7名之后，未列为人选" in page
    assert "群众信任投票确定初步候选人7名：王建国、李秀英、张伟、刘洋、陈静、杨光、赵磊，报乡镇党委审查。" in page


def test_method_page_chooses_the_method(client, clerk, branch, members):
    client.force_login(clerk)
    response = client.post(url("party-method", branch), {"method": TWO_BALLOTS, "formal_candidates": 3})
    assert "委员正式候选人数3名，差额不足应选3名的20%，应不少于4名。" in response.content.decode()
    response = client.post(url("party-method", branch), {"method": TWO_BALLOTS, "formal_candidates": 5})
    assert response.status_code == 302
    branch.refresh_from_db()
    assert branch.party_nomination.method == TWO_BALLOTS


def test_stage_page_refuses_a_return_over_100_percent_and_records_a_good_one(client, liaison_a, two_ballots, members):
    client.force_login(liaison_a)
    data = {"held_on": STAGE_DAY.isoformat(), "basis": pipeline.HOUSEHOLD_REPRESENTATIVES, "electorate": 40,
            "basis_note": "户代表", "ballots_issued": 40, "ballots_returned": 41}
    data |= {f"votes_{members[n].pk}": v for n, v in CONFIDENCE_VOTES.items()}
    page = client.post(url("party-stage", two_ballots, pipeline.CONFIDENCE_VOTE), data).content.decode()
    assert "收回信任票41张，多于发出的40张。" in page
    assert not PartyStage.objects.exists()
    response = client.post(url("party-stage", two_ballots, pipeline.CONFIDENCE_VOTE), data | {"ballots_returned": 39},
                           follow=True)
    assert "已登记群众信任投票结果：发出信任票40张，收回39张，收回率97.5%，参加率97.5%。" in response.content.decode()
    assert PartyStage.objects.get().ballots_returned == 39
    assert client.get(url("party-stage", two_ballots, pipeline.MEMBERS_RECOMMENDATION)).status_code == 404


def test_liaison_cannot_record_the_township_review(client, liaison_a, two_ballots, clerk, members):
    confidence(two_ballots, clerk, members)
    client.force_login(liaison_a)
    assert client.get(url("party-review", two_ballots)).status_code == 403


def test_review_page_and_publication_through_the_pages(client, clerk, two_ballots, members):
    confidence(two_ballots, clerk, members)
    client.force_login(clerk)
    chosen = ["王建国", "李秀英", "张伟", "刘洋", "陈静", "杨光", "赵磊"]
    data = {"reviewed_on": REVIEW_DAY.isoformat(), "reviewed_by_body": "中共青山镇委员会", "review_reference": ""}
    data |= {f"passed_{members[n].pk}": "yes" for n in chosen}
    data |= {f"passed_{members['赵磊'].pk}": "no", f"reason_{members['赵磊'].pk}": ""}
    page = client.post(url("party-review", two_ballots), data).content.decode()
    assert "赵磊审查未通过，请写明原因。" in page
    data[f"reason_{members['赵磊'].pk}"] = "党纪处分影响期未满"
    assert client.post(url("party-review", two_ballots), data).status_code == 302
    page = client.get(url("candidate-list", two_ballots)).content.decode()
    assert "赵磊未通过审查：党纪处分影响期未满" in page
    picks = [str(members[n].pk) for n in ["王建国", "李秀英", "张伟"]]
    page = client.post(url("candidate-list-publish", two_ballots),
                       {"published_on": PUBLISH_DAY.isoformat(), "members": picks}).content.decode()
    assert "委员应选3名，候选人3名，差额不足应选名额的20%，候选人应不少于4名。" in page
    picks.append(str(members["陈静"].pk))
    response = client.post(url("candidate-list-publish", two_ballots),
                           {"published_on": PUBLISH_DAY.isoformat(), "members": picks})
    assert response.status_code == 302
    page = client.get(url("candidate-list", two_ballots)).content.decode()
    assert "委员候选人</strong>（应选3名）：王建国、张伟、李秀英、陈静" in page
    assert "委员应选3名，候选人4名，多于应选名额1名，不少于应选名额的20%（至少多1名）" in page


def test_village_nomination_pages_are_not_for_a_party_election(client, clerk, two_ballots):
    client.force_login(clerk)
    assert client.get(url("candidate-create", two_ballots)).status_code == 404


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "x.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_papers_and_the_list_print_in_surname_stroke_order(client, clerk, two_ballots, members, tmp_path):
    client.force_login(clerk)
    response = client.get(url("party-paper-pdf", two_ballots, pipeline.CONFIDENCE_VOTE))
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content, tmp_path)
    flat = text.replace(" ", "")
    assert "中共东山村支部委员会委员候选人\n信任投票票" in flat
    names = ["".join(line.split()[1:]) for line in text.splitlines() if line.split() and line.split()[0].isdigit()]
    assert names == ["王建国", "刘洋", "吴芳", "张伟", "李秀英", "杨光", "陈静", "周强", "赵磊", "黄敏"]
    response = client.get(url("party-paper-pdf", two_ballots, pipeline.VILLAGERS_RECOMMENDATION))
    assert "推荐人数不得多于3名" in _pdf_text(response.content, tmp_path).replace("\n", "").replace(" ", "")
    response = client.get(url("candidate-list-pdf", two_ballots))
    assert "候选人名单（核对稿）" in _pdf_text(response.content, tmp_path)


def test_the_party_elections_own_page_still_opens_with_the_candidates_app_serving_it(client, clerk, two_ballots):
    client.force_login(clerk)
    assert client.get(reverse("villages:election-detail", args=[two_ballots.pk])).status_code == 200
