"""The certification lock is checked inside every write service's transaction, not only by the page.

A page checks the lock when the request starts; another user may certify the election a moment later,
before the form is saved (a write-in ruling was once saved 3.4 ms after certification). So every write
service of voters, candidates, ballots and archive re-reads the election row under its row lock
(``villages.access.lock_election_for_write``) and refuses a certified one. Each case below calls one
service with a *stale* election object, read before the certification, whose row is now certified: the
service must refuse with the lock's code and write nothing. The list of services is enumerated from the
modules, so a new write service missing from ``CASES`` and ``EXEMPT`` fails
``test_every_write_service_is_covered``.
"""

from __future__ import annotations

import importlib
import inspect
import threading
from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connections, transaction
from django.utils import timezone

from archive import services as archive_services
from ballots.ballot_rules import BallotMarks
from ballots.models import BallotCount, CountedBallot, PollingStation, Round
from candidates.models import Candidate
from tests.builders import make_congress_members, make_voter
from villages.access import CERTIFIED, ElectionLocked, lock_election_for_write
from villages.models import CommitteeMember, Election, VillagerGroup
from voters.models import AmendmentBatch, Appeal, AttendanceExcusal, ImportJob, Proxy, Voter
from voters.services.register import Amendment

DAY = date(2026, 12, 20)

SERVICE_MODULES = [
    "villages.services",
    "villages.party_congress",
    "voters.services.register",
    "voters.services.proxies",
    "voters.services.appeals",
    "voters.services.party",
    "voters.services.imports",
    "candidates.services",
    "candidates.deputy_services",
    "candidates.party_services",
    "candidates.congress_services",
    "ballots.services.stations",
    "ballots.services.rounds",
    "ballots.services.tallies",
    "ballots.services.counting",
    "ballots.services.announcement",
    "ballots.services.party",
    "archive.services",
    "archive.filing",
]

# Writes that are no part of one election's data, or that follow certification by design.
EXEMPT = {
    "villages.services.save_township": "places, not an election's data",
    "villages.services.save_village": "places, not an election's data",
    "villages.services.save_user": "users, not an election's data",
    "villages.services.change_own_password": "users, not an election's data",
    "villages.services.save_county": "places, not an election's data",
    "villages.services.save_preset": "presets are copied into a round when it opens",
    "villages.services.open_campaign": "creates new, uncertified elections",
    "villages.party_congress.open_congress_round": "opens a round; no election yet",
    "villages.party_congress.add_unit": "creates a new, uncertified election",
    "villages.party_congress.set_delegate_total": "the round's total (a campaign field); no election's data changes",
    "villages.party_congress.apply_allocation": "locks every unit election and refuses a certified one "
                                                "(tests/villages/test_party_congress.py)",
    "candidates.congress_services.record_body_vote": "the congress's own vote and its 另行选举 rounds (the round's, no "
                                                     "unit election's data): locks the round's row and refuses a "
                                                     "closed round "
                                                     "(tests/candidates/test_congress_vote.py)",
    "voters.services.imports.end_check_only": "ends a check-only preview (its state); no voter is written",
    "villages.services.close_campaign": "closes the round (a date and a reason on the campaign); no election's data changes",
    "villages.services.advance_stage": "moves on to 工作移交 and 归档 after certification (locks without refusing)",
    "archive.services.certify_results": "the certification itself (takes the same row lock)",
    "archive.services.request_unlock": "asks to reopen a certified result",
    "archive.services.approve_unlock": "reopens a certified result",
    "archive.services.record_handover_item": "the handover follows certification (locks without refusing)",
    "archive.services.complete_handover": "the handover follows certification (locks without refusing)",
    "archive.services.save_complaint": "complaints are received before and after certification",
    "archive.filing.save_retention_rule": "the retention table, not an election's data",
    "archive.filing.request_filing": "files the certified records into the archive",
    "archive.filing.upload_scan": "signed scans arrive after certification",
    "archive.filing.destroy_document": "appraisal and destruction of archived files",
    "voters.services.register.add_to_list": "a step of services that already hold the lock",
    "voters.services.register.record_amendment": "a step of services that already hold the lock",
}


@pytest.fixture
def stale(election_a, clerk):
    """``election_a`` as a page read it, just before another user certified it."""
    Election.objects.filter(pk=election_a.pk).update(certified_at=timezone.now(), certified_by=clerk)
    assert not election_a.is_certified
    return election_a


def _voter(election, serial=0):
    if election.is_party_congress_unit:  # a 选举单位's register: Party members, no villager group
        return make_congress_members(election=election, count=1, start=serial + 1)[0]
    return make_voter(election=election, name=f"张三{serial}", serial=serial)


def _job(election, clerk):
    return ImportJob.objects.create(election=election, uploaded_by=clerk, filename="名单.xlsx", source="imports/x.xlsx",
                                    state=ImportJob.State.PREVIEW)


def _count(election):
    """An unsaved per-ballot count of a stale election: the service must refuse before reading it."""
    return BallotCount(round=Round(election=election), station=PollingStation(election=election))


def _amendment():
    return Amendment(effective_on=DAY, reason="迁出")


# Each builds the keyword arguments of one service from the stale election and the clerk. The lock comes
# first in every service, so the arguments it never reaches may be unsaved objects.
CASES = {
    "candidates.deputy_services.nominate_deputy": lambda e, by: dict(election=e, voter=_voter(e), source="voters_jointly",
                                                                    nominated_on=DAY),
    "candidates.deputy_services.publish_initial_list": lambda e, by: dict(election=e, published_on=DAY, today=DAY),
    "candidates.deputy_services.record_primary": lambda e, by: dict(election=e, held_on=DAY, votes={}),
    "candidates.deputy_services.publish_formal_list": lambda e, by: dict(election=e, published_on=DAY, today=DAY),
    "candidates.congress_services.publish_delegate_candidates": lambda e, by: dict(election=e, entries=[],
                                                                                  published_on=DAY),
    "candidates.party_services.choose_method": lambda e, by: dict(election=e, method="two_ballots", formal_candidates=4),
    "candidates.party_services.record_stage": lambda e, by: dict(election=e, stage="confidence_vote", basis="villagers",
                                                                 electorate=40, held_on=DAY, ballots_issued=40,
                                                                 ballots_returned=39, votes={}),
    "candidates.party_services.record_review": lambda e, by: dict(election=e, reviewed_on=DAY,
                                                                  reviewed_by_body="中共青山镇委员会", decisions={}),
    "candidates.party_services.publish_party_list": lambda e, by: dict(election=e, published_on=DAY, members=[]),
    "villages.services.save_villager_group": lambda e, by: dict(group=VillagerGroup(village=e.village, number=9, name="九组")),
    "villages.services.update_election_setup": lambda e, by: dict(election=e, expected_version=e.version),
    "villages.services.update_party_seats": lambda e, by: dict(election=e, expected_version=e.version),
    "villages.services.record_plan_approval": lambda e, by: dict(election=e, approved_on=date(2026, 10, 8),
                                                                 reference="镇党委批复", today=DAY,
                                                                 expected_version=e.version),
    "villages.services.postpone_election": lambda e, by: dict(election=e, new_day=date(2027, 2, 1), reason="雪灾",
                                                              expected_version=e.version),
    "villages.services.save_committee_member": lambda e, by: dict(member=CommitteeMember(election=e, name="李四", sex="M")),
    "voters.services.register.register_voter": lambda e, by: dict(voter=Voter(election=e, group=e.village.groups.first() if e.village_id else None),
                                                                  today=DAY),
    "voters.services.register.update_voter": lambda e, by: dict(voter=_voter(e), expected_version=1, today=DAY),
    "voters.services.register.list_voter": lambda e, by: dict(voter=_voter(e), amendment=_amendment(), today=DAY),
    "voters.services.register.unlist_voter": lambda e, by: dict(voter=_voter(e), amendment=_amendment(), today=DAY),
    "voters.services.register.record_change_reason": lambda e, by: dict(voter=_voter(e), election=e, reason_code=""),
    "voters.services.register.publish_voter_list": lambda e, by: dict(election=e, published_on=DAY, today=DAY),
    "voters.services.register.carry_forward_register": lambda e, by: dict(election=e, today=DAY),
    "voters.services.register.publish_amendment": lambda e, by: dict(batch=AmendmentBatch(election=e, number=1,
                                                                                          effective_on=DAY),
                                                                     published_on=DAY, today=DAY),
    "voters.services.proxies.register_proxy": lambda e, by: dict(election=e, principal=_voter(e), holder=_voter(e, 1),
                                                                 relation="配偶", authorized_on=DAY, today=DAY),
    "voters.services.proxies.approve_proxy": lambda e, by: dict(proxy=Proxy(election=e), approved_on=DAY, today=DAY),
    "voters.services.proxies.revoke_proxy": lambda e, by: dict(proxy=Proxy(election=e)),
    "voters.services.proxies.publish_proxy_list": lambda e, by: dict(election=e, published_on=DAY, today=DAY),
    "voters.services.party.record_excusal": lambda e, by: dict(
        election=e, member=_voter(e), category="away", facts="外出务工", upper_consent_on=DAY, upper_consent_ref="批复",
        meeting_on=DAY, votes_for=30, today=DAY),
    "voters.services.party.withdraw_excusal": lambda e, by: dict(excusal=AttendanceExcusal(election=e), reason="误录"),
    "voters.services.appeals.file_appeal": lambda e, by: dict(election=e, filer_name="王五", kind="omitted", reason="漏登",
                                                              received_on=DAY, today=DAY, subject_name="王五"),
    "voters.services.appeals.decide_appeal": lambda e, by: dict(appeal=Appeal(election=e), decision="upheld",
                                                                decision_text="成立", decided_on=DAY, today=DAY,
                                                                expected_version=1),
    "voters.services.appeals.publish_appeal_decision": lambda e, by: dict(appeal=Appeal(election=e, decided_on=DAY),
                                                                          published_on=DAY, today=DAY, expected_version=1),
    "voters.services.imports.start_import": lambda e, by: dict(election=e, upload=ContentFile(b"x", name="名单.xlsx"),
                                                               filename="名单.xlsx", background=False),
    "voters.services.imports.confirm_import": lambda e, by: dict(job=_job(e, by)),
    "candidates.services.nominate_candidate": lambda e, by: dict(election=e, voter=_voter(e), post="member",
                                                                 nominated_on=DAY),
    "candidates.services.add_nomination": lambda e, by: dict(candidate=Candidate(election=e), nominator=_voter(e),
                                                             nominated_on=DAY),
    "candidates.services.update_nomination_votes": lambda e, by: dict(candidate=Candidate(election=e), votes=5,
                                                                      expected_version=1),
    "candidates.services.withdraw_candidate": lambda e, by: dict(candidate=Candidate(election=e), withdrawn_on=DAY,
                                                                 reason="本人申请", expected_version=1),
    "candidates.services.publish_candidate_list": lambda e, by: dict(election=e, published_on=DAY, mode="candidates",
                                                                     today=DAY),
    "ballots.services.stations.save_station": lambda e, by: dict(station=PollingStation(election=e, name="中心会场")),
    "ballots.services.stations.create_stations_per_group": lambda e, by: dict(election=e),
    "ballots.services.stations.set_mobile_box_voters": lambda e, by: dict(station=PollingStation(election=e), voters=[]),
    "ballots.services.stations.approve_mobile_box": lambda e, by: dict(station=PollingStation(election=e), on=DAY,
                                                                       document="乡政发〔2026〕1号", today=DAY),
    "ballots.services.stations.save_counting_options": lambda e, by: dict(election=e, double_entry=True,
                                                                          signature_labels=["计票人"],
                                                                          expected_version=None),
    "ballots.services.rounds.open_round": lambda e, by: dict(election=e, kind="first", held_on=DAY, stations=[]),
    "ballots.services.rounds.void_round": lambda e, by: dict(round=Round(election=e), reason="票数多于发出票数"),
    "ballots.services.tallies.record_tally": lambda e, by: dict(round=Round(election=e), station=PollingStation(election=e),
                                                                values=None, confirm=True, expected_version=0),
    "ballots.services.tallies.resolve_double_entry": lambda e, by: dict(round=Round(election=e),
                                                                        station=PollingStation(election=e), choices={},
                                                                        explanations={}, expected_versions=(1, 1)),
    "ballots.services.tallies.rule_write_in": lambda e, by: dict(election=e, name="赵六", voter=None, note="",
                                                                 decided_on=DAY),
    "ballots.services.counting.start_ballot_count": lambda e, by: dict(round=Round(election=e),
                                                                       station=PollingStation(election=e)),
    "ballots.services.counting.add_ballot": lambda e, by: dict(count=_count(e), marks=BallotMarks()),
    "ballots.services.counting.add_ballots": lambda e, by: dict(count=_count(e), ballots=[("k1", BallotMarks())]),
    "ballots.services.counting.withdraw_ballot": lambda e, by: dict(ballot=CountedBallot(count=_count(e), number=1)),
    "ballots.services.counting.finish_ballot_count": lambda e, by: dict(count=_count(e), issued=10),
    "ballots.services.announcement.announce_results": lambda e, by: dict(election=e, on=DAY, today=DAY),
    "ballots.services.party.record_attendance": lambda e, by: dict(round=Round(election=e), present=41),
    "ballots.services.party.decide_shortfall": lambda e, by: dict(election=e, choice="reduce", decided_on=DAY,
                                                                  today=DAY),
    "ballots.services.party.record_post_vote": lambda e, by: dict(election=e, post="secretary", held_on=DAY,
                                                                  returned=5, votes={}, today=DAY),
    "ballots.services.announcement.void_result": lambda e, by: dict(election=e, scope="election", person=None,
                                                                    ground="fraud", decided_by_body="township",
                                                                    document_ref="1号", decided_on=DAY, reason="贿选",
                                                                    today=DAY),
}


def _write_services() -> set[str]:
    names = set()
    for module_name in SERVICE_MODULES:
        module = importlib.import_module(module_name)
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != module_name:
                continue
            parameter = inspect.signature(fn).parameters.get("by")
            if parameter is not None and parameter.kind == inspect.Parameter.KEYWORD_ONLY:
                names.add(f"{module_name}.{name}")
    return names


def _rows() -> dict[str, int]:
    labels = ("villages", "voters", "candidates", "ballots", "archive")
    return {m._meta.label: m._default_manager.count() for label in labels for m in apps.get_app_config(label).get_models()}


def _refused(name: str, election, clerk) -> ElectionLocked:
    """Call the write service ``name`` on ``election`` as its case in ``CASES`` does: it must refuse, the election
    being certified, and write nothing."""
    module_name, _, function_name = name.rpartition(".")
    service = getattr(importlib.import_module(module_name), function_name)
    kwargs = CASES[name](election, clerk)
    before = _rows()
    with pytest.raises(ElectionLocked) as refused:
        service(by=clerk, **kwargs)
    assert refused.value.code == "certified"
    assert _rows() == before
    return refused.value


def test_every_write_service_is_covered():
    assert _write_services() == set(CASES) | set(EXEMPT)


@pytest.mark.parametrize("name", sorted(CASES))
def test_write_service_refuses_an_election_certified_meanwhile(stale, clerk, name):
    assert str(_refused(name, stale, clerk)) == CERTIFIED


def test_certification_and_writes_take_the_same_row_lock(stale, clerk):
    # Certification re-reads the row under the same lock, so a stale page cannot certify twice either.
    with pytest.raises(ValidationError) as refused:
        archive_services.certify_results(by=clerk, election=stale, today=DAY)
    assert refused.value.code == "already_certified"


def test_lock_outside_a_transaction_is_a_programming_error(election_a):
    # Each test runs inside a transaction; a new thread has its own connection, in autocommit, like a
    # service that forgot its transaction.atomic. The check comes before any query.
    raised = []

    def call():
        try:
            lock_election_for_write(election_a)
        except transaction.TransactionManagementError as exc:
            raised.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=call)
    thread.start()
    thread.join()
    assert len(raised) == 1


def test_lock_returns_the_fresh_row(election_a):
    Election.objects.filter(pk=election_a.pk).update(seats_member=4)
    with transaction.atomic():
        assert lock_election_for_write(election_a).seats_member == 4


def test_steps_after_certification_lock_without_refusing(stale):
    with transaction.atomic():
        assert lock_election_for_write(stale, after_certification=True).is_certified


PARTY_SERVICES = sorted(name for name in CASES if name.startswith((
    "candidates.party_services.", "ballots.services.party.", "voters.services.party.")))


@pytest.fixture
def stale_branch(township, village_a, clerk):
    """东山村's 村党组织换届选举 as a page read it, just before another user certified it."""
    from tests.builders import make_party_campaign

    election = make_party_campaign(township=township, by=clerk).elections.get(village=village_a)
    Election.objects.filter(pk=election.pk).update(certified_at=timezone.now(), certified_by=clerk)
    assert election.is_party_branch and not election.is_certified
    return election


def test_every_party_write_service_is_a_case():
    """The Party branch's writes (register, nomination pipeline, 党员大会) are all in ``CASES``."""
    party = {n for n in _write_services() if n.startswith(("candidates.party_services.", "ballots.services.party.",
                                                           "voters.services.party."))}
    assert party == set(PARTY_SERVICES) and len(PARTY_SERVICES) == 9


@pytest.mark.parametrize("name", PARTY_SERVICES)
def test_a_certified_party_election_refuses_every_party_write(stale_branch, clerk, name):
    _refused(name, stale_branch, clerk)


@pytest.fixture
def stale_unit(township, village_a, village_b, clerk):
    """A township Party congress's 选举单位 (its election of delegates) as a page read it, just before another user
    certified it."""
    from tests.builders import preset
    from villages import party_congress
    from villages.models import PartyOrganisation

    campaign = party_congress.open_congress_round(by=clerk, township=township, term_number=10,
                                                  preset=preset("CPC_CONGRESS_2020_NATIONAL"), election_day=DAY)
    election = party_congress.add_unit(by=clerk, campaign=campaign, name="东西联合选举单位",
                                       organisations=list(PartyOrganisation.objects.filter(village__township=township)))
    Election.objects.filter(pk=election.pk).update(certified_at=timezone.now(), certified_by=clerk)
    assert election.is_party_congress_unit and not election.is_certified
    return election



# A 选举单位 (issue 12) has no village: its villager groups are no write of it.
NOT_A_UNITS = {"villages.services.save_villager_group": "a 选举单位 has no village and no villager groups"}


@pytest.mark.parametrize("name", sorted(set(CASES) - set(NOT_A_UNITS)))
def test_a_certified_congress_unit_refuses_every_write(stale_unit, clerk, name):
    """Certification locks a unit's register, delegate candidates, 党员大会 tallies and results: every write service
    (of any kind: a unit's page may be reached by its URL) refuses it. ``apply_allocation`` refuses a certified unit
    too (tests/villages/test_party_congress.py)."""
    _refused(name, stale_unit, clerk)
