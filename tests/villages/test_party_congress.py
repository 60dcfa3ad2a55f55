"""A township Party congress's delegates' election (issue 12; LAW.md §4.5; reference 003): the round, its 选举单位
(one village Party organisation or several), each an election, and the delegates allocated by full members.

Reference 003's township: 23 branches, 431 full members (57 women, 13.2%), 49 delegates. Built here from data."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tests.builders import make_congress_members, make_party_campaign, make_village, preset
from villages import party_congress
from villages.access import ElectionLocked
from villages.audit_labels import action_label
from villages.kinds.party_allocation import AllocationError, allocate
from villages.models import AuditEntry, Election, PartyElectoralUnit, PartyOrganisation

DAY = date(2026, 11, 28)

# 23 branches (members, women): the last three, small, elect together as one unit — 21 units.
BRANCHES = [(37, 7), (33, 5), (30, 4), (28, 4), (26, 3), (25, 3), (23, 3), (22, 3), (21, 3), (20, 3), (19, 2),
            (18, 2), (17, 2), (16, 2), (15, 2), (14, 2), (13, 1), (12, 1), (11, 1), (10, 1), (8, 1), (7, 1), (6, 1)]


def test_the_world_is_reference_003s():
    assert len(BRANCHES) == 23
    assert sum(m for m, _w in BRANCHES) == 431
    assert sum(w for _m, w in BRANCHES) == 57


@pytest.fixture
def congress(township, clerk):
    """The round with 23 villages' organisations in 21 units, each unit's register its full members (and, in the
    first unit, 3 probationary members who are not counted)."""
    for n in range(23):
        make_village(township=township, name=f"第{n + 1:02d}村", groups=1)
    campaign = party_congress.open_congress_round(by=clerk, township=township, term_number=10,
                                                  preset=preset("REFERENCE_003_CONGRESS"), election_day=DAY)
    organisations = list(PartyOrganisation.objects.filter(village__township=township).order_by("village__code"))
    start = 1
    groups = [[i] for i in range(20)] + [[20, 21, 22]]
    for number, group in enumerate(groups, start=1):
        name = f"第{number}选举单位" if len(group) > 1 else organisations[group[0]].village.name
        election = party_congress.add_unit(by=clerk, campaign=campaign, name=name,
                                           organisations=[organisations[i] for i in group])
        members, women = sum(BRANCHES[i][0] for i in group), sum(BRANCHES[i][1] for i in group)
        make_congress_members(election=election, count=members, women=women, start=start)
        start += members
    make_congress_members(election=campaign.elections.get(party_unit__number=1), count=3, start=start,
                          category="PARTY_PROBATIONARY")
    return campaign


# ---------------------------------------------------------------- the units and their elections


def test_each_unit_is_an_election_of_the_congress_round(congress):
    elections = list(party_congress.unit_elections(congress))
    assert len(elections) == 21
    assert {e.kind_code for e in elections} == {"party_congress"}
    last = elections[-1]
    assert last.unit_name == "第21选举单位"
    assert sorted(o.village.name for o in last.party_unit.organisations.all()) == ["第21村", "第22村", "第23村"]
    assert list(last.unit_villages().order_by("code").values_list("name", flat=True)) == ["第21村", "第22村", "第23村"]
    assert last.unit_heading == "青山镇第十次党代表大会代表选举（第21选举单位）"
    # A congress is numbered by its sessions (次), a committee by its terms (届), as page headers read them.
    assert congress.title == "第十次乡镇党代表大会代表选举"
    assert (last.township_id, last.committee_name) == (congress.township_id, "中共青山镇委员会")
    assert (last.seats_chair, last.seats_vice_chair, last.seats_member) == (0, 0, 0)
    assert AuditEntry.objects.filter(action="villages.congress.unit_added").count() == 21
    assert action_label("villages.congress.unit_added") == "设立党代表大会选举单位"


def test_an_organisation_belongs_to_one_unit_and_a_name_to_one_unit(congress, clerk):
    first = PartyOrganisation.objects.get(village__name="第01村")
    with pytest.raises(ValidationError, match="中共第01村支部委员会已编入选举单位“第01村”"):
        party_congress.add_unit(by=clerk, campaign=congress, name="新单位", organisations=[first])
    with pytest.raises(ValidationError, match="本次选举已有名为“第02村”的选举单位"):
        party_congress.add_unit(by=clerk, campaign=congress, name="第02村", organisations=[first])
    with pytest.raises(ValidationError, match="请至少选择一个党组织"):
        party_congress.add_unit(by=clerk, campaign=congress, name="空单位", organisations=[])
    assert PartyElectoralUnit.objects.filter(campaign=congress).count() == 21


def test_the_database_holds_a_congress_election_to_one_unit_and_delegates_only(congress, township, clerk):
    election = congress.elections.get(party_unit__number=1)
    village = township.villages.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Election.objects.filter(pk=election.pk).update(village=village)  # a unit and a village
    with pytest.raises(IntegrityError), transaction.atomic():
        Election.objects.filter(pk=election.pk).update(seats_chair=1)  # delegates only
    branch = make_party_campaign(township=township, by=clerk).elections.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Election.objects.filter(pk=branch.pk).update(party_unit=PartyElectoralUnit.objects.create(
            campaign=branch.campaign, number=1, name="错配"))  # a branch election has no congress unit


def test_a_second_round_of_the_same_number_is_refused(congress, township, clerk):
    with pytest.raises(ValidationError, match="本乡镇第十次党代表大会代表选举已经存在"):
        party_congress.open_congress_round(by=clerk, township=township, term_number=10,
                                           preset=preset("REFERENCE_003_CONGRESS"), election_day=DAY)
    with pytest.raises(ValidationError, match="该规则预设不是乡镇党代表大会代表选举的预设"):
        party_congress.open_congress_round(by=clerk, township=township, term_number=11,
                                           preset=preset("CPC_BRANCH_2020_NATIONAL"), election_day=DAY)


# ---------------------------------------------------------------- the delegate total and the allocation


def test_the_total_is_checked_against_the_usual_range_and_the_maximum(congress, clerk):
    finding = party_congress.set_delegate_total(by=clerk, campaign=congress, total=49)
    assert (finding.severity, finding.message) == ("warning", "党代表大会代表名额49名，不在一般为100至200名的范围内")
    with pytest.raises(ValidationError, match="党代表大会代表名额301名，超过最多300名"):
        party_congress.set_delegate_total(by=clerk, campaign=congress, total=301)
    congress.refresh_from_db()
    assert congress.delegate_total == 49


def test_49_delegates_allocated_to_21_units_by_431_full_members(congress, clerk):
    party_congress.set_delegate_total(by=clerk, campaign=congress, total=49)
    congress.refresh_from_db()
    page = party_congress.allocation_page(congress)
    assert page.problem == "" and not page.applied
    allocation = page.allocation
    assert (allocation.total, allocation.members, allocation.seats) == (49, 431, 49)
    assert allocation.message == ("代表名额49名，按21个选举单位的正式党员共431名分配：按比例取整39名，按余数大小再分配10名，"
                                  "合计49名")
    first = allocation.rows[0]  # 37 full members (its 3 probationary members are not counted): 49×37/431 = 4.21
    assert (first.members, first.quota, first.quota_text, first.whole, first.extra, first.seats) == (
        37, Fraction(1813, 431), "4.21", 4, 0, 4)
    assert str(allocation.share_of(first)) == "8.6%"
    # The floors give 39; the 10 largest remainders (0.956 of 26 members, 0.933 of 17, 0.842 of 25, 0.819 of 16,
    # 0.752 of 33, 0.705 of 15, 0.615 of 23, 0.592 of 14, 0.501 of 22, 0.478 of 13) one more each; 0.411 (30) none.
    assert [(r.members, r.whole, r.extra, r.seats) for r in allocation.rows] == [
        (37, 4, 0, 4), (33, 3, 1, 4), (30, 3, 0, 3), (28, 3, 0, 3), (26, 2, 1, 3), (25, 2, 1, 3), (23, 2, 1, 3),
        (22, 2, 1, 3), (21, 2, 0, 2), (20, 2, 0, 2), (19, 2, 0, 2), (18, 2, 0, 2), (17, 1, 1, 2), (16, 1, 1, 2),
        (15, 1, 1, 2), (14, 1, 1, 2), (13, 1, 1, 2), (12, 1, 0, 1), (11, 1, 0, 1), (10, 1, 0, 1), (21, 2, 0, 2),
    ]
    party_congress.apply_allocation(by=clerk, campaign=congress)
    seats = list(party_congress.unit_elections(congress).values_list("seats_member", flat=True))
    assert seats == [r.seats for r in allocation.rows] and sum(seats) == 49
    assert party_congress.allocation_page(congress).applied
    entry = AuditEntry.objects.get(action="villages.congress.allocated")
    assert entry.changes["第01村"] == [0, 4] and entry.changes["members"] == [None, 431]


def test_a_certified_unit_refuses_a_new_allocation(congress, clerk):
    party_congress.set_delegate_total(by=clerk, campaign=congress, total=49)
    Election.objects.filter(campaign=congress, party_unit__number=3).update(certified_at=timezone.now())
    with pytest.raises(ElectionLocked, match="选举结果已认定"):
        party_congress.apply_allocation(by=clerk, campaign=congress)
    assert sum(congress.elections.values_list("seats_member", flat=True)) == 0


def test_the_allocation_refuses_units_without_members_and_too_few_delegates():
    with pytest.raises(AllocationError, match="乙村的名册中没有正式党员"):
        allocate(10, [(1, "甲村", 5), (2, "乙村", 0)])
    with pytest.raises(AllocationError, match="代表名额2名少于选举单位3个"):
        allocate(2, [(1, "甲", 5), (2, "乙", 5), (3, "丙", 5)])


def test_every_unit_keeps_one_delegate_and_the_rest_follow_the_remainders():
    # quotas 9×90/100 = 8.1, 9×5/100 = 0.45, 9×5/100 = 0.45: the two small units are raised to 1, which leaves 7
    # for the large one (its quota's floor 8 is taken back by one).
    allocation = allocate(9, [(1, "大", 90), (2, "小甲", 5), (3, "小乙", 5)])
    assert [r.seats for r in allocation.rows] == [7, 1, 1]
    # quotas 5×2/6 = 1.67, 0.83, 1.67, 0.83: one each, and the one seat left to the earlier of the equal remainders
    assert [r.seats for r in allocate(5, [(1, "甲", 2), (2, "乙", 1), (3, "丙", 2), (4, "丁", 1)]).rows] == [2, 1, 1, 1]


# ---------------------------------------------------------------- the pages


def test_the_clerk_opens_the_round_adds_a_unit_and_allocates_through_the_pages(client, township, village_a,
                                                                               village_b, clerk):
    client.force_login(clerk)
    response = client.post(reverse("villages:congress-create"), {
        "township": township.pk, "term_number": 10, "preset": preset("REFERENCE_003_CONGRESS").pk,
        "election_day": "2026-11-28"})
    campaign = party_congress.congress_rounds_visible_to(clerk).get()
    assert response.url == reverse("villages:congress-detail", args=[campaign.pk])
    organisations = list(PartyOrganisation.objects.filter(village__township=township).order_by("village__code"))
    response = client.post(reverse("villages:congress-unit-create", args=[campaign.pk]),
                           {"name": "东西联合选举单位", "organisations": [o.pk for o in organisations]})
    assert response.status_code == 302
    election = campaign.elections.get()
    make_congress_members(election=election, count=12, women=3)
    response = client.post(reverse("villages:congress-allocate", args=[campaign.pk]), {"total": 400})
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == "党代表大会代表名额400名，超过最多300名。"
    response = client.post(reverse("villages:congress-allocate", args=[campaign.pk]), {"total": 120}, follow=True)
    assert [str(m) for m in response.context["messages"]][-2:] == [
        "党代表大会代表名额120名，在一般为100至200名的范围内。",
        "代表名额120名，按1个选举单位的正式党员共12名分配：按比例取整120名，按余数大小再分配0名，合计120名。",
    ]
    election.refresh_from_db()
    assert election.seats_member == 120
    page = response.content.decode()
    assert "东西联合选举单位" in page and "中共东山村支部委员会、中共西岭村支部委员会" in page


def test_the_supervisor_reads_the_allocation_and_cannot_change_it(client, congress, clerk, supervisor):
    party_congress.set_delegate_total(by=clerk, campaign=congress, total=49)
    client.force_login(supervisor)
    response = client.get(reverse("villages:congress-detail", args=[congress.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "按21个选举单位的正式党员共431名分配" in page and "尚未按此分配" in page
    assert 'id="add-unit"' not in page and "确定名额并按正式党员人数分配" not in page
    assert client.post(reverse("villages:congress-allocate", args=[congress.pk]), {"total": 49}).status_code == 403


def test_a_units_register_is_read_on_the_voters_pages_by_those_who_see_its_villages(client, township, village_a,
                                                                                     village_b, clerk, liaison_a,
                                                                                     liaison_b):
    campaign = party_congress.open_congress_round(by=clerk, township=township, term_number=10,
                                                  preset=preset("REFERENCE_003_CONGRESS"), election_day=DAY)
    election = party_congress.add_unit(by=clerk, campaign=campaign, name="东山村",
                                       organisations=[village_a.party_organisation])
    make_congress_members(election=election, count=5)
    url = reverse("voters:party-register", args=[election.pk])
    for user, status in ((clerk, 200), (liaison_a, 200), (liaison_b, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status, user


@pytest.mark.parametrize(("user", "shown"), [("clerk", True), ("supervisor", True), ("liaison_a", False)])
def test_the_menu_links_the_congress_list_for_those_who_read_it(client, request, user, shown):
    client.force_login(request.getfixturevalue(user))
    page = client.get(reverse("villages:dashboard")).content.decode()
    link = f'id="nav-congress" href="{reverse("villages:congress-list")}">乡镇党代表大会代表选举</a>'
    assert (link in page) is shown
