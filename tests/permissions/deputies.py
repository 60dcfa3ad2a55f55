"""Matrix entries for 人大 rounds and their 选区 (villages.views.deputies).

Scopes: "own" is the township round of liaison_a's township and its district taking in village_a;
"sibling" is the county round of the same county (rounds) and the township district taking in
village_b (districts); "foreign" is another county's township round and its district. Access follows
the electoral unit: liaison_a reads the county round because its district takes in village_a; a
township clerk runs the township round but only reads the county round; 县选举办工作人员 run both.
"""

from datetime import date

from tests.permissions.matrix import Entry, _none
from villages import deputy_services, services
from villages.models import CommitteeMember, Constituency, DistrictUnit, Election, RulePreset, Township

DAY = date(2026, 11, 15)

ROUND_READ = {
    "admin": (200, 200, 200),
    "clerk": (200, 200, 404),
    "liaison": (200, 200, 404),
    "supervisor": (200, 200, 404),
    "county_office": (200, 200, 404),
}
ROUND_WRITE = {
    "admin": (200, 200, 200),
    "clerk": (200, 403, 404),
    "liaison": (403, 403, 404),
    "supervisor": (403, 403, 404),
    "county_office": (200, 200, 404),
}
DISTRICT_WRITE = {
    "admin": (200, 200, 200),
    "clerk": (200, 200, 404),
    "liaison": (403, 404, 404),
    "supervisor": (403, 403, 404),
    "county_office": (200, 200, 404),
}
DISTRICT_POST = {role: tuple(302 if code == 200 else code for code in codes) for role, codes in DISTRICT_WRITE.items()}
EVERYONE = {role: (200,) * 3 for role in ("admin", "clerk", "liaison", "supervisor", "county_office")}
OPENERS = {"admin": (200,) * 3, "clerk": (200,) * 3, "liaison": (403,) * 3, "supervisor": (403,) * 3, "county_office": (200,) * 3}


def _round(w, s):
    return {"pk": w[s]["npc_round"].pk}


def _district(w, s):
    return {"pk": w[s]["district"].pk}


def _district_election(w, s):
    """The election of the scope's 选区 (created with the district)."""
    return {"pk": Election.objects.get(district=w[s]["district"]).pk}


def _summary_scope(w, s):
    """The 人大 summary (reports.views.deputy_report): "own" is liaison_a's township, "sibling" its
    county, "foreign" another county's township."""
    township = w["own" if s == "sibling" else s]["village"].township
    return {"kind": "county", "code": township.county.code} if s == "sibling" else {"kind": "township",
                                                                                  "code": township.code}


# A township's summary: whoever reads some of its districts (a liaison officer: only theirs); a county's:
# an administrator, the county's office and supervisors.
SUMMARY_READ = {
    "admin": (200, 200, 200),
    "clerk": (200, 404, 404),
    "liaison": (200, 404, 404),
    "supervisor": (200, 404, 404),
    "county_office": (200, 200, 404),
}
SUMMARY_HOME = {"admin": (200,) * 3, "clerk": (302,) * 3, "liaison": (302,) * 3, "supervisor": (302,) * 3,
                "county_office": (302,) * 3}

ENTRIES: dict[str, Entry] = {
    "reports:deputy-report-home": Entry(_none, SUMMARY_HOME),
    "reports:deputy-report": Entry(_summary_scope, SUMMARY_READ),
    "reports:deputy-report-export": Entry(lambda w, s: _summary_scope(w, s) | {"fmt": "xlsx"}, SUMMARY_READ),
    "villages:deputy-round-list": Entry(_none, EVERYONE),
    "villages:deputy-round-create": Entry(_none, OPENERS),
    "villages:deputy-round-detail": Entry(_round, ROUND_READ),
    "villages:deputy-round-plan-pdf": Entry(_round, ROUND_READ),
    "ballots:level-results": Entry(_round, ROUND_READ),
    "ballots:elected-deputies-pdf": Entry(_round, ROUND_READ),
    "villages:deputy-round-seats": Entry(_round, ROUND_WRITE),
    "villages:deputy-committee-member-create": Entry(_round, ROUND_WRITE),
    "villages:deputy-committee-member-edit": Entry(lambda w, s: _round(w, s) | {"member_pk": w[s]["round_member"].pk}, ROUND_WRITE),
    "villages:constituency-list": Entry(_none, EVERYONE),
    "villages:constituency-create": Entry(_round, ROUND_WRITE),
    "villages:constituency-edit": Entry(_district, DISTRICT_WRITE),
    "villages:district-unit-create": Entry(_district, DISTRICT_WRITE),
    "villages:district-unit-edit": Entry(lambda w, s: _district(w, s) | {"unit_pk": w[s]["unit"].pk}, DISTRICT_WRITE),
    # A 选区's election is worked by its township's and county's offices; liaisons of a village in it read it.
    "candidates:deputy-initial-list": Entry(_district_election, DISTRICT_WRITE),
    "candidates:deputy-primary": Entry(_district_election, DISTRICT_WRITE),
    "voters:register-carry-forward": Entry(_district_election, DISTRICT_POST, method="post"),
}


def _township_round(township, by, term=18):
    return deputy_services.open_deputy_round(
        by=by, level="township", county=township.county, township=township, term_number=term,
        preset=RulePreset.objects.get(code="ZHEJIANG_NPC"), default_election_day=DAY,
    )


def extend_world(w, users):
    admin = users["admin"]
    own_township = w["own"]["village"].township
    foreign_township = w["foreign"]["village"].township
    own_round = _township_round(own_township, admin)
    county_round = deputy_services.open_deputy_round(
        by=admin, level="county", county=own_township.county, township=None, term_number=18,
        preset=RulePreset.objects.get(code="ZHEJIANG_NPC"), default_election_day=DAY,
    )
    foreign_round = _township_round(foreign_township, admin)
    w["own"]["npc_round"], w["sibling"]["npc_round"], w["foreign"]["npc_round"] = own_round, county_round, foreign_round
    plan = (("own", own_round, own_township), ("sibling", own_round, own_township), ("foreign", foreign_round, foreign_township))
    for number, (scope, campaign, township) in enumerate(plan, start=1):
        district = deputy_services.save_district(
            by=admin, district=Constituency(campaign=campaign, township=township, number=number, name=f"第{number}选区",
                                            population=1500, deputy_seats=2),
            villages=[w[scope]["village"]], groups=[],
        )
        w[scope]["district"] = district
        w[scope]["unit"] = deputy_services.save_district_unit(
            by=admin, unit=DistrictUnit(district=district, name=f"单位{number}", population=100)
        )
    deputy_services.save_district(
        by=admin, district=Constituency(campaign=county_round, township=own_township, number=1, name="县第1选区",
                                        population=3000, deputy_seats=3),
        villages=[w["own"]["village"], w["sibling"]["village"]], groups=[],
    )
    for scope in ("own", "sibling", "foreign"):
        w[scope]["round_member"] = services.save_committee_member(
            by=admin, member=CommitteeMember(campaign=w[scope]["npc_round"], name="委员", sex="F")
        )
    assert Township.objects.count() >= 2
