"""Site-wide template values: the stage navigation and the user's role flags."""

from .access import can_write, can_write_election
from .middleware import current_election


def navigation(request):
    """``can_write`` / ``can_setup``: on an election's page, whether the user may change that election
    (a 选区's is worked by its round's offices, ``access.check_election_write``); elsewhere, by role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    election = current_election.get()
    if election is not None and election.is_district:
        may_write, may_setup = can_write_election(user, election), can_write_election(user, election, setup=True)
    else:
        may_write, may_setup = can_write(user), can_write(user, setup=True)
    return {"can_write": may_write, "can_setup": may_setup, "is_admin_role": user.is_admin_role}
