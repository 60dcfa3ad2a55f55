"""Whether one ballot counts, post by post (唱票计票), and the station's tally made from counted ballots.

Pure rules (STYLE.md §4a): plain values in, a ``BallotVerdict`` out; no ORM. The rules (LAW.md §2.2, §2.3),
applied in this order:

1. A ballot marked illegible as a whole (书写模糊不能辨认, marks outside the rules) is invalid (HA Art. 35;
   BJ Art. 28).
2. A post's section marked illegible (作废), naming more persons than the post's seats (ZJ Art. 27), or naming
   the same person twice is void. With ``invalidate_scope=post`` only that section is void (不按规定填写的部分
   无效); with ``invalidate_scope=ballot`` the whole ballot is invalid.
3. On the women's line (妇女委员, ZJ Art. 21 ¶3) a mark for a person known not to be a woman is not counted;
   the rest of the section stands. A written name that matched no registered voter is counted as written:
   the committee rules on it later (ZJ Art. 27).
4. ``multi_post_mode=exclusive`` (ZJ Art. 27): a ballot that elects the same person to two or more posts is
   invalid as a whole. Only sections that still count take part (a void section elects nobody).
   ``cascade_down`` allows it: a higher post's vote adds to the lower post in the results engine.

A section that names nobody and is not void is an abstention (弃权) for that post.

A person on a ballot is a voter's primary key (``int``) when known, or the written name (``str``) when the
name matched no single registered voter.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from candidates.slate import POST_LABELS, WOMAN_MEMBER
from villages.law import BEIJING_2012, HENAN_2011, ZHEJIANG_2020, Citation
from villages.presets import EXCLUSIVE, INVALIDATE_BALLOT, RuleParameters

from .sheets import PostValues, SheetLayout, TallyValues

Person = int | str

MESSAGES = {
    "ballot_illegible": "整张选票书写模糊不能辨认或有规定以外的标记，整张无效",
    "post_illegible": "{post_label}一栏书写模糊不能辨认，该栏无效",
    "post_overvote": "{post_label}应选{seats}名，本票选了{count}人，多于应选名额，该栏无效",
    "post_duplicate_person": "{post_label}一栏{name}出现了两次，该栏无效",
    "post_not_woman": "{name}不是女性，妇女委员一栏对其所投的票不计",
    "same_person_several_posts": "本票将{name}同时选为{posts_text}，选举同一人为两项以上职务，整张无效",
    "scope_ballot": "按本规则，{post_label}一栏不按规定填写的，整张选票无效",
}

_CITATIONS = {
    "ballot_illegible": (HENAN_2011.art(35), BEIJING_2012.art(28)),
    "post_overvote": (ZHEJIANG_2020.art(27),),
    "same_person_several_posts": (ZHEJIANG_2020.art(27),),
    "post_not_woman": (ZHEJIANG_2020.art(21, 3),),
}

# Verdict of a post's section.
COUNTED = "counted"
ABSTAINED = "abstained"
VOID = "void"


@dataclass(frozen=True)
class PostMarks:
    """What the counter read out for one post: the persons marked, and whether the section is illegible."""

    persons: tuple[Person, ...] = ()
    illegible: bool = False


@dataclass(frozen=True)
class BallotMarks:
    posts: Mapping[str, PostMarks] = field(default_factory=dict)
    illegible: bool = False

    def to_json(self) -> dict:
        return {
            "illegible": self.illegible,
            "posts": {p: {"persons": list(m.persons), "illegible": m.illegible} for p, m in self.posts.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping) -> BallotMarks:
        return cls(
            posts={p: PostMarks(tuple(m.get("persons", ())), bool(m.get("illegible"))) for p, m in data.get("posts", {}).items()},
            illegible=bool(data.get("illegible")),
        )


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    post: str | None = None
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class PostVerdict:
    status: str
    persons: tuple[Person, ...] = ()


@dataclass(frozen=True)
class BallotVerdict:
    valid: bool
    posts: Mapping[str, PostVerdict]
    problems: tuple[Problem, ...] = ()

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]

    def to_json(self) -> dict:
        """What a counted ballot keeps: the verdict of each post (the problems are kept beside it)."""
        return {p: {"status": v.status, "persons": list(v.persons)} for p, v in self.posts.items()}

    @classmethod
    def from_json(cls, valid: bool, data: Mapping) -> BallotVerdict:
        return cls(valid, {p: PostVerdict(v["status"], tuple(v["persons"])) for p, v in data.items()})


def _problem(code: str, post: str | None = None, **data) -> Problem:
    if post is not None:
        data.setdefault("post_label", POST_LABELS.get(post, post))
    return Problem(code, MESSAGES[code].format(**data), post, _CITATIONS.get(code, ()))


def judge_ballot(
    marks: BallotMarks,
    *,
    seats: Mapping[str, int],
    params: RuleParameters,
    names: Mapping[int, str] | None = None,
    men: Iterable[int] = (),
) -> BallotVerdict:
    """Whether ``marks`` is a valid ballot and what each post's section counts for, under ``params``.

    ``seats`` gives the round's posts (from the top) and their seats; ``names`` the names of voters (for the
    messages); ``men``: voters known not to be women (for the women's line).
    """
    names = names or {}
    men = set(men)

    def name_of(person: Person) -> str:
        return person if isinstance(person, str) else names.get(person, f"编号{person}")

    if marks.illegible:
        return BallotVerdict(False, {p: PostVerdict(VOID) for p in seats}, (_problem("ballot_illegible"),))
    problems: list[Problem] = []
    verdicts: dict[str, PostVerdict] = {}
    whole_ballot_void = False
    for post, post_seats in seats.items():
        post_marks = marks.posts.get(post, PostMarks())
        persons = post_marks.persons
        if post == WOMAN_MEMBER and (dropped := [p for p in persons if p in men]):
            problems += [_problem("post_not_woman", post, name=name_of(p)) for p in dropped]
            persons = tuple(p for p in persons if p not in men)
        section_problem = _section_problem(post, post_marks, persons, post_seats, name_of)
        if section_problem is not None:
            problems.append(section_problem)
            verdicts[post] = PostVerdict(VOID)
            if params.invalidate_scope == INVALIDATE_BALLOT:
                whole_ballot_void = True
                problems.append(_problem("scope_ballot", post))
        elif persons:
            verdicts[post] = PostVerdict(COUNTED, persons)
        else:
            verdicts[post] = PostVerdict(ABSTAINED)
    if params.multi_post_mode == EXCLUSIVE:
        posts_of: dict[Person, list[str]] = {}
        for post, verdict in verdicts.items():
            for person in verdict.persons:
                posts_of.setdefault(person, []).append(post)
        for person, posts in posts_of.items():
            if len(posts) > 1:
                whole_ballot_void = True
                problems.append(_problem("same_person_several_posts", name=name_of(person),
                                         posts_text="、".join(POST_LABELS.get(p, p) for p in posts)))
    if whole_ballot_void:
        return BallotVerdict(False, {p: PostVerdict(VOID) for p in seats}, tuple(problems))
    return BallotVerdict(True, verdicts, tuple(problems))


def _section_problem(post: str, marks: PostMarks, persons: Sequence[Person], seats: int, name_of) -> Problem | None:
    if marks.illegible:
        return _problem("post_illegible", post)
    if len(persons) > seats:
        return _problem("post_overvote", post, seats=seats, count=len(persons))
    twice = [p for p, n in Counter(persons).items() if n > 1]
    if twice:
        return _problem("post_duplicate_person", post, name=name_of(twice[0]))
    return None


def tally_from_ballots(
    verdicts: Iterable[BallotVerdict], layout: SheetLayout, *, issued: int, names: Mapping[int, str] | None = None
) -> TallyValues:
    """The station's tally sheet as the counted ballots make it: a printed candidate's votes under their id,
    everyone else (written in, or printed for another post) as a write-in under their name."""
    names = names or {}
    valid = invalid = 0
    printed = {p.post: {vid for vid, _ in p.candidates} for p in layout.posts}
    votes: dict[str, Counter] = {p.post: Counter() for p in layout.posts}
    write_ins: dict[str, Counter] = {p.post: Counter() for p in layout.posts}
    abstentions: Counter = Counter()
    void_sections: Counter = Counter()
    for verdict in verdicts:
        if not verdict.valid:
            invalid += 1
            continue
        valid += 1
        for post, post_verdict in verdict.posts.items():
            if post not in votes:
                continue
            if post_verdict.status == VOID:
                void_sections[post] += 1
            elif post_verdict.status == ABSTAINED:
                abstentions[post] += 1
            for person in post_verdict.persons:
                if isinstance(person, int) and person in printed[post]:
                    votes[post][person] += 1
                else:
                    write_ins[post][person if isinstance(person, str) else names.get(person, str(person))] += 1
    posts = {
        p.post: PostValues(
            candidate_votes={vid: votes[p.post][vid] for vid, _ in p.candidates},
            write_ins=dict(write_ins[p.post]),
            abstentions=abstentions[p.post],
            invalid_for_post=void_sections[p.post],
        )
        for p in layout.posts
    }
    return TallyValues(issued=issued, returned=valid + invalid, valid=valid, invalid=invalid, posts=posts)


def running_count(verdicts: Sequence[BallotVerdict], layout: SheetLayout, names: Mapping[int, str] | None = None):
    """For the counting board: (ballots, valid, invalid, {post: [(name, votes)] most votes first})."""
    values = tally_from_ballots(verdicts, layout, issued=0, names=names)
    board = {}
    for sheet_post in layout.posts:
        post_values = values.posts[sheet_post.post]
        rows = [(name, post_values.candidate_votes.get(vid, 0)) for vid, name in sheet_post.candidates]
        rows += sorted(post_values.write_ins.items())
        board[sheet_post.post] = rows
    return values.returned, values.valid, values.invalid, board
