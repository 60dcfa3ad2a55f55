"""The numbers on one station's tally sheet (计票结果报告单) as plain values, and what we do with them:
check them with ``ballots.reconciliation``, list the warnings that need a written explanation, compare two
entries field by field (double entry, a save that lost a race) and merge them by the chosen field.

Pure rules (STYLE.md §4a): no ORM. A person is a voter's primary key; write-ins are keyed by the name as
written, with all whitespace removed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from candidates.slate import post_label
from villages.presets import RuleParameters

from .reconciliation import ERROR, Discrepancy, PostCount, check_several_posts, reconcile

STATION_FIELDS = (("issued", "发出选票"), ("returned", "收回选票"), ("valid", "有效票"), ("invalid", "无效票"))

# The warnings of ``reconcile``; each needs a written explanation, printed on the tally sheet.
STATION_WARNINGS = ("invalid_share_high", "returned_exceeds_assigned_voters")
POST_WARNINGS = ("post_votes_below_marked_ballots",)

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class SheetPost:
    """A post on the sheet: its seats and printed candidates as (voter id, name), in list order."""

    post: str
    seats: int
    candidates: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class SheetLayout:
    posts: tuple[SheetPost, ...]

    def explanation_keys(self) -> list[str]:
        """Every warning that may need an explanation on this sheet, as ``warning_key`` gives it."""
        return list(STATION_WARNINGS) + [f"{code}__{p.post}" for p in self.posts for code in POST_WARNINGS]


@dataclass(frozen=True)
class PostValues:
    candidate_votes: Mapping[int, int] = field(default_factory=dict)
    write_ins: Mapping[str, int] = field(default_factory=dict)
    abstentions: int = 0
    invalid_for_post: int = 0


@dataclass(frozen=True)
class TallyValues:
    issued: int
    returned: int
    valid: int
    invalid: int
    posts: Mapping[str, PostValues] = field(default_factory=dict)
    explanations: Mapping[str, str] = field(default_factory=dict)
    several_posts_ballots: int | None = None  # ballots electing one person to two posts (exclusive mode)


@dataclass(frozen=True)
class Difference:
    key: str
    label: str
    first: int | None
    second: int | None


def normalize_name(name: str) -> str:
    """A written-in name as compared and stored: every space (full-width too) removed."""
    return _SPACES.sub("", name or "")


def warning_key(discrepancy: Discrepancy) -> str:
    return discrepancy.code if discrepancy.post is None else f"{discrepancy.code}__{discrepancy.post}"


def post_counts(values: TallyValues, layout: SheetLayout) -> list[PostCount]:
    """The per-post counts ``reconcile`` takes; a candidate is named, twins get a number."""
    counts = []
    for sheet_post in layout.posts:
        post_values = values.posts.get(sheet_post.post, PostValues())
        named: dict[str, int] = {}
        for voter_id, name in sheet_post.candidates:
            label = name if name not in named else f"{name}（{len(named) + 1}）"
            named[label] = post_values.candidate_votes.get(voter_id, 0)
        counts.append(
            PostCount(
                post=sheet_post.post,
                seats=sheet_post.seats,
                candidate_votes=named,
                write_in_votes=sum(post_values.write_ins.values()),
                abstentions=post_values.abstentions,
                invalid_for_post=post_values.invalid_for_post,
            )
        )
    return counts


def check(
    values: TallyValues, layout: SheetLayout, *, params: RuleParameters, assigned_voters: int | None
) -> tuple[list[Discrepancy], list[Discrepancy]]:
    """(errors, warnings) of one sheet under LAW.md §2.3, from ``ballots.reconciliation``."""
    found = reconcile(
        issued=values.issued,
        returned=values.returned,
        valid=values.valid,
        invalid=values.invalid,
        posts=post_counts(values, layout),
        assigned_voters=assigned_voters,
        params=params,
    )
    found += check_several_posts(persons=persons_on_several_posts(values, layout),
                                 several_posts_ballots=values.several_posts_ballots, invalid=values.invalid,
                                 params=params)
    return [d for d in found if d.severity == ERROR], [d for d in found if d.severity != ERROR]


def persons_on_several_posts(values: TallyValues, layout: SheetLayout) -> list[tuple[str, list[str]]]:
    """Everyone with votes under more than one post: a printed candidate by voter, a written name by name
    (a written name that is a printed candidate's name is that candidate)."""
    posts_of: dict[object, list[str]] = {}
    names: dict[object, str] = {}
    by_name = {name: vid for p in layout.posts for vid, name in p.candidates}
    for sheet_post in layout.posts:
        post_values = values.posts.get(sheet_post.post, PostValues())
        for vid, name in sheet_post.candidates:
            if post_values.candidate_votes.get(vid):
                posts_of.setdefault(vid, []).append(sheet_post.post)
                names[vid] = name
        for name, votes in post_values.write_ins.items():
            if votes:
                key = by_name.get(name, name)
                if sheet_post.post not in posts_of.get(key, []):
                    posts_of.setdefault(key, []).append(sheet_post.post)
                names.setdefault(key, name)
    return [(names[key], posts) for key, posts in posts_of.items() if len(posts) > 1]


def unexplained(warnings: Sequence[Discrepancy], explanations: Mapping[str, str]) -> list[Discrepancy]:
    return [d for d in warnings if not (explanations.get(warning_key(d)) or "").strip()]


def flatten(values: TallyValues, layout: SheetLayout) -> dict[str, int | None]:
    """Every number on the sheet under a stable key; a write-in appears under its name."""
    flat: dict[str, int | None] = {name: getattr(values, name) for name, _ in STATION_FIELDS}
    for sheet_post in layout.posts:
        post_values = values.posts.get(sheet_post.post, PostValues())
        code = sheet_post.post
        for voter_id, _ in sheet_post.candidates:
            flat[f"{code}.c{voter_id}"] = post_values.candidate_votes.get(voter_id, 0)
        flat[f"{code}.abstentions"] = post_values.abstentions
        flat[f"{code}.invalid_for_post"] = post_values.invalid_for_post
        for name, votes in sorted(post_values.write_ins.items()):
            flat[f"{code}.w.{name}"] = votes
    return flat


def labels(layout: SheetLayout, keys) -> dict[str, str]:
    """Chinese labels for ``flatten`` keys, e.g. 主任·张三得票, 委员·另选他人：李四."""
    names = dict(STATION_FIELDS)
    for sheet_post in layout.posts:
        prefix = post_label(sheet_post.post)
        for voter_id, name in sheet_post.candidates:
            names[f"{sheet_post.post}.c{voter_id}"] = f"{prefix}·{name}得票"
        names[f"{sheet_post.post}.abstentions"] = f"{prefix}·弃权"
        names[f"{sheet_post.post}.invalid_for_post"] = f"{prefix}·该职务无效"
    result = {}
    for key in keys:
        if key in names:
            result[key] = names[key]
        else:
            post, _, name = key.split(".", 2)
            result[key] = f"{post_label(post)}·另选他人：{name}"
    return result


def differences(first: TallyValues, second: TallyValues, layout: SheetLayout) -> list[Difference]:
    """Field by field, the numbers that differ (a write-in missing on one side shows as None)."""
    return [d for d in compare(first, second, layout) if d.first != d.second]


def merge(first: TallyValues, second: TallyValues, layout: SheetLayout, choices: Mapping[str, int]) -> TallyValues:
    """``first`` with each differing field taken from entry ``choices[key]`` (1 or 2). Explanations are
    the first entry's, else the second's."""
    a, b = flatten(first, layout), flatten(second, layout)
    merged = dict(a)
    for key in set(a) | set(b):
        if a.get(key) != b.get(key) and choices.get(key) == 2:
            merged[key] = b.get(key)
    explanations = {**{k: v for k, v in second.explanations.items() if v}, **{k: v for k, v in first.explanations.items() if v}}
    return unflatten(merged, layout, explanations=explanations)


def unflatten(flat: Mapping[str, int | None], layout: SheetLayout, *, explanations: Mapping[str, str]) -> TallyValues:
    posts = {}
    for sheet_post in layout.posts:
        code = sheet_post.post
        write_ins = {
            key.split(".", 2)[2]: votes for key, votes in flat.items() if key.startswith(f"{code}.w.") and votes
        }
        posts[code] = PostValues(
            candidate_votes={vid: flat.get(f"{code}.c{vid}") or 0 for vid, _ in sheet_post.candidates},
            write_ins=write_ins,
            abstentions=flat.get(f"{code}.abstentions") or 0,
            invalid_for_post=flat.get(f"{code}.invalid_for_post") or 0,
        )
    return TallyValues(
        **{name: flat.get(name) or 0 for name, _ in STATION_FIELDS}, posts=posts, explanations=dict(explanations)
    )


def compare(first: TallyValues, second: TallyValues, layout: SheetLayout) -> list[Difference]:
    """Every field of both sheets side by side (``differences`` keeps the ones that differ)."""
    a, b = flatten(first, layout), flatten(second, layout)
    keys = list(a) + [k for k in b if k not in a]
    names = labels(layout, keys)
    return [Difference(k, names[k], a.get(k), b.get(k)) for k in keys]


@dataclass(frozen=True)
class PrintedPost:
    """One post's block on a printed sheet; numbers are None on a blank sheet."""

    post: str
    label: str
    seats: int
    candidates: tuple[tuple[str, int | None], ...]
    write_ins: tuple[tuple[str, int | None], ...]
    blank_lines: int
    abstentions: int | None
    invalid_for_post: int | None

    @property
    def blank_range(self) -> range:
        return range(self.blank_lines)


def printable(layout: SheetLayout, values: TallyValues | None, *, blank_lines: int = 3) -> list[PrintedPost]:
    """The posts of a sheet as printed: the candidates with their votes, the write-ins, and blank lines to
    write in by hand (a blank sheet gets ``blank_lines`` per post, or one per seat if more)."""
    printed = []
    for sheet_post in layout.posts:
        post_values = values.posts.get(sheet_post.post, PostValues()) if values else None
        write_ins = tuple(sorted(post_values.write_ins.items())) if post_values else ()
        printed.append(
            PrintedPost(
                post=sheet_post.post,
                label=post_label(sheet_post.post),
                seats=sheet_post.seats,
                candidates=tuple(
                    (name, post_values.candidate_votes.get(vid, 0) if post_values else None)
                    for vid, name in sheet_post.candidates
                ),
                write_ins=write_ins,
                blank_lines=0 if values else max(blank_lines, sheet_post.seats),
                abstentions=post_values.abstentions if post_values else None,
                invalid_for_post=post_values.invalid_for_post if post_values else None,
            )
        )
    return printed
