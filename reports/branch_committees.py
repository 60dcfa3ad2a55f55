"""Which village Party branch committee a village committee election is set beside (the "两委" round), for
交叉任职 and 一肩挑 (issue 12).

A township holds its village Party organisations' elections (``ElectionType.PARTY_BRANCH``, one election per
village) and its village committee elections in the same 换届 year. The branch round **paired** with a
committee round is the township's branch round whose election day lies within ``PAIRING_DAYS`` of the
committee round's (both rounds' ``default_election_day``); the nearest one when several do. A year either
way and not the calendar year, because the 两委 round straddles a New Year in some provinces (the branches in
November, the committees in January); with five-year terms no other term's round comes that close.

A village's branch committee is then, in this order:

1. ``election``: the elected members (not declared void) of the village's branch election in the paired
   round, once that election has any — computed from the two elections, never typed;
2. ``roster``: otherwise the imported Party branch roster (``reports.Roster``, the latest term imported) —
   while the paired round's election has no results, only a roster of that round's term or later: last
   term's roster (imported for 连选连任) is not this term's committee;
3. unknown: neither. The reports say 未录入 and leave the village out of the bases.

Three queries whatever the number of villages (the branch elections with their elected members, the
书记/副书记 votes, the rosters).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from ballots.queries import party_post_holders
from villages.models import Election, ElectionType

from .models import Roster, RosterMember

PAIRING_DAYS = 366
ELECTION, ROSTER = "election", "roster"
SOURCE_LABELS = {ELECTION: "本系统村党组织换届选举结果", ROSTER: "导入的村党组织委员会名册"}
SECRETARY = "secretary"  # 书记: the post code of the branch election and of the roster
CHAIR = "chair"  # 主任 of the village committee


@dataclass(frozen=True)
class BranchCommittee:
    """One village's Party branch committee: its members' posts by ID number, and where they come from."""

    source: str  # ELECTION or ROSTER
    posts: dict[str, str] = field(default_factory=dict)  # ID number → post code (secretary, deputy_secretary, member)
    election_id: int | None = None  # the branch election, when the source is ELECTION

    def cross_appointed(self, id_number: str) -> bool:
        """交叉任职: the village committee member is on the branch committee too."""
        return id_number in self.posts

    def one_shoulder(self, id_number: str, committee_post: str) -> bool:
        """一肩挑: the committee's chair is the branch secretary."""
        return committee_post == CHAIR and self.posts.get(id_number) == SECRETARY


def is_paired(branch_day: date, committee_day: date) -> bool:
    return abs((branch_day - committee_day).days) <= PAIRING_DAYS


def branch_committees(elections) -> dict[int, BranchCommittee]:
    """The branch committee beside each village committee election of ``elections`` (campaign loaded), by
    village id, where it is known (three queries)."""
    elections = [e for e in elections if e.village_id]
    village_ids = [e.village_id for e in elections]
    # Every branch election of these villages with its elected members (a left join: an election without
    # results still pairs, so that last term's roster is not taken for this term's committee).
    branches: dict[int, dict[tuple[date, int], tuple[int, dict[str, str]]]] = defaultdict(dict)
    rows = list(Election.objects.filter(
        village__in=village_ids, campaign__election_type=ElectionType.PARTY_BRANCH,
    ).values("id", "village_id", "campaign__default_election_day", "campaign__term_number", "elected_members__post",
             "elected_members__voter_id", "elected_members__voter__id_number",
             "elected_members__void_decision_id").order_by())
    # The 党员大会 elects 委员; the 书记 and 副书记 are those the new committee's votes decide.
    holders = party_post_holders({row["id"] for row in rows if row["elected_members__post"]})
    for row in rows:
        key = (row["campaign__default_election_day"], row["id"])
        _term, posts = branches[row["village_id"]].setdefault(key, (row["campaign__term_number"], {}))
        if row["elected_members__post"] and row["elected_members__void_decision_id"] is None:
            posts[row["elected_members__voter__id_number"]] = holders.get(row["id"], {}).get(
                row["elected_members__voter_id"], row["elected_members__post"])
    rosters = _rosters(village_ids)
    result: dict[int, BranchCommittee] = {}
    for e in elections:
        day = e.campaign.default_election_day
        paired = [key for key in branches.get(e.village_id, {}) if is_paired(key[0], day)]
        roster = rosters.get(e.village_id)
        if paired:
            key = min(paired, key=lambda k: (abs((k[0] - day).days), -k[1]))
            term, posts = branches[e.village_id][key]
            if posts:
                result[e.village_id] = BranchCommittee(ELECTION, dict(posts), election_id=key[1])
            elif roster is not None and roster[0] >= term:  # this round's committee, typed in from paper
                result[e.village_id] = BranchCommittee(ROSTER, roster[1])
        elif roster is not None:
            result[e.village_id] = BranchCommittee(ROSTER, roster[1])
    return result


def _rosters(village_ids) -> dict[int, tuple[int, dict[str, str]]]:
    """The Party branch roster of each village (latest term imported): village id → (term, {ID number: post})."""
    latest: dict[int, int] = {}
    members: dict[tuple[int, int], dict[str, str]] = defaultdict(dict)
    for row in RosterMember.objects.filter(
        roster__kind=Roster.Kind.PARTY_BRANCH, roster__village__in=village_ids
    ).values("roster__village_id", "roster__term_number", "id_number", "post"):
        village, term = row["roster__village_id"], row["roster__term_number"]
        latest[village] = max(latest.get(village, 0), term)
        members[(village, term)][row["id_number"]] = row["post"]
    return {village: (term, members[(village, term)]) for village, term in latest.items()}
