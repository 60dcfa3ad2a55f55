"""Elections open for nomination: one under the national defaults, one under the Zhejiang preset
(women's seat, self-nomination by D − 10, withdrawal by D − 3, candidates may not hold proxies)."""

import pytest

from tests.builders import make_campaign, open_nomination


def codes(exc):
    return [e.code for e in exc.error_list] if hasattr(exc, "error_list") else [exc.code]


@pytest.fixture
def voters(election_a, clerk):
    """王伟(M) 李伟(F) 张伟(M) 刘伟(F) 陈伟(M) 杨伟(F) 黄伟(M) 赵伟(F) 吴伟(M) 周伟(F) 徐伟(M) 孙伟(F)."""
    return open_nomination(election=election_a, by=clerk)


@pytest.fixture
def election(election_a, voters):
    """election_a at 提名候选人: 主任 1, 委员 2, no women's seat, 差额 at least 1 per post."""
    election_a.refresh_from_db()
    return election_a


@pytest.fixture
def zj_election(township, village_a, village_b, clerk):
    campaign = make_campaign(township=township, by=clerk, term_number=13, preset_code="ZHEJIANG_2020")
    election = campaign.elections.get(village=village_a)
    open_nomination(election=election, by=clerk)
    election.refresh_from_db()
    return election


@pytest.fixture
def zj_voters(zj_election):
    return list(zj_election.voters.order_by("pk"))
