"""Who sees a full ID number (issue 6): only those who keep the village's register, and only on the
voter's own pages and their own imports; every list, workbook, report and audit view is masked.

The rule is ``villages.access.can_see_full_id``; its branches are tested here, and then every page that
shows people is fetched by each persona with one voter whose number appears nowhere else.
"""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse

from ballots.services.tallies import rule_write_in
from tests.builders import (
    NOMINATION_OPENED_ON,
    make_campaign,
    make_election_ready,
    make_id_number,
    make_nominee,
    make_roster,
    make_user,
    make_voter,
    publish_list,
)
from tests.voters import workbooks as wb
from villages import access, services
from villages.audit import log_action
from villages.models import Role
from voters.idnumber import mask_id_number, shown_id_number
from voters.models import ImportJob, Voter
from voters.services import register

BORN = date(1968, 7, 9)
# A region code no builder uses, so the masked form cannot be some other person's.
FULL_ID = make_id_number(birth_date=BORN, sex="M", serial=123, region="110105")
MASKED_ID = mask_id_number(FULL_ID)
# A legacy 15-digit number typed into an import, and the 18-digit number the preview upgrades it to.
LEGACY_BORN = date(1966, 4, 2)
LEGACY_FULL_ID = make_id_number(birth_date=LEGACY_BORN, sex="M", serial=61, region="110105")
LEGACY_15 = LEGACY_FULL_ID[:6] + LEGACY_FULL_ID[8:17]

PERSONAS = ("admin_user", "clerk", "liaison_a", "liaison_b", "supervisor")

FULL, MASKED, NONE = "full", "masked", "none"  # what the page shows of the number, when it answers 200
WRITERS = {"admin_user": FULL, "clerk": FULL, "liaison_a": FULL, "liaison_b": 404, "supervisor": 403}
READERS_MASKED = {"admin_user": MASKED, "clerk": MASKED, "liaison_a": MASKED, "liaison_b": 404, "supervisor": MASKED}
READERS_NONE = {"admin_user": NONE, "clerk": NONE, "liaison_a": NONE, "liaison_b": 404, "supervisor": NONE}
WRITERS_MASKED = {"admin_user": MASKED, "clerk": MASKED, "liaison_a": MASKED, "liaison_b": 404, "supervisor": 403}
SETUP_MASKED = {"admin_user": MASKED, "clerk": MASKED, "liaison_a": 403, "liaison_b": 404, "supervisor": 403}
AUDIT_MASKED = {"admin_user": MASKED, "clerk": MASKED, "liaison_a": 403, "liaison_b": 403, "supervisor": MASKED}


# ---------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    "persona,village,expected",
    [
        ("admin_user", "village_a", True),
        ("admin_user", "other_village", True),
        ("clerk", "village_a", True),
        ("clerk", "village_b", True),
        ("clerk", "other_village", False),
        ("liaison_a", "village_a", True),
        ("liaison_a", "village_b", False),
        ("supervisor", "village_a", False),
        ("county_supervisor", "village_a", False),
        ("other_clerk", "village_a", False),
        ("other_clerk", "other_village", True),
    ],
)
def test_full_id_only_for_who_keeps_the_villages_register(request, township, other_township, persona, village, expected):
    users = {
        "county_supervisor": lambda: make_user(username="cs", role=Role.SUPERVISOR, county=township.county),
        "other_clerk": lambda: make_user(username="oc", role=Role.CLERK, township=other_township),
    }
    user = users[persona]() if persona in users else request.getfixturevalue(persona)
    assert access.can_see_full_id(user, request.getfixturevalue(village)) is expected


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("village", ["village_a", "village_b", "other_village"])
def test_full_id_exactly_where_the_register_may_be_changed(request, persona, village):
    """The edit form and the import show full numbers behind ``write=True``: the two rules must agree."""
    user, place = request.getfixturevalue(persona), request.getfixturevalue(village)
    try:
        access.get_village_for(user, place.pk, write=True)
    except (Http404, PermissionDenied):
        may_write = False
    else:
        may_write = True
    assert access.can_see_full_id(user, place) is may_write


@pytest.mark.parametrize("full,shown", [(True, FULL_ID), (False, MASKED_ID)])
def test_shown_id_number_is_whole_only_when_allowed(full, shown):
    assert shown_id_number(FULL_ID, full=full) == shown


# ---------------------------------------------------------------- every page, every persona


@pytest.fixture
def nomination_world(clerk, township, village_a, election_a):
    """election_a at 提名候选人 with the voter entered through the real service (so the audit log holds
    the full number, to be masked), the list published, a nominee, a write-in ruling naming the
    voter, a roster listing them and last term's register for 四增四减."""
    make_election_ready(election=election_a, by=clerk)
    voter = register.register_voter(
        by=clerk,
        voter=Voter(election=election_a, group=village_a.groups.get(number=1), name="赵守田", sex="M", birth_date=BORN,
                    id_number=FULL_ID, category="HUJI_RESIDENT"),
        today=date(2026, 12, 10),
    )
    for i in range(1, 4):
        make_voter(election=election_a, name=f"村民{i}", serial=i, birth_date=date(1980, 1, i))
    publish_list(election=election_a, by=clerk, on=date(2026, 12, 20))
    for target in ("appeals_closed", "nomination"):
        services.advance_stage(by=clerk, election=election_a, target=target, on=None, today=NOMINATION_OPENED_ON)
    election_a.refresh_from_db()
    candidate = make_nominee(election=election_a, by=clerk, voter=voter, post="chair")
    rule_write_in(by=clerk, election=election_a, name="赵守天", voter=voter, note="同音误写", decided_on=date(2027, 1, 16))
    roster = make_roster(village=village_a, kind="village_committee", term_number=11, by=clerk,
                         members=[("赵守田", FULL_ID, "M", BORN, "chair")])
    old = make_campaign(township=township, by=clerk, term_number=11, day=date(2021, 12, 18)).elections.get(village=village_a)
    make_voter(election=old, name="赵守田", birth_date=BORN, id_number=FULL_ID)
    make_voter(election=old, name="钱老汉", serial=9, birth_date=date(1930, 1, 1))
    return {"election": election_a, "voter": voter, "candidate": candidate, "roster": roster}


def _election(w):
    return {"pk": w["election"].pk}


def _voter(w):
    return {"pk": w["election"].pk, "voter_pk": w["voter"].pk}


PAGES = {
    "voters:voter-list": (_election, READERS_MASKED),
    "voters:voter-detail": (_voter, {**READERS_MASKED, "admin_user": FULL, "clerk": FULL, "liaison_a": FULL}),
    "voters:voter-edit": (_voter, WRITERS),
    "voters:published-list-xlsx": (_election, READERS_MASKED),
    "voters:register-changes": (_election, READERS_NONE),
    "villages:object-history": (lambda w: {"model": "voters.voter", "pk": w["voter"].pk}, READERS_MASKED),
    "villages:audit-log": (lambda w: {}, AUDIT_MASKED),
    "villages:audit-export": (lambda w: {}, AUDIT_MASKED),
    "candidates:candidate-list": (_election, READERS_NONE),
    "candidates:candidate-create": (_election, WRITERS_MASKED),
    "candidates:candidate-nominations": (  # the nominator form, for those who may record nominators
        lambda w: {**_election(w), "candidate_pk": w["candidate"].pk}, {**READERS_MASKED, "supervisor": NONE}
    ),
    "ballots:write-in-list": (_election, READERS_MASKED),
    "ballots:write-in-rule": (_election, SETUP_MASKED),
    "reports:roster-detail": (lambda w: {"pk": w["roster"].pk}, READERS_MASKED),
}


def shown_text(response) -> str:
    """Everything a user receives: the raw HTML (attributes and hidden inputs included), or every
    cell of every sheet of a workbook."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if not response["Content-Type"].startswith("application/vnd.openxmlformats"):
        return body.decode()
    book = openpyxl.load_workbook(io.BytesIO(body))
    return "\n".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v is not None)


def assert_shows(response, expected, *, full: str = FULL_ID, masked: str = MASKED_ID):
    if isinstance(expected, int):
        assert response.status_code == expected
        assert full not in response.content.decode()
        return
    assert response.status_code == 200
    text = shown_text(response)
    if expected == FULL:
        assert full in text
    elif expected == MASKED:
        assert masked in text and full not in text
    else:
        assert masked not in text and full not in text


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name", PAGES)
def test_page_shows_the_full_id_only_where_the_rule_says(request, client, nomination_world, persona, url_name):
    kwargs, expectations = PAGES[url_name]
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse(url_name, kwargs=kwargs(nomination_world)))
    assert_shows(response, expectations[persona])


# ---------------------------------------------------------------- the import: the uploader's own numbers


@pytest.fixture
def import_job(client, tmp_path, liaison_a, clerk, election_a):
    """liaison_a's upload with a legacy 15-digit number, which the preview shows upgraded to 18 digits."""
    make_election_ready(election=election_a, by=clerk)
    path = wb.voters_workbook(tmp_path / "名单.xlsx", [wb.person(1, 姓名="孙旧号", 出生日期=LEGACY_BORN, 性别="男",
                                                                  公民身份号码=LEGACY_15)])
    client.force_login(liaison_a)
    client.post(reverse("voters:import-upload", args=[election_a.pk]), {"file": SimpleUploadedFile("名单.xlsx", path.read_bytes())})
    client.logout()
    job = ImportJob.objects.get()
    assert "id_legacy_upgraded" in [issue["code"] for issue in job.issues]
    return job


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name", ["voters:import-detail", "voters:import-annotated"])
def test_import_preview_and_annotated_workbook_show_full_ids_to_writers_only(request, client, import_job, persona, url_name):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse(url_name, kwargs={"pk": import_job.election_id, "job_pk": import_job.pk}))
    assert_shows(response, WRITERS[persona], full=LEGACY_FULL_ID, masked=mask_id_number(LEGACY_FULL_ID))


# ---------------------------------------------------------------- the register's pages in detail


def test_register_changes_form_posts_the_voter_not_the_numbers(client, clerk, nomination_world):
    """The 四增四减 reason form once put every ID number of both registers into each hidden input."""
    client.force_login(clerk)
    response = client.get(reverse("voters:register-changes", args=[nomination_world["election"].pk]))
    page = response.content.decode()
    gone = Voter.objects.get(name="钱老汉")
    assert f'name="voter" value="{gone.pk}"' in page
    assert gone.id_number not in page and mask_id_number(gone.id_number) not in page


@pytest.mark.parametrize("persona,finds", [("clerk", True), ("liaison_a", True), ("supervisor", False)])
def test_only_who_may_see_full_ids_may_search_by_the_beginning_of_one(request, client, election_a, persona, finds):
    make_voter(election=election_a, name="赵守田", birth_date=BORN, id_number=FULL_ID)
    client.force_login(request.getfixturevalue(persona))
    url = reverse("voters:voter-list", args=[election_a.pk])
    by_prefix = client.get(url, {"q": FULL_ID[:14]})
    by_number = client.get(url, {"q": FULL_ID})
    assert [v.name for v in by_prefix.context["page"]] == (["赵守田"] if finds else [])
    assert [v.name for v in by_number.context["page"]] == ["赵守田"]


def test_supervisor_cannot_rebuild_a_full_id_from_the_birth_date(client, supervisor, clerk, election_a):
    """The DOMAIN.md mask (first 6 + last 4) hides exactly the birth date: where the number is masked, the
    register and the audit log show the year of birth only, so the number cannot be rebuilt."""
    voter = make_voter(election=election_a, name="赵守田", birth_date=BORN, id_number=FULL_ID)
    log_action(by=clerk, action="voters.voter.updated", obj=voter,
               changes={"birth_date": [None, BORN.isoformat()], "id_number": [None, FULL_ID]})
    client.force_login(supervisor)
    pages = [
        client.get(reverse("voters:voter-list", args=[election_a.pk])).content.decode(),
        client.get(reverse("voters:voter-detail", args=[election_a.pk, voter.pk])).content.decode(),
        client.get(reverse("villages:audit-log")).content.decode(),
    ]
    for page in pages:
        assert f"{BORN.year}年{BORN.month}月{BORN.day}日" not in page and BORN.isoformat() not in page
        assert FULL_ID not in page
    assert f"{BORN.year}年" in pages[0] and f"{BORN.year}年" in pages[1] and f"{BORN.year}-**-**" in pages[2]
    client.force_login(clerk)  # who may see the number sees the date
    assert f"{BORN.year}年{BORN.month}月{BORN.day}日" in client.get(
        reverse("voters:voter-detail", args=[election_a.pk, voter.pk])).content.decode()
