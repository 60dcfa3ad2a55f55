"""One registration per person across the county's current rounds (OL §13 ¶3: 已在户籍所在村或者
居住村登记参加选举的村民，不得再参加其他地方村民委员会的选举).

The rule, exactly:

- Two registrations of the same ID number conflict when they are in the same round (``Campaign``,
  one township), whatever their status — the constraint ``voter_one_registration_per_round``; or
- when they are in two rounds of townships of the same county, of the same election type, both
  current, and the other one is registered (a person refused there, 不予登记, may register here).
- A round is current until it is finished: every village election of it has reached 归档
  (``stages.ARCHIVED``). Rounds of another county, or of a finished round, never conflict — a person
  who moved after the last round may register in the next.

Within a round the database enforces the rule. Across rounds it cannot: whether a round is current
depends on the stages of its elections, which a unique constraint cannot see, and a denormalised
"current" flag on every voter would have to be rewritten for a whole round at each archiving (and
would touch the voters table other work is migrating). So the check runs in the service, inside the
transaction that writes, after ``lock_county``: every writer of a registration (the single-voter
form, an import's confirmation) takes the county's row lock first (on SQLite the write transaction
itself is exclusive), so two townships cannot register the same person at the same moment. Lock
order: the election (or the import job), then the county, then voter rows.

Who learns where (the message): another village's voter name is never shown. A township's office
staff who can see the other village are told which village; office staff of another township are
told the township, so they know which office to call; a liaison officer is told only that the person
is registered elsewhere in the round and to contact the township election office. An import's
findings are stored on the job and shown to everyone who keeps that village's register (its liaison
officers included), so they always use the liaison officer's wording.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet

from villages import stages
from villages.access import elections_visible_to, villages_visible_to
from villages.models import Campaign, County, Election, Level, Role, User, Village

from .idnumber import mask_id_number
from .imports import WARNING, Issue
from .models import Status, Voter

MESSAGES = {
    "elsewhere": "该公民身份号码已在本届换届选举的其他村登记，每人只能在一个村登记一次（村民委员会组织法第十三条）。"
                 "请与乡镇选举办公室联系核实。",
    "elsewhere_village": "该公民身份号码已在本届选举的{village}登记，每人只能在一个村登记一次（村民委员会组织法第十三条）。",
    "elsewhere_township": "该公民身份号码已在本县{township}本届换届选举中登记，每人只能在一个村登记一次（村民委员会组织法"
                          "第十三条）。请与{township}选举办公室联系核实。",
    "taken_meanwhile": "预览之后，此公民身份号码已在本届换届选举的其他村登记，不能再在本村登记。请与乡镇选举办公室联系核实。",
    # A 人大 district's register (Election Law Art. 27; ZJ NPC Art. 26: 每一选民只能在一个选区登记).
    "district_elsewhere": "该公民身份号码已在本届人大代表选举的其他选区登记，每一选民只能在一个选区登记（选举法第二十七条）。"
                          "请与乡镇选举办公室联系核实。",
    "district_elsewhere_named": "该公民身份号码已在本届人大代表选举的{unit}登记，每一选民只能在一个选区登记（选举法第二十七条）。",
    "district_taken_meanwhile": "预览之后，此公民身份号码已在本届人大代表选举的其他选区登记，不能再在本选区登记。"
                                "请与乡镇选举办公室联系核实。",
    "group_registers_in_township_district": "{group}属于乡级{district}：县乡两级选举共用一份选民登记，"
                                            "请在该乡级选区登记，本县级选区的选民名单由此生成。",
    "same_person_other_id": "本村已登记的{name}（{sex}，{born}出生）姓名、性别、出生日期与此行相同，但公民身份号码不同"
                            "（{number}）。请核实是否为同一人，避免重复登记。",
}
CHUNK = 2000


def current_rounds_elsewhere(campaign: Campaign) -> QuerySet[Campaign]:
    """The other current rounds of ``campaign``'s county and election type (see the module docstring)."""
    unfinished = Election.objects.filter(campaign=OuterRef("pk")).exclude(stage=stages.ARCHIVED)
    return (Campaign.objects.filter(county_id=campaign.county_id, election_type=campaign.election_type)
            .exclude(pk=campaign.pk)
            .filter(Exists(unfinished)))


def lock_county(election: Election) -> None:
    """Serialise the writers of registrations in ``election``'s county (inside a transaction)."""
    list(County.objects.select_for_update().filter(pk=election.campaign.county_id).values_list("pk"))


def township_district_elections(election: Election) -> QuerySet[Election]:
    """The elections of the township-level 选区 held with ``election``'s county round (same county,
    same election day): they keep the register that the county-level districts read (县乡同步)."""
    return Election.objects.filter(
        district__isnull=False,
        campaign__election_type=election.campaign.election_type,
        campaign__county_id=election.campaign.county_id,
        campaign__level=Level.TOWNSHIP,
        campaign__default_election_day=election.campaign.default_election_day,
    )


def holder_of(election: Election, group) -> Election | None:
    """For a county-level 选区's election: the township-level district election whose register holds
    ``group``'s voters, if a township round held with it takes the group in; None otherwise (e.g. a
    街道, which elects no township deputies: its voters register in the county-level district)."""
    if not (election.is_district and election.campaign.is_county_level):
        return None
    for candidate in township_district_elections(election).select_related("district"):
        if candidate.unit_groups().filter(pk=group.pk).exists():
            return candidate
    return None


def register_groups(election: Election) -> list[tuple[int, str, int, str]]:
    """The villager groups whose people register in ``election`` itself, as (id, name, number, village
    name), ordered: the unit's groups, less, in a county-level 选区, those whose voters register in a
    township-level district held with it (``holder_of``)."""
    groups = list(election.unit_groups().order_by("village__code", "number")
                  .values_list("id", "name", "number", "village__name"))
    if election.is_district and election.campaign.is_county_level:
        held = set()
        for holder in township_district_elections(election).select_related("district"):
            held.update(holder.unit_groups().values_list("pk", flat=True))
        groups = [g for g in groups if g[0] not in held]
    return groups


def import_group_lookups(election: Election) -> tuple[dict[str, int], dict[int, int]]:
    """What an import matches the 村民小组 column against: name → id and number → id. A 选区 that
    takes in groups of several villages knows each group as 村名+组名 (and by its bare name where no
    other village of the district has one of that name); numbers only within one village."""
    groups = register_groups(election)
    villages = {village for *_rest, village in groups}
    if len(villages) <= 1:
        return {name: pk for pk, name, _n, _v in groups}, {number: pk for pk, _name, number, _v in groups}
    names: dict[str, int] = {f"{village}{name}": pk for pk, name, _n, village in groups}
    bare = [name for _pk, name, _n, _v in groups]
    names.update({name: pk for pk, name, _n, _v in groups if bare.count(name) == 1})
    return names, {}


def register_elections(election: Election) -> list[int]:
    """The elections whose registrations make up ``election``'s register: itself; for a county-level
    选区 also the township-level districts held with it (their voters in its groups: ``register_of``)."""
    if not (election.is_district and election.campaign.is_county_level):
        return [election.pk]
    return [election.pk, *township_district_elections(election).values_list("pk", flat=True)]


def register_of(election: Election) -> QuerySet[Voter]:
    """The registrations of ``election``'s voters (one register serves both levels of a 人大 round)."""
    if not (election.is_district and election.campaign.is_county_level):
        return Voter.objects.filter(election=election)
    return Voter.objects.filter(election_id__in=register_elections(election), group__in=election.unit_groups())


def check_registers_here(election: Election, group) -> None:
    """Refuse a registration in a county-level 选区 for a group whose voters register in a township
    district held with it: one register serves both levels."""
    holder = holder_of(election, group)
    if holder is not None:
        raise ValidationError({"group": MESSAGES["group_registers_in_township_district"].format(
            group=f"{group.village.name}{group.name}", district=holder.district)},
            code="group_registers_in_township_district")


def other_registration(election: Election, id_number: str, *, exclude_pk: int | None = None) -> Voter | None:
    """The registration that keeps ``id_number`` out of ``election``: in another village of the
    same round, or registered in another current round of the county; None if there is none."""
    same_round = Voter.objects.filter(campaign_id=election.campaign_id, id_number=id_number)
    other_rounds = Voter.objects.filter(campaign__in=current_rounds_elsewhere(election.campaign),
                                        id_number=id_number, status=Status.REGISTERED)
    for voters in (same_round, other_rounds):
        found = voters.exclude(pk=exclude_pk).select_related(
            "election__village__township", "election__district__township").first()
        if found is not None:
            return found
    return None


def registered_in_other_rounds(election: Election, numbers: Mapping[str, int]) -> dict[str, int]:
    """Of ``numbers`` (ID number → anything), those registered in another current round of the
    county, with the village they are registered in. One query per ``CHUNK`` numbers."""
    rounds = list(current_rounds_elsewhere(election.campaign).values_list("pk", flat=True))
    if not rounds:
        return {}
    keys, found = list(numbers), {}
    for start in range(0, len(keys), CHUNK):
        found.update(Voter.objects.filter(campaign_id__in=rounds, status=Status.REGISTERED,
                                          id_number__in=keys[start:start + CHUNK])
                     .values_list("id_number", "election__village_id"))
    return found


def import_issues(election: Election, rows: Mapping[str, int], *, code: str = "registered_elsewhere") -> list[Issue]:
    """An error on the ID number of each row (``rows``: ID number → Excel row) whose person is
    registered in another current round of the county, in the liaison officer's wording."""
    taken = registered_in_other_rounds(election, rows)
    prefix = "district_" if election.is_district else ""
    text = MESSAGES[prefix + ("taken_meanwhile" if code == "taken_meanwhile" else "elsewhere")]
    return [Issue(rows[number], "id_number", code, text) for number in sorted(taken, key=rows.__getitem__)]


class SamePersonCheck:
    """New rows whose name, sex and birth date match a person already registered in this election under
    another ID number (a mistyped number would register one person twice): a warning each. Rows are
    checked in chunks of ``CHUNK`` with one query each, so memory stays bounded whatever the file's size."""

    def __init__(self, election: Election):
        self.election = election
        self.pending: list[tuple[int, str, str, str, object]] = []  # (row, ID number, name, sex, birth date)
        # Nobody registered when the check begins (a first import): nobody to match, no query per chunk.
        self.nobody = not Voter.objects.filter(election=election).exists()

    def add(self, *, row: int, id_number: str, name: str, sex: str, birth_date) -> list[Issue]:
        if self.nobody:
            return []
        self.pending.append((row, id_number, name, sex, birth_date))
        return self.flush() if len(self.pending) >= CHUNK else []

    def flush(self) -> list[Issue]:
        pending, self.pending = self.pending, []
        if not pending:
            return []
        registered: dict[tuple, list[str]] = {}
        for name, sex, born, number in Voter.objects.filter(
            election=self.election, name__in={p[2] for p in pending}
        ).values_list("name", "sex", "birth_date", "id_number"):
            registered.setdefault((name, sex, born), []).append(number)
        issues = []
        for row, number, name, sex, born in pending:
            others = [n for n in registered.get((name, sex, born), []) if n != number]
            if others:
                issues.append(Issue(row, "id_number", "same_person_other_id", MESSAGES["same_person_other_id"].format(
                    name=name, sex="男" if sex == "M" else "女", born=f"{born:%Y年%m月%d日}",
                    number=mask_id_number(others[0])), WARNING))
        return issues


def message_for(user: User, other: Voter, *, election: Election) -> str:
    """What ``user`` is told about the registration ``other`` that keeps a person out of ``election``."""
    if election.is_district or other.election.is_district:
        if user.role in (Role.ADMIN, Role.CLERK, Role.COUNTY_OFFICE) and elections_visible_to(user).filter(
            pk=other.election_id
        ).exists():
            return MESSAGES["district_elsewhere_named"].format(unit=f"{other.election.township.name}{other.election.unit_name}")
        return MESSAGES["district_elsewhere"]
    village: Village = other.election.village
    if user.role not in (Role.ADMIN, Role.CLERK):
        return MESSAGES["elsewhere"]
    if villages_visible_to(user).filter(pk=village.pk).exists():
        same_township = village.township_id == election.village.township_id
        return MESSAGES["elsewhere_village"].format(village=village.name if same_township
                                                    else f"{village.township.name}{village.name}")
    return MESSAGES["elsewhere_township"].format(township=village.township.name)
