"""How the rounds of one election chain together: the first ballot (正式选举), re-votes among persons tied
at the last seat (重新投票, LAW.md §2.4) and runoffs for unfilled seats (另行选举, OL §15 ¶2, LAW.md §1.7).

Pure rules (STYLE.md §4a): plain ``RoundFacts`` in (the summed confirmed tallies of each round), a
``Progress`` out. The deciding is done by ``ballots.results``; this module only feeds each round's totals
to the right function, carries the elected from one round to the next, settles ties with the winners of
the re-votes, and says what has to happen next. Nothing here is typed in by hand: a person is elected
only because the engine says so from the counted votes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from candidates.slate import FEMALE, POST_ORDER, WOMAN_MEMBER
from villages.presets import RuleParameters

from .results import (
    COMPLETE,
    INCOMPLETE,
    INVALID,
    REVOTE,
    RUNOFF_NEEDED,
    VACANCIES,
    Elected,
    Finding,
    Outcome,
    Person,
    Post,
    Revote,
    RunoffLine,
    Tally,
    TieRevoteResult,
    decide_outcome,
    decide_runoff,
    decide_tie_revote,
)

FIRST = "first"
RUNOFF = "runoff"
REVOTE_ROUND = "revote"

NOT_STARTED = "not_started"
COUNTING = "counting"
ERROR = "error"

STATUS_LABELS = {
    NOT_STARTED: "尚未开始投票",
    COUNTING: "计票中",
    ERROR: "计票数据须核对",
    INVALID: "选举无效",
    REVOTE: "须就并列者重新投票",
    RUNOFF_NEEDED: "须另行选举",
    INCOMPLETE: "成员不足，选举未完成",
    VACANCIES: "尚有空缺职位",
    COMPLETE: "选举完成",
}

# Steps.
OPEN_FIRST = "open_first"
COUNT = "count"
OPEN_REVOTE = "open_revote"
OPEN_RUNOFF = "open_runoff"
REPEAT = "repeat"
ANNOUNCE = "announce"


@dataclass(frozen=True)
class RoundFacts:
    """One round as counted: ``counted`` once every station of the round has a confirmed tally."""

    id: int
    kind: str
    number: int
    parent_id: int | None
    seats: Mapping[str, int]
    candidates: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    counted: bool = False
    ballots_cast: int = 0
    invalid_ballots: int = 0
    votes: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    # A Party election's 党员大会 (LAW.md §4.2): 应到会 read from the register when the round opened, the
    # members present with voting rights as recorded, and the ballots issued.
    expected: int | None = None
    present: int | None = None
    issued: int | None = None


@dataclass(frozen=True)
class RoundResult:
    round_id: int
    outcome: Outcome | None = None
    revote: TieRevoteResult | None = None

    @property
    def findings(self) -> tuple[Finding, ...]:
        if self.outcome is not None:
            return self.outcome.findings
        return self.revote.findings if self.revote is not None else ()


@dataclass(frozen=True)
class Step:
    """What has to happen next: ``round_id`` is the round to count, or the round a new one follows."""

    action: str
    round_id: int | None = None
    post: str | None = None
    seats: int = 0
    persons: tuple[str, ...] = ()
    lines: tuple[RunoffLine, ...] = ()


@dataclass(frozen=True)
class Progress:
    status: str
    results: Mapping[int, RoundResult] = field(default_factory=dict)
    elected: tuple[Elected, ...] = ()
    decided_in: Mapping[str, int] = field(default_factory=dict)
    unfilled: Mapping[str, int] = field(default_factory=dict)
    steps: tuple[Step, ...] = ()
    message: str = ""
    current_round_id: int | None = None
    vacancies_may_remain: bool = False

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def is_final(self) -> bool:
        """The committee is formed: every seat filled, or the remaining vacancies may stay (ZJ Art. 30)."""
        return self.status == COMPLETE or (self.status == VACANCIES and self.vacancies_may_remain)

    @property
    def can_announce(self) -> bool:
        return any(step.action == ANNOUNCE for step in self.steps)

    def step(self, action: str) -> Step | None:
        return next((s for s in self.steps if s.action == action), None)


def posts_of(seats: Mapping[str, int]) -> list[Post]:
    """The engine's posts for a round's seats, from the top; the women's seat takes women only."""
    return [
        Post(code, seats[code], FEMALE if code == WOMAN_MEMBER else None)
        for code in POST_ORDER
        if seats.get(code, 0) > 0
    ]


def follow(
    rounds: Sequence[RoundFacts],
    *,
    persons: Sequence[Person],
    registered: int,
    params: RuleParameters,
    voided: frozenset[str] = frozenset(),
    reductions: Mapping[str, int] | None = None,
) -> Progress:
    """Walk the valid rounds of one election in order and decide each one (``rounds``: void rounds left out).

    The last first ballot starts the chain; a runoff follows the round whose unfilled seats it fills; the
    re-votes of a round settle its ties (``tie_winners``). ``voided`` are persons whose election was declared
    void (OL §17): their seats count as unfilled. ``reductions`` (post → seats) are seats reduced by a
    recorded decision after a Party election's shortfall (LAW.md §4.2).
    """
    firsts = [r for r in rounds if r.kind == FIRST]
    if not firsts:
        return Progress(NOT_STARTED, steps=(Step(OPEN_FIRST),))
    children: dict[int, list[RoundFacts]] = defaultdict(list)
    for r in rounds:
        if r.parent_id is not None:
            children[r.parent_id].append(r)
    names = {p.key: p.name for p in persons}
    committee = {p.code: min(p.seats, (reductions or {}).get(p.code, p.seats)) for p in posts_of(firsts[-1].seats)}
    results: dict[int, RoundResult] = {}
    decided_in: dict[str, int] = {}
    already: tuple[Elected, ...] = ()
    current = firsts[-1]
    while True:
        common = dict(results=results, decided_in=decided_in, current_round_id=current.id)
        if not current.counted:
            return Progress(COUNTING, elected=already, steps=(Step(COUNT, current.id),), **common)
        revotes = [r for r in children[current.id] if r.kind == REVOTE_ROUND]
        tie_winners, settled_in = _settle(revotes, names, results, params.results_citations["ties"])
        tally = Tally(persons=persons, votes=current.votes, ballots_cast=current.ballots_cast,
                      invalid_ballots=current.invalid_ballots, present=current.present, issued=current.issued)
        base = current.expected if current.expected is not None else registered
        try:
            if current.kind == FIRST:
                outcome = decide_outcome(tally, posts=posts_of(current.seats), registered_voters=base,
                                         params=params, tie_winners=tie_winners)
            else:
                outcome = decide_runoff(tally, posts=posts_of(current.seats), registered_voters=base,
                                        already_elected=already, params=params, tie_winners=tie_winners)
        except ValueError as exc:
            return Progress(ERROR, elected=already, message=str(exc), **common)
        results[current.id] = RoundResult(current.id, outcome=outcome)
        for person in outcome.elected:
            decided_in.setdefault(person.key, settled_in.get(person.key, current.id))
        elected = tuple(e for e in outcome.elected if e.key not in voided)
        if outcome.status == INVALID:
            return Progress(INVALID, elected=already, steps=(Step(REPEAT, current.id),), **common)
        if outcome.status == REVOTE:
            return Progress(REVOTE, elected=elected, steps=_revote_steps(outcome, current, revotes, results), **common)
        runoffs = [r for r in children[current.id] if r.kind == RUNOFF]
        if runoffs:
            already, current = elected, runoffs[-1]
            continue
        return _settled(current, elected, committee, params, **common)


def _settled(current: RoundFacts, elected, committee, params: RuleParameters, **common) -> Progress:
    filled: dict[str, int] = defaultdict(int)
    for person in elected:
        filled[person.post] += 1
    unfilled = {post: seats - filled[post] for post, seats in committee.items() if seats > filled[post]}
    if not unfilled:
        status = COMPLETE
    elif current.kind == FIRST:
        status = RUNOFF_NEEDED
    elif len(elected) < params.committee_size_min:
        status = INCOMPLETE
    else:
        status = VACANCIES
    outcome = common["results"][current.id].outcome
    another = current.kind == FIRST or params.further_runoff_allowed
    steps = [Step(OPEN_RUNOFF, current.id, lines=tuple(outcome.runoff))] if unfilled and another else []
    steps.append(Step(ANNOUNCE, current.id))
    return Progress(
        status,
        elected=elected,
        unfilled=unfilled,
        steps=tuple(steps),
        vacancies_may_remain=len(elected) >= params.vacancy_allowed_if_elected_at_least,
        **common,
    )


def _settle(
    revotes: Sequence[RoundFacts], names: Mapping[str, str], results: dict[int, RoundResult], citations: tuple,
) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Winners per post of each finished chain of re-votes (a re-vote that ties again is followed by a
    narrower one), and the re-vote in which each winner was decided."""
    chains: dict[str, list[RoundFacts]] = defaultdict(list)
    for r in revotes:
        for post in r.seats:
            chains[post].append(r)
    tie_winners: dict[str, list[str]] = {}
    settled_in: dict[str, int] = {}
    for post, chain in chains.items():
        winners: list[str] = []
        finished = False
        for r in chain:
            if not r.counted:
                finished = False
                break
            revote = Revote(post=post, seats=r.seats[post], persons=tuple(r.candidates.get(post, ())), votes=0)
            try:
                result = decide_tie_revote(revote=revote, votes=r.votes.get(post, {}), names=names, citations=citations)
            except ValueError:
                finished = False
                break
            results[r.id] = RoundResult(r.id, revote=result)
            winners += result.winners
            settled_in.update({key: r.id for key in result.winners})
            finished = result.revote is None
        if finished:
            tie_winners[post] = winners
    return tie_winners, settled_in


def _revote_steps(
    outcome: Outcome, current: RoundFacts, revotes: Sequence[RoundFacts], results: Mapping[int, RoundResult]
) -> tuple[Step, ...]:
    steps = []
    for tie in outcome.revotes:
        chain = [r for r in revotes if tie.post in r.seats]
        if not chain:
            steps.append(Step(OPEN_REVOTE, current.id, post=tie.post, seats=tie.seats, persons=tie.persons))
        elif not chain[-1].counted:
            steps.append(Step(COUNT, chain[-1].id))
        elif chain[-1].id in results and results[chain[-1].id].revote.revote is not None:
            again = results[chain[-1].id].revote.revote
            steps.append(Step(OPEN_REVOTE, current.id, post=tie.post, seats=again.seats, persons=again.persons))
    return tuple(steps)
