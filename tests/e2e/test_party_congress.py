"""One township Party congress (乡镇党代表大会代表选举) end to end in the browser (issue 12), each role doing its part.

青山镇 has three villages; the township clerk, from the menu:

- opens the round (第十次, reference 003's province preset, 代表选举日 2026-11-28);
- adds two 选举单位: 东山村 alone, 西岭村 and 南坡村 together; their registers (12 and 18 full members) are the
  units' Party member registers, written with the builders as the unit tests do;
- fixes the delegate total at 5 and allocates it by full members (2 and 3);
- on each unit's pages: moves it through 党员名册登记 and 代表候选人提名, enters its delegate candidates (3 for 2, 4 for
  3, with the 党员干部 marked), which opens its 党员大会; the composition check is shown;
- runs each unit's 党员大会 on the ballot pages: the meeting place, the first round, 实到会, the tally, the results,
  the announcement;
- certifies 东山村's result, whose tally sheet and results report are filed (no 工作移交);
- reads the credentials review (5 delegates, all valid), then records the congress's election of the 党委委员 (9 for
  7) and the 纪委委员 (4 for 3) by the 5 delegates present and reads the results;
- the township supervisor reads the round from the menu, its composition check, and downloads its PDF and the
  committee result's PDF;
- 东山村's liaison officer has no link to the congress and its pages answer 404.

Screenshots and the PDFs' pages: test-artifacts/screenshots/congress-*.png.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from ballots.models import PollingStation, Round
from tests.builders import make_congress_members, make_village, preset
from villages.models import Campaign, Election, PartyOrganisation

from .conftest import ARTIFACTS
from .test_party_election import Run as PartyRun

pytestmark = pytest.mark.e2e

SHANGHAI = ZoneInfo("Asia/Shanghai")
E = date(2026, 11, 28)
COMMITTEE = [("王建国", 5), ("李秀英", 5), ("张伟", 5), ("刘洋", 4), ("陈静", 4), ("杨光", 3), ("赵磊", 3), ("黄敏", 2),
             ("周强", 1)]
DISCIPLINE = [("吴芳", 5), ("徐明", 4), ("孙丽", 3), ("马超", 1)]


class Run(PartyRun):
    PREFIX = "congress"


def flash(page):
    return page.locator(".alert-success.alert-dismissible")


@pytest.fixture
def run(transactional_db, page, live_server, time_machine, tmp_path, township, village_a, village_b, clerk, liaison_a,
        supervisor):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    make_village(township=township, name="南坡村")
    time_machine.move_to(datetime(2026, 10, 10, 9, tzinfo=SHANGHAI))  # the day the clerk opens the round
    page.set_default_timeout(8000)
    return Run(page, live_server.url, time_machine, tmp_path)


def test_a_township_party_congress_end_to_end(run, township):
    page = run.page
    # The preset exists before the form is shown (a transactional test before this one may have flushed it).
    congress_preset = preset("REFERENCE_003_CONGRESS")
    # ---- the clerk opens the round from the menu and adds the units
    run.sign_in("clerk")
    page.locator(".navbar").get_by_text("1 准备").click()
    page.locator("#nav-congress").click()
    assert page.url.endswith("/congress/")
    run.go("/congress/new/")
    run.submit({"township": township.pk, "term_number": 10, "preset": congress_preset.pk,
                "election_day": E.isoformat()})
    expect(page.locator("h1")).to_contain_text("青山镇第十次党代表大会代表选举")
    campaign = Campaign.objects.get(election_type="party_congress")
    congress = f"/congress/{campaign.pk}/"
    organisations = {o.village.name: o.pk for o in  # recorded when the round opened
                     PartyOrganisation.objects.filter(village__township=township).select_related("village")}
    page.locator("#add-unit").click()
    run.submit({"name": "东山村", "organisations": [organisations["东山村"]]})
    page.locator("#add-unit").click()
    run.submit({"name": "西岭南坡联合选举单位", "organisations": [organisations["西岭村"], organisations["南坡村"]]})
    east, joint = Election.objects.filter(campaign=campaign).order_by("party_unit__number")
    # the units' registers (written as the unit tests do): 12 and 18 full members
    members = {east.pk: make_congress_members(election=east, count=12, women=4, young=8),
               joint.pk: make_congress_members(election=joint, count=18, women=5, young=10, minorities=1, start=13)}
    run.go(congress)
    run.submit({"total": 5})
    assert run.text("#seat-total") == "5 名 已分配"
    assert [" ".join(r.split()) for r in page.locator("#allocation-table tbody tr").all_inner_texts()] == [
        "1 东山村 中共东山村支部委员会 12 40.0% 2.00 2 0 2 2",
        "2 西岭南坡联合选举单位 中共西岭村支部委员会、中共南坡村支部委员会 18 60.0% 3.00 3 0 3 3"]

    # ---- each unit: its stages, its delegate candidates
    run.at(date(2026, 11, 10))
    for election, chosen, cadres in ((east, 3, 1), (joint, 4, 2)):
        run.go(f"/elections/{election.pk}/")
        page.get_by_role("button", name="进入“党员名册登记”").click()
        expect(flash(page)).to_contain_text("党员名册登记")
        page.get_by_role("button", name="进入“代表候选人提名”").click()
        expect(page.locator(".stage-track .current")).to_contain_text("代表候选人提名")
        run.go(congress)
        page.locator("#unit-progress").get_by_role("link", name="尚未确定").first.click()
        page.locator("#publish-delegates").click()
        people = members[election.pk][:chosen]
        run.submit({"published_on": "2026-11-10", "members": [str(p.pk) for p in people],
                    "cadres": [str(p.pk) for p in people[:cadres]]})
        expect(flash(page)).to_contain_text(f"共{chosen}名")
        stored = Election.objects.get(pk=election.pk)
        assert (stored.stage, stored.candidate_list_published_on) == ("voting", date(2026, 11, 10))
    run.shoot("01-unit-candidates")
    run.go(f"/congress/{campaign.pk}/composition/")
    expect(page.locator("body")).to_contain_text(
        "【符合】乡镇、村、经济组织、社会组织的党员干部代表候选人3名，占代表候选人总数7名的42.9%，不超过60%。")
    run.shoot("02-composition")

    # ---- each unit's 党员大会 on the ballot pages
    run.at(E, 9)
    for election, present, votes in ((east, 11, (10, 8, 4)), (joint, 16, (15, 14, 12, 3))):
        pk = election.pk
        run.go(f"/elections/{pk}/stations/new/")
        run.submit({"kind": "central", "name": f"{election.party_unit.name}党员大会会场"})
        run.go(f"/elections/{pk}/rounds/new/first/")
        place = PollingStation.objects.get(election=election).pk
        run.submit({"held_on": E.isoformat(), "stations": [str(place)]})
        round_pk = Round.objects.get(election=election).pk
        run.go(f"/elections/{pk}/rounds/{round_pk}/attendance/")
        run.submit({"present": present})
        run.go(f"/elections/{pk}/rounds/{round_pk}/stations/{place}/tally/")
        run.submit({"issued": present, "returned": present, "valid": present, "invalid": 0}
                   | {f"deputy__c{m.pk}": v for m, v in zip(members[pk], votes)}, button="确认")
        run.go(f"/elections/{pk}/results/announce/")
        run.submit({"on": E.isoformat()})
        run.go(f"/elections/{pk}/results/")
        seats = 2 if election == east else 3
        assert run.text("#result-status") == f"选举完成：党员大会应选代表{seats}名，已全部选出。 结果已于2026年11月28日公布。"
    run.shoot("03-unit-results")
    run.go(congress)
    assert [" ".join(r.split()) for r in page.locator("#unit-progress tbody tr").all_inner_texts()] == [
        "1 东山村 代表资格审查 2 3 名 已公布，当选代表 2 名 尚未认定 党员名册 · 党员大会",
        "2 西岭南坡联合选举单位 代表资格审查 3 4 名 已公布，当选代表 3 名 尚未认定 党员名册 · 党员大会"]
    run.shoot("04-congress-detail")

    # ---- the clerk certifies 东山村's result: its register, candidates, tally and result are locked, its 党员大会's
    # papers filed; a unit hands nothing over (its delegates go to the congress)
    run.go(f"/elections/{east.pk}/")
    expect(page.locator(".stage-track .current")).to_contain_text("代表资格审查")
    page.get_by_role("link", name="认定选举结果").click()
    expect(page.locator("main")).to_contain_text("认定后，该选举单位党员名册、代表候选人、党员大会计票和选举结果均锁定")
    page.check("#id_confirm")
    page.get_by_role("button", name="认定选举结果").click()
    expect(flash(page)).to_contain_text("选举结果已认定，该选举单位党员名册、代表候选人、党员大会计票和选举结果均已锁定。")
    expect(page.get_by_role("link", name="工作移交")).to_have_count(0)
    run.shoot("04a-unit-certified")
    page.locator(f'a.nav-link[href="/elections/{east.pk}/archive/"]').click()
    titles = page.locator("#archive-documents tbody tr td:first-child a").all_inner_texts()
    assert titles == ["东山村党员大会计票结果报告单（第1轮 正式选举）", "东山村党代表大会代表选举结果报告单"], titles
    run.shoot("04b-unit-archive")
    run.go(congress)
    assert [" ".join(r.split()) for r in page.locator("#unit-progress tbody tr").all_inner_texts()][0] == (
        "1 东山村 代表资格审查 2 3 名 已公布，当选代表 2 名 已认定，归档 2 件 党员名册 · 党员大会")
    run.shoot("04c-congress-certified")

    # ---- the credentials review, then the congress elects its committees
    run.go(f"/congress/{campaign.pk}/credentials/")
    assert run.text("#credentials-summary") == "当选代表 5 名，资格审查无问题 5 名，需核实 0 名"
    run.at(date(2026, 12, 10))
    run.go(congress)
    page.locator("#congress-vote").click()
    run.submit({"body": "committee", "seats": 7, "held_on": "2026-12-10", "due": 5, "present": 5,
                "candidates": "\n".join(f"{n} {v}" for n, v in COMMITTEE)})
    expect(flash(page)).to_contain_text("已登记代表大会选举党委委员的结果")
    run.submit({"body": "discipline", "seats": 3, "held_on": "2026-12-10", "due": 5, "present": 5,
                "candidates": "\n".join(f"{n} {v}" for n, v in DISCIPLINE)})
    assert run.text("#finding-committee-elected") == "当选党委委员7名：王建国、李秀英、张伟、刘洋、陈静、杨光、赵磊。"
    assert run.text("#finding-discipline-elected") == "当选纪委委员3名：吴芳、徐明、孙丽。"
    rows = [" ".join(r.split()) for r in page.locator("#vote-committee tbody tr").all_inner_texts()]
    assert rows[7] == "8 黄敏 2 黄敏得赞成票2票，未超过实到会有选举权的代表5名的半数（至少3票），不能当选。 未当选"
    run.shoot("05-committee-vote")
    result = run.pdf(f"/congress/{campaign.pk}/vote.pdf", "06-committee-vote-pdf")
    assert "有选举权的到会代表5名，超过应到会5名的五分之四（至少5名），可以进行选举。" in result
    assert "当选党委委员7名：王建国、李秀英、张伟、刘洋、陈静、杨光、赵磊。" in result

    # ---- the supervisor reads it from the menu and downloads the composition check
    run.sign_in("supervisor")
    page.locator(".navbar").get_by_text("1 准备").click()
    page.locator("#nav-congress").click()
    page.get_by_role("link", name="第十次党代表大会").click()
    assert page.url.endswith(congress)
    expect(page.locator("#add-unit")).to_have_count(0)
    run.go(f"/congress/{campaign.pk}/composition/")
    composition = run.pdf(f"/congress/{campaign.pk}/composition.pdf", "07-composition-pdf")
    assert "青山镇第十次党代表大会代表结构情况" in composition
    run.go(f"/congress/{campaign.pk}/vote/")
    expect(page.locator("form:has([name=candidates])")).to_have_count(0)

    # ---- the liaison officer: no link, no page
    run.sign_in("liaison_a")
    expect(page.locator("#nav-congress")).to_have_count(0)
    for path in (congress, f"/congress/{campaign.pk}/composition/",
                 f"/congress/{campaign.pk}/composition.pdf", f"/congress/{campaign.pk}/vote/"):
        run.go(path, status=404)
