"""张榜公布 (OL §14 ¶1): publish_voter_list, the stage requirements and the publish page."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.builders import make_election_ready, make_voter, publish_list
from villages import stages
from villages.models import AuditEntry, Election
from villages.services import advance_stage
from voters.models import Appeal, Publication, Status, Voter
from voters.services import register

ON_TIME = date(2026, 12, 20)
DEADLINE = date(2026, 12, 27)  # 2027-01-16 − 20 days


@pytest.fixture
def ready(election_a, clerk):
    make_election_ready(election=election_a, by=clerk)
    make_voter(election=election_a, name="王建国", serial=1)
    make_voter(election=election_a, name="王秀兰", sex="F", serial=2)
    make_voter(election=election_a, name="王小明", serial=3, birth_date=date(2010, 1, 1), status=Status.NOT_REGISTERED)
    return Election.objects.get(pk=election_a.pk)


def codes(exc):
    return [e.code for e in exc.error_list]


def test_publication_lists_registered_voters_and_moves_the_stage(ready, clerk):
    publication = register.publish_voter_list(by=clerk, election=ready, published_on=ON_TIME, today=ON_TIME)
    assert publication.registered_count == 2
    assert set(Voter.objects.listed_on(ON_TIME).values_list("name", flat=True)) == {"王建国", "王秀兰"}
    ready.refresh_from_db()
    assert (ready.stage, ready.voter_list_published_on) == (stages.LIST_PUBLISHED, ON_TIME)
    entry = AuditEntry.objects.get(action="voters.list.published")
    assert entry.changes["late"] == [None, False]


def test_publication_logs_each_listed_voter(ready, clerk):
    register.publish_voter_list(by=clerk, election=ready, published_on=ON_TIME, today=ON_TIME)
    for voter in Voter.objects.filter(election=ready):
        entries = AuditEntry.objects.for_object(voter).filter(action="voters.voter.listed")
        if voter.status == Status.REGISTERED:
            assert entries.get().changes == {"listed_from": [None, ON_TIME.isoformat()]}
            assert (entries.get().actor, entries.get().village_id) == (clerk, ready.village_id)
        else:
            assert not entries.exists()


def test_late_publication_needs_a_reason_then_is_accepted_and_flagged_on_the_calendar(ready, clerk):
    from django.core.exceptions import ValidationError

    from villages.models import DateException

    late = date(2026, 12, 28)
    with pytest.raises(ValidationError) as refused:
        register.publish_voter_list(by=clerk, election=ready, published_on=late, today=late)
    assert refused.value.error_list[0].code == "date_needs_reason"
    assert not Publication.objects.exists()
    register.publish_voter_list(by=clerk, election=ready, published_on=late, today=late, date_reason="暴雨推迟张榜")
    assert DateException.objects.get().reason == "暴雨推迟张榜"
    ready.refresh_from_db()
    item = next(i for i in ready.calendar(late) if i.code == "voter_list")
    assert (item.deadline, item.status) == (DEADLINE, "done_late")
    assert AuditEntry.objects.get(action="voters.list.published").changes["late"] == [None, True]


def test_publication_on_the_last_legal_day_is_not_late(ready, clerk):
    register.publish_voter_list(by=clerk, election=ready, published_on=DEADLINE, today=DEADLINE)
    ready.refresh_from_db()
    assert next(i for i in ready.calendar(DEADLINE) if i.code == "voter_list").status == "done"


def test_second_publication_is_refused(ready, clerk):
    publish_list(election=ready, by=clerk)
    with pytest.raises(ValidationError) as exc:
        register.publish_voter_list(by=clerk, election=ready, published_on=ON_TIME, today=ON_TIME)
    assert codes(exc.value) == ["already_published"]


def test_empty_register_cannot_be_published(election_a, clerk):
    make_election_ready(election=election_a, by=clerk)
    with pytest.raises(ValidationError) as exc:
        register.publish_voter_list(by=clerk, election=election_a, published_on=ON_TIME, today=ON_TIME)
    assert codes(exc.value) == ["no_registered_voters"]


@pytest.mark.parametrize(
    "published_on,today,code",
    [(date(2026, 12, 21), ON_TIME, "stage_date_future")],
)
def test_refused_stage_move_leaves_no_publication(ready, clerk, published_on, today, code):
    with pytest.raises(ValidationError) as exc:
        register.publish_voter_list(by=clerk, election=ready, published_on=published_on, today=today)
    assert codes(exc.value) == [code]
    assert not Publication.objects.exists()
    assert not Voter.objects.filter(listed_from__isnull=False).exists()


def test_publication_before_registration_stage_is_refused_and_rolled_back(election_a, clerk):
    make_voter(election=election_a)
    with pytest.raises(ValidationError) as exc:
        register.publish_voter_list(by=clerk, election=election_a, published_on=ON_TIME, today=ON_TIME)
    assert codes(exc.value) == ["stage_not_next"]
    assert not Publication.objects.exists() and not Voter.objects.filter(listed_from__isnull=False).exists()


def test_stage_cannot_move_to_list_published_without_the_publication(ready, clerk):
    items = {i.code: i.ok for i in stages.checklist(ready, stages.LIST_PUBLISHED, ON_TIME)}
    assert items["voters_registered"] is True and items["voter_list_published"] is False
    with pytest.raises(ValidationError) as exc:
        advance_stage(by=clerk, election=ready, target=stages.LIST_PUBLISHED, on=ON_TIME, today=ON_TIME)
    assert codes(exc.value) == ["stage_checklist"]


def test_appeals_closed_needs_every_appeal_decided(ready, clerk):
    publish_list(election=ready, by=clerk)
    appeal = Appeal.objects.create(
        election=ready, filer_name="钱一", kind="omitted", subject_name="钱二", reason="漏登", received_on=date(2026, 12, 21)
    )
    later = date(2027, 1, 2)
    with pytest.raises(ValidationError) as exc:
        advance_stage(by=clerk, election=ready, target=stages.APPEALS_CLOSED, on=None, today=later)
    assert "所有选民资格申诉均已作出决定" in exc.value.messages[0]
    appeal.decided_on, appeal.decision, appeal.decision_text = date(2026, 12, 22), "rejected", "经核实已在他村登记"
    appeal.save()
    advance_stage(by=clerk, election=ready, target=stages.APPEALS_CLOSED, on=None, today=later)


# ---------------------------------------------------------------- the page


def test_clerk_publishes_from_the_page(client, ready, clerk, time_machine):
    time_machine.move_to(date(2026, 12, 28))
    client.force_login(clerk)
    refused = client.post(reverse("voters:publish", args=[ready.pk]), {"published_on": "2026-12-28"})
    assert "请在“日期说明”中写明理由" in refused.content.decode() and not Publication.objects.exists()
    response = client.post(reverse("voters:publish", args=[ready.pk]),
                           {"published_on": "2026-12-28", "date_reason": "村民大会推迟"}, follow=True)
    assert Publication.objects.get().published_on == date(2026, 12, 28)
    texts = [str(m) for m in response.context["messages"]]
    assert any("晚于法定期限" in t and "2026年12月27日" in t for t in texts)


def test_liaison_may_not_publish(client, ready, liaison_a):
    client.force_login(liaison_a)
    response = client.post(reverse("voters:publish", args=[ready.pk]), {"published_on": "2026-12-20"})
    assert response.status_code == 403
    assert not Publication.objects.exists()


def test_other_township_clerk_gets_404(client, ready, other_township):
    from tests.builders import make_user

    client.force_login(make_user(username="far", township=other_township))
    assert client.get(reverse("voters:publish", args=[ready.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, ready):
    response = client.get(reverse("voters:publish", args=[ready.pk]))
    assert response.status_code == 302 and reverse("login") in response.url


def test_bad_date_shows_the_error_and_publishes_nothing(client, ready, clerk, time_machine):
    time_machine.move_to(date(2026, 12, 20))
    client.force_login(clerk)
    response = client.post(reverse("voters:publish", args=[ready.pk]), {"published_on": "2026-12-25"})
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == ["stage_date_future"]
    assert "不能晚于今天" in response.content.decode()
    assert not Publication.objects.exists()
