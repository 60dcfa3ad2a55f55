"""The access chokepoint: every view and every export fetches scoped objects through here.

Rules (DOMAIN.md "Who uses it"; STYLE.md §18–§19):
- a 系统管理员 sees everything;
- 乡镇选举办工作人员 see and change every village of their township;
- a 村联络员 sees and changes the voters, nominations and tallies of the villages assigned to them,
  and nothing else; election setup is read-only for them;
- a 督导 reads their township, or their whole county when a county is set, and changes nothing;
- a 县选举办工作人员 reads the whole county like a county 督导 and changes nothing of the village
  committee elections; they run the county's 人大 rounds (see "人大 rounds and their 选区" below);
- full ID numbers are shown only to those who may change a village's register (``can_see_full_id``);
  everywhere else they are masked.

Another village's object is a 404, so its existence never leaks; a read-only role asking to change
something visible to it gets a 403 (PermissionDenied). Anonymous users never get here:
``LoginRequiredMiddleware`` sends them to the login page.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import (
    AuditEntry,
    Campaign,
    Constituency,
    Election,
    ElectionType,
    Level,
    Role,
    Township,
    User,
    Village,
    VillageAssignment,
)

NOT_FOUND = "未找到该记录，或您无权查看。"
READ_ONLY = "您的角色只能查看，不能修改。"
SETUP_ONLY = "只有乡镇选举办工作人员可以修改选举设置。"
ADMIN_ONLY = "只有系统管理员可以进行此操作。"
DEPUTY_SETUP_ONLY = "只有县选举办工作人员或本乡镇选举办工作人员（乡级选举）可以修改人大代表选举的设置。"
DISTRICT_WORK_ONLY = "选区的选民登记、提名和计票由县选举办或选区所在乡镇的选举办工作人员办理。"
# Roles that read a whole county when ``User.county`` is set.
COUNTY_READERS = (Role.SUPERVISOR, Role.COUNTY_OFFICE)
CERTIFIED = "该村选举结果已认定，选民、候选人、计票和结果均已锁定，不能修改。如确需修改，请申请解锁。"
CERTIFIED_DISTRICT = "该选区选举结果已认定，选民、候选人、计票和结果均已锁定，不能修改。如确需修改，请申请解锁。"


def townships_visible_to(user: User) -> QuerySet[Township]:
    """The townships whose pages ``user`` may read."""
    if user.role == Role.ADMIN:
        return Township.objects.all()
    if user.role in COUNTY_READERS and user.county_id:
        return Township.objects.filter(county_id=user.county_id)
    if user.role == Role.LIAISON:
        return Township.objects.filter(villages__assignments__user=user).distinct()
    return Township.objects.filter(pk=user.township_id)


def villages_visible_to(user: User) -> QuerySet[Village]:
    """The villages whose records ``user`` may read."""
    if user.role == Role.ADMIN:
        return Village.objects.all()
    if user.role == Role.LIAISON:
        return Village.objects.filter(assignments__user=user)
    if user.role in COUNTY_READERS and user.county_id:
        return Village.objects.filter(township__county_id=user.county_id)
    return Village.objects.filter(township_id=user.township_id)


# The township rounds with one election per village: the village committee's and the village Party organisations'.
VILLAGE_ROUND_KINDS = (ElectionType.VILLAGE_COMMITTEE, ElectionType.PARTY_BRANCH)


def campaigns_visible_to(user: User, kinds=(ElectionType.VILLAGE_COMMITTEE,)) -> QuerySet[Campaign]:
    """The village committee rounds ``user`` may read, or those of ``kinds`` (人大 rounds:
    ``deputy_rounds_visible_to``)."""
    return Campaign.objects.filter(election_type__in=kinds, township__in=townships_visible_to(user))


def elections_visible_to(user: User) -> QuerySet[Election]:
    """The elections ``user`` may read: a village's election with its village, a 选区's election with
    its district (``districts_visible_to``), a Party congress unit's with one of its organisations' villages."""
    from .models import PartyElectoralUnit

    units = PartyElectoralUnit.objects.filter(organisations__village__in=villages_visible_to(user)).values("pk")
    return Election.objects.filter(
        Q(village__in=villages_visible_to(user)) | Q(district__in=districts_visible_to(user)) | Q(party_unit__in=units)
    )


def check_election_write(user: User, election: Election, *, setup: bool = False) -> None:
    """Raise PermissionDenied unless ``user`` may change ``election``'s records (``setup``: its setup).

    A village's election follows ``check_write``. A 选区's election is worked by the office that runs
    its round and by the election office of the township it lies in, which does the groundwork of the
    county-level districts in its area too (registration, nominations, polling, tallies): a
    系统管理员, a 县选举办工作人员 of its county, a 乡镇选举办工作人员 of its township. A 村联络员 and a
    督导 read it."""
    if not election.is_district:
        check_write(user, setup=setup)
        return
    if user.role == Role.ADMIN:
        return
    if user.role == Role.COUNTY_OFFICE and user.county_id and election.campaign.county_id == user.county_id:
        return
    if user.role == Role.CLERK and user.township_id and election.township_id == user.township_id:
        return
    raise PermissionDenied(READ_ONLY if user.role in (Role.SUPERVISOR, Role.COUNTY_OFFICE) else DISTRICT_WORK_ONLY)


def can_write_election(user: User, election: Election, *, setup: bool = False) -> bool:
    try:
        check_election_write(user, election, setup=setup)
    except PermissionDenied:
        return False
    return True


def audit_entries_visible_to(user: User) -> QuerySet[AuditEntry]:
    """Audit entries of the villages (and, for township-wide readers, townships) ``user`` may see."""
    entries = AuditEntry.objects.all()
    if user.role == Role.ADMIN:
        return entries
    villages = villages_visible_to(user)
    if user.role == Role.LIAISON:
        return entries.filter(village__in=villages)
    return entries.filter(Q(village__in=villages) | Q(village__isnull=True, township__in=townships_visible_to(user)))


def history_visible_to(user: User, obj) -> bool:
    """Whether ``user`` may read ``obj``'s change history, by the same rule as its audit entries: the
    village of its audit scope for everyone; a township-level object for township-wide readers only;
    an object with no scope for administrators only."""
    if user.role == Role.ADMIN:
        return True
    if isinstance(obj, Election) and obj.is_district:  # a 选区's election: whoever reads it
        return elections_visible_to(user).filter(pk=obj.pk).exists()
    scope = getattr(obj, "audit_scope", None)
    township_id, village_id = scope() if scope else (None, None)
    if village_id is not None:
        return villages_visible_to(user).filter(pk=village_id).exists()
    if township_id is not None and user.role != Role.LIAISON:
        return townships_visible_to(user).filter(pk=township_id).exists()
    return False


def check_write(user: User, *, setup: bool = False) -> None:
    """Raise PermissionDenied unless ``user`` may change records (``setup``: election setup)."""
    if user.role in (Role.SUPERVISOR, Role.COUNTY_OFFICE):
        raise PermissionDenied(READ_ONLY)
    if setup and user.role == Role.LIAISON:
        raise PermissionDenied(SETUP_ONLY)


def can_write(user: User, *, setup: bool = False) -> bool:
    try:
        check_write(user, setup=setup)
    except PermissionDenied:
        return False
    return True


def can_see_full_id(user: User, village: Village | Election) -> bool:
    """Whether ``user`` may see the full 18-digit 公民身份号码 of the people of ``village``.

    True only for those who keep that village's register, i.e. who have write access to it: a
    系统管理员, a 乡镇选举办工作人员 of its township, a 村联络员 assigned to it. False for a 督导 and
    everyone else. Certification does not change the answer: it locks writes, not who keeps the register.

    Where full numbers appear, and only for these users:
    - the voter edit form (``voters:voter-edit``, reached only with write access) and the voter's
      detail page (``voters:voter-detail``, through ``voters.idnumber.shown_id_number``);
    - the preview of a voter-list import (``voters:import-detail``: e.g. a legacy 15-digit number's
      18-digit form) and the annotated workbook (``voters:import-annotated``). That workbook is the
      uploaded file itself with error notes, so it keeps the numbers as typed; both views require
      write access to the village, like the upload.
    It also decides whether the voter-list search may match the beginning of a number: a user who may
    not see full numbers finds a person only by the whole number, so digits cannot be guessed one by one.

    Every other place masks numbers for everyone, whatever the role (``voters.idnumber.mask_id_number``,
    e.g. ``330102********1234``): every list page (voters, 四增四减, candidates, write-in rulings,
    rosters), the published list and every other PDF, every workbook export, the reports, the audit
    log, its Excel export and object history, form choice labels and error messages.
    """
    if isinstance(village, Election):  # an election's register: its village's, or its 选区's keepers
        if village.is_district:
            return can_write_election(user, village)
        if village.party_unit_id:  # a Party congress unit's: its township's office, its villages' liaisons
            return _keeps_party_unit(user, village)
        village = village.village
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.CLERK:
        return user.township_id is not None and village.township_id == user.township_id
    if user.role == Role.LIAISON:
        return VillageAssignment.objects.filter(user=user, village=village).exists()
    return False


def _keeps_party_unit(user: User, election: Election) -> bool:
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.CLERK:
        return user.township_id is not None and election.campaign.township_id == user.township_id
    if user.role == Role.LIAISON:
        return VillageAssignment.objects.filter(user=user, village__in=election.unit_villages()).exists()
    return False


def get_township_for(user: User, pk: int, *, write: bool = False) -> Township:
    """A township ``user`` may see; ``write`` asks for election-office rights over it."""
    township = _get_or_404(townships_visible_to(user), pk)
    if write:
        check_write(user, setup=True)
    return township


def get_village_for(user: User, pk: int, *, write: bool = False, setup: bool = False) -> Village:
    """A village ``user`` may see. ``write``: may change its records; ``setup``: its setup."""
    village = _get_or_404(villages_visible_to(user).select_related("township"), pk)
    if write or setup:
        check_write(user, setup=setup)
    return village


def get_campaign_for(user: User, pk: int, *, write: bool = False) -> Campaign:
    campaign = _get_or_404(campaigns_visible_to(user, VILLAGE_ROUND_KINDS).select_related("township", "preset"), pk)
    if write:
        check_write(user, setup=True)
    return campaign


def get_election_for(
    user: User, pk: int, *, write: bool = False, setup: bool = False, after_certification: bool = False
) -> Election:
    """A village's election ``user`` may see. ``write``: voters, nominations, tallies; ``setup``:
    its day, seats, committee and stage.

    Once its results are certified, every write through any URL is refused here with a clear message,
    before a form is shown. The refusal that counts is ``lock_election_for_write``, which every write
    service calls inside its transaction. Only the steps that follow certification (handover, archive,
    unlock requests) pass ``after_certification=True``.
    """
    election = _get_or_404(elections_visible_to(user).with_places(), pk)
    check_kind_served(election)
    from .middleware import current_election

    if current_election.get() is None:
        current_election.set(election)  # the page's election: its write flags (context_processors)
    if write or setup:
        check_election_write(user, election, setup=setup)
        if not after_certification:
            check_not_certified(election)  # early answer; the services check again under the row lock
    return election


def check_kind_served(election: Election) -> None:
    """Raise ``KindNotServed`` when the page's stage app does not serve the election's kind yet
    (``Kind.stage_apps``; the app is noted by ``villages.middleware.kind_stage_gate``)."""
    from .middleware import KindNotServed, KindPageNotApplicable, current_stage_app

    page = current_stage_app.get()
    if page is None:
        return
    app, view_name = page
    kind = election.campaign.kind
    served = kind.stage_apps
    if app not in served and view_name not in served:
        raise KindNotServed(kind, app, election.pk)
    inapplicable = kind.inapplicable(view_name)
    if inapplicable is not None:
        raise KindPageNotApplicable(kind, inapplicable, election.pk)


class ElectionLocked(PermissionDenied):
    """The election's results are certified: every write to its data is refused (code ``certified``).

    A PermissionDenied, so a view answers 403 with the lock message whether the view's own check or the
    service's check inside its transaction caught it."""

    code = "certified"

    def __init__(self, message: str = CERTIFIED):
        super().__init__(message)
        self.message = message


def check_not_certified(election: Election) -> None:
    """Raise ``ElectionLocked`` when the election's results are certified (locked).

    This reads the object as the caller fetched it: a fast, early answer for pages. The check that
    decides is ``lock_election_for_write``, inside the writing transaction."""
    if election.is_certified:
        raise ElectionLocked(CERTIFIED_DISTRICT if election.is_district else CERTIFIED)


def lock_election_for_write(election: Election | int, *, after_certification: bool = False) -> Election:
    """The election, re-read under a row lock inside the caller's transaction; refused when certified.

    Every write service of voters, candidates, ballots and archive calls this first, inside its
    ``transaction.atomic`` (STYLE.md §10). Certification (``archive.services.certify_results``) takes
    the same row lock, so a write and a certification serialise: a write that started before the
    certification commits first, and one that started after reads the certified row and is refused.
    The lock is checked here, not only when the request starts, because a page may pass the view's
    check a moment before another user certifies. On SQLite ``select_for_update`` is a no-op, but the
    re-read still sees the committed certification (SQLite writers are serialised anyway).
    ``after_certification``: the steps that follow certification (handover, archive, stage moves to
    归档) lock the row without refusing.
    """
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError("lock_election_for_write must run inside transaction.atomic")
    pk = election if isinstance(election, int) else election.pk
    locked = Election.objects.select_for_update(of=("self",)).with_places().get(pk=pk)
    if not after_certification:
        check_not_certified(locked)
    from .extensions import election_written

    election_written(locked)  # the reports' aggregates are brought up to date once this commits
    return locked


def latest_election_of(village_id: int) -> Election | None:
    """The village's election in its latest round: the one whose certification locks the village's
    villager groups, which the certified voter list names. The village committee's rounds only: a Party
    organisation's round (also the village's election) numbers its terms on its own and its register names no
    groups it needs kept."""
    from .kinds.village_committee import CODE

    return (Election.objects.filter(village_id=village_id, campaign__election_type=CODE)
            .order_by("-campaign__term_number", "-pk").first())


def check_groups_unlocked(village: Village) -> None:
    """Raise ``ElectionLocked`` when the village's latest election is certified (early answer for pages)."""
    latest = latest_election_of(village.pk)
    if latest is not None:
        check_not_certified(latest)


# ---------------------------------------------------------------- 人大 rounds and their 选区
# Access follows the electoral unit: a 选区 is seen by whoever sees one of the villages it takes in
# (whole or by villager groups) and by the office of its township and county; it is changed by whoever
# runs its round.


def deputy_rounds_visible_to(user: User) -> QuerySet[Campaign]:
    """The 人大 rounds (both levels) ``user`` may read.

    - 系统管理员: every round;
    - 县选举办工作人员 and a county-wide 督导: every round of their county, county and township level;
    - 乡镇选举办工作人员 and a township 督导: their township's rounds and their county's county-level
      rounds (whose districts lie partly in their township);
    - 村联络员: the rounds that have a district taking in one of their villages.
    """
    rounds = Campaign.objects.of_kind(ElectionType.DEPUTIES)
    if user.role == Role.ADMIN:
        return rounds
    if user.role in COUNTY_READERS and user.county_id:
        return rounds.filter(county_id=user.county_id)
    if user.role == Role.LIAISON:
        districts = Constituency.objects.containing_villages(villages_visible_to(user))
        return rounds.filter(pk__in=districts.values("campaign_id"))
    if user.township_id is None:
        return rounds.none()
    own_county = Township.objects.filter(pk=user.township_id).values("county_id")
    return rounds.filter(Q(township_id=user.township_id) | Q(level=Level.COUNTY, county_id__in=own_county))


def districts_visible_to(user: User) -> QuerySet[Constituency]:
    """The 选区 ``user`` may read.

    - 系统管理员: every district;
    - 县选举办工作人员 and a county-wide 督导: the districts lying in their county;
    - 村联络员: the districts that take in one of their villages, whole or by villager groups;
    - 乡镇选举办工作人员 and a township 督导: the districts lying in their township (both levels).
    """
    if user.role == Role.ADMIN:
        return Constituency.objects.all()
    if user.role in COUNTY_READERS and user.county_id:
        return Constituency.objects.filter(township__county_id=user.county_id)
    if user.role == Role.LIAISON:
        return Constituency.objects.containing_villages(villages_visible_to(user))
    return Constituency.objects.filter(township_id=user.township_id)


def can_run_deputy_round(user: User, campaign: Campaign) -> bool:
    """Whether ``user`` may change the setup of the 人大 round ``campaign`` (seats, committee, 选区).

    - 系统管理员: yes;
    - 县选举办工作人员: the rounds of their county, both levels (the county standing committee leads
      both election committees and appoints their members, Election Law Arts. 9–10);
    - 乡镇选举办工作人员: the township-level round of their own township only;
    - 督导, 村联络员: no.
    """
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.COUNTY_OFFICE:
        return user.county_id is not None and campaign.county_id == user.county_id
    if user.role == Role.CLERK:
        return campaign.level == Level.TOWNSHIP and user.township_id is not None and campaign.township_id == user.township_id
    return False


def check_deputy_round_write(user: User, campaign: Campaign) -> None:
    """Raise PermissionDenied unless ``user`` runs the 人大 round ``campaign``."""
    if not can_run_deputy_round(user, campaign):
        raise PermissionDenied(READ_ONLY if user.role == Role.SUPERVISOR else DEPUTY_SETUP_ONLY)


def get_deputy_round_for(user: User, pk: int, *, write: bool = False) -> Campaign:
    """A 人大 round ``user`` may read (404 otherwise); ``write``: one they run (403 otherwise)."""
    campaign = _get_or_404(deputy_rounds_visible_to(user).select_related("county", "township", "preset"), pk)
    if write:
        check_deputy_round_write(user, campaign)
    return campaign


def get_district_for(user: User, pk: int, *, write: bool = False) -> Constituency:
    """A 选区 ``user`` may read (404 otherwise). ``write``: its round's office (403 otherwise); a
    district kept from before rounds existed is changed by its township's office, as before."""
    related = ("township", "campaign", "campaign__county", "campaign__township")
    district = _get_or_404(districts_visible_to(user).select_related(*related), pk)
    if write and district.campaign_id is None:
        check_write(user, setup=True)
    elif write:
        check_deputy_round_write(user, district.campaign)
    return district


def can_open_deputy_round(user: User) -> bool:
    """Whether ``user`` may open a 人大 round at all: 系统管理员, 县选举办工作人员, and 乡镇选举办工作人员
    (their own township's round only: the form offers no other, and the service checks again)."""
    return user.role in (Role.ADMIN, Role.COUNTY_OFFICE, Role.CLERK)


def deputy_round_create_required(view):
    """Views that open a 人大 round (``can_open_deputy_round``); others get 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_open_deputy_round(request.user):
            raise PermissionDenied(READ_ONLY if request.user.role == Role.SUPERVISOR else DEPUTY_SETUP_ONLY)
        return view(request, *args, **kwargs)

    return wrapped


def get_child_or_404(queryset: QuerySet, pk):
    """An object from ``queryset`` (already scoped through one of the functions above), or 404."""
    return _get_or_404(queryset, pk)


def admin_required(view):
    """Views for the 系统管理员 only (users, townships); others get 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.role != Role.ADMIN:
            raise PermissionDenied(ADMIN_ONLY)
        return view(request, *args, **kwargs)

    return wrapped


def setup_required(view):
    """Views that create setup records not yet tied to a fetched object (e.g. a new round)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        check_write(request.user, setup=True)
        return view(request, *args, **kwargs)

    return wrapped


def _get_or_404(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND) from None
