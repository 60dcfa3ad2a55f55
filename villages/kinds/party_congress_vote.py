"""The township Party congress elects its committee (乡镇党委委员) and its discipline committee (纪委委员) from the
delegates present (LAW.md §4.2, §4.5; reference 003: 9 candidates for 7 committee seats, 4 for 3 discipline seats).

The same rules as a 党员大会, the delegates in the members' place: candidates at least 20% more than the seats
(``party_rules.slate_check``, 2020 Art. 13); the vote proceeds when the delegates present with voting rights are
more than 4/5 of those due (``party_rules.quorum``); a candidate wins with more than half of the delegates present
(``party_rules.verdict``); more winners than seats take the seats by votes, a tie at the last seat is voted again;
fewer winners than seats leave a shortfall never filled from below half (``party_rules.shortfall``).

Seats left unfilled (a shortfall or a tie at the last seat) are voted again: 另行选举 for the remaining seats among
the candidates not elected, under the same rules (the list 20% longer than those seats, the quorum, more than half
of those present), as a branch's 党员大会 does (LAW.md §4.2: "Shortfall → another round"); the body's result is
those elected across its rounds (``body_outcome``).

Pure module, no ORM.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import party_rules
from .party_rules import ERROR, OK, WARNING, Finding

COMMITTEE = "committee"
DISCIPLINE = "discipline"
BODY_LABELS = {COMMITTEE: "党委委员", DISCIPLINE: "纪委委员"}

MESSAGES = {
    "tie": "{names}得票均为{votes}票，并列{body}第{seat}名，应就得票相等的候选人再次投票确定",
    "elected": "当选{body}{count}名：{names}",
    "total": "经{rounds}轮选举，共当选{body}{count}名{names}，应选{seats}名已经选足",
    "total_short": "经{rounds}轮选举，共当选{body}{count}名{names}，应选{seats}名尚缺{unfilled}名，可就缺额另行选举",
}


@dataclass(frozen=True)
class BodyResult:
    body: str
    slate: Finding
    quorum: Finding
    verdicts: tuple[Finding, ...]
    elected: tuple[str, ...]
    findings: tuple[Finding, ...]  # the tie, the shortfall and the list of those elected

    @property
    def may_proceed(self) -> bool:
        return self.slate.severity == OK and self.quorum.severity == OK


def body_election(*, body: str, seats: int, candidates: list[tuple[str, int]], due: int, present: int,
                  params) -> BodyResult:
    """``candidates``: ``(name, yes votes)`` in the list's order; ``due``: the delegates due to attend (应到会),
    ``present``: those present with voting rights."""
    label = BODY_LABELS[body]
    slate = party_rules.slate_check(post=party_rules.MEMBER, seats=seats, candidates=len(candidates), params=params)
    slate = Finding(code=slate.code, message=label + slate.message.removeprefix("委员"), severity=slate.severity,
                    data=slate.data, citations=slate.citations)
    quorum = party_rules.quorum(present=present, expected=due, params=params)
    quorum = Finding(code=quorum.code, message=quorum.message.replace("党员", "代表"), severity=quorum.severity,
                     data=quorum.data, citations=quorum.citations)
    if slate.severity == ERROR or quorum.severity == ERROR:
        return BodyResult(body, slate, quorum, (), (), ())
    verdicts = []
    for name, votes in candidates:
        found = party_rules.verdict(name=name, votes=votes, present=present, params=params)
        verdicts.append(Finding(code=found.code, message=found.message.replace("党员", "代表"),
                                severity=found.severity, data=found.data, citations=found.citations))
    winners = sorted(((votes, i, name) for i, (name, votes) in enumerate(candidates)
                      if party_rules.wins(votes, present, params)), key=lambda row: (-row[0], row[1]))
    findings: list[Finding] = []
    elected = [name for _v, _i, name in winners[:seats]]
    if len(winners) > seats and winners[seats - 1][0] == winners[seats][0]:
        tied_votes = winners[seats - 1][0]
        tied = [name for votes, _i, name in winners if votes == tied_votes]
        elected = [name for votes, _i, name in winners[:seats] if votes != tied_votes]
        findings.append(Finding(code="tie", severity=WARNING, message=MESSAGES["tie"].format(
            names="、".join(tied), votes=tied_votes, body=label, seat=len(elected) + 1), data={"tied": tied}))
    short = party_rules.shortfall(post=party_rules.MEMBER, seats=seats, elected=len(elected), params=params)
    if short is not None and not findings:
        findings.append(Finding(code=short.code, message=short.message.replace("委员", label).replace("党员大会", "代表大会"),
                                severity=short.severity, data=short.data, citations=short.citations))
    if elected:
        findings.append(Finding(code="elected", message=MESSAGES["elected"].format(
            body=label, count=len(elected), names="、".join(elected)), data={"elected": elected}))
    return BodyResult(body, slate, quorum, tuple(verdicts), tuple(elected), tuple(findings))


@dataclass(frozen=True)
class BodyOutcome:
    """A body's result across its rounds: the first round's seats, those elected in round order, and the
    candidates of any round not elected (the pool of a further round), in the order first listed."""

    body: str
    seats: int
    rounds: int
    elected: tuple[str, ...]
    not_elected: tuple[str, ...]
    finding: Finding

    @property
    def unfilled(self) -> int:
        return self.seats - len(self.elected)


def body_outcome(*, body: str, seats: int, rounds: list[tuple[list[str], BodyResult]]) -> BodyOutcome:
    """``seats``: the first round's; ``rounds``: each round's candidates (names in the list's order) with its
    result, in round order. A later round's seats are those still unfilled, so the elected never exceed ``seats``."""
    elected: list[str] = []
    listed: list[str] = []
    for names, result in rounds:
        elected.extend(name for name in result.elected if name not in elected)
        listed.extend(name for name in names if name not in listed)
    unfilled = seats - len(elected)
    if unfilled < 0:
        raise ValueError("当选人数多于应选名额")
    values = dict(rounds=len(rounds), body=BODY_LABELS[body], count=len(elected), seats=seats, unfilled=unfilled,
                  names="：" + "、".join(elected) if elected else "")
    finding = Finding(code="total" if not unfilled else "total_short", severity=OK if not unfilled else WARNING,
                      message=MESSAGES["total" if not unfilled else "total_short"].format(**values),
                      data={"elected": elected, "unfilled": unfilled})
    return BodyOutcome(body, seats, len(rounds), tuple(elected),
                       tuple(name for name in listed if name not in elected), finding)
