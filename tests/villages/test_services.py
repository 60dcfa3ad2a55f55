"""Setup services: rounds, seats, postponement, committee, stages, concurrency and the audit log."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.builders import ELECTION_DAY, make_campaign, preset
from villages import services, stages
from villages.models import AuditEntry, CommitteeMember, Election, Village


def codes(exc):
    return {e.code for e in exc.error_list} if hasattr(exc, "error_list") else {exc.code}


def test_open_campaign_creates_an_election_per_village_with_frozen_rules(campaign, village_a, village_b):
    assert set(campaign.elections.values_list("village", flat=True)) == {village_a.pk, village_b.pk}
    assert campaign.rules.voter_list_publish_days_before == 20
    # Editing the preset later does not change the rules of the round.
    rp = campaign.preset
    rp.params = {"voter_list_publish_days_before": 25}
    rp.save()
    campaign.refresh_from_db()
    assert campaign.rule_params["voter_list_publish_days_before"] == 20
    assert AuditEntry.objects.filter(action="villages.campaign.opened").count() == 1


def test_cannot_open_the_same_term_twice(campaign, township, clerk):
    with pytest.raises(ValidationError) as exc:
        make_campaign(township=township, by=clerk)
    assert codes(exc.value) == {"campaign_exists"}


def test_cannot_open_a_round_without_villages(other_township, clerk):
    with pytest.raises(ValidationError) as exc:
        make_campaign(township=other_township, by=clerk)
    assert codes(exc.value) == {"campaign_no_villages"}


@pytest.mark.parametrize(
    "vice,member,woman,expected",
    [
        (0, 2, False, set()),  # 3 in all: the legal minimum
        (2, 4, False, set()),  # 7 in all: the legal maximum
        (0, 1, False, {"seats_out_of_range"}),
        (2, 5, False, {"seats_out_of_range"}),
        (0, 0, True, {"seats_out_of_range", "woman_seat_needs_member"}),
    ],
)
def test_seats_checked_against_preset(election_a, clerk, vice, member, woman, expected):
    election_a.seats_vice_chair, election_a.seats_member, election_a.woman_seat_reserved = vice, member, woman
    if expected:
        with pytest.raises(ValidationError) as exc:
            services.update_election_setup(by=clerk, election=election_a, expected_version=election_a.version)
        assert codes(exc.value) == expected
    else:
        services.update_election_setup(by=clerk, election=election_a, expected_version=election_a.version)
        assert Election.objects.get(pk=election_a.pk).total_seats == 1 + vice + member


def test_database_refuses_a_committee_of_eight(election_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Election.objects.filter(pk=election_a.pk).update(seats_vice_chair=2, seats_member=5)


def test_second_save_from_a_stale_form_is_refused_and_loses_nothing(election_a, clerk):
    first = Election.objects.get(pk=election_a.pk)
    second = Election.objects.get(pk=election_a.pk)
    first.seats_member = 3
    services.update_election_setup(by=clerk, election=first, expected_version=first.version)
    second.seats_member = 4
    with pytest.raises(ValidationError) as exc:
        services.update_election_setup(by=clerk, election=second, expected_version=second.version)
    assert codes(exc.value) == {"conflict"}
    assert Election.objects.get(pk=election_a.pk).seats_member == 3


def test_postponement_keeps_original_day_and_reason(election_a, clerk):
    services.postpone_election(
        by=clerk, election=election_a, new_day=ELECTION_DAY + timedelta(days=7), reason="暴雪", expected_version=1
    )
    election_a.refresh_from_db()
    assert (election_a.postponed_from, election_a.election_day) == (ELECTION_DAY, ELECTION_DAY + timedelta(days=7))
    entry = AuditEntry.objects.get(action="villages.election.postponed")
    assert entry.changes["election_day"] == [ELECTION_DAY.isoformat(), (ELECTION_DAY + timedelta(days=7)).isoformat()]


def test_postponement_needs_a_reason(election_a, clerk):
    with pytest.raises(ValidationError) as exc:
        services.postpone_election(by=clerk, election=election_a, new_day=date(2027, 2, 1), reason=" ", expected_version=1)
    assert codes(exc.value) == {"postpone_needs_reason"}


def _form_committee(election, clerk, size=3):
    for order in range(1, size + 1):
        services.save_committee_member(
            by=clerk,
            member=CommitteeMember(
                election=election, name=f"成员{order}", sex="F" if order % 2 else "M",
                position="chair" if order == 1 else "member", selection_order=order,
            ),
        )
    election.committee_chosen_by = Election.ChosenBy.VILLAGERS_MEETING
    election.committee_chosen_on = date(2026, 11, 1)
    services.update_election_setup(by=clerk, election=election, expected_version=election.version)


def test_only_one_active_committee_chair(election_a, clerk):
    _form_committee(election_a, clerk)
    with pytest.raises(ValidationError) as exc:
        services.save_committee_member(
            by=clerk, member=CommitteeMember(election=election_a, name="又一个主任", sex="M", position="chair")
        )
    assert codes(exc.value) == {"committee_chair_exists"}


def test_cannot_start_registration_before_the_committee_is_formed(election_a, clerk):
    with pytest.raises(ValidationError) as exc:
        services.advance_stage(by=clerk, election=election_a, target=stages.REGISTRATION, on=None, today=date(2026, 11, 21))
    assert codes(exc.value) == {"stage_checklist"}
    assert "村民选举委员会人数符合规则" in exc.value.messages[0]
    assert Election.objects.get(pk=election_a.pk).stage == stages.PREPARATION


def test_committee_size_follows_preset(township, clerk, village_a):
    campaign = make_campaign(township=township, by=clerk, preset_code="ZHEJIANG_2020")
    election = campaign.elections.get(village=village_a)
    _form_committee(election, clerk, size=3)  # Zhejiang wants 5 to 9
    items = {i.code: i for i in stages.checklist(election, stages.REGISTRATION, date(2026, 11, 21))}
    assert not items["committee_size"].ok
    assert "应为5至9人" in items["committee_size"].detail


def test_stages_advance_one_by_one_and_record_dates(election_a, clerk):
    _form_committee(election_a, clerk)
    today = date(2026, 12, 27)
    services.advance_stage(by=clerk, election=election_a, target=stages.REGISTRATION, on=None, today=today)
    with pytest.raises(ValidationError) as exc:
        services.advance_stage(by=clerk, election=election_a, target=stages.VOTING, on=today, today=today)
    assert codes(exc.value) == {"stage_not_next"}
    with pytest.raises(ValidationError) as exc:
        services.advance_stage(by=clerk, election=election_a, target=stages.LIST_PUBLISHED, on=None, today=today)
    assert codes(exc.value) == {"stage_date_required"}
    with pytest.raises(ValidationError) as exc:
        services.advance_stage(
            by=clerk, election=election_a, target=stages.LIST_PUBLISHED, on=today + timedelta(days=1), today=today
        )
    assert codes(exc.value) == {"stage_date_future"}


def test_runoff_stage_is_optional():
    assert stages.next_stages(stages.VOTING) == [stages.RUNOFF, stages.HANDOVER]
    assert stages.next_stages(stages.PREPARATION) == [stages.REGISTRATION]
    assert stages.next_stages(stages.ARCHIVED) == []


def test_save_village_logs_a_diff(village_a, clerk):
    village_a.population = 3000
    services.save_village(by=clerk, village=village_a, expected_version=village_a.version)
    entry = AuditEntry.objects.get(action="villages.village.updated")
    assert entry.changes == {"population": [0, 3000]}
    assert (entry.actor, entry.village_id, entry.township_id) == (clerk, village_a.pk, village_a.township_id)


def test_builtin_presets_exist_after_migration(db):
    assert preset("HENAN_2011").rules.multi_post_mode == "cascade_down"
    assert services.ensure_builtin_presets()[0].code == "VCOL_2018_NATIONAL"


def test_village_code_must_be_twelve_digits(township, clerk):
    with pytest.raises(ValidationError) as exc:
        services.save_village(by=clerk, village=Village(township=township, name="新村", code="12345"))
    assert "code" in exc.value.error_dict


# --- one round at a time; dates of the round (issue 13) -------------------------------------------


def test_a_later_round_waits_until_the_earlier_is_finished_or_closed(township, village_a, clerk):
    from datetime import date

    from django.core.exceptions import ValidationError

    from tests.builders import preset
    from villages.models import Campaign

    first = services.open_campaign(by=clerk, township=township, term_number=12, preset=preset(),
                                   default_election_day=date(2027, 1, 16))
    with pytest.raises(ValidationError) as refused:
        services.open_campaign(by=clerk, township=township, term_number=13, preset=preset(),
                               default_election_day=date(2027, 3, 1))
    assert refused.value.code == "campaign_in_progress"
    services.close_campaign(by=clerk, campaign=first, on=date(2027, 1, 2), reason="乡镇撤并，本届选举终止")
    second = services.open_campaign(by=clerk, township=township, term_number=13, preset=preset(),
                                    default_election_day=date(2027, 3, 1))
    assert Campaign.objects.get(pk=first.pk).closed_reason == "乡镇撤并，本届选举终止"
    assert second.term_number == 13


def test_a_round_opened_after_its_deadlines_passed_needs_a_reason(township, village_a, clerk):
    from datetime import date

    from django.core.exceptions import ValidationError

    from tests.builders import preset
    from villages.models import Campaign, DateException

    with pytest.raises(ValidationError) as refused:
        services.open_campaign(by=clerk, township=township, term_number=12, preset=preset(),
                               default_election_day=date(2027, 1, 16), today=date(2027, 1, 6))
    assert refused.value.code == "date_needs_reason" and not Campaign.objects.exists()
    services.open_campaign(by=clerk, township=township, term_number=12, preset=preset(),
                           default_election_day=date(2027, 1, 16), today=date(2027, 1, 6), date_reason="补选")
    assert DateException.objects.get(act="campaign_opened").reason == "补选"
