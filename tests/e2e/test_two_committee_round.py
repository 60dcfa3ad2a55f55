"""One village's 两委 round (issue 12): the branch first, then its village committee in the browser, to the 两委 view
and report.

青山镇's 东山村 holds both elections of the round: the Party branch's (term 8, 2026-11-20; run in the browser by
``test_party_election.py``, here recorded with the builders: the 党员大会 elected 徐芳, 孙芳 and 林芳 委员, and the new
committee's vote made 徐芳 书记) and the village committee's (term 12, E = 2027-01-16; a register of 10 villagers
published and nomination open, built with the builders). In the browser, as in the rehearsal: the liaison officer
records the nominations (徐芳 for 主任, 孙芳 for 委员), the clerk publishes the list, opens the first ballot, types
the tally and announces the results; then the township supervisor reads 东山村's 两委 view and the township's 两委
report: 徐芳 is 一肩挑 (书记 and 主任), 孙芳 交叉任职, the 两委 members counted once, all posts filled.

Screenshots: test-artifacts/screenshots/two-round-*.png.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import expect

from ballots.models import CommitteePostVote
from tests.builders import make_campaign, make_elected, make_party_campaign, make_round, make_voter, open_nomination
from voters.models import Voter

from .conftest import ARTIFACTS
from .rehearsal_steps import fill_tally, flash
from .test_party_election import SHANGHAI, Run

pytestmark = pytest.mark.e2e

BRANCH_DAY, E = date(2026, 11, 20), date(2027, 1, 16)
# The register (builders.make_voters from index 30): 徐芳 ♂ 1970-07-03, 孙芳 ♀ 1971-08-04, 马芳 ♂ 1972-09-05,
# 朱芳 ♀ 1973-10-06, 何芳 ♂ 1976-01-09, 林芳 ♂ 1978-03-11, … 10 villagers.
BRANCH = ["徐芳", "孙芳", "林芳"]  # the branch committee, 徐芳 its 书记
CANDIDATES = [("徐芳", "主任", 12), ("何芳", "主任", 6), ("孙芳", "委员", 11), ("马芳", "委员", 9), ("朱芳", "委员", 5)]
BALLOT = {"issued": 9, "returned": 9, "valid": 9, "invalid": 0,
          "votes": {"chair": {"徐芳": 7, "何芳": 2}, "member": {"孙芳": 8, "马芳": 6, "朱芳": 3}}}


class TwoRound(Run):
    PREFIX = "two-round"


@pytest.fixture
def run(transactional_db, page, live_server, time_machine, tmp_path, township, village_a, clerk, liaison_a, supervisor):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    time_machine.move_to(datetime(2026, 11, 2, 9, tzinfo=SHANGHAI))
    committee = make_campaign(township=township, by=clerk, term_number=12).elections.get(village=village_a)
    register = {v.name: v for v in open_nomination(election=committee, by=clerk, voters=10, first_voter=30)}
    Voter.objects.filter(pk__in=[register[n].pk for n in BRANCH]).update(political_status="01")  # 中共党员
    branch = make_party_campaign(township=township, by=clerk).elections.get(village=village_a)
    meeting = make_round(election=branch, by=clerk, held_on=BRANCH_DAY)
    members = {}
    for name in BRANCH:  # the same people, by ID number, on the 党员名册
        v = register[name]
        members[name] = make_voter(election=branch, name=name, sex=v.sex, birth_date=v.birth_date,
                                   id_number=v.id_number, political_status="01")
        make_elected(election=branch, round=meeting, voter=members[name])
    CommitteePostVote.objects.create(election=branch, post="secretary", electorate="committee", base=3, returned=3,
                                     votes={str(members["徐芳"].pk): 3}, held_on=BRANCH_DAY, recorded_by=clerk)
    page.set_default_timeout(8000)
    run = TwoRound(page, live_server.url, time_machine, tmp_path)
    run.election = committee
    return run


def test_a_village_two_committee_round(run, township, village_a):
    page, pk = run.page, run.election.pk

    def rows(table: str) -> list[str]:
        return [" ".join(r.split()) for r in page.locator(f"{table} tbody tr").all_inner_texts()]

    ids = dict(Voter.objects.filter(election=run.election).values_list("name", "pk"))
    # ---- the liaison officer records the nominations
    run.at(date(2026, 12, 28))
    run.sign_in("liaison_a")
    run.go(f"/elections/{pk}/candidates/")
    for name, post, votes in CANDIDATES:
        page.locator("#nominate-link").click()
        page.select_option("#id_voter", value=str(ids[name]))
        page.select_option("#id_post", label=post)
        page.fill("#id_nominated_on", "2026-12-28")
        page.fill("#id_nomination_votes", str(votes))
        page.get_by_role("button", name="登记提名").click()
        expect(flash(page)).to_contain_text(f"已登记{name}（{post}）。")
    expect(page.locator("#slate-problems")).to_have_text("各职务候选人均符合差额要求。")

    # ---- the clerk publishes the list, holds the ballot, types the tally and announces the results
    run.at(date(2027, 1, 8))
    run.sign_in("clerk")
    run.go(f"/elections/{pk}/candidates/publish/")
    run.submit({"published_on": "2027-01-08"}, button="公布正式候选人名单")
    expect(flash(page)).to_contain_text("公布正式候选人名单，选举进入“投票选举”阶段。")
    run.at(E, 7)
    run.go(f"/elections/{pk}/stations/new/")
    run.submit({"kind": "central", "name": "东山村中心会场", "assigned_voters": 10})
    run.go(f"/elections/{pk}/rounds/new/first/")
    run.submit({"held_on": E.isoformat()})
    expect(page.locator("#round-candidates li")).to_have_count(5)
    run.at(E, 12)
    run.go(f"/elections/{pk}/rounds/")
    page.locator("#round-table").get_by_role("link", name="第1轮 正式选举").click()
    page.locator("#tally-table").get_by_role("link", name="录入").click()
    fill_tally(page, BALLOT)
    expect(flash(page)).to_have_text("东山村中心会场的计票结果已确认。")
    run.go(f"/elections/{pk}/results/")
    expect(page.locator("#result-status")).to_contain_text("选举完成：村民委员会应选3名，已全部选出。")
    page.locator("#next-actions").get_by_role("link", name="公布选举结果").click()
    run.submit({"on": E.isoformat()}, button="公布选举结果")
    expect(flash(page)).to_have_text("选举结果已公布，共3名新当选人记入当选名单。")
    members = rows("#announced-members")
    assert [m.split()[:3] for m in members] == [["徐芳", "主任", "7"], ["孙芳", "委员", "8"], ["马芳", "委员", "6"]], members
    run.shoot("01-results")

    # ---- the township supervisor: 东山村's 两委 and the township's report
    run.at(E + timedelta(days=1))
    run.sign_in("supervisor")
    run.go(f"/reports/two-committees/village/{village_a.code}/")
    assert run.text("#mark-one-shoulder") == "是：村党组织书记兼任村委会主任"
    assert run.text("#mark-cross") == "村委会成员3人中2人，占66.7%（2/3）兼任村党组织委员"
    assert run.text("#mark-people") == "4人（每人计一次）"
    assert rows("#side-branch") == ["书记 一肩挑 徐芳 男 56 汉族 未填写 中共党员 — 交叉任职",
                                    "委员 孙芳 女 55 汉族 未填写 中共党员 — 交叉任职", "委员 林芳 男 48 汉族 未填写 中共党员 — —"]
    assert rows("#side-committee") == ["主任 一肩挑 徐芳 男 56 汉族 未填写 中共党员 — 交叉任职",
                                       "委员 孙芳 女 55 汉族 未填写 中共党员 — 交叉任职", "委员 马芳 男 54 汉族 未填写 群众 — —"]
    run.shoot("02-village")
    run.go(f"/reports/two-committees/township/{township.code}/")
    # Branch ages on 2026-11-20: 56, 55, 48; committee's on 2027-01-16: 56, 55, 54; the four people: 213 / 4.
    assert run.text("#narrative-branch") == (
        "全镇1个村村党组织委员会3名职数全部选举到位；妇女1名，占33.3%；少数民族0名，占0.0%；≤35岁0人、36–45岁0人、46–55岁2人、"
        "≥56岁1人，平均年龄53.0岁；文化结构：初中及以下0人、高中/中专0人、大专及以上0人、未填写3人。")
    assert run.text("#narrative-committee") == (
        "全镇1个村村民委员会3名职数全部选举到位；妇女1名，占33.3%；少数民族0名，占0.0%；≤35岁0人、36–45岁0人、46–55岁2人、"
        "≥56岁1人，平均年龄55.0岁；文化结构：初中及以下0人、高中/中专0人、大专及以上0人、未填写3人。")
    assert run.text("#narrative-cross") == (
        "全镇村“两委”共选出成员4人；村委会成员3人中有2人与村党组织委员交叉任职，交叉比例66.7%；村党组织书记和村委会主任"
        "“一肩挑”的有1个村，占100.0%（1/1）；“两委”平均年龄53.3岁，妇女1人，少数民族0人。")
    assert rows("#table-cross") == [
        "“两委”成员（每人计一次） 4 — —", "村委会成员与村党组织委员交叉任职 2 3 66.7% 村委会成员",
        "村党组织书记、村委会主任“一肩挑”的村 1 1 100.0% 选出主任的村", "“两委”成员中的女性 1 4 25.0% “两委”成员",
        "“两委”成员中的少数民族 0 4 0.0% “两委”成员", "“两委”成员平均年龄（岁） 53.3 — — “两委”成员"]
    assert rows("#table-villages") == ["东山村 3 3 — 3 3 — 2 是 4"]
    branch = rows("#table-branch")
    assert branch[:6] == ["参加选举的村 1 — —", "应选职数 3 — —", "已选举到位 3 3 100.0% 应选职数",
                          "其中：书记（职数1） 1 1 100.0% 书记职数", "其中：副书记（职数0） 0 0 — 副书记职数",
                          "其中：委员（职数2） 2 2 100.0% 委员职数"], branch
    committee = rows("#table-committee")
    assert committee[:6] == ["参加选举的村 1 — —", "应选职数 3 — —", "已选举到位 3 3 100.0% 应选职数",
                             "其中：主任（职数1） 1 1 100.0% 主任职数", "其中：副主任（职数0） 0 0 — 副主任职数",
                             "其中：委员（职数2） 2 2 100.0% 委员职数"], committee
    assert "中共党员 2 3 66.7% 当选人数" in committee, committee
    run.shoot("03-township")
