"""Setting up a village Party organisation's election through the browser (issue 12, step 3): the round opened
for the kind chosen first; the committee's posts (书记/副书记/委员) by the organisation's full members
(支部工作条例, LAW.md §4.3) with kind-aware database constraints; the township Party committee's approval
(乡镇党委批复), audited; the setup checklist; the Party wording of the election page."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.builders import make_party_campaign, make_voter, preset
from villages import services
from villages.audit_labels import action_label
from villages.models import AuditEntry, Campaign, Election
from villages.requirements import party_setup_requirements


def full_members(election, count, *, start=0):
    return [make_voter(election=election, name=f"党员{n:02d}", serial=n, category="PARTY_FULL")
            for n in range(start, start + count)]


@pytest.fixture
def branch_a(township, village_a, village_b, clerk):
    return make_party_campaign(township=township, by=clerk).elections.get(village=village_a)


def seats(election, chair, vice, member):
    election.seats_chair, election.seats_vice_chair, election.seats_member = chair, vice, member
    return election


# ---------------------------------------------------------------- the database's constraints, kind-aware


def test_every_creation_path_copies_the_rounds_kind(branch_a, election_a):
    assert (branch_a.kind_code, election_a.kind_code) == ("party_branch", "village_committee")  # bulk_create
    assert Election.objects.filter(campaign=branch_a.campaign).exclude(kind_code="party_branch").count() == 0
    single = Election(campaign=election_a.campaign, village=branch_a.village, election_day=date(2027, 1, 9),
                      kind_code="party_branch")
    with pytest.raises(ValueError, match="选举类型party_branch与所属换届选举的类型village_committee不符"):
        single.set_kind_code()


def test_a_secretary_only_branch_is_allowed_a_village_committee_of_one_is_not(branch_a, election_a):
    Election.objects.filter(pk=branch_a.pk).update(seats_chair=1, seats_vice_chair=0, seats_member=0)
    assert Election.objects.get(pk=branch_a.pk).total_seats == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Election.objects.filter(pk=election_a.pk).update(seats_chair=1, seats_vice_chair=0, seats_member=0)
    assert Election.objects.get(pk=election_a.pk).total_seats == 3


@pytest.mark.parametrize("chair,vice,member", [(1, 3, 0), (0, 0, 3), (1, 1, 6)])
def test_a_party_committee_keeps_one_secretary_two_deputies_at_most_and_seven_in_all(branch_a, chair, vice, member):
    with pytest.raises(IntegrityError), transaction.atomic():
        Election.objects.filter(pk=branch_a.pk).update(seats_chair=chair, seats_vice_chair=vice, seats_member=member)


def test_an_unknown_kind_code_is_refused_and_keeps_the_village_guarantee(election_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Election.objects.filter(pk=election_a.pk).update(kind_code="")


# ---------------------------------------------------------------- the posts by the full members


def test_seven_full_members_or_more_elect_a_committee_of_three_to_five(branch_a):
    rules = branch_a.rules
    size = services.validate_party_seats(chair=1, vice_chair=1, member=3, rules=rules, full_members=9)
    assert (size.structure, size.size_min, size.size_max) == ("committee", 3, 5)
    with pytest.raises(ValidationError) as refused:
        services.validate_party_seats(chair=1, vice_chair=1, member=4, rules=rules, full_members=9)
    assert refused.value.messages == [
        "正式党员9名，达到7名，设支部委员会，委员3至5名：书记、副书记和委员合计应为3至5名，现为6名。"]
    with pytest.raises(ValidationError) as refused:
        services.validate_party_seats(chair=1, vice_chair=0, member=0, rules=rules, full_members=7)
    assert refused.value.messages == [
        "正式党员7名，达到7名，设支部委员会，委员3至5名：书记、副书记和委员合计应为3至5名，现为1名。"]


def test_below_seven_full_members_a_secretary_only(branch_a):
    rules = branch_a.rules
    assert services.validate_party_seats(chair=1, vice_chair=0, member=0, rules=rules, full_members=6).structure == (
        "secretary_only")
    with pytest.raises(ValidationError) as refused:
        services.validate_party_seats(chair=1, vice_chair=0, member=2, rules=rules, full_members=6)
    assert refused.value.messages == [
        "正式党员6名，不足7名，不设支部委员会，设书记1名，必要时设副书记1名：应设书记1名，必要时设副书记1名，不设其他委员，"
        "现为书记1名、副书记0名、委员2名。"]
    with pytest.raises(ValidationError) as refused:
        services.validate_party_seats(chair=1, vice_chair=0, member=0, rules=rules, full_members=2)
    assert refused.value.messages == ["正式党员2名，不足3名，不能单独成立党支部，不能按村党组织选举确定职数，请报上级党组织处理。"]
    with pytest.raises(ValidationError) as refused:
        services.validate_party_seats(chair=1, vice_chair=0, member=0, rules=rules, full_members=0)
    assert refused.value.messages == ["党员名册中还没有正式党员，请先导入党员名册，再按正式党员人数确定职数。"]


def test_more_deputies_than_the_preset_allows_are_refused(branch_a):
    with pytest.raises(ValidationError) as refused:
        services.validate_party_seats(chair=1, vice_chair=2, member=1, rules=branch_a.rules, full_members=12)
    assert refused.value.messages == ["副书记职数不能超过1名（支部工作条例）。"]


def test_the_population_rule_of_a_preset_fixes_the_size(township, village_a, clerk):
    village_a.population = 2000
    village_a.save()
    branch = make_party_campaign(township=township, by=clerk, preset_code="CHONGREN_TWO_BALLOTS").elections.get()
    with pytest.raises(ValidationError) as refused:
        services.validate_party_seats(chair=1, vice_chair=0, member=4, rules=branch.rules, full_members=20,
                                      population=2000)
    assert refused.value.messages == [
        "正式党员20名，达到7名，设支部委员会；全村人口2000人，在2000人以下，委员3名：书记、副书记和委员合计应为3名，现为5名。"]
    assert services.validate_party_seats(chair=1, vice_chair=1, member=3, rules=branch.rules, full_members=20,
                                         population=2001).size_min == 5


def test_the_seat_form_speaks_of_the_branch_posts_and_saves_a_secretary_only_branch(client, branch_a, clerk):
    full_members(branch_a, 5)
    client.force_login(clerk)
    url = reverse("villages:election-setup", args=[branch_a.pk])
    page = client.get(url).content.decode()
    assert "书记职数" in page and "副书记职数" in page and "其他委员职数" in page
    assert "主任" not in page and "妇女委员" not in page and "村民选举委员会" not in page
    assert "正式党员5名，不足7名，不设支部委员会，设书记1名，必要时设副书记1名。" in page
    assert "中共东山村支部委员会" in page
    response = client.post(url, {"seats_vice_chair": "0", "seats_member": "2", "version": branch_a.version})
    assert "现为书记1名、副书记0名、委员2名" in response.content.decode()
    assert Election.objects.get(pk=branch_a.pk).seats_member == 2
    response = client.post(url, {"seats_vice_chair": "0", "seats_member": "0", "version": branch_a.version})
    assert response.status_code == 302
    branch_a.refresh_from_db()
    assert (branch_a.seats_chair, branch_a.seats_vice_chair, branch_a.seats_member) == (1, 0, 0)
    entry = AuditEntry.objects.get(action="villages.election.party_seats_updated")
    assert entry.changes["seats_member"] == [2, 0]
    assert action_label(entry.action) == "修改村党组织委员会职数"


def test_changed_posts_withdraw_the_approval(client, branch_a, clerk):
    full_members(branch_a, 9)
    services.record_plan_approval(by=clerk, election=branch_a, approved_on=date(2026, 10, 8),
                                  reference="青山镇党委〔2026〕12号", today=date(2026, 10, 9),
                                  expected_version=branch_a.version)
    branch_a.refresh_from_db()
    client.force_login(clerk)
    page = client.get(reverse("villages:election-setup", args=[branch_a.pk])).content.decode()
    assert "乡镇党委已于2026年10月8日批复（青山镇党委〔2026〕12号）；改变职数的，原批复记录随之撤销，须重新报批。" in page
    response = client.post(reverse("villages:election-setup", args=[branch_a.pk]),
                           {"seats_vice_chair": "1", "seats_member": "3", "version": branch_a.version}, follow=True)
    assert "原批复记录已撤销" in response.content.decode()
    branch_a.refresh_from_db()
    assert (branch_a.total_seats, branch_a.plan_approved_on, branch_a.plan_approval_ref) == (5, None, "")
    entry = AuditEntry.objects.get(action="villages.election.party_seats_updated")
    assert entry.changes["plan_approval_ref"] == ["青山镇党委〔2026〕12号", ""]


# ---------------------------------------------------------------- 乡镇党委批复


def test_the_approval_is_recorded_through_its_form_and_audited(client, branch_a, liaison_a, clerk):
    url = reverse("villages:election-plan-approval", args=[branch_a.pk])
    client.force_login(clerk)
    page = client.get(url).content.decode()
    assert "批复日期" in page and "批复文号" in page
    response = client.post(url, {"plan_approved_on": "2026-10-08", "plan_approval_ref": " 青山镇党委〔2026〕12号 ",
                                 "version": branch_a.version})
    assert response.status_code == 302
    branch_a.refresh_from_db()
    assert (branch_a.plan_approved_on, branch_a.plan_approval_ref) == (date(2026, 10, 8), "青山镇党委〔2026〕12号")
    entry = AuditEntry.objects.get(action="villages.election.plan_approved")
    assert (entry.village_id, entry.actor, action_label(entry.action)) == (
        branch_a.village_id, clerk, "记录乡镇党委对选举工作方案和委员职数的批复")
    assert entry.changes["plan_approval_ref"] == ["", "青山镇党委〔2026〕12号"]


@pytest.mark.parametrize("day,ref,field,message", [
    (date(2026, 11, 21), "镇党委〔2026〕1号", "plan_approved_on", "批复日期不能晚于选举日（2026年11月20日）。"),
    (date(2026, 10, 9), "镇党委〔2026〕1号", "plan_approved_on", "批复日期不能晚于今天。"),
    (date(2026, 10, 8), "  ", "plan_approval_ref", "请填写乡镇党委批复的文号。"),
])
def test_approval_rules(branch_a, clerk, day, ref, field, message):
    today = date(2026, 10, 8) if day == date(2026, 10, 9) else date(2026, 12, 1)
    with pytest.raises(ValidationError) as refused:
        services.record_plan_approval(by=clerk, election=branch_a, approved_on=day, reference=ref, today=today,
                                      expected_version=branch_a.version)
    assert refused.value.message_dict[field] == [message]
    assert not AuditEntry.objects.filter(action="villages.election.plan_approved").exists()


def test_a_village_committee_election_has_no_party_approval(client, election_a, clerk):
    with pytest.raises(ValidationError) as refused:
        services.record_plan_approval(by=clerk, election=election_a, approved_on=date(2026, 10, 8), reference="x",
                                      today=date(2026, 10, 9), expected_version=election_a.version)
    assert refused.value.messages == ["这不是村党组织的换届选举。"]
    client.force_login(clerk)
    assert client.get(reverse("villages:election-plan-approval", args=[election_a.pk])).status_code == 404


# ---------------------------------------------------------------- the setup checklist


def items(election):
    return {item.code: (item.ok, item.detail) for item in party_setup_requirements(Election.objects.get(pk=election.pk))}


def test_the_setup_checklist_of_a_party_election(branch_a, clerk):
    assert items(branch_a) == {
        "plan_approved": (False, "请在“乡镇党委批复”页面记录批复日期和文号"),
        "party_register": (False, "党员0名，其中正式党员0名"),
        "expected_attendance": (False, "没有有选举权的党员，无法计算应到会人数"),
        "seats": (False, "党员名册中还没有正式党员，请先导入党员名册，再按正式党员人数确定职数。"),
    }
    full_members(branch_a, 6)
    make_voter(election=branch_a, name="预备甲", serial=50, category="PARTY_PROBATIONARY", status="not_registered",
               not_registered_reason="预备党员没有表决权、选举权和被选举权")
    found = items(branch_a)
    assert found["party_register"] == (True, "党员7名，其中正式党员6名")
    assert found["expected_attendance"] == (True, "有选举权的党员6名，没有不列入应到会人数的党员，应到会6名")
    assert found["seats"][0] is False and "不设其他委员，现为书记1名、副书记0名、委员2名" in found["seats"][1]
    Election.objects.filter(pk=branch_a.pk).update(seats_member=0)
    services.record_plan_approval(by=clerk, election=Election.objects.get(pk=branch_a.pk), approved_on=date(2026, 10, 8),
                                  reference="青山镇党委〔2026〕12号", today=date(2026, 10, 9), expected_version=1)
    assert items(branch_a) == {
        "plan_approved": (True, "2026年10月8日，青山镇党委〔2026〕12号"),
        "party_register": (True, "党员7名，其中正式党员6名"),
        "expected_attendance": (True, "有选举权的党员6名，没有不列入应到会人数的党员，应到会6名"),
        "seats": (True, "书记1名、副书记0名、委员0名，合计1名"),
    }


def test_the_election_cannot_leave_setup_before_the_checklist_holds(client, branch_a, clerk):
    client.force_login(clerk)
    response = client.post(reverse("villages:election-advance", args=[branch_a.pk]), {"target": "registration"},
                           follow=True)
    assert "乡镇党委已批复选举工作方案和委员职数；已导入党员名册且有正式党员" in response.content.decode()
    assert Election.objects.get(pk=branch_a.pk).stage == "preparation"


# ---------------------------------------------------------------- the round-opening page


def test_the_round_opening_page_offers_the_kind_first_then_its_presets(client, township, village_a, clerk):
    client.force_login(clerk)
    url = reverse("villages:campaign-create")
    page = client.get(url).content.decode()
    assert "村党组织换届选举" in page and "?kind=party_branch" in page
    assert preset("VCOL_2018_NATIONAL").name in page and preset("CPC_BRANCH_2020_NATIONAL").name not in page
    page = client.get(url + "?kind=party_branch").content.decode()
    assert preset("CPC_BRANCH_2020_NATIONAL").name in page and preset("VCOL_2018_NATIONAL").name not in page
    response = client.post(url, {"election_type": "party_branch", "township": township.pk, "term_number": "8",
                                 "preset": preset("CPC_BRANCH_2020_NATIONAL").pk, "default_election_day": "2027-01-16",
                                 "date_reason": ""}, follow=True)
    campaign = Campaign.objects.get()
    assert (campaign.election_type, campaign.term_number, str(campaign)) == ("party_branch", 8, "青山镇第8届村党组织换届选举")
    assert response.redirect_chain == [(reverse("villages:campaign-detail", args=[campaign.pk]), 302)]
    assert response.status_code == 200 and "共1个村党组织" in response.content.decode()
    assert "第8届村党组织换届选举</a>" in client.get(reverse("villages:campaign-list")).content.decode()
    election = campaign.elections.get()
    assert (election.kind_code, election.seats_chair, election.seats_vice_chair, election.seats_member) == (
        "party_branch", 1, 0, 2)


def test_a_preset_of_another_kind_is_refused(client, township, village_a, clerk):
    client.force_login(clerk)
    response = client.post(reverse("villages:campaign-create"), {
        "election_type": "party_branch", "township": township.pk, "term_number": "8",
        "preset": preset("VCOL_2018_NATIONAL").pk, "default_election_day": "2027-01-16", "date_reason": ""})
    assert response.status_code == 200 and not Campaign.objects.exists()
    assert "选择一个有效的选项" in response.content.decode()


# ---------------------------------------------------------------- the Party election's page


def test_the_party_election_page_speaks_of_the_members_meeting(client, branch_a, clerk):
    full_members(branch_a, 9)
    make_voter(election=branch_a, name="预备甲", serial=50, category="PARTY_PROBATIONARY", status="not_registered",
               not_registered_reason="预备党员没有表决权、选举权和被选举权")
    client.force_login(clerk)
    page = client.get(reverse("villages:election-detail", args=[branch_a.pk])).content.decode()
    assert "中共东山村支部委员会" in page and "上级党组织 中共青山镇委员会" in page
    assert "选举日（党员大会）" in page and "党员大会" in page
    assert "书记 1 名，副书记 0 名，其他委员 2 名，委员合计 <strong>3</strong> 名" in page
    assert "村党组织委员会职数" in page and "乡镇党委批复：" in page
    assert '<td>正式党员</td><td class="num">9 名</td>' in page
    assert '<td>应到会</td><td class="num"><strong>9</strong> 名</td>' in page
    assert "有选举权的到会党员超过应到会人数的五分之四（至少 <strong>8</strong> 名）" in page
    assert "进入“党员名册登记”前须完成" in page
    for village_words in ("村民选举委员会", "选民登记", "名单公布与申诉", "主任", "推选方式"):
        assert village_words not in page, village_words
    assert reverse("villages:election-plan-approval", args=[branch_a.pk]) in page
    assert reverse("voters:appeal-list", args=[branch_a.pk]) not in page


def test_a_village_committee_election_page_keeps_its_words(client, election_a, clerk):
    client.force_login(clerk)
    page = client.get(reverse("villages:election-detail", args=[election_a.pk])).content.decode()
    assert "村民选举委员会" in page and "2–4 选民登记、名单公布与申诉" in page and "主任 1 名" in page
    assert "党员大会" not in page and "乡镇党委批复" not in page


# ---------------------------------------------------------------- pages without meaning for a Party election


@pytest.mark.parametrize("name,kwargs,heading,reason", [
    ("voters:publish", {}, "村党组织换届选举没有选民名单张榜公布", "党员名册属于党内资料，不张榜公布"),
    ("voters:published-list-pdf", {}, "村党组织换届选举没有选民名单张榜公布", "不公布选民名单，也没有名单的增减公告"),
    ("voters:amendment-list", {}, "村党组织换届选举没有选民名单张榜公布", "党员名册属于党内资料"),
    ("voters:appeal-list", {}, "村党组织换届选举没有选民资格申诉", "村民委员会组织法第十四条"),
    ("voters:appeal-create", {}, "村党组织换届选举没有选民资格申诉", "党员的选举权利以党员名册为准"),
    ("voters:proxy-list", {}, "村党组织换届选举没有委托投票", "党内选举不得委托他人代为投票"),
    ("voters:proxy-create", {}, "村党组织换届选举没有委托投票", "中国共产党基层组织选举工作条例"),
    ("voters:proxy-approve", {"proxy_pk": 1}, "村党组织换届选举没有委托投票", "不得委托"),
])
def test_pages_without_meaning_for_a_party_election_say_why(client, branch_a, clerk, name, kwargs, heading, reason):
    client.force_login(clerk)
    url = reverse(name, kwargs={"pk": branch_a.pk, **kwargs})
    response = client.post(url) if kwargs else client.get(url)  # approving a proxy is a POST
    page = response.content.decode()
    assert response.status_code == 409
    assert heading in page and reason in page
    assert reverse("voters:party-register", args=[branch_a.pk]) in page


def test_the_same_pages_serve_a_village_committee_election(client, election_a, clerk):
    client.force_login(clerk)
    for name in ("voters:appeal-list", "voters:proxy-list", "voters:amendment-list"):
        assert client.get(reverse(name, args=[election_a.pk])).status_code == 200


def test_another_villages_liaison_still_gets_404_on_an_inapplicable_page(client, branch_a, liaison_b):
    client.force_login(liaison_b)
    assert client.get(reverse("voters:proxy-list", args=[branch_a.pk])).status_code == 404


def test_the_register_tabs_of_a_party_election_hide_the_village_pages(client, branch_a, clerk):
    member = full_members(branch_a, 1)[0]
    client.force_login(clerk)
    page = client.get(reverse("voters:voter-detail", args=[branch_a.pk, member.pk])).content.decode()
    assert reverse("voters:party-register", args=[branch_a.pk]) in page
    for name in ("voters:appeal-list", "voters:proxy-list", "voters:amendment-list", "voters:register-changes"):
        assert reverse(name, args=[branch_a.pk]) not in page


def test_the_kind_lists_the_pages_it_has_no_use_for():
    from villages.kinds import get_kind

    party, village = get_kind("party_branch"), get_kind("village_committee")
    assert party.inapplicable("voters:proxy-list")[0] == "委托投票"
    assert party.inapplicable("voters:party-register") is None and village.inapplicable("voters:proxy-list") is None
    assert (party.serves_page("voters:appeal-list"), party.serves_page("voters:party-register"),
            party.serves_page("archive:handover"), village.serves_page("voters:appeal-list")) == (
        False, True, True, True)


def test_the_round_page_of_a_party_round_names_the_branch_posts(client, branch_a, clerk):
    client.force_login(clerk)
    page = client.get(reverse("villages:campaign-detail", args=[branch_a.campaign_id])).content.decode()
    assert '<th class="num">书记</th><th class="num">副书记</th><th class="num">其他委员</th>' in page
    assert "<th>乡镇党委批复</th>" in page and "主任" not in page
