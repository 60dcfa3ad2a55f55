"""选民资格申诉 (OL §14 ¶2): filing within the window, deciding within days, applying the decision."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.builders import make_election_ready, make_voter, publish_list
from villages.models import AuditEntry
from voters import queries
from voters.models import AmendmentBatch, AmendmentItem, Appeal, Status, Voter
from voters.services import appeals

PUBLISHED = date(2026, 12, 20)


@pytest.fixture
def published(election_a, clerk):
    make_election_ready(election=election_a, by=clerk)
    make_voter(election=election_a, name="王建国", serial=1)
    make_voter(election=election_a, name="王秀兰", sex="F", serial=2)
    publish_list(election=election_a, by=clerk, on=PUBLISHED)
    return election_a


@pytest.fixture
def listed(published):
    return Voter.objects.get(name="王建国")


def file(election, by, **fields):
    values = {"filer_name": "钱一", "kind": Appeal.Kind.WRONGLY_LISTED, "reason": "已迁出本村", "received_on": date(2026, 12, 21)}
    values.update(fields)
    return appeals.file_appeal(by=by, election=election, today=values["received_on"], **values)


def error_codes(exc):
    return sorted(e.code for errors in exc.error_dict.values() for e in errors) if hasattr(exc, "error_dict") else [e.code for e in exc.error_list]


def test_appeal_within_the_window_is_recorded(published, clerk, listed):
    appeal = file(published, clerk, voter=listed, received_on=date(2026, 12, 25))
    assert appeal.subject_name == "王建国"
    assert AuditEntry.objects.for_object(appeal).get().action == "voters.appeal.filed"


def test_appeal_after_the_window_is_refused_in_chinese(published, clerk, listed):
    with pytest.raises(ValidationError) as exc:
        file(published, clerk, voter=listed, received_on=date(2026, 12, 26))
    assert error_codes(exc.value) == ["window_closed"]
    assert "2026年12月25日" in exc.value.message_dict["received_on"][0]
    assert not Appeal.objects.exists()


def test_appeal_before_publication_is_refused(election_a, clerk):
    with pytest.raises(ValidationError) as exc:
        appeals.file_appeal(
            by=clerk, election=election_a, filer_name="钱一", kind="omitted", subject_name="钱二", reason="漏登",
            received_on=date(2026, 12, 10), today=date(2026, 12, 10),
        )  # fmt: skip
    assert error_codes(exc.value) == ["not_published"]


@pytest.mark.parametrize(
    "fields,code",
    [
        ({"kind": Appeal.Kind.OMITTED}, "omitted_needs_subject"),
        ({"kind": Appeal.Kind.WRONGLY_LISTED}, "listed_kind_needs_voter"),
    ],
)
def test_subject_is_required(published, clerk, fields, code):
    with pytest.raises(ValidationError) as exc:
        file(published, clerk, **fields)
    assert error_codes(exc.value) == [code]


def test_omitted_appeal_about_a_listed_voter_is_refused(published, clerk, listed):
    with pytest.raises(ValidationError) as exc:
        file(published, clerk, kind=Appeal.Kind.OMITTED, voter=listed)
    assert error_codes(exc.value) == ["voter_already_listed"]


def test_upheld_wrongly_listed_removes_the_voter_in_a_batch(published, clerk, listed):
    appeal = file(published, clerk, voter=listed)
    appeals.decide_appeal(
        by=clerk, appeal=appeal, decision="upheld", decision_text="经核实已迁出", decided_on=date(2026, 12, 22),
        published_on=date(2026, 12, 22), today=date(2026, 12, 22), expected_version=1, reason_code="REM_MOVED_OUT",
    )  # fmt: skip
    listed.refresh_from_db()
    assert (listed.status, listed.listed_until) == (Status.NOT_REGISTERED, date(2026, 12, 22))
    item = AmendmentItem.objects.get()
    assert (item.change, item.reason_code, item.batch.published_on) == ("remove", "REM_MOVED_OUT", date(2026, 12, 22))
    assert Appeal.objects.get().batch == item.batch


def test_upheld_omission_adds_the_person(published, clerk):
    person = make_voter(election=published, name="钱二", serial=9)  # entered after publication, not listed
    appeal = file(published, clerk, kind=Appeal.Kind.OMITTED, subject_name="钱二")
    appeals.decide_appeal(
        by=clerk, appeal=appeal, decision="upheld", decision_text="户籍在本村，应当登记", decided_on=date(2026, 12, 23),
        today=date(2026, 12, 23), expected_version=1, voter=person, reason_code="ADD_MOVED_IN",
    )  # fmt: skip
    person.refresh_from_db()
    assert (person.listed_from, person.change_reason) == (date(2026, 12, 23), "ADD_MOVED_IN")
    assert Appeal.objects.get().voter == person
    assert Voter.objects.filter(election=published).listed_on(date(2026, 12, 23)).count() == 3


def test_upheld_omission_without_a_person_is_refused(published, clerk):
    appeal = file(published, clerk, kind=Appeal.Kind.OMITTED, subject_name="钱二")
    with pytest.raises(ValidationError) as exc:
        appeals.decide_appeal(
            by=clerk, appeal=appeal, decision="upheld", decision_text="应登记", decided_on=date(2026, 12, 22),
            today=date(2026, 12, 22), expected_version=1,
        )  # fmt: skip
    assert error_codes(exc.value) == ["upheld_needs_person"]
    assert Appeal.objects.get().decided_on is None


def test_rejected_appeal_changes_nothing_on_the_list(published, clerk, listed):
    appeal = file(published, clerk, voter=listed)
    appeals.decide_appeal(
        by=clerk, appeal=appeal, decision="rejected", decision_text="仍在本村居住", decided_on=date(2026, 12, 22),
        today=date(2026, 12, 22), expected_version=1,
    )  # fmt: skip
    assert not AmendmentBatch.objects.exists()
    assert Voter.objects.get(pk=listed.pk).is_listed


def test_appeal_cannot_be_decided_twice(published, clerk, listed):
    appeal = file(published, clerk, voter=listed)
    kwargs = {"decision": "rejected", "decision_text": "理由", "decided_on": date(2026, 12, 22), "today": date(2026, 12, 22)}
    appeals.decide_appeal(by=clerk, appeal=appeal, expected_version=1, **kwargs)
    with pytest.raises(ValidationError) as exc:
        appeals.decide_appeal(by=clerk, appeal=Appeal.objects.get(), expected_version=2, **kwargs)
    assert error_codes(exc.value) == ["already_decided"]


def test_stale_decision_is_a_conflict(published, clerk, listed):
    appeal = file(published, clerk, voter=listed)
    Appeal.objects.filter(pk=appeal.pk).update(version=2)
    with pytest.raises(ValidationError) as exc:
        appeals.decide_appeal(
            by=clerk, appeal=appeal, decision="rejected", decision_text="理由", decided_on=date(2026, 12, 22),
            today=date(2026, 12, 22), expected_version=1,
        )  # fmt: skip
    assert error_codes(exc.value) == ["conflict"]


def test_publishing_the_decision_publishes_its_batch(published, clerk, listed):
    appeal = file(published, clerk, voter=listed)
    appeal = appeals.decide_appeal(
        by=clerk, appeal=appeal, decision="upheld", decision_text="已迁出", decided_on=date(2026, 12, 22),
        today=date(2026, 12, 22), expected_version=1,
    )  # fmt: skip
    appeals.publish_appeal_decision(by=clerk, appeal=appeal, published_on=date(2026, 12, 23), today=date(2026, 12, 23), expected_version=appeal.version)
    assert Appeal.objects.get().decision_published_on == date(2026, 12, 23)
    assert AmendmentBatch.objects.get().published_on == date(2026, 12, 23)


def test_appeal_facts_for_the_calendar(published, clerk, listed):
    assert queries.appeal_facts(published) == {"last_appeal_received_on": None, "appeals_all_decided_on": None}
    first = file(published, clerk, voter=listed, received_on=date(2026, 12, 21))
    file(published, clerk, voter=listed, received_on=date(2026, 12, 24), filer_name="孙二")
    assert queries.appeal_facts(published) == {"last_appeal_received_on": date(2026, 12, 24), "appeals_all_decided_on": None}
    for appeal, day in ((first, date(2026, 12, 23)), (Appeal.objects.get(filer_name="孙二"), date(2026, 12, 25))):
        appeals.decide_appeal(
            by=clerk, appeal=appeal, decision="rejected", decision_text="理由", decided_on=day, today=day, expected_version=1
        )
    assert queries.appeal_facts(published)["appeals_all_decided_on"] == date(2026, 12, 25)


# ---------------------------------------------------------------- pages


def test_overdue_decisions_are_listed_on_the_appeals_page(client, published, clerk, listed, time_machine):
    file(published, clerk, voter=listed, received_on=date(2026, 12, 21))
    time_machine.move_to(date(2026, 12, 26))
    client.force_login(clerk)
    soup = BeautifulSoup(client.get(reverse("voters:appeal-list", args=[published.pk])).content, "html.parser")
    overdue = soup.select_one("#overdue-appeals")
    assert overdue is not None and "2026年12月24日" in overdue.get_text() and "尚未决定" in overdue.get_text()


def test_liaison_files_an_appeal_for_their_village(client, published, liaison_a, listed, time_machine):
    time_machine.move_to(date(2026, 12, 22))
    client.force_login(liaison_a)
    data = {"filer_name": "钱一", "kind": "wrongly_listed", "voter": listed.id_number, "reason": "已迁出", "received_on": "2026-12-22"}
    response = client.post(reverse("voters:appeal-create", args=[published.pk]), data)
    assert response.status_code == 302
    assert Appeal.objects.get().voter == listed


def test_late_appeal_shows_the_chinese_message_and_saves_nothing(client, published, clerk, listed, time_machine):
    time_machine.move_to(date(2026, 12, 27))
    client.force_login(clerk)
    data = {"filer_name": "钱一", "kind": "wrongly_listed", "voter": listed.id_number, "reason": "已迁出", "received_on": "2026-12-26"}
    response = client.post(reverse("voters:appeal-create", args=[published.pk]), data)
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["received_on"]] == ["window_closed"]
    assert "不予受理" in response.content.decode()
    assert not Appeal.objects.exists()


def test_unknown_id_number_is_a_field_error(client, published, clerk, time_machine):
    time_machine.move_to(date(2026, 12, 22))
    client.force_login(clerk)
    data = {"filer_name": "钱一", "kind": "wrongly_listed", "voter": "110101199003070000", "reason": "x", "received_on": "2026-12-22"}
    response = client.post(reverse("voters:appeal-create", args=[published.pk]), data)
    assert [e.code for e in response.context["form"].errors.as_data()["voter"]] == ["voter_not_found"]


def test_liaison_may_not_decide(client, published, clerk, liaison_a, listed):
    appeal = file(published, clerk, voter=listed)
    client.force_login(liaison_a)
    url = reverse("voters:appeal-decide", args=[published.pk, appeal.pk])
    assert client.post(url, {"decision": "upheld", "decision_text": "x", "decided_on": "2026-12-22", "version": 1}).status_code == 403
    assert Appeal.objects.get().decided_on is None


def test_supervisor_may_not_file(client, published, supervisor):
    client.force_login(supervisor)
    assert client.get(reverse("voters:appeal-create", args=[published.pk])).status_code == 403


def test_other_village_liaison_gets_404(client, published, clerk, liaison_b, listed):
    appeal = file(published, clerk, voter=listed)
    client.force_login(liaison_b)
    assert client.get(reverse("voters:appeal-list", args=[published.pk])).status_code == 404
    assert client.get(reverse("voters:appeal-decide", args=[published.pk, appeal.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, published):
    response = client.get(reverse("voters:appeal-list", args=[published.pk]))
    assert response.status_code == 302 and reverse("login") in response.url


def test_upheld_wrong_details_leads_to_the_edit_page_and_links_the_batch(client, published, clerk, listed, time_machine):
    appeal = file(published, clerk, voter=listed, kind=Appeal.Kind.WRONG_DETAILS)
    time_machine.move_to(date(2026, 12, 22))
    client.force_login(clerk)
    response = client.post(
        reverse("voters:appeal-decide", args=[published.pk, appeal.pk]),
        {"decision": "upheld", "decision_text": "出生日期有误", "decided_on": "2026-12-22", "version": 1},
    )
    edit_url = reverse("voters:voter-edit", args=[published.pk, listed.pk])
    assert response.url == f"{edit_url}?appeal={appeal.pk}"
    form = client.get(response.url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update({"name": "王建军", "amendment_reason": "依申诉决定更正姓名", "effective_on": "2026-12-22", "version": listed.version})
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
    data["group"] = listed.group_id
    data = {k: v for k, v in data.items() if v is not False}
    assert client.post(response.url, data).status_code == 302
    assert Appeal.objects.get().batch.items.get().after == {"name": "王建军"}


@pytest.mark.parametrize("count", [2, 6])
def test_appeal_list_query_count_is_constant(client, published, clerk, listed, django_assert_num_queries, count):
    for n in range(count):
        file(published, clerk, voter=listed, filer_name=f"申诉人{n}")
    client.force_login(clerk)
    with django_assert_num_queries(9):
        client.get(reverse("voters:appeal-list", args=[published.pk]))
