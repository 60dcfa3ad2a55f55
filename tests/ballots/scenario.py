"""The sheets of the ``counting`` fixture's two stations: by default chair 16/4, members 16/13/11 of 20
voters, so the chair and two members are elected in the first round."""

from tests.builders import sheet


def central_sheet(c, *, chair=(10, 2), member=(10, 8, 6), write_ins=None, **overrides):
    """The central meeting's sheet: 12 ballots, all valid, unless overridden."""
    numbers = {"issued": 12, "returned": 12, "valid": 12, "invalid": 0} | overrides
    return sheet(
        **numbers,
        votes={"chair": dict(zip(c.v[0:2], chair, strict=True)), "member": dict(zip(c.v[2:5], member, strict=True))},
        write_ins={"member": write_ins} if write_ins else None,
    )


def group_sheet(c, *, chair=(6, 2), member=(6, 5, 5), **overrides):
    numbers = {"issued": 8, "returned": 8, "valid": 8, "invalid": 0} | overrides
    return sheet(
        **numbers,
        votes={"chair": dict(zip(c.v[0:2], chair, strict=True)), "member": dict(zip(c.v[2:5], member, strict=True))},
    )
