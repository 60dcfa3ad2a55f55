"""Dates that cannot lie (issue 13): every act × each of its prerequisites, the future, the election day,
and the legal windows — as a table, without the database."""

from datetime import date, timedelta

import pytest

from villages.chronology import ACTS, ERROR, FACT_LABELS, WARNING, check_act
from villages.presets import RuleParameters

D = date(2027, 1, 16)
TODAY = date(2027, 3, 1)
PARAMS = RuleParameters(candidate_list_days_before=5, proxy_publish_days_before=3, runoff_within_days=15)
# A consistent history: every fact on a lawful day.
FACTS = {
    "election_day": D,
    "committee_chosen_on": date(2026, 11, 1),
    "first_registered_on": date(2026, 11, 20),
    "voter_list_published_on": date(2026, 12, 20),
    "candidate_list_published_on": date(2027, 1, 8),
    "round_held_on": D,
    "results_announced_on": D,
    "new_committee_formed_on": D,
}
# A lawful day for each act, given FACTS.
LAWFUL = {
    "campaign_opened": date(2026, 10, 1),
    "committee_chosen": date(2026, 11, 1),
    "voter_list_published": date(2026, 12, 20),
    "candidate_list_published": date(2027, 1, 8),
    "initial_candidate_list_published": date(2027, 1, 3),
    "proxy_list_published": date(2027, 1, 10),
    "first_round_held": D,
    "runoff_held": D + timedelta(days=1),
    "tally_recorded": D,
    "results_announced": D,
    "new_committee_formed": D,
    "handover_completed": D + timedelta(days=5),
}


def codes(findings, level=None):
    return [f.code for f in findings if level is None or f.level == level]


@pytest.mark.parametrize("act", sorted(ACTS))
def test_every_act_on_a_lawful_day_passes(act):
    assert check_act(act, on=LAWFUL[act], facts=FACTS, params=PARAMS, today=TODAY) == []


@pytest.mark.parametrize("act", sorted(a for a in ACTS if not ACTS[a].planned))
def test_no_act_can_be_dated_in_the_future(act):
    findings = check_act(act, on=LAWFUL[act], facts=FACTS, params=PARAMS, today=LAWFUL[act] - timedelta(days=1))
    assert "date_in_future" in codes(findings, ERROR)


PREREQUISITES = [(act, fact) for act in sorted(ACTS) for fact in ACTS[act].after]


@pytest.mark.parametrize("act,fact", PREREQUISITES)
def test_an_act_dated_before_its_prerequisite_is_refused(act, fact):
    facts = {**FACTS, fact: LAWFUL[act] + timedelta(days=1)}
    findings = check_act(act, on=LAWFUL[act], facts=facts, params=PARAMS, today=TODAY)
    assert "before_prerequisite" in codes(findings, ERROR)
    assert FACT_LABELS[fact] in " ".join(f.message for f in findings)


def test_the_table_covers_the_issue_examples():
    # the voter list published before its voters were registered
    early = check_act("voter_list_published", on=date(2026, 11, 10), facts=FACTS, params=PARAMS, today=TODAY)
    assert codes(early) == ["before_prerequisite"]
    # a round of voting opened 28 days before election day: allowed only with a reason
    assert codes(check_act("first_round_held", on=D - timedelta(days=28), facts={**FACTS, "voter_list_published_on": date(2026, 12, 10), "candidate_list_published_on": date(2026, 12, 18)},
                           params=PARAMS, today=TODAY), WARNING) == ["before_legal_window"]
    # tallies entered and results announced before the voting day
    held = {**FACTS, "round_held_on": D}
    assert "before_prerequisite" in codes(check_act("tally_recorded", on=D - timedelta(days=2), facts=held, params=PARAMS, today=TODAY))
    assert "before_election_day" in codes(check_act("results_announced", on=D - timedelta(days=2), facts=held, params=PARAMS, today=TODAY))
    # a campaign whose deadlines had already passed
    late = check_act("campaign_opened", on=D - timedelta(days=10), facts={"election_day": D}, params=PARAMS, today=TODAY)
    assert codes(late, WARNING) == ["after_legal_window"]


@pytest.mark.parametrize("act,latest", [
    ("voter_list_published", D - timedelta(days=20)),
    ("candidate_list_published", D - timedelta(days=5)),
    ("proxy_list_published", D - timedelta(days=3)),
    ("runoff_held", D + timedelta(days=15)),
    ("handover_completed", D + timedelta(days=10)),
])
def test_the_last_lawful_day_passes_and_the_day_after_needs_a_reason(act, latest):
    assert check_act(act, on=latest, facts=FACTS, params=PARAMS, today=TODAY) == []
    findings = check_act(act, on=latest + timedelta(days=1), facts=FACTS, params=PARAMS, today=TODAY)
    assert [(f.code, f.level) for f in findings] == [("after_legal_window", WARNING)]


@pytest.mark.parametrize("act", ["voter_list_published", "candidate_list_published", "committee_chosen"])
def test_acts_before_the_election_cannot_be_on_or_after_it(act):
    findings = check_act(act, on=D, facts=FACTS, params=PARAMS, today=TODAY)
    assert "not_before_election_day" in codes(findings, ERROR)


def test_tally_without_a_vote_is_refused():
    findings = check_act("tally_recorded", on=D, facts={**FACTS, "round_held_on": None}, params=PARAMS, today=TODAY)
    assert codes(findings) == ["prerequisite_missing"]
