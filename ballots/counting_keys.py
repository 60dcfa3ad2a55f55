"""The counting page's keyboard (唱票计票): one key per printed candidate, a row of the keyboard per post.

Pure (STYLE.md §4a). Post n takes row n of the keyboard; its candidates take the row's keys from the left
and its last key marks the section illegible (作废). Whole-ballot keys are fixed: ``-`` the whole ballot is
illegible, Enter records the ballot, Escape clears it. A section left empty is an abstention (弃权).
"""

from __future__ import annotations

from dataclasses import dataclass

from candidates.slate import post_label

from .sheets import SheetLayout

ROWS = ("1234567890", "qwertyuiop", "asdfghjkl;", "zxcvbnm,./")
BALLOT_ILLEGIBLE_KEY = "-"


@dataclass(frozen=True)
class KeyedPost:
    post: str
    label: str
    seats: int
    candidates: tuple[tuple[str, int, str], ...]  # (key, voter id, name); key "" once the row is used up
    illegible_key: str


def keyed_posts(layout: SheetLayout) -> list[KeyedPost]:
    posts = []
    for row, sheet_post in zip(ROWS, layout.posts, strict=False):
        keys = row[:-1]
        candidates = tuple(
            (keys[i] if i < len(keys) else "", voter_id, name) for i, (voter_id, name) in enumerate(sheet_post.candidates)
        )
        posts.append(KeyedPost(sheet_post.post, post_label(sheet_post.post), sheet_post.seats, candidates, row[-1]))
    return posts
