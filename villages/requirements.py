"""What the setup stage requires before an election moves on (registered in ``apps.ready``)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError

from . import stages
from .legal_calendar import within_days
from .models import CommitteeMember, Election


def committee_size_problem(active: int, rules) -> str:
    """'' if the 村民选举委员会 size fits the preset, else what is wrong (OL §12; MCA 规程)."""
    low, high = rules.election_committee_size_min, rules.election_committee_size_max
    if active < low or (high is not None and active > high):
        span = f"{low}至{high}人" if high else f"至少{low}人"
        return f"现有{active}人，应为{span}"
    if rules.election_committee_size_odd and active % 2 == 0:
        return f"现有{active}人，应为单数"
    return ""


def district_setup_requirements(election: Election) -> list[stages.ChecklistItem]:
    """A 选区's election: its seats are the district's (1 to 3, checked when the district is saved);
    the committee is the round's 选举委员会, which needs a chair (Election Law Arts. 9–10)."""
    seats = election.seats_member
    items = [stages.ChecklistItem("seats", "应选代表名额已确定", 1 <= seats <= 3, f"应选{seats}名")]
    has_chair = CommitteeMember.objects.filter(
        campaign_id=election.campaign_id, left_on__isnull=True, is_alternate=False,
        position=CommitteeMember.Position.CHAIR,
    ).exists()
    items.append(stages.ChecklistItem("committee_chair", "选举委员会已有主任", has_chair))
    return items


def party_setup_requirements(election: Election) -> list[stages.ChecklistItem]:
    """A village Party organisation's election (issue 12; LAW.md §4.2–4.3): the township Party committee's
    approval of the plan and the committee's posts, the member register with its full members, 应到会, and posts
    that fit the full members (``services.validate_party_seats``)."""
    from .extensions import party_register
    from .services import party_seat_problem

    if election.party_unit_id:
        return congress_unit_setup_requirements(election, party_register(election))
    approved = bool(election.plan_approved_on and election.plan_approval_ref)
    approval_detail = (f"{election.plan_approved_on:%Y年%-m月%-d日}，{election.plan_approval_ref}" if approved
                       else "请在“乡镇党委批复”页面记录批复日期和文号")
    facts = party_register(election)
    full = facts.full if facts else 0
    register_detail = f"党员{facts.members}名，其中正式党员{full}名" if facts else "尚未导入"
    expected_ok = bool(facts and facts.entitled and facts.expected)
    expected_detail = facts.expected_text if facts and facts.entitled else "没有有选举权的党员，无法计算应到会人数"
    problem = party_seat_problem(election)
    seats_detail = problem or (f"书记{election.seats_chair}名、副书记{election.seats_vice_chair}名、委员{election.seats_member}名，"
                               f"合计{election.total_seats}名")
    return [
        stages.ChecklistItem("plan_approved", "乡镇党委已批复选举工作方案和委员职数", approved, approval_detail),
        stages.ChecklistItem("party_register", "已导入党员名册且有正式党员", full > 0, register_detail),
        stages.ChecklistItem("expected_attendance", "已计算应到会人数", expected_ok, expected_detail),
        stages.ChecklistItem("seats", "村党组织委员会职数与正式党员人数相符", not problem, seats_detail),
    ]


def congress_unit_setup_requirements(election: Election, facts) -> list[stages.ChecklistItem]:
    """A township Party congress's 选举单位 (LAW.md §4.5): its organisations' member register with full members,
    应到会, and the delegates the round allocated to it (``villages.party_congress.apply_allocation``)."""
    full = facts.full if facts else 0
    register_detail = f"党员{facts.members}名，其中正式党员{full}名" if facts else "尚未导入"
    expected_ok = bool(facts and facts.entitled and facts.expected)
    expected_detail = facts.expected_text if facts and facts.entitled else "没有有选举权的党员，无法计算应到会人数"
    seats = election.seats_member
    return [
        stages.ChecklistItem("party_register", "已导入党员名册且有正式党员", full > 0, register_detail),
        stages.ChecklistItem("expected_attendance", "已计算应到会人数", expected_ok, expected_detail),
        stages.ChecklistItem("seats", "乡镇党委已分配本单位的代表名额", seats > 0,
                             f"应选代表{seats}名" if seats else "请在代表选举页面确定名额并分配"),
    ]


def setup_requirements(election: Election, target: str, today: date) -> list[stages.ChecklistItem]:
    items: list[stages.ChecklistItem] = []
    party = election.rules.registration == "party_organisation"
    if target in (stages.REGISTRATION, stages.NOMINATION) and party:
        # Checked again when the register's stage ends: the register may have changed, the posts must still fit.
        items.extend(party_setup_requirements(election))
    elif target == stages.REGISTRATION and election.is_district:
        items.extend(district_setup_requirements(election))
    elif target == stages.REGISTRATION:
        from .services import validate_seats

        try:
            validate_seats(
                chair=election.seats_chair,
                vice_chair=election.seats_vice_chair,
                member=election.seats_member,
                woman_seat=election.woman_seat_reserved,
                rules=election.rules,
            )
            seats_detail = ""
        except ValidationError as exc:
            seats_detail = "；".join(exc.messages)
        items.append(stages.ChecklistItem("seats", "职数已确定且符合规则", not seats_detail, seats_detail))
        members = CommitteeMember.objects.filter(election=election, left_on__isnull=True, is_alternate=False)
        active = members.count()
        problem = committee_size_problem(active, election.rules)
        items.append(stages.ChecklistItem("committee_size", "村民选举委员会人数符合规则", not problem, problem))
        has_chair = members.filter(position=CommitteeMember.Position.CHAIR).exists()
        items.append(stages.ChecklistItem("committee_chair", "村民选举委员会已有主任", has_chair))
        chosen = bool(election.committee_chosen_by and election.committee_chosen_on)
        items.append(stages.ChecklistItem("committee_chosen", "已记录选举委员会的推选方式和日期", chosen))
    if target == stages.APPEALS_CLOSED and election.voter_list_published_on and hasattr(election.rules, "voter_appeal_window_days"):
        rules = election.rules
        window_end = within_days(
            election.voter_list_published_on, rules.voter_appeal_window_days, count_start_day=rules.count_start_day
        )
        items.append(
            stages.ChecklistItem(
                "appeal_window_over",
                "申诉期已届满",
                today > window_end,
                f"申诉期至{window_end:%Y年%-m月%-d日}",
            )
        )
    return items
