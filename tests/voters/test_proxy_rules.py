"""Proxy rules (OL §15 ¶4; LAW.md §1.8, §2.8, §0.3). No database."""

from dataclasses import replace
from datetime import date

import pytest

from villages.presets import BUILTIN_PRESETS, RuleParameters
from voters import proxy_rules
from voters.proxy_rules import Party, ProxyRequest

ELECTION_DAY = date(2027, 1, 16)
TODAY = date(2027, 1, 5)
NATIONAL = RuleParameters()
ZHEJIANG = next(p for p in BUILTIN_PRESETS if p.code == "ZHEJIANG_2020").params
SHANGHAI = next(p for p in BUILTIN_PRESETS if p.code == "SHANGHAI_2020").params

PRINCIPAL = Party(voter_id=1, election_id=7, on_list=True, away=True, gives_proxy=False, holds=0)
HOLDER = Party(voter_id=2, election_id=7, on_list=True, away=False, gives_proxy=False, holds=0)
REQUEST = ProxyRequest(principal=PRINCIPAL, holder=HOLDER, relation="spouse", authorized_on=date(2027, 1, 3))


def codes(request, params=NATIONAL, **kwargs):
    return [p.code for p in proxy_rules.check_request(request, election_day=ELECTION_DAY, today=TODAY, params=params, **kwargs)]


def test_accepts_a_close_relative_of_the_same_village():
    assert codes(REQUEST) == []


@pytest.mark.parametrize(
    "principal,holder,code",
    [
        (replace(PRINCIPAL, on_list=False), HOLDER, "principal_not_registered"),
        (replace(PRINCIPAL, away=False), HOLDER, "principal_not_away"),
        (replace(PRINCIPAL, gives_proxy=True), HOLDER, "principal_already_gave"),
        (replace(PRINCIPAL, holds=1), HOLDER, "principal_holds_proxies"),
        (PRINCIPAL, replace(HOLDER, election_id=8), "holder_other_village"),
        (PRINCIPAL, replace(HOLDER, on_list=False), "holder_not_registered"),
        (PRINCIPAL, replace(HOLDER, away=True), "holder_away"),
        (PRINCIPAL, replace(HOLDER, gives_proxy=True), "holder_gave_proxy"),
        (PRINCIPAL, replace(HOLDER, voter_id=1), "self"),
    ],
)
def test_refuses_who_may_not_give_or_hold(principal, holder, code):
    assert codes(replace(REQUEST, principal=principal, holder=holder)) == [code]


@pytest.mark.parametrize("relation", ["spouse", "parent", "child", "sibling", "grandparent", "grandchild"])
def test_every_close_relative_of_the_civil_code_is_allowed_by_default(relation):
    assert codes(replace(REQUEST, relation=relation)) == []


def test_relation_outside_the_preset_is_refused_with_the_allowed_list():
    params = replace(NATIONAL, proxy_holder_relations=("spouse", "parent", "child"))
    [problem] = proxy_rules.check_request(
        replace(REQUEST, relation="sibling"), election_day=ELECTION_DAY, today=TODAY, params=params
    )
    assert problem.code == "relation_not_allowed"
    assert "兄弟姐妹" in problem.message and "配偶、父母、子女" in problem.message


def test_neighbour_is_not_a_close_relative():
    assert codes(replace(REQUEST, relation="neighbour")) == ["relation_not_allowed"]


@pytest.mark.parametrize(
    "params,holds,refused",
    [
        (NATIONAL, 10, False),  # no national cap
        (ZHEJIANG, 2, False),
        (ZHEJIANG, 3, True),  # a fourth is over the cap of 3
        (replace(NATIONAL, proxy_max_per_holder=1), 1, True),  # Hainan 2010: one only
        (replace(NATIONAL, proxy_max_per_holder=1), 0, False),
    ],
)
def test_cap_per_holder(params, holds, refused):
    result = codes(replace(REQUEST, holder=replace(HOLDER, holds=holds)), params)
    assert ("holder_cap" in result) is refused


@pytest.mark.parametrize(
    "params,authorized_on,late",
    [
        (NATIONAL, date(2027, 1, 15), False),  # no figure: the day before election day
        (NATIONAL, date(2027, 1, 16), True),
        (ZHEJIANG, date(2027, 1, 13), False),  # E−3
        (ZHEJIANG, date(2027, 1, 14), True),
        (SHANGHAI, date(2027, 1, 11), False),  # E−5
        (SHANGHAI, date(2027, 1, 12), True),
    ],
)
def test_request_deadline(params, authorized_on, late):
    result = proxy_rules.check_request(
        replace(REQUEST, authorized_on=authorized_on), election_day=ELECTION_DAY, today=ELECTION_DAY, params=params
    )
    assert ("authorized_after_deadline" in [p.code for p in result]) is late


def test_authorization_dated_in_the_future_is_refused():
    assert codes(replace(REQUEST, authorized_on=date(2027, 1, 6))) == ["authorized_in_future"]


def test_holder_refusals_from_other_apps_are_added():
    result = codes(REQUEST, ZHEJIANG, holder_refusals=[("holder_refused", "受委托人是候选人，不能接受委托。")])
    assert result == ["holder_refused"]


def test_every_failure_is_listed_not_only_the_first():
    request = replace(REQUEST, principal=replace(PRINCIPAL, away=False), holder=replace(HOLDER, away=True), relation="friend")
    assert codes(request) == ["principal_not_away", "holder_away", "relation_not_allowed"]


@pytest.mark.parametrize(
    "params,deadline",
    [(NATIONAL, date(2027, 1, 15)), (SHANGHAI, date(2027, 1, 14))],
)
def test_publish_deadline(params, deadline):
    assert proxy_rules.publish_deadline(ELECTION_DAY, params) == deadline
