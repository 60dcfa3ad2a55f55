"""Registering and editing voters, and changes to the published list (voters.services.register)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.builders import ELECTION_DAY, make_election_ready, make_id_number, make_voter, publish_list
from villages.models import AuditEntry
from voters.models import AmendmentBatch, AmendmentItem, Status, Voter
from voters.services import register
from voters.services.register import Amendment

TODAY = date(2026, 12, 10)
AFTER = date(2026, 12, 23)


def new_voter(election, **fields):
    birth = fields.pop("birth_date", date(1975, 3, 8))
    sex = fields.pop("sex", "F")
    return Voter(
        election=election,
        group=fields.pop("group", election.village.groups.get(number=1)),
        name=fields.pop("name", "李秀英"),
        sex=sex,
        birth_date=birth,
        id_number=fields.pop("id_number", make_id_number(birth_date=birth, sex=sex, serial=7)),
        category=fields.pop("category", "HUJI_RESIDENT"),
        **fields,
    )


def codes(exc: ValidationError) -> list[str]:
    return [e.code for e in exc.error_list] if not hasattr(exc, "error_dict") else [e.code for es in exc.error_dict.values() for e in es]


@pytest.fixture
def published(election_a, clerk):
    """election_a with two listed voters, published on 2026-12-20."""
    make_election_ready(election=election_a, by=clerk)
    make_voter(election=election_a, name="王建国", serial=1)
    make_voter(election=election_a, name="王秀兰", sex="F", serial=2)
    publish_list(election=election_a, by=clerk)
    return election_a


def test_registers_an_eligible_person_with_an_audit_entry(election_a, clerk):
    voter = register.register_voter(by=clerk, voter=new_voter(election_a), today=TODAY)
    assert voter.status == Status.REGISTERED and voter.campaign_id == election_a.campaign_id
    assert voter.listed_from is None  # listed only by the publication
    assert AuditEntry.objects.for_object(voter).get().action == "voters.voter.created"


def test_refused_person_is_kept_with_the_reason(election_a, clerk):
    voter = register.register_voter(by=clerk, voter=new_voter(election_a, birth_date=date(2009, 1, 17)), today=TODAY)
    assert voter.status == Status.NOT_REGISTERED
    assert "未满十八周岁" in voter.not_registered_reason


def test_person_who_turns_18_on_election_day_is_registered(election_a, clerk):
    voter = register.register_voter(by=clerk, voter=new_voter(election_a, birth_date=date(2009, 1, 16)), today=TODAY)
    assert voter.status == Status.REGISTERED


def test_every_failed_rule_is_in_the_reason(election_a, clerk):
    voter = new_voter(election_a, has_political_rights=False, category="HUJI_ABSENT")
    voter = register.register_voter(by=clerk, voter=voter, today=TODAY)
    assert "剥夺政治权利" in voter.not_registered_reason and "本人表示参加选举" in voter.not_registered_reason


def test_same_id_number_in_another_village_of_the_round_is_refused_naming_the_village_not_the_voter(
    election_a, election_b, clerk
):
    make_voter(election=election_b, name="李秀英", sex="F", birth_date=date(1975, 3, 8), serial=7)
    with pytest.raises(ValidationError) as exc:
        register.register_voter(by=clerk, voter=new_voter(election_a), today=TODAY)
    assert codes(exc.value) == ["duplicate_id"]
    message = exc.value.message_dict["id_number"][0]
    assert "西岭村" in message and "李秀英" not in message
    assert not Voter.objects.filter(election=election_a).exists()


def test_group_of_another_village_is_refused(election_a, election_b, clerk):
    with pytest.raises(ValidationError) as exc:
        register.register_voter(by=clerk, voter=new_voter(election_a, group=election_b.village.groups.first()), today=TODAY)
    assert codes(exc.value) == ["group_other_village"]


def test_edit_before_publication_reassesses_and_bumps_the_version(election_a, clerk):
    voter = register.register_voter(by=clerk, voter=new_voter(election_a), today=TODAY)
    voter.capacity_ok = False
    register.update_voter(by=clerk, voter=voter, expected_version=1, today=TODAY)
    voter.refresh_from_db()
    assert (voter.status, voter.version) == (Status.NOT_REGISTERED, 2)
    assert not AmendmentBatch.objects.exists()


def test_stale_edit_is_refused_with_a_conflict(election_a, clerk):
    voter = register.register_voter(by=clerk, voter=new_voter(election_a), today=TODAY)
    first, second = Voter.objects.get(pk=voter.pk), Voter.objects.get(pk=voter.pk)
    first.phone = "13800000001"
    register.update_voter(by=clerk, voter=first, expected_version=1, today=TODAY)
    second.name = "李秀"
    with pytest.raises(ValidationError) as exc:
        register.update_voter(by=clerk, voter=second, expected_version=1, today=TODAY)
    assert codes(exc.value) == ["conflict"]
    assert Voter.objects.get(pk=voter.pk).name == "李秀英"


def test_after_publication_a_listed_voter_needs_an_amendment(published, clerk):
    voter = Voter.objects.get(name="王建国")
    voter.name = "王建华"
    with pytest.raises(ValidationError) as exc:
        register.update_voter(by=clerk, voter=voter, expected_version=voter.version, today=AFTER)
    assert codes(exc.value) == ["amendment_required"]
    assert Voter.objects.get(pk=voter.pk).name == "王建国"


def test_correction_after_publication_is_a_numbered_batch_with_before_and_after(published, clerk):
    voter = Voter.objects.get(name="王建国")
    voter.name = "王建华"
    amendment = Amendment(effective_on=AFTER, reason="姓名录入错误")
    register.update_voter(by=clerk, voter=voter, expected_version=voter.version, today=AFTER, amendment=amendment)
    item = AmendmentItem.objects.get()
    assert (item.batch.number, item.change) == (1, AmendmentItem.Change.CORRECT)
    assert (item.before, item.after) == ({"name": "王建国"}, {"name": "王建华"})
    assert Voter.objects.get(pk=voter.pk).is_listed


def test_contact_details_change_after_publication_without_amendment(published, clerk):
    voter = Voter.objects.get(name="王建国")
    voter.phone, voter.away = "13900000000", True
    register.update_voter(by=clerk, voter=voter, expected_version=voter.version, today=AFTER)
    assert not AmendmentBatch.objects.exists()


def test_edit_that_makes_a_listed_voter_ineligible_removes_them(published, clerk):
    voter = Voter.objects.get(name="王建国")
    voter.has_political_rights = False
    amendment = Amendment(effective_on=AFTER, reason="法院判决剥夺政治权利", reason_code="REM_DEPRIVED")
    register.update_voter(by=clerk, voter=voter, expected_version=voter.version, today=AFTER, amendment=amendment)
    voter.refresh_from_db()
    assert (voter.status, voter.listed_until) == (Status.NOT_REGISTERED, AFTER)
    assert AmendmentItem.objects.get().change == AmendmentItem.Change.REMOVE


def test_person_entered_after_publication_stays_off_the_list_without_an_amendment(published, clerk):
    voter = register.register_voter(by=clerk, voter=new_voter(published), today=AFTER)
    assert voter.status == Status.REGISTERED and not voter.is_listed


def test_person_entered_after_publication_with_an_amendment_is_added(published, clerk):
    amendment = Amendment(effective_on=AFTER, reason="补登", reason_code="ADD_MOVED_IN")
    voter = register.register_voter(by=clerk, voter=new_voter(published), today=AFTER, amendment=amendment)
    assert (voter.listed_from, voter.listed_until, voter.change_reason) == (AFTER, None, "ADD_MOVED_IN")
    assert AmendmentItem.objects.get().change == AmendmentItem.Change.ADD


def test_unlisting_keeps_the_counts_of_earlier_days(published, clerk):
    voter = Voter.objects.get(name="王建国")
    register.unlist_voter(
        by=clerk, voter=voter, amendment=Amendment(effective_on=AFTER, reason="死亡", reason_code="REM_DEAD"), today=AFTER
    )
    listed = Voter.objects.filter(election=published)
    assert listed.listed_on(date(2026, 12, 19)).count() == 0
    assert listed.listed_on(date(2026, 12, 22)).count() == 2
    assert listed.listed_on(AFTER).count() == 1
    assert Voter.objects.get(pk=voter.pk).status == Status.NOT_REGISTERED


def test_batches_are_numbered_in_order(published, clerk):
    for name in ("王建国", "王秀兰"):
        register.unlist_voter(
            by=clerk, voter=Voter.objects.get(name=name), amendment=Amendment(effective_on=AFTER, reason="迁出"), today=AFTER
        )
    assert list(AmendmentBatch.objects.values_list("number", flat=True)) == [1, 2]


@pytest.mark.parametrize(
    "effective_on,reason,reason_code,code",
    [
        (date(2026, 12, 19), "死亡", "", "effective_before_publication"),
        (date(2026, 12, 24), "死亡", "", "effective_in_future"),
        (AFTER, "  ", "", "amendment_reason_blank"),
        (AFTER, "死亡", "ADD_NEW_18", "reason_code_direction"),
        (AFTER, "死亡", "REM_UNKNOWN", "reason_code_unknown"),
    ],
)
def test_bad_amendments_are_refused_and_change_nothing(published, clerk, effective_on, reason, reason_code, code):
    voter = Voter.objects.get(name="王建国")
    with pytest.raises(ValidationError) as exc:
        register.unlist_voter(
            by=clerk, voter=voter, amendment=Amendment(effective_on=effective_on, reason=reason, reason_code=reason_code), today=AFTER
        )
    assert codes(exc.value) == [code]
    assert Voter.objects.get(pk=voter.pk).is_listed and not AmendmentBatch.objects.exists()


def test_ineligible_person_cannot_be_added(published, clerk):
    voter = register.register_voter(by=clerk, voter=new_voter(published, capacity_ok=False), today=AFTER)
    with pytest.raises(ValidationError) as exc:
        register.list_voter(by=clerk, voter=voter, amendment=Amendment(effective_on=AFTER, reason="补登"), today=AFTER)
    assert codes(exc.value) == ["not_eligible"]


def test_listed_voter_cannot_be_added_twice(published, clerk):
    voter = Voter.objects.get(name="王建国")
    with pytest.raises(ValidationError) as exc:
        register.list_voter(by=clerk, voter=voter, amendment=Amendment(effective_on=AFTER, reason="补登"), today=AFTER)
    assert codes(exc.value) == ["already_listed"]


def test_changes_need_a_published_list(election_a, clerk):
    voter = make_voter(election=election_a)
    with pytest.raises(ValidationError) as exc:
        register.unlist_voter(by=clerk, voter=voter, amendment=Amendment(effective_on=TODAY, reason="死亡"), today=TODAY)
    assert codes(exc.value) == ["not_published"]


def test_register_is_closed_after_voting(election_a, clerk):
    election_a.stage = "handover"
    election_a.save(update_fields=["stage"])
    with pytest.raises(ValidationError) as exc:
        register.register_voter(by=clerk, voter=new_voter(election_a), today=TODAY)
    assert codes(exc.value) == ["stage_closed"]


def test_publishing_a_batch_records_the_day(published, clerk):
    batch = register.unlist_voter(
        by=clerk, voter=Voter.objects.get(name="王建国"), amendment=Amendment(effective_on=AFTER, reason="死亡"), today=AFTER
    )
    register.publish_amendment(by=clerk, batch=batch, published_on=AFTER, today=AFTER)
    assert AmendmentBatch.objects.get().published_on == AFTER
    with pytest.raises(ValidationError) as exc:
        register.publish_amendment(by=clerk, batch=batch, published_on=AFTER, today=AFTER)
    assert codes(exc.value) == ["batch_already_published"]


def test_change_reason_must_point_the_right_way(election_a, clerk):
    voter = make_voter(election=election_a)
    register.record_change_reason(by=clerk, voter=voter, election=election_a, reason_code="ADD_MOVED_IN")
    assert Voter.objects.get(pk=voter.pk).change_reason == "ADD_MOVED_IN"
    with pytest.raises(ValidationError) as exc:
        register.record_change_reason(by=clerk, voter=voter, election=election_a, reason_code="REM_DEAD")
    assert codes(exc.value) == ["reason_code_direction"]


def test_change_reason_only_for_the_same_village(election_a, election_b, clerk):
    other = make_voter(election=election_b)
    with pytest.raises(ValidationError) as exc:
        register.record_change_reason(by=clerk, voter=other, election=election_a, reason_code="ADD_MOVED_IN")
    assert codes(exc.value) == ["not_same_village"]


def test_election_day_default_is_the_builders_day(election_a):
    assert election_a.election_day == ELECTION_DAY
