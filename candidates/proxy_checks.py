"""The candidates' side of a proxy rule: where the preset forbids it, a candidate or self-nominee may
not hold a proxy (ZJ Art. 25; BJ Art. 25; LAW.md §2.8).

``voters`` comes before ``candidates`` in the app chain (STYLE.md §1), so it cannot ask about
candidates itself: ``voters.services.proxies.register_holder_check`` takes this check (registered in
``CandidatesConfig.ready``) and refuses the proxy with its message. The other direction, a proxy
holder who is nominated later, is flagged beside the nominee on the candidate pages (``overview``).
"""

from __future__ import annotations

MESSAGES = {
    "holder_is_candidate": "受委托人{name}是{post_label}候选人，本选举规则规定候选人（含自荐人）不得接受委托投票。",
}


def candidate_holder_refusal(election, holder) -> str | None:
    """A Chinese refusal when ``holder`` (a Voter) stands in ``election`` and the preset forbids
    candidates to hold proxies; None otherwise."""
    from .models import Candidate

    if not election.rules.proxy_holder_not_candidate:
        return None
    candidacy = Candidate.objects.in_election(election).active().filter(voter_id=holder.pk).first()
    if candidacy is None:
        return None
    return MESSAGES["holder_is_candidate"].format(name=holder.name, post_label=candidacy.get_post_display())


def register() -> None:
    from voters.services.proxies import register_holder_check

    register_holder_check(candidate_holder_refusal)
