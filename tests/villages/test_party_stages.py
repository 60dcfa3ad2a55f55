"""A village Party organisation's election has its own stage sequence (issue 12): setup → 党员名册登记 → 候选人推荐和
提名 → 党员大会选举 (→ 另行选举) → 工作移交 and 归档 (the archive's, not served yet). Its register is never posted,
so it has no 公布选民名单 and no 申诉处理完毕; the village committee's and 人大's sequences are unchanged."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.builders import at_stage, make_party_campaign, make_party_members
from villages import services, stages
from villages.kinds import get_kind
from villages.models import Election

APPROVED = date(2026, 10, 8)


def test_each_kind_moves_through_its_own_stages():
    party, village, deputies = get_kind("party_branch"), get_kind("village_committee"), get_kind("deputies")
    assert stages.next_stages("registration", party) == ["nomination"]
    assert stages.next_stages("voting", party) == ["runoff", "handover"]
    assert [label for _code, label in party.stage_choices()] == [
        "准备", "党员名册登记", "候选人推荐和提名", "党员大会选举", "另行选举", "工作移交", "归档"]
    # The village committee's and 人大's sequences are every stage, as before.
    for kind in (village, deputies, None):
        assert stages.next_stages("registration", kind) == ["list_published"]
        assert stages.next_stages("appeals_closed", kind) == ["nomination"]
    assert [code for code, _label in village.stage_choices()] == stages.STAGE_ORDER


@pytest.fixture
def branch(township, village_a, clerk):
    """东山村's branch, 8 full members, 书记 1 and 委员 2 approved by the township, at 党员名册登记."""
    campaign = make_party_campaign(township=township, by=clerk)
    election = campaign.elections.get(village=village_a)
    make_party_members(election=election, count=8)
    Election.objects.filter(pk=election.pk).update(seats_chair=1, seats_vice_chair=0, seats_member=2)
    stored = Election.objects.get(pk=election.pk)
    services.record_plan_approval(by=clerk, election=stored, approved_on=APPROVED, reference="青山镇党委〔2026〕12号",
                                  today=date(2026, 10, 9), expected_version=stored.version)
    return at_stage(election, "registration")


def test_the_register_stage_leads_to_the_nomination_pipeline(branch, clerk):
    with pytest.raises(ValidationError) as exc:
        services.advance_stage(by=clerk, election=branch, target="list_published", on=date(2026, 10, 10),
                               today=date(2026, 10, 10))
    assert exc.value.messages == ["不能从“党员名册登记”直接进入“公布选民名单”。"]
    services.advance_stage(by=clerk, election=branch, target="nomination", on=None, today=date(2026, 10, 10))
    assert Election.objects.get(pk=branch.pk).stage == "nomination"


def test_the_register_stage_ends_only_while_the_posts_fit_the_register(branch, clerk):
    """The posts were approved for 8 full members (a 书记 and two 委员); the checklist is read again on leaving."""
    Election.objects.filter(pk=branch.pk).update(plan_approval_ref="")
    with pytest.raises(ValidationError) as exc:
        services.advance_stage(by=clerk, election=Election.objects.get(pk=branch.pk), target="nomination", on=None,
                               today=date(2026, 10, 10))
    assert exc.value.messages == ["进入“候选人推荐和提名”前，以下事项尚未完成：乡镇党委已批复选举工作方案和委员职数"]


def test_the_election_page_shows_the_party_sequence_on_to_the_handover(client, branch, clerk):
    client.force_login(clerk)
    page = client.get(reverse("villages:election-detail", args=[branch.pk])).content.decode()
    assert '<li class="done">1 准备</li>' in page and '<li class="current">2 党员名册登记</li>' in page
    assert "<li class=\"\">3 候选人推荐和提名</li>" in page and "公布选民名单" not in page
    assert "进入“候选人推荐和提名”前须完成" in page
    # The stage pages by this kind's stages: the nomination pipeline's board and the 党员大会's rounds.
    assert f'href="{reverse("candidates:candidate-list", args=[branch.pk])}">3 候选人推荐和提名</a>' in page
    assert f'href="{reverse("ballots:round-list", args=[branch.pk])}">4–5 党员大会选举与选举结果</a>' in page
    at_stage(branch, "nomination")
    page = client.get(reverse("villages:election-detail", args=[branch.pk])).content.decode()
    assert "进入“党员大会选举”前须完成" in page
    assert "已公布正式候选人名单<span class=\"text-muted\">（请在候选人推荐和提名页面登记审查意见，确定并公布正式候选人名单）" in page
    at_stage(branch, "voting")
    page = client.get(reverse("villages:election-detail", args=[branch.pk])).content.decode()
    assert '<li class="current">4 党员大会选举</li>' in page
    assert "尚未对村党组织换届选举开通" not in page
    assert "进入“工作移交”前须完成" in page and "新一届村党组织委员会已选出" in page
    assert '<label class="form-label small mb-0" for="on-handover">新一届村党组织委员会产生日期</label>' in page
    # The archive's pages by this kind's stage numbers (6 工作移交, 7 归档), not the village committee's 8 and 9.
    assert f'href="{reverse("archive:handover", args=[branch.pk])}">6 工作移交</a>' in page
    assert f'href="{reverse("archive:document-list", args=[branch.pk])}">7 选举档案</a>' in page


def test_the_track_marks_a_runoff_not_held_as_skipped_and_one_held_as_done(client, branch, clerk):
    """Past 另行选举 without one, the track says 未进行 (it used to mark it done); with a runoff round, done."""
    from tests.builders import make_round

    client.force_login(clerk)
    at_stage(branch, "handover")
    page = client.get(reverse("villages:election-detail", args=[branch.pk])).content.decode()
    assert '<li class="done">4 党员大会选举</li>' in page
    assert '<li class="skipped">5 另行选举（未进行）</li>' in page
    assert '<li class="current">6 工作移交</li>' in page
    first = make_round(election=branch, by=clerk)
    make_round(election=branch, by=clerk, kind="runoff", number=2, parent=first)
    page = client.get(reverse("villages:election-detail", args=[branch.pk])).content.decode()
    assert '<li class="done">5 另行选举</li>' in page and "未进行" not in page


def test_the_track_of_each_stage_by_the_kind_sequence():
    kind = get_kind("party_branch")
    assert stages.track(kind, "voting") == [
        ("preparation", "done"), ("registration", "done"), ("nomination", "done"), ("voting", "current"),
        ("runoff", ""), ("handover", ""), ("archived", "")]
    assert stages.track(kind, "archived")[4] == ("runoff", "skipped")
    assert stages.track(kind, "archived", entered_optional=frozenset({"runoff"}))[4] == ("runoff", "done")
