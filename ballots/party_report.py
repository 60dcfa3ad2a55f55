"""What the results page and the papers of a Party election read (LAW.md §4.2): each round's 应到会 and 实到会,
the office's shortfall decisions, the new committee, the 书记/副书记 votes with their outcomes, and who holds
which post. Read-only; the figures come from ``load_counts`` (the same engine as the page's rounds)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from villages.announcements import cn_numeral
from villages.models import Election
from voters.services.party import organisation_of, register_figures

from . import party_posts
from .counts import CountData, election_counts
from .models import CommitteePostVote, Round, ShortfallDecision
from .services.party import committee_of, electorate_of, post_outcomes


@dataclass(frozen=True)
class Holder:
    name: str
    sex: str
    post: str  # 书记 / 副书记 / 委员
    votes: int  # at the 党员大会


@dataclass
class PartyResults:
    election: Election
    data: CountData
    organisation: str
    parent: str
    heading: str
    expected: int
    entitled: int
    attendance_sentence: str
    rounds: list[Round]
    shortfalls: list[ShortfallDecision]
    votes: list[tuple[CommitteePostVote, party_posts.PostOutcome]]
    holders: list[Holder] = field(default_factory=list)
    secretary_electorate: str = ""

    @property
    def committee_complete(self) -> bool:
        return self.data.progress.is_final and bool(self.holders)

    @property
    def posts_filled(self) -> bool:
        wanted = {party_posts.SECRETARY: 1, party_posts.DEPUTY_SECRETARY: self.election.seats_vice_chair}
        filled = {o.post: len(o.elected) for _, o in self.votes if o.filled}
        return all(filled.get(post, 0) >= n for post, n in wanted.items() if n)

    @property
    def last_round(self) -> Round | None:
        rounds = [r for r in self.rounds if r.status != Round.Status.VOID]
        return rounds[-1] if rounds else None

    @property
    def report_date(self) -> date | None:
        return self.election.results_announced_on


ORDER = {"书记": 0, "副书记": 1, "委员": 2}


def heading_of(election: Election) -> str:
    """中共东山村支部委员会第八届委员会换届选举: how the branch's papers name the election."""
    organisation = organisation_of(election)
    name = organisation.name if organisation else f"中共{election.village.name}支部委员会"
    return f"{name}第{cn_numeral(election.campaign.term_number)}届委员会换届选举"


def party_results(election: Election, data: CountData | None = None) -> PartyResults:
    data = data or election_counts(election)
    unit = election.party_unit if election.party_unit_id else None
    organisation = None if unit else organisation_of(election)
    if unit:  # a township Party congress's 选举单位 elects its delegates, no committee (LAW.md §4.5)
        name, parent = unit.name, f"中共{election.campaign.township.name}委员会"
    else:
        name = organisation.name if organisation else f"中共{election.village.name}支部委员会"
        parent = organisation.parent_name if organisation else ""
    figures = register_figures(election)
    votes = post_outcomes(election, data)
    committee = committee_of(data)
    held = party_posts.posts_held(list(committee), [o for _, o in votes])
    members = {str(m.voter_id): m for m in data.members if not m.void_decision_id}
    holders = sorted(
        (Holder(name=m.voter.name, sex=m.voter.get_sex_display(), post="代表" if unit else held[key], votes=m.votes)
         for key, m in members.items()),
        key=lambda h: (ORDER.get(h.post, 3), -h.votes, h.name),
    )
    return PartyResults(
        election=election, data=data, organisation=name, parent=parent,
        heading=(f"{election.congress_name}代表选举{name}党员大会"
                 if unit else f"{name}第{cn_numeral(election.campaign.term_number)}届委员会换届选举"),
        expected=figures.attendance.expected, entitled=figures.entitled,
        attendance_sentence=figures.attendance.finding.message, rounds=list(data.rounds),
        shortfalls=list(data.shortfalls), votes=votes, holders=holders,
        secretary_electorate=party_posts.BASE_WORDS[electorate_of(election, party_posts.SECRETARY)].split("{")[0],
    )
