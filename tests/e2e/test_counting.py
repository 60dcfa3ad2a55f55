"""One village's election carried from nomination to announced results in a real browser, through a
tie re-vote and a runoff (另行选举). Screenshots 20-… to 29-….

西岭村 elects a chair, a member and a women's member (Zhejiang reserves the women's seat, so three
member seats become 委员 2 + 妇女委员 1). The first round fills the chair and one member seat, ties two
men at the last member seat and leaves the women's seat unfilled; the re-vote settles the tie, the
first results are announced, the runoff fills the women's seat and the final results are announced.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from ballots.models import Tally
from tests.builders import make_voter, make_voters, publish_list
from villages import services as setup
from villages.models import CommitteeMember, Election, User
from voters.models import Voter

pytestmark = pytest.mark.e2e

REGISTERED = 30
CANDIDATES = [  # name, sex, post, nomination votes
    ("陈国强", "M", "主任", 14),
    ("林志明", "M", "主任", 9),
    ("王建军", "M", "委员", 12),
    ("赵立新", "M", "委员", 11),
    ("孙浩", "M", "委员", 8),
    ("李秀兰", "F", "妇女委员", 10),
    ("张美华", "F", "妇女委员", 7),
]


# ---------------------------------------------------------------- setup through the services


def xiling_at_nomination(today: date) -> tuple[Election, dict]:
    """西岭村 at 提名候选人 with 30 voters on the published list, seven of them the future candidates.

    The election day is moved to today so that the rounds, the announcement and the new committee all
    carry today's date; the earlier acts are dated back from it.
    """
    clerk = User.objects.get(username="clerk")
    Election.objects.filter(village__name="西岭村").update(election_day=today)
    election = Election.objects.get(village__name="西岭村")
    election.seats_member = 3
    election.committee_chosen_by = Election.ChosenBy.VILLAGERS_MEETING
    election.committee_chosen_on = today - timedelta(days=45)
    setup.update_election_setup(by=clerk, election=election, expected_version=election.version)
    for order, (name, sex) in enumerate([("周明", "M"), ("吴丽", "F"), ("郑强", "M"), ("冯芳", "F"), ("钱军", "M")], 1):
        position = CommitteeMember.Position.CHAIR if order == 1 else CommitteeMember.Position.MEMBER
        member = CommitteeMember(election=election, name=name, sex=sex, position=position, selection_order=order)
        setup.save_committee_member(by=clerk, member=member)
    setup.advance_stage(by=clerk, election=election, target="registration", on=None, today=today)
    people = {
        name: make_voter(election=election, name=name, sex=sex, serial=serial, birth_date=date(1975, 3, serial))
        for serial, (name, sex, _post, _votes) in enumerate(CANDIDATES, start=1)
    }
    make_voters(election=election, count=REGISTERED - len(CANDIDATES))
    # They were registered before the list was posted: a list cannot be published before its voters exist.
    registered_at = datetime.combine(today - timedelta(days=30), time(9), tzinfo=ZoneInfo("Asia/Shanghai"))
    Voter.objects.filter(election=election).update(created_at=registered_at)
    publish_list(election=election, by=clerk, on=today - timedelta(days=25), today=today)
    for stage in ("appeals_closed", "nomination"):
        setup.advance_stage(by=clerk, election=election, target=stage, on=None, today=today)
    return election, people


# ---------------------------------------------------------------- what a user does on a page


def flash(page):
    """The success message shown after a redirect (a page may hold other green alerts)."""
    return page.locator(".alert-success.alert-dismissible")


def nominate(page, voter, *, post: str, votes: int, on: date) -> None:
    page.locator("#nominate-link").click()
    page.select_option("#id_voter", value=str(voter.pk))
    page.select_option("#id_post", label=post)
    page.fill("#id_nominated_on", on.isoformat())
    page.fill("#id_nomination_votes", str(votes))
    page.get_by_role("button", name="登记提名").click()
    expect(flash(page)).to_contain_text(f"已登记{voter.name}（{post}）。")


def fill_tally(
    page, *, issued: int, returned: int, valid: int, invalid: int = 0, votes: dict, abstentions: dict | None = None
) -> None:
    """Type one station's tally sheet and submit it: ``votes`` is {post code: {candidate name: votes}},
    ``abstentions`` {post code: ballots naming nobody for that post}."""
    for field, value in (("issued", issued), ("returned", returned), ("valid", valid), ("invalid", invalid)):
        page.fill(f"#id_{field}", str(value))
    for post, by_name in votes.items():
        for name, count in by_name.items():
            page.locator(f"#post-{post}").get_by_label(name, exact=True).fill(str(count))
    for post, count in (abstentions or {}).items():
        page.fill(f"#id_{post}__abstentions", str(count))
    page.get_by_role("button", name="确认提交").click()


def type_date(page, field: str, day: date) -> None:
    # ballots' date fields come up empty: their initial value is rendered as 2026/11/21, which
    # <input type="date"> rejects, so a user has to pick the day again (reported, not fixed here).
    page.fill(field, day.isoformat())


def open_round(page, button: str, label: str, *, held_on: date) -> None:
    """Open the round the results page offers, then go to the tally sheet of its only station."""
    page.locator("#next-actions").get_by_role("link", name=button).click()
    type_date(page, "#id_held_on", held_on)
    page.get_by_role("button", name="开启本轮").click()
    expect(flash(page)).to_contain_text(f"已开启{label}")
    page.locator("#tally-table").get_by_role("link", name="录入").click()


def confirm_tally(page) -> None:
    expect(flash(page)).to_have_text("中心会场的计票结果已确认。")
    expect(page.locator("#tally-table")).to_contain_text("✔ 已确认")
    page.locator("#ballots-nav").get_by_role("link", name="选举结果").click()


def expect_findings(page, round_number: int, sentences: list) -> None:
    """The engine's sentences for one round, in order (each line also cites its legal source)."""
    expect(page.locator(f"#round-{round_number} .findings li")).to_contain_text(
        [s if isinstance(s, re.Pattern) else f"{s}。" for s in sentences]
    )


def announce(page, *, new_members: int, on: date) -> None:
    page.locator("#next-actions").get_by_role("link", name="公布选举结果").click()
    type_date(page, "#id_on", on)
    page.get_by_role("button", name="公布选举结果").click()
    expect(flash(page)).to_have_text(f"选举结果已公布，共{new_members}名新当选人记入当选名单。")


# ---------------------------------------------------------------- the test


def test_village_election_from_nomination_to_announced_results(sign_in, demo, shoot, live_server):
    today = timezone.localdate()
    election, people = xiling_at_nomination(today)

    page = sign_in("liaison_a")
    page.get_by_role("link", name="西岭村").first.click()
    page.get_by_role("link", name="5 候选人提名").click()
    for name, _sex, post, votes in CANDIDATES:
        nominate(page, people[name], post=post, votes=votes, on=today - timedelta(days=10))
    expect(page.locator("#slate-problems")).to_have_text("各职务候选人均符合差额要求。")
    shoot("20-nominations")

    page = sign_in("clerk")
    page.get_by_role("link", name="西岭村").first.click()
    page.get_by_role("link", name="5 候选人提名").click()
    page.locator("#publish-link").click()
    page.fill("#id_published_on", (today - timedelta(days=6)).isoformat())
    page.get_by_role("button", name="公布正式候选人名单").click()
    expect(flash(page)).to_have_text(
        "已按“有候选人（选民直接提名）”公布正式候选人名单，选举进入“投票选举”阶段。"
    )
    shoot("21-candidate-list-published")

    page.get_by_role("link", name="返回选举").click()
    page.get_by_role("link", name="6–7 投票站、计票与选举结果").click()
    page.get_by_role("link", name="新增投票站 / 流动票箱").click()
    page.select_option("#id_kind", label="中心会场")
    page.fill("#id_name", "中心会场")
    page.fill("#id_location", "西岭村文化礼堂")
    page.fill("#id_assigned_voters", str(REGISTERED))
    page.fill("#id_staff_names", "周明\n吴丽\n郑强")
    page.get_by_role("button", name="保存").click()
    expect(flash(page)).to_have_text("投票站“中心会场”已保存。")
    expect(page.locator("#station-table tbody tr")).to_have_count(1)
    shoot("22-central-meeting")

    # First round: a sheet whose numbers do not add up is refused and nothing is saved.
    page.locator("#ballots-nav").get_by_role("link", name="投票轮次与计票").click()
    open_round(page, "开启正式选举", "第1轮 正式选举", held_on=today)
    first_round = {
        "votes": {"chair": {"陈国强": 18, "林志明": 7}, "member": {"王建军": 20, "赵立新": 15, "孙浩": 15},
                  "woman_member": {"李秀兰": 12, "张美华": 10}},
        "abstentions": {"chair": 2, "woman_member": 5},
    }
    fill_tally(page, issued=26, returned=27, valid=27, **first_round)
    expect(page.locator(".tally-form .alert-danger")).to_contain_text(
        "收回选票27张，多于发出选票26张，本次选举无效，须重新投票"
    )
    assert not Tally.objects.filter(round__election=election).exists()
    shoot("23-tally-rejected")

    fill_tally(page, issued=28, returned=27, valid=27, **first_round)
    confirm_tally(page)
    expect(page.locator("#result-status")).to_have_text(
        "须就并列者重新投票：有候选人得票相等并列争夺最后职位，须就并列者重新投票。"
    )
    expect_findings(page, 1, [
        "参加投票人数27人，超过登记选民30人的半数，选举有效",
        "陈国强得票18票，超过参加投票27人的半数，当选主任",
        "林志明得票7票，未超过参加投票27人的半数，未当选主任",
        "王建军得票20票，超过参加投票27人的半数，当选委员",
        # the two tied are named in the order of their database keys, which this test does not fix
        re.compile("(赵立新与孙浩|孙浩与赵立新)得票均为15票，并列争夺最后一个委员职位，须就并列者重新投票。"),
        "李秀兰得票12票，未超过参加投票27人的半数，未当选妇女委员",
        "张美华得票10票，未超过参加投票27人的半数，未当选妇女委员",
        "妇女委员应选1名，当选0名，尚缺1名，须另行选举",
        "另行选举妇女委员1名，候选人为李秀兰（12票）、张美华（10票）共2人",
    ])
    expect(page.locator("#next-actions a.btn-primary, #next-actions a.btn-success")).to_have_text(
        ["开启委员并列者重新投票"]
    )
    shoot("24-first-round-tie-and-vacancy")

    open_round(page, "开启委员并列者重新投票", "第2轮 委员并列者重新投票", held_on=today)
    fill_tally(page, issued=25, returned=25, valid=25, votes={"member": {"赵立新": 16, "孙浩": 9}})
    confirm_tally(page)
    expect(page.locator("#result-status")).to_have_text("须另行选举：已选出3名成员，尚缺1名，须另行选举。")
    expect_findings(page, 2, [
        "赵立新在并列者重新投票中得票16票，名列前1名，当选委员",
        "孙浩在并列者重新投票中得票9票，未进入前1名，未当选委员",
    ])
    expect_findings(page, 1, [
        "赵立新经并列者重新投票当选委员（第一次投票得票15票）",
        "孙浩得票15票，超过参加投票27人的半数，但名次在应选2名之后，未当选委员",
        "当选的3名成员中没有妇女，另行选举时继续单独列出妇女委员候选人",
    ])
    shoot("25-revote-settles-tie")

    announce(page, new_members=3, on=today)
    expect(page.locator("#announced-members tbody tr")).to_have_count(3)
    expect(page.locator(".page-header")).to_contain_text("当前阶段：另行选举")
    shoot("26-first-results-announced")

    page.locator("#next-actions").get_by_role("link", name="开启另行选举").click()
    expect(page.locator("#round-setup")).to_contain_text("得票不少于已投选票总数的1/3方可当选")
    expect(page.get_by_label("李秀兰（女，上一轮12票）")).to_be_checked()
    expect(page.get_by_label("张美华（女，上一轮10票）")).to_be_checked()
    type_date(page, "#id_held_on", today)
    shoot("27-runoff-opening")
    page.get_by_role("button", name="开启本轮").click()
    expect(flash(page)).to_contain_text("已开启第3轮 另行选举")
    page.locator("#tally-table").get_by_role("link", name="录入").click()
    fill_tally(page, issued=24, returned=24, valid=24, votes={"woman_member": {"李秀兰": 15, "张美华": 6}},
               abstentions={"woman_member": 3})
    confirm_tally(page)
    expect(page.locator("#result-status")).to_contain_text("选举完成：村民委员会应选4名，已全部选出。")
    expect_findings(page, 3, [
        "李秀兰得票15票，不少于已投选票总数24张的三分之一，当选妇女委员",
        "张美华得票6票，少于已投选票总数24张的三分之一，未当选妇女委员",
        "村民委员会应选4名，已全部选出",
    ])

    announce(page, new_members=1, on=today)
    expect(page.locator(".page-header")).to_contain_text("当前阶段：工作移交")
    expect(page.locator("#announced-members tbody tr")).to_have_count(4)
    shoot("28-final-results-announced")

    page.goto(live_server.url + reverse("villages:village-detail", kwargs={"pk": election.village_id}))
    members = page.locator("#announced-results tbody tr")
    expect(members).to_have_count(4)
    for name, post, votes in [("陈国强", "主任", 18), ("王建军", "委员", 20), ("赵立新", "委员", 15),
                              ("李秀兰", "妇女委员", 15)]:
        row = members.filter(has_text=name)
        expect(row.locator("td").nth(2)).to_have_text(post)
        expect(row.locator("td").nth(3)).to_have_text(str(votes))
    shoot("29-village-page-members")
