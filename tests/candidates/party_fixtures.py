"""A village Party organisation's election with its register, for the nomination pipeline's tests."""

from __future__ import annotations

from datetime import date

import pytest

from tests.builders import make_party_campaign, make_voter

MEMBER_NAMES = ["王建国", "李秀英", "张伟", "刘洋", "陈静", "杨光", "赵磊", "黄敏", "周强", "吴芳"]
STAGE_DAY = date(2026, 10, 20)
REVIEW_DAY = date(2026, 10, 28)
PUBLISH_DAY = date(2026, 11, 5)


def set_rules(campaign, **overrides):
    campaign.rule_params = {**campaign.rule_params, **overrides}
    campaign.save(update_fields=["rule_params"])


@pytest.fixture
def party_campaign(township, village_a, village_b, clerk):
    return make_party_campaign(township=township, by=clerk, preset_code="CHONGREN_TWO_BALLOTS")


@pytest.fixture
def branch(party_campaign, village_a):
    return party_campaign.elections.get(village=village_a)


@pytest.fixture
def members(branch):
    """Ten full members with voting rights, a probationary member and one under 留党察看 (no rights)."""
    people = {name: make_voter(election=branch, name=name, category="PARTY_FULL", serial=100 + n)
              for n, name in enumerate(MEMBER_NAMES)}
    people["孙预备"] = make_voter(election=branch, name="孙预备", category="PARTY_PROBATIONARY", serial=130,
                                status="not_registered")
    people["钱察看"] = make_voter(election=branch, name="钱察看", category="PARTY_FULL", serial=131,
                                status="not_registered")
    return people
