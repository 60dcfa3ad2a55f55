"""What a report covers (a village, a township, a county, a city or a province) and who may read it.

Built on the access chokepoint (``villages.access``), with the reports' own rule on top (DOMAIN.md
"Who uses it"): office staff read the reports of their township, supervisors of their township or
county, liaison officers of their own villages only, never of a whole township. A scope outside the
user's area is a 404, like any other object (STYLE.md §19).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from villages.access import NOT_FOUND, townships_visible_to, villages_visible_to
from villages.models import County, Role, Township, User, Village

VILLAGE, TOWNSHIP, COUNTY, CITY, PROVINCE = "village", "township", "county", "city", "province"
KINDS = {VILLAGE: "村", TOWNSHIP: "乡镇", COUNTY: "县（区）", CITY: "市", PROVINCE: "省"}
REGIONS = (CITY, PROVINCE)
PREFIX_DIGITS = {CITY: 4, PROVINCE: 2}


@dataclass(frozen=True)
class Scope:
    kind: str
    code: str
    label: str  # 清河县 / 青山镇 / 青山镇东山村 / 杭州市
    county_id: int | None  # None for a city or a province
    township_id: int | None = None
    village_id: int | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.code}"

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def runs_inline(self) -> bool:
        """A village or a township renders during the request; a county (and above) goes to the task worker."""
        return self.kind in (VILLAGE, TOWNSHIP)

    @property
    def is_region(self) -> bool:
        """A city or a province: its report reads the per-election aggregates (``reports.aggregates``)."""
        return self.kind in REGIONS

    @property
    def county_prefix(self) -> str:
        """The first digits every county code of a city (4) or a province (2) begins with."""
        return self.code[: PREFIX_DIGITS[self.kind]]

    def audit_ids(self) -> tuple[int | None, int | None]:
        return self.township_id, self.village_id


def parse_scope(text: str) -> tuple[str, str]:
    """``"township:330199101"`` → ("township", "330199101"); ValueError for anything else."""
    kind, _, code = (text or "").partition(":")
    if kind not in KINDS or not code.isdigit():
        raise ValueError(f"范围应写作 village:<12位村级代码>、township:<乡镇代码>、county:<县代码>、city:<市代码> 或 "
                         f"province:<省代码>，而不是“{text}”。")
    return kind, code


def region_code(county_code: str, kind: str) -> str:
    """The six-digit code of a county's city (330199 → 330100) or province (→ 330000)."""
    digits = PREFIX_DIGITS[kind]
    return county_code[:digits].ljust(6, "0")


def region_scope(kind: str, code: str, names: dict[str, str]) -> Scope:
    """The scope of a city or a province; unnamed (no ``Region`` row yet), it is shown by its code."""
    label = names.get(code) or f"{KINDS[kind]}（{code}）"
    return Scope(kind, code, label, None)


def report_regions_visible_to(user: User) -> list[Scope]:
    """The cities and provinces whose report ``user`` may read, provinces first (two queries; one
    for a user who reads none): an administrator's every city and province holding a county, a
    region reader's own (a province reader's with its cities)."""
    from .models import Region, RegionReader

    if user.role == Role.ADMIN:
        allowed = None
    elif user.role == Role.SUPERVISOR:
        assignment = RegionReader.objects.filter(user=user).select_related("region").first()
        if assignment is None:
            return []
        allowed = assignment.region.code
    else:
        return []
    counties = County.objects.values_list("code", flat=True)
    if allowed is not None:
        counties = counties.filter(code__startswith=allowed[: 2 if allowed.endswith("0000") else 4])
    codes = sorted(counties)
    names = dict(Region.objects.values_list("code", "name")) if codes else {}
    provinces = sorted({region_code(c, PROVINCE) for c in codes})
    cities = sorted({region_code(c, CITY) for c in codes})
    if allowed is not None and not allowed.endswith("0000"):
        provinces = []
    return [region_scope(PROVINCE, c, names) for c in provinces] + [region_scope(CITY, c, names) for c in cities]


def report_townships_visible_to(user: User) -> QuerySet[Township]:
    """Townships whose whole report ``user`` may read: never a liaison officer's."""
    if user.role == Role.LIAISON:
        return Township.objects.none()
    return townships_visible_to(user)


def report_counties_visible_to(user: User) -> QuerySet[County]:
    """Counties whose report ``user`` may read: an administrator's, or a county supervisor's own."""
    if user.role == Role.ADMIN:
        return County.objects.all()
    if user.role in (Role.SUPERVISOR, Role.COUNTY_OFFICE) and user.county_id:
        return County.objects.filter(pk=user.county_id)
    return County.objects.none()


def get_scope(kind: str, code: str) -> Scope:
    """The scope named by ``kind`` and ``code``, for commands that run without a user; 404 if unknown."""
    if kind in REGIONS:
        return _region(kind, code, County.objects.all())
    return _scope(kind, code, villages=Village.objects.all(), townships=Township.objects.all(),
                  counties=County.objects.all())


def get_scope_for(user: User, kind: str, code: str) -> Scope:
    """The scope ``user`` may read (one query; a city or a province: three), or 404."""
    if kind in REGIONS:
        for scope in report_regions_visible_to(user):
            if scope.kind == kind and scope.code == code:
                return scope
        raise Http404(NOT_FOUND)
    return _scope(kind, code, villages=villages_visible_to(user), townships=report_townships_visible_to(user),
                  counties=report_counties_visible_to(user))


def scopes_for(user: User) -> list[Scope]:
    """Every scope ``user`` may choose, widest first (three queries; five with cities and provinces)."""
    scopes = report_regions_visible_to(user)
    scopes += [Scope(COUNTY, c.code, c.name, c.pk) for c in report_counties_visible_to(user).order_by("code")]
    scopes += [
        Scope(TOWNSHIP, t.code, t.name, t.county_id, t.pk)
        for t in report_townships_visible_to(user).order_by("code")
    ]
    scopes += [
        _village_scope(v) for v in villages_visible_to(user).select_related("township").order_by("code")
    ]
    return scopes


def default_scope_for(user: User) -> Scope | None:
    """The scope a user lands on: a county supervisor's county, office staff's township, a liaison
    officer's only village, a city's or a province's reader's region. None when there is a choice to
    make (an administrator, several villages)."""
    if user.role == Role.SUPERVISOR:
        regions = report_regions_visible_to(user)
        if regions:
            return regions[0]
    if user.role in (Role.SUPERVISOR, Role.COUNTY_OFFICE) and user.county_id:
        county = County.objects.get(pk=user.county_id)
        return Scope(COUNTY, county.code, county.name, county.pk)
    if user.role in (Role.CLERK, Role.SUPERVISOR) and user.township_id:
        township = Township.objects.get(pk=user.township_id)
        return Scope(TOWNSHIP, township.code, township.name, township.county_id, township.pk)
    if user.role == Role.LIAISON:
        villages = list(villages_visible_to(user).select_related("township")[:2])
        if len(villages) == 1:
            return _village_scope(villages[0])
    return None


def scope_filter(user: User) -> Q:
    """Rows tied to a scope (``county``/``township``/``village`` foreign keys, or a city's or a province's
    ``kind`` and ``code``) that ``user`` may read."""
    regions = [(s.kind, s.code) for s in report_regions_visible_to(user)]
    region_rows = Q(pk__in=[])
    for kind, code in regions:
        region_rows |= Q(county__isnull=True, kind=kind, code=code)
    return (
        Q(village__in=villages_visible_to(user))
        | Q(village__isnull=True, township__in=report_townships_visible_to(user))
        | Q(village__isnull=True, township__isnull=True, county__in=report_counties_visible_to(user))
        | region_rows
    )


def _scope(kind, code, *, villages, townships, counties) -> Scope:
    if kind == VILLAGE:
        village = villages.select_related("township").filter(code=code).first()
        if village is not None:
            return _village_scope(village)
    elif kind == TOWNSHIP:
        township = townships.filter(code=code).first()
        if township is not None:
            return Scope(TOWNSHIP, township.code, township.name, township.county_id, township.pk)
    elif kind == COUNTY:
        county = counties.filter(code=code).first()
        if county is not None:
            return Scope(COUNTY, county.code, county.name, county.pk)
    raise Http404(NOT_FOUND)


def _region(kind: str, code: str, counties) -> Scope:
    from .models import Region

    if len(code) == 6 and code == code[: PREFIX_DIGITS[kind]].ljust(6, "0") and (
            counties.filter(code__startswith=code[: PREFIX_DIGITS[kind]]).exists()):
        return region_scope(kind, code, dict(Region.objects.filter(code=code).values_list("code", "name")))
    raise Http404(NOT_FOUND)


def _village_scope(village: Village) -> Scope:
    township = village.township
    return Scope(VILLAGE, village.code, f"{township.name}{village.name}", township.county_id, township.pk, village.pk)


def get_deputy_scope_for(user: User, kind: str, code: str) -> Scope:
    """The scope of a 人大 summary ``user`` may read, or 404: a county as for the village reports
    (administrator, the county's office and supervisor); a township for whoever reads some of its
    districts, a liaison officer included (``reports.deputy_queries`` then keeps only the districts
    taking in their villages)."""
    if kind not in (TOWNSHIP, COUNTY):
        raise Http404(NOT_FOUND)
    return _scope(kind, code, villages=Village.objects.none(), townships=townships_visible_to(user),
                  counties=report_counties_visible_to(user))


def deputy_scopes_for(user: User) -> list[Scope]:
    """The townships and counties whose 人大 summary ``user`` may choose, widest first (two queries)."""
    scopes = [Scope(COUNTY, c.code, c.name, c.pk) for c in report_counties_visible_to(user).order_by("code")]
    return scopes + [Scope(TOWNSHIP, t.code, t.name, t.county_id, t.pk)
                     for t in townships_visible_to(user).order_by("code")]
