"""Reads for pages elsewhere (dashboard, village page, reports) and for the results page.

``result_status(election)`` / ``result_statuses(elections)`` say where an election's count stands, in
one sentence, including "fewer than three members: not complete" (OL §6). ``announced_members`` lists
the persons whose election was announced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from candidates.slate import CHAIR, DEPUTY, MEMBER, POST_ORDER, VICE_CHAIR, WOMAN_MEMBER, post_label
from villages.models import Election, Village

from . import progression
from .counts import CountData, is_party_election, load_counts
from .models import ElectedMember, Round, VoidDecision
from .results import INCOMPLETE, Finding

MESSAGES = {
    "not_started": "尚未开始投票",
    "counting": "第{number}轮已确认{counted}个投票站的计票结果，共{total}个",
    "error": "计票数据须核对：{message}",
    "invalid": "参加投票人数未超过登记选民的半数，选举无效，须重新投票",
    "revote": "有候选人得票相等并列争夺最后职位，须就并列者重新投票",
    "runoff_needed": "已选出{elected}名成员，尚缺{unfilled}名，须另行选举",
    "incomplete": "村民委员会共选出{elected}名成员，不足{minimum}名，选举未完成",
    "vacancies": "村民委员会已选出{elected}名成员，尚缺{unfilled}名",
    "complete": "村民委员会应选{elected}名，已全部选出",
    "void": "选举已被宣布无效（{document}），须重新组织选举",
    "write_ins_pending": "另有{count}个另选他人姓名待村民选举委员会认定",
}
# A 党员大会 elects the committee's members (委员): quorum on 应到会, a shortfall is decided (LAW.md §4.2).
PARTY_MESSAGES = MESSAGES | {
    "invalid": "有选举权的到会党员未超过应到会人数的五分之四，或收回选票多于发出选票，本轮选举无效，须重新投票",
    "runoff_needed": "党员大会已选出委员{elected}名，尚缺{unfilled}名，缺额不从得票未过半数的人中递补，须决定另行选举或减少名额",
    "incomplete": "党员大会已选出委员{elected}名，尚缺{unfilled}名",
    "vacancies": "党员大会已选出委员{elected}名，尚缺{unfilled}名，须决定再次另行选举或减少名额",
    "complete": "党员大会应选委员{elected}名，已全部选出",
    "write_ins_pending": "另有{count}个另选他人姓名待认定",
}
# A township Party congress's 选举单位: its 党员大会 elects delegates (代表), not a committee (LAW.md §4.5).
CONGRESS_UNIT_MESSAGES = PARTY_MESSAGES | {
    code: PARTY_MESSAGES[code].replace("委员", "代表") for code in ("runoff_needed", "incomplete", "vacancies", "complete")
}
# A 选区 elects deputies, and its 选举委员会 rules on written-in names.
DISTRICT_MESSAGES = MESSAGES | {
    "runoff_needed": "已选出代表{elected}名，尚缺{unfilled}名，须另行选举",
    "vacancies": "已选出代表{elected}名，尚缺{unfilled}名",
    "complete": "应选代表{elected}名，已全部选出",
    "write_ins_pending": "另有{count}个另选他人姓名待选举委员会认定",
}


@dataclass(frozen=True)
class ResultStatus:
    code: str
    label: str
    detail: str
    elected: int
    committee_minimum: int
    is_final: bool
    is_incomplete: bool
    needs_runoff: bool
    needs_revote: bool
    announced_on: date | None
    pending_write_ins: int = 0


def result_status(election: Election) -> ResultStatus:
    """Where the count of ``election`` stands (for the dashboard and the stage checklist)."""
    return status_of(load_counts([election])[election.pk])


def result_statuses(elections) -> dict[int, ResultStatus]:
    """``result_status`` for a list of elections in a constant number of queries."""
    return {pk: status_of(data) for pk, data in load_counts(elections).items()}


def status_of(data: CountData) -> ResultStatus:
    progress = data.progress
    minimum = data.election.rules.committee_size_min
    elected = len(progress.elected)
    unfilled = sum(progress.unfilled.values())
    code = progress.status
    params = {"elected": elected, "unfilled": unfilled, "minimum": minimum, "message": progress.message}
    election_void = [d for d in data.decisions if d.scope == VoidDecision.Scope.ELECTION]
    if code == progression.NOT_STARTED and election_void:
        code, params["document"] = "void", election_void[-1].document_ref
    if code == progression.COUNTING:
        current = next(r for r in data.rounds if r.pk == progress.current_round_id)
        params.update(number=current.number, counted=len(data.confirmed.get(current.pk, {})),
                      total=len(data.stations_of.get(current.pk, [])))
    # Before the runoff the actionable fact is the runoff itself; after it, a committee still short
    # of the legal minimum is incomplete (OL §6).
    short = code in (INCOMPLETE, progression.VACANCIES) and elected < minimum
    messages = (DISTRICT_MESSAGES if data.election.is_district else
                CONGRESS_UNIT_MESSAGES if data.election.party_unit_id else PARTY_MESSAGES if data.is_party else MESSAGES)
    if data.is_party:
        short = False  # a Party shortfall waits for the office's decision, never "incomplete" by a minimum
    detail = messages["incomplete" if short else code].format(**params)
    pending = len({(w.name) for w in data.pending_write_ins})
    if pending:
        detail += "；" + messages["write_ins_pending"].format(count=pending)
    return ResultStatus(
        code=code,
        label=progression.STATUS_LABELS.get(code, "选举无效"),
        detail=detail,
        elected=elected,
        committee_minimum=minimum,
        is_final=progress.is_final,
        is_incomplete=short,
        needs_runoff=progress.step(progression.OPEN_RUNOFF) is not None,
        needs_revote=progress.step(progression.OPEN_REVOTE) is not None,
        announced_on=data.election.results_announced_on,
        pending_write_ins=pending,
    )


def announced_members(*, village: Village | None = None, election: Election | None = None):
    """当选人 as announced (void ones marked), for the village page and reports."""
    members = ElectedMember.objects.select_related("voter", "round", "void_decision", "election__campaign")
    if election is not None:
        members = members.filter(election=election)
    if village is not None:
        members = members.filter(election__village=village)
    return members.order_by("-election__campaign__term_number", "round__number", "id")


# ---------------------------------------------------------------- the results page


@dataclass
class PostRow:
    name: str
    votes: int
    elected: bool = False
    tied: bool = False
    void: bool = False
    carried: int = 0  # cascade mode: votes carried down from higher posts, included in ``votes``


@dataclass
class PostView:
    label: str
    seats: int
    rows: list[PostRow] = field(default_factory=list)


@dataclass
class RoundView:
    round: Round
    stations_total: int
    stations_counted: int
    totals: dict[str, int]
    findings: tuple[Finding, ...] = ()
    posts: list[PostView] = field(default_factory=list)
    explanations: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def counted(self) -> bool:
        return self.stations_total > 0 and self.stations_counted == self.stations_total


def round_views(data: CountData) -> list[RoundView]:
    """Per round: its totals, the engine's sentences, each person's votes per post and who was elected."""
    views = []
    voided = data.voided
    for r in data.rounds:
        view = RoundView(
            round=r,
            stations_total=len(data.stations_of.get(r.pk, [])),
            stations_counted=len(data.confirmed.get(r.pk, {})),
            totals=data.totals(r.pk),
        )
        result = data.progress.results.get(r.pk)
        if result is not None:
            view.findings = result.findings
            view.posts = _post_views(data, r, result, voided)
        for station_id, row in sorted(data.confirmed.get(r.pk, {}).items()):
            for item in (row["explanations"] or {}).values():
                view.explanations.append((data.stations[station_id].name, item["message"], item["text"]))
        views.append(view)
    return views


def _post_views(data: CountData, r: Round, result, voided) -> list[PostView]:
    names = {k: p.name for k, p in data.persons.items()}
    posts = []
    if result.outcome is not None:
        for post_result in result.outcome.posts:
            view = PostView(label=post_label(post_result.post), seats=post_result.seats)
            for key, votes in sorted(post_result.scores.items(), key=lambda kv: (-kv[1], kv[0])):
                view.rows.append(PostRow(names.get(key, key), votes, key in post_result.elected, key in post_result.tied,
                                         key in voided, post_result.carried.get(key, 0)))
            posts.append(view)
    elif result.revote is not None:
        for code in (c for c in POST_ORDER if c in r.seats):
            votes = data.votes.get(r.pk, {}).get(code, {})
            view = PostView(label=post_label(code), seats=r.seats[code])
            for key in data.candidates.get(r.pk, {}).get(code, ()):
                view.rows.append(PostRow(names.get(key, key), votes.get(key, 0), key in result.revote.winners))
            view.rows.sort(key=lambda row: -row.votes)
            posts.append(view)
    return posts


@dataclass(frozen=True)
class PoolPerson:
    key: str
    name: str
    sex: str
    votes: int


def runoff_pool(data: CountData, post: str | None = None) -> list[PoolPerson]:
    """Who may stand in the next runoff: persons with votes in the last decided round who were not
    elected and whose election was not declared void (OL §15 ¶2; ZJ Art. 41), most votes first. With
    ``post``: only those with votes for that post (a runoff for a post offers that post's candidates)."""
    step = data.progress.step(progression.OPEN_RUNOFF)
    result = data.progress.results.get(step.round_id) if step else None
    if result is None or result.outcome is None:
        return []
    out = {e.key for e in result.outcome.elected} | data.voided
    best: dict[str, int] = {}
    for post_result in result.outcome.posts:
        if post is not None and post_result.post != post:
            continue
        for key, votes in post_result.scores.items():
            if votes > 0 and key not in out:
                best[key] = max(best.get(key, 0), votes)
    return [
        PoolPerson(key, data.persons[key].name, data.persons[key].sex, votes)
        for key, votes in sorted(best.items(), key=lambda kv: (-kv[1], int(kv[0])))
    ]


def election_seats(election: Election) -> dict[str, int]:
    """The first ballot's seats per post; a reserved women's seat is one of the member seats (LAW.md §2.2).
    A 选区 elects its deputies (``seats_member``, 1–3)."""
    if election.is_district or election.party_unit_id:  # a congress unit's 党员大会 elects its delegates (代表)
        return {DEPUTY: election.seats_member}
    if is_party_election(election):
        # The 党员大会 elects the committee's members (委员), the 书记 and 副书记 among them (LAW.md §4.2).
        return {MEMBER: election.seats_chair + election.seats_vice_chair + election.seats_member}
    woman = 1 if election.woman_seat_reserved else 0
    seats = {CHAIR: election.seats_chair, VICE_CHAIR: election.seats_vice_chair,
             MEMBER: election.seats_member - woman, WOMAN_MEMBER: woman}
    return {post: n for post, n in seats.items() if n > 0}


@dataclass
class RoundSetup:
    """What a new round would be: its seats, the tied persons of a re-vote, the runoff pool and the
    engine's suggested runoff candidates; ``needed`` False when the results do not call for it."""

    kind: str
    seats: dict[str, int]
    needed: bool = True
    persons: list[str] = field(default_factory=list)
    pool: list[PoolPerson] = field(default_factory=list)
    pools: dict[str, list[PoolPerson]] = field(default_factory=dict)  # per post: who had votes for it
    suggested: dict[str, list[str]] = field(default_factory=dict)


def round_setup(election: Election, kind: str, post: str | None) -> RoundSetup:
    if kind == Round.Kind.FIRST:
        return RoundSetup(kind, election_seats(election))
    data = load_counts([election])[election.pk]
    if kind == Round.Kind.REVOTE:
        step = next((s for s in data.progress.steps if s.action == progression.OPEN_REVOTE and s.post == post), None)
        if step is None:
            return RoundSetup(kind, {}, needed=False)
        return RoundSetup(kind, {step.post: step.seats}, persons=[data.persons[k].name for k in step.persons])
    step = data.progress.step(progression.OPEN_RUNOFF)
    if step is None:
        return RoundSetup(kind, {}, needed=False)
    return RoundSetup(
        kind,
        dict(data.progress.unfilled),
        pool=runoff_pool(data),
        pools={code: runoff_pool(data, code) for code in data.progress.unfilled},
        suggested={line.post: list(line.candidates) for line in step.lines},
    )


@dataclass(frozen=True)
class Action:
    kind: str
    label: str
    post: str = ""
    round_pk: int = 0


def next_actions(data: CountData) -> list[Action]:
    """The buttons the results page offers, from the computed progress."""
    actions = []
    for step in data.progress.steps:
        if step.action == progression.OPEN_FIRST:
            actions.append(Action("first", "开启正式选举"))
        elif step.action == progression.OPEN_REVOTE:
            actions.append(Action("revote", f"开启{post_label(step.post)}并列者重新投票", step.post))
        elif step.action == progression.OPEN_RUNOFF and data.is_party:
            actions.append(Action("shortfall", "处理缺额：另行选举或减少名额"))
        elif step.action == progression.OPEN_RUNOFF:
            actions.append(Action("runoff", "开启另行选举"))
        elif step.action == progression.REPEAT and data.is_party:
            actions.append(Action("void_quorum", "本轮选举无效：宣布本轮无效，重新召开党员大会投票", round_pk=step.round_id))
        elif step.action == progression.REPEAT:
            actions.append(Action("void", "参加投票未过半数：宣布本轮无效，重新投票", round_pk=step.round_id))
        elif step.action == progression.ANNOUNCE and has_unannounced(data):
            actions.append(Action("announce", "公布选举结果"))
    return actions


def has_unannounced(data: CountData) -> bool:
    """Whether a counted round is still open: once every round that decided something is announced,
    there is nothing new to announce."""
    return any(r.status == Round.Status.OPEN for r in data.rounds if r.pk in data.progress.results)


def party_post_holders(election_ids) -> dict[int, dict[int, str]]:
    """Who holds the 书记 and 副书记 of each Party branch election in ``election_ids``: election id → {voter id:
    post}, decided from the recorded votes of the new committee (``CommitteePostVote``, ``party_posts.decide_post``)
    as the results page decides them, never typed; one query. The other announced members are 委员."""
    from . import party_posts
    from .models import CommitteePostVote

    holders: dict[int, dict[int, str]] = {}
    for vote in CommitteePostVote.objects.filter(election__in=list(election_ids)).select_related("election").order_by(
            "held_on", "id"):
        seats = 1 if vote.post == party_posts.SECRETARY else vote.election.seats_vice_chair
        outcome = party_posts.decide_post(post=vote.post, seats=seats, votes=vote.votes, names={}, base=vote.base,
                                          electorate=vote.electorate)
        for key in outcome.elected:
            holders.setdefault(vote.election_id, {})[int(key)] = vote.post
    return holders
