"""Shared pieces of the permission matrix: roles, scopes, expectation tables, the Entry type."""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("anonymous", "admin", "clerk", "liaison", "supervisor")
SCOPES = ("own", "sibling", "foreign")

# Expected status by role, per scope (own, sibling, foreign).
READ = {
    "admin": (200, 200, 200),
    "clerk": (200, 200, 404),
    "liaison": (200, 404, 404),
    "supervisor": (200, 200, 404),
}
SETUP_WRITE = {
    "admin": (200, 200, 200),
    "clerk": (200, 200, 404),
    "liaison": (403, 404, 404),
    "supervisor": (403, 403, 404),
}
# Voters, nominations, tallies: liaison officers change their own villages' records.
DATA_WRITE = {
    "admin": (200, 200, 200),
    "clerk": (200, 200, 404),
    "liaison": (200, 404, 404),
    "supervisor": (403, 403, 404),
}
DATA_POST = {
    "admin": (302, 302, 302),
    "clerk": (302, 302, 404),
    "liaison": (302, 404, 404),
    "supervisor": (403, 403, 404),
}
SETUP_CREATE = {"admin": (200,) * 3, "clerk": (200,) * 3, "liaison": (403,) * 3, "supervisor": (403,) * 3}
ADMIN_ONLY = {"admin": (200,) * 3, "clerk": (403,) * 3, "liaison": (403,) * 3, "supervisor": (403,) * 3}
NOT_LIAISON = {"admin": (200,) * 3, "clerk": (200,) * 3, "liaison": (403,) * 3, "supervisor": (200,) * 3}
ANY_USER = {"admin": (200,) * 3, "clerk": (200,) * 3, "liaison": (200,) * 3, "supervisor": (200,) * 3}
# POST-only actions redirect back after doing (or refusing with a message) what was asked.
SETUP_POST = {
    "admin": (302, 302, 302),
    "clerk": (302, 302, 404),
    "liaison": (403, 404, 404),
    "supervisor": (403, 403, 404),
}


@dataclass
class Entry:
    kwargs: object  # (world, scope) -> dict
    expected: dict
    method: str = "get"


def _village(w, s):
    return {"pk": w[s]["village"].pk}


def _election(w, s):
    return {"pk": w[s]["election"].pk}


def _none(w, s):
    return {}


