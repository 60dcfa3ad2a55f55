"""A recommendation (推荐) or confidence (信任投票) stage of a Party election, ranked (LAW.md §4.4).

A stage has its electorate (the members, the villagers, their representatives or the household
representatives), its ballot and its turnout; each person's votes are a share of the stage's base (those who
took part, or everyone entitled: ``*_share_base``, [U]). Who reaches the minimum share passes — in 两票制 only
those with more than half of the 信任票 may become candidates [V2]; reference 002 asked for 70% or more —
and where the preset sets a ratio (reference 002: 1:1.5), the top by votes among them are taken, as many as
the ratio gives. A tie at the cut-off is reported with the places it decides and never broken here: not by
order, not by lot.

Integers only (LAW.md §0.1); every finding is one Chinese sentence with its numbers. Pure module, no ORM.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..law import REFERENCE_002, Source
from .party_branch import BASE_ELECTORATE, RATIO_OF_CANDIDATES
from .party_rules import ERROR, OK, WARNING, Finding, Share, least_passing, passes, percent_words, require_counts

CONFIDENCE = "confidence"  # 信任投票 (两票制)
RECOMMENDATION = "recommendation"  # 推荐 (两推一选, 公推直选, the congress's delegates)
STAGE_WORDS = {CONFIDENCE: ("信任投票", "信任票"), RECOMMENDATION: ("推荐", "推荐票")}

# LAW.md §4.4 [V2]: 两票制 (CPC-pilots sources); the ratio and the 70% of reference 002 are local practice.
TWO_BALLOTS_SOURCE = Source("CPC-TWO-BALLOTS", "“两票制”选任村党支部班子的通行做法：获得过半数信任票的才能成为候选人")

MESSAGES = {
    "turnout": "应参加{stage}{electorate}人，实际参加{cast}人，参加率{pct}",
    "turnout_met": "应参加{stage}{electorate}人，实际参加{cast}人，参加率{pct}，达到规定的{minimum}",
    "turnout_short": "应参加{stage}{electorate}人，实际参加{cast}人，参加率{pct}，未达到规定的{minimum}",
    "share": "{name}得{vote}{votes}票，占{base}{d}人的{pct}",
    "share_met": "{name}得{vote}{votes}票，占{base}{d}人的{pct}，{compare}{minimum}（至少{needed}票）",
    "share_short": "{name}得{vote}{votes}票，占{base}{d}人的{pct}，未{compare}{minimum}（至少{needed}票），不能列为人选",
    "all_taken": "{count}人{condition}，全部列为人选：{names}",
    "taken": "{count}人{condition}，按得票多少取前{places}名：{names}",
    "cut": "{names}得{vote}{votes}票，名次在前{places}名之后，未列为人选",
    "tie": "{names}得{vote}均为{votes}票，并列争最后{open}个名额，不以排列先后或抽签决定，须另行确定",
    "too_few": "{condition}的只有{count}人，少于应确定的{places}名",
}


@dataclass(frozen=True)
class Standing:
    key: str
    name: str
    votes: int


@dataclass(frozen=True)
class StageRanking:
    turnout: Share
    passed: tuple[str, ...]  # reached the minimum share, by votes
    chosen: tuple[str, ...]  # taken as preliminary candidates (人选)
    tied: tuple[str, ...]  # tied at the cut-off: undecided
    open_places: int  # places the tie decides
    findings: tuple[Finding, ...]


def _finding(code: str, *, severity: str = OK, citations: tuple = (), **data) -> Finding:
    return Finding(code=code, message=MESSAGES[code].format(**data), severity=severity, data=data, citations=citations)


def preliminary_places(*, seats: int, candidates: int, params) -> int | None:
    """How many preliminary candidates the preset's ratio gives, rounded down: on the formal candidates
    (reference 002: 5 × 1.5 → 7) or on the seats (reference 003: 1:3); None without a ratio [U]."""
    require_counts(seats, candidates)
    if params.preliminary_ratio is None:
        return None
    num, den = params.preliminary_ratio
    base = candidates if params.preliminary_ratio_base == RATIO_OF_CANDIDATES else seats
    return base * num // den


def stage_rules(stage: str, params) -> tuple[tuple[int, int] | None, bool, str]:
    """(minimum share, strict, base) of a stage under a branch preset."""
    if stage == CONFIDENCE:
        return tuple(params.confidence_min_share), params.confidence_min_strict, params.confidence_share_base
    share = params.recommendation_min_share
    minimum = tuple(share) if share is not None else None
    return minimum, params.recommendation_min_strict, params.recommendation_share_base


def rank_stage(
    standings: Sequence[Standing], *, stage: str, ballots_cast: int, electorate: int, places: int | None, params,
) -> StageRanking:
    """Rank one recommendation or confidence stage: its turnout, who passes the minimum share, and — with
    ``places`` — the top by votes among them; a tie at the cut-off is reported, not broken.

    ``ballots_cast`` is the ballots returned, at most ``electorate`` (a return rate never exceeds 100%).
    """
    require_counts(ballots_cast, electorate, *(s.votes for s in standings))
    if places is not None:
        require_counts(places)
    if ballots_cast > electorate:
        raise ValueError(f"收回{ballots_cast}张多于应参加的{electorate}人，请先核对")
    keys = [s.key for s in standings]
    if len(set(keys)) != len(keys):
        raise ValueError("同一人在名单中出现两次")
    for s in standings:
        if s.votes > ballots_cast:
            raise ValueError(f"{s.name}的得票{s.votes}票多于收回的{ballots_cast}张，请先核对")
    stage_word, vote_word = STAGE_WORDS[stage]
    min_share, strict, base = stage_rules(stage, params)
    citations = (TWO_BALLOTS_SOURCE,) if stage == CONFIDENCE else ()
    if params.preliminary_ratio is not None:
        citations += (REFERENCE_002,)
    findings = [_turnout(stage_word, ballots_cast, electorate, params)]

    d = electorate if base == BASE_ELECTORATE else ballots_cast
    base_words = f"应参加{stage_word}" if base == BASE_ELECTORATE else f"参加{stage_word}"
    ranked = sorted(standings, key=lambda s: (-s.votes, s.key))
    passed: list[Standing] = []
    for s in ranked:
        common = dict(name=s.name, vote=vote_word, votes=s.votes, base=base_words, d=d, pct=Share(s.votes, d))
        if min_share is None:
            passed.append(s)
            findings.append(_finding("share", **common))
            continue
        ok = d > 0 and passes(s.votes, d, min_share, strict=strict)
        words = dict(compare="超过" if strict else "达到", minimum=percent_words(min_share),
                     needed=least_passing(d, min_share, strict=strict))
        findings.append(_finding("share_met" if ok else "share_short", severity=OK if ok else WARNING,
                                 citations=citations, **common, **words))
        if ok:
            passed.append(s)

    condition = "得票" if min_share is None else f"得{vote_word}{'超过' if strict else '达到'}{percent_words(min_share)}"
    chosen, tied, open_places = _cut(passed, places)
    names = lambda people: "、".join(p.name for p in people)  # noqa: E731
    if places is None or len(passed) <= places:
        if passed:
            findings.append(_finding("all_taken", count=len(passed), condition=condition, names=names(passed),
                                     citations=citations))
        if places is not None and len(passed) < places:
            findings.append(_finding("too_few", severity=WARNING, condition=condition, count=len(passed),
                                     places=places, citations=citations))
    else:
        taken = names(chosen) or "无"
        if tied:
            taken += f"，另有{open_places}个名额待定"
        findings.append(_finding("taken", count=len(passed), condition=condition, places=places, names=taken,
                                 citations=citations))
        if tied:
            findings.append(_finding("tie", severity=ERROR, names=names(tied), vote=vote_word, votes=tied[0].votes,
                                     open=open_places, citations=citations))
        out = passed[len(chosen) + len(tied):]
        for votes in sorted({p.votes for p in out}, reverse=True):
            group = [p for p in out if p.votes == votes]
            findings.append(_finding("cut", names=names(group), vote=vote_word, votes=votes, places=places))
    return StageRanking(
        turnout=Share(ballots_cast, electorate),
        passed=tuple(p.key for p in passed),
        chosen=tuple(p.key for p in chosen),
        tied=tuple(p.key for p in tied),
        open_places=open_places,
        findings=tuple(findings),
    )


def _turnout(stage_word: str, cast: int, electorate: int, params) -> Finding:
    minimum = params.stage_turnout_min_share
    data = dict(stage=stage_word, electorate=electorate, cast=cast, pct=Share(cast, electorate))
    if minimum is None:
        return _finding("turnout", **data)
    ok = electorate > 0 and passes(cast, electorate, tuple(minimum), strict=False)
    return _finding("turnout_met" if ok else "turnout_short", severity=OK if ok else WARNING,
                    minimum=percent_words(tuple(minimum)), **data)


def _cut(passed: list[Standing], places: int | None) -> tuple[list[Standing], list[Standing], int]:
    """Those taken, those tied at the last place, and how many places the tie decides."""
    if places is None or len(passed) <= places:
        return list(passed), [], 0
    if places == 0:
        return [], [], 0
    last = passed[places - 1].votes
    if passed[places].votes != last:
        return passed[:places], [], 0
    above = [p for p in passed if p.votes > last]
    return above, [p for p in passed if p.votes == last], places - len(above)
