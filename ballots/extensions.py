"""What ballots contributes to the setup stage's pages (registered in ``apps.ready``): where the
count stands on the dashboard, the runoff on the legal calendar, announced results on the village
page. Each provider takes the whole list of elections, so pages keep a constant query count."""

from __future__ import annotations

from villages import stages
from villages.extensions import ElectionStatus, shared

from .models import Round
from .queries import announced_members, result_statuses


def _counting(elections) -> list:
    start = stages.stage_index(stages.VOTING)
    return [e for e in elections if stages.stage_index(e.stage) >= start]


def _statuses(counting) -> dict:
    """The result status of each counting election, computed once per page (``villages.extensions.one_pass``)."""
    return shared(("ballots.result_statuses", tuple(sorted(e.pk for e in counting))), lambda: result_statuses(counting))


def election_statuses(elections) -> dict[int, ElectionStatus]:
    result = {}
    for pk, status in _statuses(_counting(elections)).items():
        if status.is_incomplete or status.code in ("invalid", "void"):
            level = "danger"
        elif status.needs_runoff or status.needs_revote:
            level = "warning"
        else:
            level = "success" if status.is_final else "secondary"
        result[pk] = ElectionStatus(label=status.label, detail=status.detail, level=level)
    return result


def calendar_facts(elections) -> dict[int, dict]:
    """Whether a runoff is (or was) needed, and the day it was held."""
    counting = _counting(elections)
    facts = {e.pk: {} for e in counting}
    statuses = _statuses(counting)
    for pk, status in statuses.items():
        if status.needs_runoff:
            facts[pk]["runoff_needed"] = True
    runoffs = Round.objects.filter(election__in=counting, kind=Round.Kind.RUNOFF).values_list(
        "election_id", "held_on", "status"
    )
    for election_id, held_on, status in runoffs:
        facts[election_id]["runoff_needed"] = True
        if status == Round.Status.ANNOUNCED:
            facts[election_id]["runoff_held_on"] = held_on
    return facts


def announced_results_panel(village, user):
    return "ballots/_announced_results.html", {"members": announced_members(village=village)}
