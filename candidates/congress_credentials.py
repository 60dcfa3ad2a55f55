"""代表资格审查: the credentials of a township Party congress's elected delegates, unit by unit (LAW.md §4.2, §4.5):
the unit's 党员大会 had its quorum (实到会 more than 4/5 of 应到会), each delegate was on the unit's formal candidate
list, is a full member with voting rights on its register, and won more than half of the members present. The facts
are the ballots app's rounds and elected rows; the arithmetic is ``villages.kinds.party_rules``.
"""

from __future__ import annotations

from dataclasses import dataclass

from villages.kinds import party_members, party_rules
from villages.models import Campaign
from voters.models import Status

from .models import Candidate, Post

MESSAGES = {
    "no_attendance": "党员大会的应到会、实到会人数尚未登记，无法审查",
    "not_on_list": "{name}不在本选举单位的代表候选人名单中",
    "not_entitled": "{name}不是有选举权的正式党员",
}


@dataclass(frozen=True)
class DelegateCredential:
    unit: str
    name: str
    sex: str
    birth_date: object
    votes: int
    findings: tuple[party_rules.Finding, ...]

    @property
    def valid(self) -> bool:
        return all(f.severity == party_rules.OK for f in self.findings)


@dataclass(frozen=True)
class UnitCredentials:
    election: object
    quorum: party_rules.Finding | None
    delegates: tuple[DelegateCredential, ...]


def _problem(code: str, **data) -> party_rules.Finding:
    return party_rules.Finding(code=code, message=MESSAGES[code].format(**data), severity=party_rules.ERROR, data=data)


def credentials(campaign: Campaign) -> list[UnitCredentials]:
    from ballots.models import ElectedMember  # the results are the ballots app's
    from villages.party_congress import unit_elections

    params = campaign.rules
    on_list = set(Candidate.objects.filter(election__campaign=campaign, post=Post.DEPUTY,
                                           status=Candidate.Status.ON_LIST).values_list("election_id", "voter_id"))
    elected = {}
    for row in (ElectedMember.objects.filter(election__campaign=campaign, election__party_unit__isnull=False,
                                             post=Post.DEPUTY, void_decision__isnull=True)
                .select_related("voter", "round").order_by("-votes", "voter__name")):
        elected.setdefault(row.election_id, []).append(row)
    units = []
    for election in unit_elections(campaign):
        rows = elected.get(election.pk, [])
        round = rows[0].round if rows else None
        known = round is not None and round.present is not None and round.expected_attendance
        quorum = party_rules.quorum(present=round.present, expected=round.expected_attendance, params=params) \
            if known else (_problem("no_attendance") if rows else None)
        delegates = []
        for row in rows:
            voter, found = row.voter, []
            if (election.pk, voter.pk) not in on_list:
                found.append(_problem("not_on_list", name=voter.name))
            if voter.category != party_members.FULL or voter.status != Status.REGISTERED:
                found.append(_problem("not_entitled", name=voter.name))
            if known:
                found.append(party_rules.verdict(name=voter.name, votes=row.votes, present=row.round.present,
                                                 params=params))
            if quorum is not None and quorum.severity != party_rules.OK:
                found.append(quorum)
            delegates.append(DelegateCredential(unit=election.party_unit.name, name=voter.name, sex=voter.get_sex_display(),
                                                birth_date=voter.birth_date, votes=row.votes, findings=tuple(found)))
        units.append(UnitCredentials(election=election, quorum=quorum, delegates=tuple(delegates)))
    return units
