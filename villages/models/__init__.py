from .audit import AuditEntry
from .dates import DateException
from .deputies import SeatDecision
from .elections import Campaign, CommitteeMember, Election, ElectionType, Level, RulePreset
from .party_congress import PartyElectoralUnit
from .places import Constituency, County, DistrictUnit, PartyOrganisation, Township, Village, VillagerGroup
from .users import Role, User, VillageAssignment

__all__ = [
    "AuditEntry",
    "Campaign",
    "CommitteeMember",
    "Constituency",
    "DateException",
    "County",
    "DistrictUnit",
    "Election",
    "ElectionType",
    "Level",
    "PartyElectoralUnit",
    "PartyOrganisation",
    "Role",
    "RulePreset",
    "SeatDecision",
    "Township",
    "User",
    "Village",
    "VillageAssignment",
    "VillagerGroup",
]
