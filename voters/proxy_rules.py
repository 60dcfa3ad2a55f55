"""Proxy voting (委托投票): who may entrust whom, how many, and by when (OL §15 ¶4; LAW.md §1.8,
§2.8; close relatives §0.3).

A registered voter who is away during the election may entrust, in writing, a close relative who is
a registered voter of the same village. The preset decides the rest: which relations count
(``proxy_holder_relations``, default the Civil Code Art. 1045 list), how many proxies one holder may
carry (``proxy_max_per_holder``; none nationally, 3 in most provinces, 1 in Hainan 2010), the last day
for the written request (``proxy_request_days_before``: "选举日的N日前", done on or before D − N; with
no provincial figure, before election day) and whether a candidate may hold proxies (the caller passes
the candidates app's refusal in ``holder_refusals``, see
``voters.services.proxies.register_holder_check``).

Pure module: plain values in, every failed rule out; no ORM, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from villages.legal_calendar import days_before
from villages.presets import PROXY_RELATIONS, RuleParameters

ERROR_MESSAGES = {
    "self": "委托人和受委托人不能是同一人。",
    "principal_not_registered": "委托人不是本村名单上的登记选民。",
    "principal_not_away": "委托人未登记为外出。只有选举期间外出、不能参加投票的选民才可以委托投票。",
    "principal_already_gave": "委托人已经办理了委托投票，如需更换受委托人，请先撤销原委托。",
    "principal_holds_proxies": "委托人本人已接受其他选民的委托，不能再委托他人（不得转委托）。",
    "holder_not_registered": "受委托人不是本村名单上的登记选民（须为本村有选举权的近亲属）。",
    "holder_other_village": "受委托人须为本村的登记选民。",
    "holder_away": "受委托人登记为外出，不能代为投票。",
    "holder_gave_proxy": "受委托人本人已委托他人投票，不能再接受委托。",
    "relation_not_allowed": "与委托人的关系“{relation}”不在本选举规则允许的范围内（{allowed}）。",
    "holder_cap": "受委托人已接受{held}人委托，本选举规则规定每人接受委托不得超过{cap}人。",
    "authorized_after_deadline": "书面委托日期（{authorized}）晚于办理委托投票的截止日期（{deadline}，{rule}）。",
    "authorized_in_future": "书面委托日期不能晚于今天。",
}


@dataclass(frozen=True, kw_only=True)
class Party:
    """One side of a proxy, as the register knows them now."""

    voter_id: int
    election_id: int
    on_list: bool  # registered, and on the published list once it is published
    away: bool
    gives_proxy: bool  # has an active (not revoked) proxy as principal, this request excluded
    holds: int  # active proxies held, this request excluded


@dataclass(frozen=True, kw_only=True)
class ProxyRequest:
    principal: Party
    holder: Party
    relation: str  # a key of villages.presets.PROXY_RELATIONS
    authorized_on: date


@dataclass(frozen=True)
class Problem:
    code: str
    message: str


def request_deadline(election_day: date, params: RuleParameters) -> date:
    """The last day for the written entrustment: D − N, or the day before D when no N is set."""
    return days_before(election_day, params.proxy_request_days_before or 1)


def publish_deadline(election_day: date, params: RuleParameters) -> date:
    """The last day to publish the list of principals and holders (before D, or D − N)."""
    return days_before(election_day, params.proxy_publish_days_before or 1)


def deadline_rule(params: RuleParameters) -> str:
    n = params.proxy_request_days_before
    return f"选举日的{n}日前" if n else "选举日前"


def relation_choices(params: RuleParameters) -> list[tuple[str, str]]:
    return [(code, PROXY_RELATIONS.get(code, code)) for code in params.proxy_holder_relations]


def check_request(
    request: ProxyRequest,
    *,
    election_day: date,
    today: date,
    params: RuleParameters,
    holder_refusals: Iterable[tuple[str, str]] = (),
) -> list[Problem]:
    """Every rule the request breaks; empty when the committee may accept it.

    ``holder_refusals`` are (code, message) pairs from checks this module cannot make itself, such
    as "the holder is a candidate" where the preset forbids it (ZJ Art. 25, BJ Art. 25).
    """
    principal, holder = request.principal, request.holder
    if principal.voter_id == holder.voter_id:
        return [_problem("self")]
    problems = []
    if not principal.on_list:
        problems.append(_problem("principal_not_registered"))
    elif not principal.away:
        problems.append(_problem("principal_not_away"))
    if principal.gives_proxy:
        problems.append(_problem("principal_already_gave"))
    if principal.holds:
        problems.append(_problem("principal_holds_proxies"))
    if holder.election_id != principal.election_id:
        problems.append(_problem("holder_other_village"))
    elif not holder.on_list:
        problems.append(_problem("holder_not_registered"))
    if holder.away:
        problems.append(_problem("holder_away"))
    if holder.gives_proxy:
        problems.append(_problem("holder_gave_proxy"))
    if request.relation not in params.proxy_holder_relations:
        allowed = "、".join(label for _, label in relation_choices(params))
        problems.append(
            _problem("relation_not_allowed", relation=PROXY_RELATIONS.get(request.relation, request.relation), allowed=allowed)
        )
    cap = params.proxy_max_per_holder
    if cap is not None and holder.holds >= cap:
        problems.append(_problem("holder_cap", held=holder.holds, cap=cap))
    if request.authorized_on > today:
        problems.append(_problem("authorized_in_future"))
    deadline = request_deadline(election_day, params)
    if request.authorized_on > deadline:
        problems.append(
            _problem(
                "authorized_after_deadline",
                authorized=_cn(request.authorized_on),
                deadline=_cn(deadline),
                rule=deadline_rule(params),
            )
        )
    problems.extend(Problem(code, message) for code, message in holder_refusals)
    return problems


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _problem(code: str, **values: object) -> Problem:
    return Problem(code=code, message=ERROR_MESSAGES[code].format(**values))
