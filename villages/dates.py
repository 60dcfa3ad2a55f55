"""Applying ``villages.chronology`` in the services: refuse impossible dates, and accept a date outside
its legal window only with a written reason, recorded (``DateException``) and logged in the same
transaction as the act."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError

from . import chronology
from .audit import log_action
from .models import Campaign, DateException, Election, User

NEEDS_REASON = "以下日期超出法定期限：{warnings}如确需如此，请在“日期说明”中写明理由后再提交。"


def election_facts(election: Election, **extra) -> dict:
    """The dates an election has recorded, as ``chronology`` names them, plus ``extra`` facts."""
    return {
        "election_day": election.election_day,
        "committee_chosen_on": election.committee_chosen_on,
        "voter_list_published_on": election.voter_list_published_on,
        "candidate_list_published_on": election.candidate_list_published_on,
        "results_announced_on": election.results_announced_on,
        "new_committee_formed_on": election.new_committee_formed_on,
        **extra,
    }


def check_dates(
    *, by: User, act: str, on: date, facts: dict, params, today: date, reason: str = "",
    election: Election | None = None, campaign: Campaign | None = None,
) -> list[chronology.Finding]:
    """Raise on an impossible date; on a date outside the window, raise unless ``reason`` is given, in
    which case the reason is recorded against the act. Returns the warnings accepted."""
    findings = chronology.check_act(act, on=on, facts=facts, params=params, today=today)
    errors = chronology.errors(findings)
    if errors:
        raise ValidationError([ValidationError(f.message, code=f.code) for f in errors])
    warnings = chronology.warnings(findings)
    if not warnings:
        return []
    if not (reason or "").strip():
        text = "".join(f.message for f in warnings)
        raise ValidationError(NEEDS_REASON.format(warnings=text), code="date_needs_reason")
    exception = DateException.objects.create(
        campaign=campaign or election.campaign, election=election, act=act, on=on,
        warnings=[f.message for f in warnings], reason=reason.strip(), recorded_by=by,
    )
    log_action(by=by, action="villages.date.explained", obj=exception,
               changes={"act": [None, chronology.ACTS[act].label], "on": [None, on.isoformat()],
                        "reason": [None, reason.strip()]})
    return warnings
