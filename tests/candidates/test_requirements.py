"""The stage checklist: voting needs the formal candidate list published (or a 海选-only preset)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from candidates.requirements import nomination_requirements
from candidates.services import publish_candidate_list
from tests.builders import make_campaign, make_nominee, open_nomination
from tests.candidates.conftest import codes
from villages import services, stages
from villages.models import Election, RulePreset

DAY = date(2027, 1, 10)


def item(election, today=date(2027, 1, 10)):
    return next(i for i in stages.checklist(election, stages.VOTING, today) if i.code == "candidate_list_published")


def test_voting_is_not_ready_before_the_list_is_published(election):
    assert not item(election).ok
    assert item(election).detail == "请在候选人页面公布正式候选人名单"


def test_the_generic_stage_button_cannot_skip_the_publication(election, clerk):
    with pytest.raises(ValidationError) as exc:
        services.advance_stage(by=clerk, election=election, target=stages.VOTING, on=DAY, today=DAY)
    assert codes(exc.value) == ["stage_checklist"]
    assert "已公布正式候选人名单（或确定采用海选）" in exc.value.messages[0]
    assert Election.objects.get(pk=election.pk).stage == stages.NOMINATION


def test_voting_is_ready_once_the_list_is_published(election, voters, clerk):
    for index, (post, votes) in enumerate([("chair", 9), ("chair", 8), ("member", 7), ("member", 6), ("member", 5)]):
        make_nominee(election=election, by=clerk, voter=voters[index], post=post, votes=votes)
    publish_candidate_list(by=clerk, election=election, published_on=DAY, mode="candidates", today=DAY)
    check = item(Election.objects.get(pk=election.pk))
    assert check.ok and check.detail == "有候选人（选民直接提名），2027年1月10日公布"


def test_a_haixuan_only_preset_needs_no_publication(township, village_a, village_b, clerk):
    RulePreset.objects.create(code="HAIXUAN_ONLY", name="只海选", params={"nomination_modes": ["no_candidate"]})
    election = make_campaign(township=township, by=clerk, term_number=14, preset_code="HAIXUAN_ONLY").elections.get(
        village=village_a
    )
    open_nomination(election=election, by=clerk)
    assert item(Election.objects.get(pk=election.pk)).ok


@pytest.mark.parametrize("target", [stages.REGISTRATION, stages.NOMINATION, stages.HANDOVER])
def test_other_stages_are_not_ours(election_a, target):
    assert nomination_requirements(election_a, target, date(2027, 1, 10)) == []
