"""Site-wide template values: the stage navigation and the user's role flags."""

from .access import can_write


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "can_write": can_write(user),
        "can_setup": can_write(user, setup=True),
        "is_admin_role": user.is_admin_role,
    }
