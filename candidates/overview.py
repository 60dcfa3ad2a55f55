"""Reads for the candidate pages and the printed list: one election's nominees grouped by post, with
the formal list (published, or as it would be published in a given mode) and every slate problem.

The screen, the publish page and the PDF all read the same ``Board`` (STYLE.md §7), in a constant
number of queries whatever the number of nominees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count

from villages.models import CommitteeMember, Election
from villages import stages
from villages.presets import MODE_CANDIDATES, MODE_NO_CANDIDATE, MODE_SELF_NOMINATION, ORDER_BY_STROKES
from voters.eligibility import age_on
from voters.models import Proxy

from . import selection, slate
from .models import Candidate, CandidateListPublication

NOTES = {
    "proxy_holder": "持有{count}份投票委托：本规则规定候选人不得接受委托投票，相关委托须另行办理",
    "committee_name": "与村民选举委员会在任成员同名：如为同一人，应当退出选举委员会",
    "replaces": "递补{name}",
}


@dataclass(frozen=True)
class CandidateRow:
    candidate: Candidate
    age: int
    on_list: bool  # on the published list, or on the list as it would be published in the board's mode
    number: int | None  # the printed number on the (prospective) list
    waiting_rank: int | None  # place in the queue for a replacement, within the post
    applies: bool  # the nominee's source fits the board's mode
    status_label: str
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PostGroup:
    post: slate.SlatePost
    rows: list[CandidateRow]
    count: int  # candidates on the (prospective) list
    allowed: str  # the preset's 差额, in words
    problems: list[slate.SlateProblem]

    @property
    def extra(self) -> int:
        return self.count - self.post.seats

    @property
    def ok(self) -> bool:
        return not any(p.severity == slate.ERROR for p in self.problems)


@dataclass(frozen=True)
class Board:
    election: Election
    mode: str
    modes: list[tuple[str, str]]
    publication: CandidateListPublication | None
    groups: list[PostGroup]
    problems: list[slate.SlateProblem]  # those of no single post (women, several posts)
    withdrawn: list[Candidate]
    deadline: date
    withdrawal_deadline: date
    self_nomination_deadline: date | None
    today: date

    @property
    def mode_label(self) -> str:
        return selection.MODE_LABELS[self.mode]

    @property
    def order_label(self) -> str:
        if self.mode == MODE_SELF_NOMINATION or self.election.rules.candidate_order == ORDER_BY_STROKES:
            return "按姓氏笔画排序"
        return "按提名得票多少排序"

    @property
    def has_list(self) -> bool:
        return self.mode != MODE_NO_CANDIDATE

    @property
    def shows_votes(self) -> bool:
        return self.mode == MODE_CANDIDATES

    @property
    def can_nominate(self) -> bool:
        return self.election.stage == stages.NOMINATION

    @property
    def can_publish(self) -> bool:
        return self.election.stage == stages.NOMINATION and self.publication is None

    @property
    def all_problems(self) -> list[slate.SlateProblem]:
        return [p for g in self.groups for p in g.problems] + self.problems

    @property
    def errors(self) -> list[slate.SlateProblem]:
        return [p for p in self.all_problems if p.severity == slate.ERROR]

    @property
    def warnings(self) -> list[slate.SlateProblem]:
        return [p for p in self.all_problems if p.severity == slate.WARNING]

    @property
    def is_late(self) -> bool:
        """Published after D − N, or not yet published with D − N past (the calendar's done_late/overdue)."""
        day = self.publication.published_on if self.publication else self.today
        return day > self.deadline

    @property
    def on_list_rows(self) -> list[CandidateRow]:
        rows = [r for g in self.groups for r in g.rows if r.on_list]
        return sorted(rows, key=lambda r: r.number or 0)

    @property
    def nominee_count(self) -> int:
        return sum(len(g.rows) for g in self.groups)


def election_posts(election: Election) -> list[slate.SlatePost]:
    """The posts of ``election`` with their seats (see ``selection.election_posts``)."""
    return selection.election_posts(
        seats_chair=election.seats_chair,
        seats_vice_chair=election.seats_vice_chair,
        seats_member=election.seats_member,
        woman_seat_reserved=election.woman_seat_reserved,
    )


def candidate_board(election: Election, *, today: date, mode: str | None = None) -> Board:
    """Everything the candidate pages show. Before publication the list is worked out for ``mode``
    (default: the preset's first mode); once published, the published mode and list are shown, and
    the problems are those of the list as it stands now (after withdrawals)."""
    params = election.rules
    publication = CandidateListPublication.objects.filter(election=election).first()
    if publication is not None:
        mode = publication.mode
    elif mode not in params.nomination_modes:
        mode = params.nomination_modes[0] if params.nomination_modes else MODE_NO_CANDIDATE
    rules = selection.list_params(params, mode=mode, woman_seat_reserved=election.woman_seat_reserved)
    posts = election_posts(election)
    candidates = list(Candidate.objects.in_election(election).with_voter().select_related("replaces__voter"))
    active = [c for c in candidates if c.is_active]
    source = Candidate.Source.SELF if mode == MODE_SELF_NOMINATION else Candidate.Source.NOMINATED
    applicable = [c for c in active if c.source == source and mode != MODE_NO_CANDIDATE]
    if publication is None:
        chosen = selection.select_formal_list([c.as_slate() for c in applicable], posts=posts, params=rules, mode=mode)
        on_list, waiting, problems = chosen.on_list, chosen.waiting, chosen.problems
    else:
        listed = [c.as_slate() for c in active if c.status == Candidate.Status.ON_LIST]
        on_list = slate.order_candidates(listed, params=rules)
        left_off = [c.as_slate() for c in applicable if c.status == Candidate.Status.NOT_SELECTED]
        waiting = slate.order_candidates(left_off, params=rules)
        problems = slate.check_slate(candidates=on_list, posts=posts, params=rules) if publication.has_list else []
    notes = _notes(election, active, params)
    numbers = {(c.key, c.post): n for n, c in enumerate(on_list, start=1)}
    queue = {}
    for post in posts:
        for n, c in enumerate((w for w in waiting if w.post == post.code), start=1):
            queue[(c.key, c.post)] = n
    groups = [
        _group(post, [c for c in active if c.post == post.code], numbers, queue, notes, problems, rules, applicable,
               election_day=election.election_day, published=publication is not None)
        for post in posts
    ]
    post_codes = {p.code for p in posts}
    return Board(
        election=election,
        mode=mode,
        modes=[(m, selection.MODE_LABELS[m]) for m in params.nomination_modes],
        publication=publication,
        groups=groups,
        problems=[p for p in problems if p.post not in post_codes],
        withdrawn=[c for c in candidates if not c.is_active],
        deadline=selection.publication_deadline(election.election_day, params),
        withdrawal_deadline=selection.withdrawal_deadline(election.election_day, params),
        self_nomination_deadline=selection.self_nomination_deadline(election.election_day, params),
        today=today,
    )


def _group(
    post, candidates, numbers, queue, notes, problems, rules, applicable, *, election_day, published
) -> PostGroup:
    applicable_ids = {c.pk for c in applicable}
    rows = []
    for c in candidates:
        key = (str(c.voter_id), c.post)
        on_list, waiting_rank, applies = key in numbers, queue.get(key), c.pk in applicable_ids
        rows.append(
            CandidateRow(
                candidate=c,
                age=age_on(c.voter.birth_date, election_day),
                on_list=on_list,
                number=numbers.get(key),
                waiting_rank=waiting_rank,
                applies=applies,
                status_label=_status_label(on_list=on_list, waiting_rank=waiting_rank, applies=applies,
                                           published=published),
                notes=notes.get(c.pk, []),
            )
        )
    rows.sort(key=lambda r: (not r.on_list, r.number or 0, not r.applies, r.waiting_rank or 0, r.candidate.pk))
    surplus = rules.surplus_for(post.code)
    if surplus.max_extra is None:
        allowed = f"至少{surplus.min_extra}名"
    elif surplus.max_extra == surplus.min_extra:
        allowed = f"{surplus.min_extra}名"
    else:
        allowed = f"{surplus.min_extra}至{surplus.max_extra}名"
    return PostGroup(
        post=post,
        rows=rows,
        count=sum(1 for r in rows if r.on_list),
        allowed=allowed,
        problems=[p for p in problems if p.post == post.code],
    )


def _status_label(*, on_list: bool, waiting_rank: int | None, applies: bool, published: bool) -> str:
    if on_list:
        return "正式候选人" if published else "拟列入名单"
    if not applies:
        return "未列入（不适用此方式）"
    if waiting_rank:
        return f"未列入（递补第{waiting_rank}位）"
    return "未列入正式候选人"


def _notes(election: Election, candidates: list[Candidate], params) -> dict[int, list[str]]:
    """Flags beside a nominee: proxies held where candidates may not hold them (ZJ Art. 25, BJ Art. 25),
    a name shared with a sitting election-committee member (OL §12 ¶3), and whom a replacement replaces."""
    notes = _proxy_notes(election, candidates, params)
    if params.committee_member_leaves_when_nominated and candidates:
        sitting = set(
            CommitteeMember.objects.filter(election=election, left_on__isnull=True, is_alternate=False)
            .order_by()
            .values_list("name", flat=True)
        )
        for c in candidates:
            if c.voter.name in sitting:
                notes[c.pk].append(NOTES["committee_name"])
    for c in candidates:
        if c.replaces_id:
            notes[c.pk].append(NOTES["replaces"].format(name=c.replaces.voter.name))
    return notes


def _proxy_notes(election: Election, candidates: list[Candidate], params) -> dict[int, list[str]]:
    notes: dict[int, list[str]] = {c.pk: [] for c in candidates}
    if not (params.proxy_holder_not_candidate and candidates):
        return notes
    held = dict(
        Proxy.objects.filter(election=election, holder_id__in=[c.voter_id for c in candidates])
        .exclude(status=Proxy.Status.REVOKED)
        .values("holder_id")
        .annotate(n=Count("id"))
        .values_list("holder_id", "n")
    )
    for c in candidates:
        if held.get(c.voter_id):
            notes[c.pk].append(NOTES["proxy_holder"].format(count=held[c.voter_id]))
    return notes


def proxy_notes_for(candidate: Candidate, election: Election) -> list[str]:
    """The proxy flag for one new nominee, shown as a warning after nominating."""
    return _proxy_notes(election, [candidate], election.rules)[candidate.pk]
