"""What the Party nomination pages and papers show (``candidates.party_services`` reads, nothing written): the
method's steps, each stage with its turnout, votes and the ranking's findings as sentences with their numbers, who
goes to the township's review, the review, and the formal list in surname-stroke order."""

from __future__ import annotations

from dataclasses import dataclass, field

from villages.kinds import party_ranking, party_rules
from villages.kinds.party_branch import BASE_ELECTORATE, NOMINATION_METHOD_LABELS
from villages.kinds.party_rules import Share
from villages.models import Election, PartyOrganisation
from villages.strokes import stroke_key

from . import party_pipeline as pipeline
from . import party_services as services
from .models import Candidate, CandidateListPublication, PartyNomination, PartyReviewDecision, Post


@dataclass
class VoteRow:
    name: str
    votes: int
    share: Share
    outcome: str  # 列为人选 / 达到比例未列入 / 未达到 / 待定


@dataclass
class StageView:
    spec: pipeline.StageSpec
    record: object | None
    ranking: object | None
    rows: list[VoteRow] = field(default_factory=list)

    @property
    def turnout(self) -> str:
        return str(self.ranking.turnout) if self.ranking else "—"

    @property
    def returned_rate(self) -> str:
        """收回率: ballots returned of those issued (≤ 100%: returned ≤ issued is enforced)."""
        return str(Share(self.record.ballots_returned, self.record.ballots_issued)) if self.record else "—"

    @property
    def findings(self):
        return self.ranking.findings if self.ranking else ()


@dataclass
class SlateGroup:
    post: str
    label: str
    seats: int
    candidates: list
    finding: party_rules.Finding | None


@dataclass
class PartyBoard:
    election: Election
    organisation: PartyOrganisation | None
    plan: PartyNomination | None
    methods: list[tuple[str, str]]
    stages: list[StageView]
    steps: list[str]
    nominees: pipeline.Nominees | None
    nominee_names: list[str]
    decisions: list[PartyReviewDecision]
    seats: dict[str, int]
    groups: list[SlateGroup]
    publication: CandidateListPublication | None
    full_members: int

    @property
    def method_label(self) -> str:
        return self.plan.get_method_display() if self.plan else "尚未确定"

    @property
    def seat_words(self) -> str:
        """应选 per post: 书记1名、委员2名."""
        order = (services.SECRETARY, services.DEPUTY_SECRETARY, Post.MEMBER)
        return "、".join(f"{services.POST_LABELS[post]}{self.seats[post]}名" for post in order if post in self.seats)

    @property
    def secretaries_by_members(self) -> bool:
        return services.SECRETARY in self.seats

    @property
    def passed(self) -> list:
        return [d for d in self.decisions if d.passed]

    @property
    def dropped(self) -> list:
        return [d for d in self.decisions if not d.passed]

    @property
    def can_review(self) -> bool:
        return bool(self.nominees and self.nominees.complete)

    @property
    def heading(self) -> str:
        name = self.organisation.name if self.organisation else f"{self.election.village.name}党组织"
        return f"{name}换届选举"


def party_board(election: Election) -> PartyBoard:
    params = election.rules
    plan = PartyNomination.objects.filter(election=election).first()
    organisation = PartyOrganisation.objects.filter(village_id=election.village_id).first()
    methods = [(m, NOMINATION_METHOD_LABELS[m]) for m in params.nomination_methods]
    stage_views, steps, outcome, nominee_names = [], [], None, []
    if plan is not None:
        rankings, records, names = services.stage_rankings(election, plan, params)
        for spec in pipeline.stages_of(plan.method):
            ranking, record = rankings.get(spec.code), records.get(spec.code)
            view = StageView(spec, record, ranking)
            if record is not None:
                _minimum, _strict, base_code = party_ranking.stage_rules(spec.ranking, params)
                base = record.electorate if base_code == BASE_ELECTORATE else record.ballots_returned
                for vote in sorted(record.votes.all(), key=lambda v: (-v.votes, stroke_key(v.member.name))):
                    key = str(vote.member_id)
                    outcome_word = ("列为人选" if key in ranking.chosen else "得票相同待定" if key in ranking.tied
                                    else "名次在后未列入" if key in ranking.passed else "未达到规定比例")
                    view.rows.append(VoteRow(vote.member.name, vote.votes, Share(vote.votes, base), outcome_word))
            stage_views.append(view)
        steps = [s.label for s in pipeline.stages_of(plan.method)] + list(pipeline.AFTER_STAGES[plan.method])
        outcome = pipeline.nominees(plan.method, rankings, names)
        nominee_names = [names[k] for k in outcome.keys]
    decisions = list(PartyReviewDecision.objects.filter(election=election).select_related("member").order_by("id"))
    seats = services.seats(election, params)
    on_list = list(Candidate.objects.filter(election=election).on_list().with_voter())
    groups = []
    for post in (services.SECRETARY, services.DEPUTY_SECRETARY, Post.MEMBER):
        if post not in seats:
            continue
        people = [c for c in on_list if c.post == post]
        people.sort(key=lambda c: c.list_order)
        found = party_rules.slate_check(post=services.RULE_POSTS[post], seats=seats[post], candidates=len(people),
                                        params=params) if people else None
        groups.append(SlateGroup(post, services.POST_LABELS[post], seats[post], people, found))
    return PartyBoard(
        election=election, organisation=organisation, plan=plan, methods=methods, stages=stage_views, steps=steps,
        nominees=outcome, nominee_names=nominee_names, decisions=decisions, seats=seats, groups=groups,
        publication=CandidateListPublication.objects.filter(election=election).first(),
        full_members=services.full_members(election).count(),
    )


def paper_people(election: Election) -> list:
    """The full members a recommendation form or confidence ballot lists, in surname-stroke order."""
    return sorted(services.full_members(election), key=lambda v: (stroke_key(v.name), v.pk))
