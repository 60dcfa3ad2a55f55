"""The new committee's election of the 书记 and 副书记 (LAW.md §4.2, §4.4), and who holds which post.

Pure rules (STYLE.md §4a): plain values in, findings out; integers only (LAW.md §0.1). The 党员大会 elects the
委员 on the shared results engine (``ballots.results``); then the new committee elects the 书记 and 副书记 among
its members, 等额 by default (``party_rules.slate_check``), each winning with more than half of the committee's
members — of all of them, not of those voting. Under 公推直选 the 党员大会 elects the 书记 directly
(``party_rules.secretary_elected_by_members``): the base is then the members present at the meeting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from villages.kinds import party_rules
from villages.law import CPC_ELECTIONS_2020, CPC_PRESENT_MAJORITY, CPC_SAMPLE_2011, Citation

SECRETARY = "secretary"
DEPUTY_SECRETARY = "deputy_secretary"
POST_LABELS = {SECRETARY: "书记", DEPUTY_SECRETARY: "副书记"}
COMMITTEE = "committee"
MEMBERS = "members"
BASE_WORDS = {COMMITTEE: "支部委员会委员{base}名", MEMBERS: "党员大会实到会有选举权的党员{base}名"}

MESSAGES = {
    "elected": "{name}得赞成票{votes}票，超过{base_text}的半数（至少{needed}票），当选{post_label}",
    "not_elected": "{name}得赞成票{votes}票，未超过{base_text}的半数（至少{needed}票），不能当选{post_label}",
    "outranked": "{name}得赞成票{votes}票，超过{base_text}的半数，但名次在应选{seats}名之后，未当选{post_label}",
    "tie": "{names}得赞成票均为{votes}票，并列争夺最后的{post_label}职位，须就并列者重新投票",
    "unfilled": "{post_label}应选{seats}名，得票超过半数的{elected}名，须就缺额重新选举",
}
ERRORS = {
    "not_on_committee": "{names}不是新当选的委员会委员，不能作为{post_label}候选人。",
    "holds_other_post": "{names}已当选{other}，不能再作为{post_label}候选人。",
    "returned_exceeds_base": "收回选票{returned}张，多于{base_text}，请核对。",
    "votes_exceed_returned": "{name}得赞成票{votes}票，多于收回选票{returned}张，请核对。",
    "no_seats": "本届委员会不设{post_label}。",
    "already_filled": "{post_label}已经选出，不能再次选举。",
}


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    data: dict[str, Any] = field(default_factory=dict)
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class PostOutcome:
    post: str
    seats: int
    elected: tuple[str, ...]
    tied: tuple[str, ...]
    findings: tuple[Finding, ...]

    @property
    def filled(self) -> bool:
        return len(self.elected) == self.seats


def _finding(code: str, citations: tuple = (CPC_PRESENT_MAJORITY,), **data: Any) -> Finding:
    return Finding(code, MESSAGES[code].format(**data), data, citations)


def check_vote(
    *, post: str, seats: int, votes: Mapping[str, int], names: Mapping[str, str], committee: Sequence[str],
    holders: Mapping[str, str], returned: int, base: int, electorate: str, params,
) -> list[str]:
    """Why a recorded vote cannot be kept (Chinese messages); empty when it may. ``committee``: the keys of the
    new committee's members; ``holders``: key → the post (书记/副书记) already held."""
    label = POST_LABELS[post]
    if seats < 1:
        return [ERRORS["no_seats"].format(post_label=label)]
    errors = []
    keys = list(votes)
    if outside := [k for k in keys if k not in committee]:
        errors.append(ERRORS["not_on_committee"].format(names="、".join(names.get(k, k) for k in outside), post_label=label))
    if taken := [k for k in keys if k in holders and holders[k] != post]:
        errors.append(ERRORS["holds_other_post"].format(names="、".join(names.get(k, k) for k in taken),
                                                        other=POST_LABELS[holders[taken[0]]], post_label=label))
    slate = party_rules.slate_check(post=post, seats=seats, candidates=len(keys), params=params)
    if slate.severity == party_rules.ERROR:
        errors.append(slate.message + "。")
    party_rules.require_counts(returned, base, *votes.values())
    if returned > base:
        errors.append(ERRORS["returned_exceeds_base"].format(returned=returned,
                                                             base_text=BASE_WORDS[electorate].format(base=base)))
    for key, n in votes.items():
        if n > returned:
            errors.append(ERRORS["votes_exceed_returned"].format(name=names.get(key, key), votes=n, returned=returned))
    return errors


def decide_post(
    *, post: str, seats: int, votes: Mapping[str, int], names: Mapping[str, str], base: int, electorate: str,
) -> PostOutcome:
    """Most votes first, each needing ``2*votes > base``; a tie at the last seat is a revote among the tied,
    never drawn; a seat not filled is voted again (never filled from below half)."""
    label = POST_LABELS[post]
    base_text = BASE_WORDS[electorate].format(base=base)
    needed = base // 2 + 1
    citations = (CPC_PRESENT_MAJORITY, CPC_ELECTIONS_2020.art(24), CPC_SAMPLE_2011)
    ranked = sorted(votes, key=lambda k: (-votes[k], names.get(k, k)))
    qualified = [k for k in ranked if 2 * votes[k] > base]
    elected, tied = qualified[:seats], []
    if len(qualified) > seats and votes[qualified[seats - 1]] == votes[qualified[seats]]:
        cut = votes[qualified[seats - 1]]
        tied = [k for k in qualified if votes[k] == cut]
        elected = [k for k in qualified[:seats] if votes[k] > cut]
    findings = []
    for key in ranked:
        data = dict(name=names.get(key, key), votes=votes[key], base_text=base_text, needed=needed, post_label=label,
                    seats=seats)
        if key in elected:
            findings.append(_finding("elected", citations, **data))
        elif key in tied:
            continue
        elif key in qualified:
            findings.append(_finding("outranked", citations, **data))
        else:
            findings.append(_finding("not_elected", citations, **data))
    if tied:
        findings.append(_finding("tie", citations, names="、".join(names.get(k, k) for k in tied),
                                 votes=votes[tied[0]], post_label=label))
    elif len(elected) < seats:
        findings.append(_finding("unfilled", citations, post_label=label, seats=seats, elected=len(elected)))
    return PostOutcome(post=post, seats=seats, elected=tuple(elected), tied=tuple(tied), findings=tuple(findings))


def posts_held(members: Sequence[str], outcomes: Sequence[PostOutcome]) -> dict[str, str]:
    """Who holds which post in the new committee: 书记, 副书记, and 委员 for everyone else."""
    held = {key: "委员" for key in members}
    for outcome in outcomes:
        for key in outcome.elected:
            held[key] = POST_LABELS[outcome.post]
    return held
