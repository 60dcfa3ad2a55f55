from .audit import AuditEntry
from .dates import DateException
from .elections import Campaign, CommitteeMember, Election, ElectionType, RulePreset
from .places import Constituency, County, Township, Village, VillagerGroup
from .users import Role, User, VillageAssignment

__all__ = [
    "AuditEntry",
    "Campaign",
    "CommitteeMember",
    "Constituency",
    "DateException",
    "County",
    "Election",
    "ElectionType",
    "Role",
    "RulePreset",
    "Township",
    "User",
    "Village",
    "VillageAssignment",
    "VillagerGroup",
]
