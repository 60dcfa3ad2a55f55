"""Reconciliation of one polling station's count (计票核对): do the ballot numbers add up?

Pure rules (STYLE.md §4a, §6): plain integers in, a list of ``Discrepancy`` out. An ``error`` blocks saving
the tally; a ``warning`` may be saved with a written explanation. Every message is in ``MESSAGES``.

What adds up to what (LAW.md §2.3). For the whole station::

    returned <= issued               (more returned than issued: the round is void and is repeated)
    valid + invalid == returned      (invalid = 废票, ballots invalid as a whole)

For each post on the ballot (``PostCount``), among the ``valid`` ballots::

    valid_for_post = valid - invalid_for_post   (invalid_for_post: the post's section is void, e.g. over-voted)
    marked         = valid_for_post - abstentions (abstentions: nobody received a vote for this post)
    votes          = sum(candidate_votes) + write_in_votes
    marked <= votes <= marked * seats           (each marked section names 1..seats persons)
    candidate_votes[c] <= marked                (a section names a person at most once)

When the preset keeps separate sheets per post (HA Art. 34), call ``reconcile`` once per sheet, with that
post only: a void sheet is then an ``invalid`` ballot and ``invalid_for_post`` stays 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from candidates.slate import post_label
from villages.law import BEIJING_2012, HENAN_2011, ZHEJIANG_2020, Citation
from villages.presets import EXCLUSIVE, INVALIDATE_BALLOT, RuleParameters

ERROR = "error"
WARNING = "warning"

FIELD_LABELS = {
    "issued": "发出选票",
    "returned": "收回选票",
    "valid": "有效票",
    "invalid": "无效票",
    "assigned_voters": "本站选民人数",
    "seats": "应选名额",
    "write_in_votes": "另选他人票",
    "abstentions": "弃权票",
    "invalid_for_post": "该职务无效票",
    "candidate_votes": "得票",
}

MESSAGES = {
    "negative_count": "{where}{field_label}为{value}，不能为负数",
    "returned_exceeds_issued": "收回选票{returned}张，多于发出选票{issued}张，本次选举无效，须重新投票",
    "valid_invalid_mismatch": "有效票{valid}张加无效票{invalid}张共{total}张，与收回选票{returned}张不符",
    "post_seats_invalid": "{post_label}应选名额为{seats}名，至少应为1名",
    "post_invalid_exceeds_valid": "{post_label}无效{invalid_for_post}张，多于有效票{valid}张",
    "post_invalid_with_ballot_scope": (
        "按本规则，{post_label}填写无效的选票整张无效，应计入无效票，不能记为{post_label}无效{invalid_for_post}张"
    ),
    "post_abstentions_exceed_valid": (
        "{post_label}弃权{abstentions}张，多于该职务有效票{valid_for_post}张（有效票{valid}张减该职务无效{invalid_for_post}张）"
    ),
    "post_votes_exceed_capacity": (
        "{post_label}各人得票合计{votes}票，超过上限{capacity}票（填写了该职务的选票{marked}张乘应选{seats}名）"
    ),
    "post_candidate_votes_exceed_ballots": (
        "{post_label}{candidate}得票{candidate_votes}票，多于填写了该职务的选票{marked}张"
    ),
    "post_votes_below_marked_ballots": (
        "{post_label}各人得票合计{votes}票，少于填写了该职务的选票{marked}张"
        "（该职务有效票{valid_for_post}张减弃权{abstentions}张），请说明是否有空白或只投反对票的选票未计入弃权"
    ),
    "same_person_several_posts_count_needed": (
        "{persons_text}：同一人在两个以上职务中得票。按本规则，选举同一人为两项以上职务的选票整张无效，"
        "须填写这样的选票张数（已计入无效票；没有则填0）"
    ),
    "several_posts_ballots_exceed_invalid": "同一人被选为两项以上职务的选票{count}张，多于无效票{invalid}张：这些选票应计入无效票",
    "invalid_share_high": "无效票{invalid}张，达到收回选票{returned}张的{percent}%（{limit}张）以上，须书面说明原因",
    "returned_exceeds_assigned_voters": "收回选票{returned}张，多于本站选民{assigned_voters}人，须书面说明原因",
}

_ROUND_VOID = (ZHEJIANG_2020.art(27), BEIJING_2012.art(28), HENAN_2011.art(35))


@dataclass(frozen=True)
class PostCount:
    """One post's count at one station: ``candidate_votes`` maps a candidate's name to votes.

    ``write_in_votes`` is the total for persons written in (另选他人); ``abstentions`` counts valid ballots on
    which nobody received a vote for this post; ``invalid_for_post`` counts otherwise valid ballots whose
    section for this post is void (over-vote, LAW.md §2.3, ``invalidate_scope=post``).
    """

    post: str
    seats: int
    candidate_votes: Mapping[str, int] = field(default_factory=dict)
    write_in_votes: int = 0
    abstentions: int = 0
    invalid_for_post: int = 0


@dataclass(frozen=True)
class Discrepancy:
    code: str
    severity: str
    message: str
    post: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    citations: tuple[Citation, ...] = ()

    @property
    def blocks_saving(self) -> bool:
        return self.severity == ERROR


def _found(
    code: str, *, severity: str = ERROR, post: str | None = None, citations: tuple[Citation, ...] = (), **data: Any
) -> Discrepancy:
    if post is not None:
        data.setdefault("post_label", post_label(post))
    return Discrepancy(
        code=code, severity=severity, message=MESSAGES[code].format(**data), post=post, data=data, citations=citations
    )


def reconcile(
    *,
    issued: int,
    returned: int,
    valid: int,
    invalid: int,
    posts: Sequence[PostCount] = (),
    assigned_voters: int | None = None,
    params: RuleParameters,
) -> list[Discrepancy]:
    """Every discrepancy in one station's count, errors first in the order of the module docstring.

    Negative numbers are reported alone: no other sum means anything until they are fixed.
    """
    negatives = _negatives(issued=issued, returned=returned, valid=valid, invalid=invalid,
                           assigned_voters=assigned_voters, posts=posts)
    if negatives:
        return negatives

    found: list[Discrepancy] = []
    if returned > issued:
        found.append(_found("returned_exceeds_issued", returned=returned, issued=issued, citations=_ROUND_VOID))
    if valid + invalid != returned:
        found.append(_found("valid_invalid_mismatch", valid=valid, invalid=invalid, total=valid + invalid,
                            returned=returned, citations=(HENAN_2011.art(35),)))
    for count in posts:
        found.extend(_check_post(count, valid=valid, params=params))

    # 100*invalid >= pct*returned, kept in integers (LAW.md §0.1); limit is the smallest count that warns.
    pct = params.invalid_ballot_warning_percent
    if returned > 0 and 100 * invalid >= pct * returned:
        limit = -(-pct * returned // 100)
        found.append(_found("invalid_share_high", severity=WARNING, invalid=invalid, returned=returned,
                            percent=pct, limit=limit))
    if assigned_voters is not None and returned > assigned_voters:
        found.append(_found("returned_exceeds_assigned_voters", severity=WARNING, returned=returned,
                            assigned_voters=assigned_voters))
    return sorted(found, key=lambda d: d.severity != ERROR)


def check_several_posts(
    *, persons: Sequence[tuple[str, Sequence[str]]], several_posts_ballots: int | None, invalid: int,
    params: RuleParameters,
) -> list[Discrepancy]:
    """Exclusive mode (ZJ Art. 27): a ballot electing the same person to two posts is invalid. An aggregate
    sheet cannot tell whether the votes one person has under two posts came from the same ballots, so the
    clerk must state how many such ballots there were (counted among the invalid ones). ``persons``: each
    person with votes under several posts, as (name, posts)."""
    if params.multi_post_mode != EXCLUSIVE:
        return []
    found = []
    if persons and several_posts_ballots is None:
        text = "；".join(f"{name}（{'、'.join(post_label(p) for p in posts)}）" for name, posts in persons)
        found.append(_found("same_person_several_posts_count_needed", persons_text=text,
                            citations=(ZHEJIANG_2020.art(27),)))
    if several_posts_ballots is not None and several_posts_ballots > invalid:
        found.append(_found("several_posts_ballots_exceed_invalid", count=several_posts_ballots, invalid=invalid,
                            citations=(ZHEJIANG_2020.art(27),)))
    return found


def _negatives(
    *, issued: int, returned: int, valid: int, invalid: int, assigned_voters: int | None, posts: Sequence[PostCount]
) -> list[Discrepancy]:
    found = []
    station = {"issued": issued, "returned": returned, "valid": valid, "invalid": invalid}
    if assigned_voters is not None:
        station["assigned_voters"] = assigned_voters
    for name, value in station.items():
        if value < 0:
            found.append(_found("negative_count", field=name, field_label=FIELD_LABELS[name], value=value, where=""))
    for count in posts:
        numbers = {"write_in_votes": count.write_in_votes, "abstentions": count.abstentions,
                   "invalid_for_post": count.invalid_for_post}
        numbers.update({f"candidate_votes:{name}": votes for name, votes in count.candidate_votes.items()})
        for name, value in numbers.items():
            if value < 0:
                label = FIELD_LABELS.get(name) or name.split(":", 1)[1] + FIELD_LABELS["candidate_votes"]
                found.append(_found("negative_count", post=count.post, field=name, field_label=label, value=value,
                                    where=post_label(count.post)))
    return found


def _check_post(count: PostCount, *, valid: int, params: RuleParameters) -> list[Discrepancy]:
    """The per-post sums of the module docstring (LAW.md §2.3: an over-vote voids that post's section)."""
    post = count.post
    if count.seats < 1:
        return [_found("post_seats_invalid", post=post, seats=count.seats)]
    found: list[Discrepancy] = []
    if params.invalidate_scope == INVALIDATE_BALLOT and count.invalid_for_post > 0:
        found.append(_found("post_invalid_with_ballot_scope", post=post, invalid_for_post=count.invalid_for_post))
    if count.invalid_for_post > valid:
        found.append(_found("post_invalid_exceeds_valid", post=post, invalid_for_post=count.invalid_for_post,
                            valid=valid))
        return found
    valid_for_post = valid - count.invalid_for_post
    if count.abstentions > valid_for_post:
        found.append(_found("post_abstentions_exceed_valid", post=post, abstentions=count.abstentions,
                            valid_for_post=valid_for_post, valid=valid, invalid_for_post=count.invalid_for_post))
        return found

    marked = valid_for_post - count.abstentions
    votes = sum(count.candidate_votes.values()) + count.write_in_votes
    if votes > marked * count.seats:
        found.append(_found("post_votes_exceed_capacity", post=post, votes=votes, capacity=marked * count.seats,
                            marked=marked, seats=count.seats, citations=(ZHEJIANG_2020.art(27),)))
    for candidate, candidate_votes in count.candidate_votes.items():
        if candidate_votes > marked:
            found.append(_found("post_candidate_votes_exceed_ballots", post=post, candidate=candidate,
                                candidate_votes=candidate_votes, marked=marked))
    # A clerk may have left ballots that name nobody (blank, or only 反对 marks) out of the abstentions:
    # worth an explanation, not a blocked tally.
    if votes < marked:
        found.append(_found("post_votes_below_marked_ballots", severity=WARNING, post=post, votes=votes,
                            marked=marked, valid_for_post=valid_for_post, abstentions=count.abstentions))
    return found
