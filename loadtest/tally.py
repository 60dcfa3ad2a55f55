"""Numbers for one station's tally sheet that add up (``ballots.reconciliation``) and need no written
explanation: the seed enters them through ``record_tally``, the clerks type them into the form.

Pure and dependency-free, so the load client does not import Django.
"""

from __future__ import annotations

import random


def tally_numbers(rng: random.Random, *, assigned: int, posts: dict[str, tuple[int, list[int]]]) -> dict:
    """A sheet for a station of ``assigned`` voters; ``posts`` maps a post to (seats, candidate voter ids).

    The first ``seats`` candidates of each post win a clear majority, so a round counted with these
    numbers can be announced. Returns {issued, returned, valid, invalid, posts: {post: {votes, abstentions}}}.
    """
    returned = rng.randint(assigned * 3 // 4, assigned)  # never above the station's voters (a warning)
    invalid = rng.randint(0, returned // 100)  # under the 3 % that asks for an explanation
    valid = returned - invalid
    sheet_posts = {}
    for code, (seats, candidates) in posts.items():
        votes = {
            voter_id: int(valid * (rng.uniform(0.55, 0.85) if i < seats else rng.uniform(0.02, 0.14)))
            for i, voter_id in enumerate(candidates)
        }
        total = sum(votes.values())
        if total > valid * seats:  # more names than the ballots can carry: scale down
            votes = {k: v * valid * seats // total for k, v in votes.items()}
            total = sum(votes.values())
        # Ballots that named nobody for the post are abstentions: marked ballots == votes cast.
        sheet_posts[code] = {"votes": votes, "abstentions": max(0, valid - total)}
    return {"issued": returned + rng.randint(0, 3), "returned": returned, "valid": valid, "invalid": invalid,
            "posts": sheet_posts}


def form_fields(numbers: dict) -> dict[str, str]:
    """The tally entry form's fields for ``numbers`` (``ballots.forms.tallies.TallyForm``)."""
    fields = {name: str(numbers[name]) for name in ("issued", "returned", "valid", "invalid")}
    for code, post in numbers["posts"].items():
        for voter_id, votes in post["votes"].items():
            fields[f"{code}__c{voter_id}"] = str(votes)
        fields[f"{code}__abstentions"] = str(post["abstentions"])
        fields[f"{code}__invalid_for_post"] = "0"
    return fields
