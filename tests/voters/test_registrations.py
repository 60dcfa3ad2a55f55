"""One registration per person across the county's current rounds, and what each role is told
about the other registration (voters/registrations.py; OL §13 ¶3)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.builders import make_campaign, make_id_number, make_township, make_user, make_village, make_voter
from tests.voters import workbooks as wb
from villages import stages
from villages.models import Election, Role, User
from voters.models import ImportJob, Status, Voter
from voters.services import imports as import_service
from voters.services import register

TODAY = date(2026, 11, 20)
BORN = date(1975, 3, 8)
NUMBER = make_id_number(birth_date=BORN, sex="F", serial=7)


@pytest.fixture
def neighbour(db):
    """白云镇, a second township of the same county (清河县), with its own current round."""
    township = make_township(name="白云镇", code="330199102")
    make_village(township=township, name="白云村")
    clerk = make_user(username="baiyun_clerk", role=Role.CLERK, township=township)
    return make_campaign(township=township, by=clerk).elections.get()


@pytest.fixture
def far(other_township, other_village):
    """白水乡 of another county (白河县)."""
    clerk = make_user(username="baishui_clerk", role=Role.CLERK, township=other_township)
    return make_campaign(township=other_township, by=clerk).elections.get()


def new_voter(election, *, name="李秀英", id_number=NUMBER):
    return Voter(election=election, group=election.village.groups.get(number=1), name=name, sex="F",
                 birth_date=BORN, id_number=id_number, category="HUJI_RESIDENT")


def refusal(by, election) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        register.register_voter(by=by, voter=new_voter(election), today=TODAY)
    (error,) = caught.value.error_dict["id_number"]
    assert error.code == "duplicate_id"
    assert not Voter.objects.filter(election=election).exists()
    return error.message


def test_liaison_is_told_whom_to_contact_not_where_nor_who(election_a, election_b, liaison_a):
    make_voter(election=election_b, name="王秀兰", sex="F", birth_date=BORN, serial=7)
    message = refusal(liaison_a, election_a)
    assert "西岭村" not in message and "王秀兰" not in message
    assert "其他村登记" in message and "乡镇选举办公室" in message


def test_office_staff_are_told_the_village_but_not_the_name(election_a, election_b, clerk):
    make_voter(election=election_b, name="王秀兰", sex="F", birth_date=BORN, serial=7)
    message = refusal(clerk, election_a)
    assert "西岭村" in message and "王秀兰" not in message


def test_registered_in_another_township_of_the_county_is_refused(election_a, neighbour, clerk, liaison_a):
    make_voter(election=neighbour, name="王秀兰", sex="F", birth_date=BORN, serial=7)
    message = refusal(clerk, election_a)
    assert "本县白云镇" in message and "白云镇选举办公室" in message
    assert "白云村" not in message and "王秀兰" not in message  # another township's village stays unseen
    message = refusal(liaison_a, election_a)
    assert "白云" not in message and "乡镇选举办公室" in message


def test_an_edit_is_refused_too(election_a, neighbour, clerk):
    voter = register.register_voter(by=clerk, voter=new_voter(election_a, id_number=make_id_number(
        birth_date=BORN, sex="F", serial=9)), today=TODAY)
    make_voter(election=neighbour, name="王秀兰", sex="F", birth_date=BORN, serial=7)
    voter.id_number = NUMBER
    with pytest.raises(ValidationError) as caught:
        register.update_voter(by=clerk, voter=voter, expected_version=voter.version, today=TODAY)
    assert [e.code for e in caught.value.error_dict["id_number"]] == ["duplicate_id"]


def test_admin_sees_township_and_village(election_a, neighbour, admin_user):
    make_voter(election=neighbour, name="王秀兰", sex="F", birth_date=BORN, serial=7)
    assert "白云镇白云村" in refusal(admin_user, election_a)


def test_a_finished_round_of_another_township_does_not_count(election_a, neighbour, clerk):
    make_voter(election=neighbour, name="王秀兰", sex="F", birth_date=BORN, serial=7)
    Election.objects.filter(pk=neighbour.pk).update(stage=stages.ARCHIVED)
    assert register.register_voter(by=clerk, voter=new_voter(election_a), today=TODAY).status == Status.REGISTERED


def test_a_round_with_one_village_still_open_counts(election_a, election_b, neighbour):
    """Current until every village election of the round is archived: here the other way round,
    青山镇's voter is kept out of 白云镇 while one of 青山镇's villages is still at work."""
    Election.objects.filter(pk=election_b.pk).update(stage=stages.ARCHIVED)
    make_voter(election=election_a, name="王秀兰", sex="F", birth_date=BORN, serial=7)
    message = refusal(User.objects.get(username="baiyun_clerk"), neighbour)
    assert "本县青山镇" in message and "东山村" not in message
    Election.objects.filter(pk=election_a.pk).update(stage=stages.ARCHIVED)
    assert register.register_voter(by=User.objects.get(username="baiyun_clerk"), voter=new_voter(neighbour),
                                   today=TODAY).status == Status.REGISTERED


def test_another_county_does_not_count(election_a, far, clerk):
    make_voter(election=far, name="王秀兰", sex="F", birth_date=BORN, serial=7)
    assert register.register_voter(by=clerk, voter=new_voter(election_a), today=TODAY).status == Status.REGISTERED


def test_a_person_refused_in_another_township_may_register_here(election_a, neighbour, clerk):
    make_voter(election=neighbour, name="王秀兰", sex="F", birth_date=BORN, serial=7, status="not_registered")
    assert register.register_voter(by=clerk, voter=new_voter(election_a), today=TODAY).status == Status.REGISTERED


def test_writers_lock_the_county_first(election_a, clerk):
    with CaptureQueriesContext(connection) as queries:
        register.register_voter(by=clerk, voter=new_voter(election_a), today=TODAY)
    county = [i for i, q in enumerate(queries.captured_queries) if '"villages_county"' in q["sql"]]
    inserted = [i for i, q in enumerate(queries.captured_queries) if q["sql"].startswith('INSERT INTO "voters_voter"')]
    assert county and county[0] < inserted[0]
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in queries.captured_queries[county[0]]["sql"]


# ---------------------------------------------------------------- the import


def upload(tmp_path, election, by, people, name="名单.xlsx") -> ImportJob:
    path = wb.voters_workbook(tmp_path / name, people)
    return import_service.start_import(by=by, election=election, upload=ContentFile(path.read_bytes(), name=name),
                                       filename=name)


def test_import_preview_refuses_a_person_registered_in_another_township(tmp_path, election_a, neighbour, clerk):
    person = wb.person(2)
    make_voter(election=neighbour, name="王秀兰", sex="F", birth_date=BORN, serial=7, id_number=person["公民身份号码"])
    job = upload(tmp_path, election_a, clerk, [wb.person(1), person, wb.person(3)])
    errors = [(i["row"], i["code"]) for i in job.issues if i["level"] == "error"]
    assert (job.state, errors) == (ImportJob.State.REJECTED, [(3, "registered_elsewhere")])
    message = job.issues[0]["message"]
    assert "白云" not in message and "王秀兰" not in message and "乡镇选举办公室" in message


def test_import_confirm_rechecks_the_other_townships(tmp_path, election_a, neighbour, clerk):
    people = [wb.person(1), wb.person(2)]
    job = upload(tmp_path, election_a, clerk, people)
    assert job.state == ImportJob.State.PREVIEW
    make_voter(election=neighbour, name="王秀兰", sex="F", birth_date=BORN, serial=7,
               id_number=people[1]["公民身份号码"])
    with pytest.raises(ValidationError) as caught:
        import_service.confirm_import(by=clerk, job=job)
    assert caught.value.code == "conflict"
    job.refresh_from_db()
    assert [(i["row"], i["code"]) for i in job.issues if i["level"] == "error"] == [(3, "taken_meanwhile")]
    assert "白云" not in job.issues[0]["message"]
    assert not Voter.objects.filter(election=election_a).exists()


def test_import_confirm_lists_the_round_s_conflicts_before_the_other_townships(
    tmp_path, election_a, election_b, neighbour, clerk
):
    people = [wb.person(n) for n in range(1, 5)]
    job = upload(tmp_path, election_a, clerk, people)
    make_voter(election=neighbour, name="王秀兰", sex="F", birth_date=BORN, serial=7,
               id_number=people[1]["公民身份号码"])
    make_voter(election=election_b, name="王秀兰", sex="F", birth_date=BORN, serial=8,
               id_number=people[3]["公民身份号码"])
    with pytest.raises(ValidationError):
        import_service.confirm_import(by=clerk, job=job)
    job.refresh_from_db()
    assert [(i["row"], i["code"]) for i in job.issues if i["level"] == "error"] == [
        (5, "taken_meanwhile"), (3, "taken_meanwhile")]
    assert not Voter.objects.filter(election=election_a).exists()
