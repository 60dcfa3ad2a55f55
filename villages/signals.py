"""Sign-ins, failed sign-ins and sign-outs go to the audit log: a decoupled side effect of Django's
auth signals, the one place we use signals (STYLE.md §38)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import log_action
from .client_address import client_address


@receiver(user_logged_in, dispatch_uid="villages.audit.login")
def record_login(sender, request, user, **kwargs):
    log_action(by=user, action="auth.login", obj=user, changes={"ip": [None, _ip(request)]})


@receiver(user_logged_out, dispatch_uid="villages.audit.logout")
def record_logout(sender, request, user, **kwargs):
    if user is not None and user.is_authenticated:  # signing out without a session logs nothing
        log_action(by=user, action="auth.logout", obj=user, changes={"ip": [None, _ip(request)]})


@receiver(user_login_failed, dispatch_uid="villages.audit.login_failed")
def record_login_failure(sender, credentials, request=None, **kwargs):
    log_action(
        by=None,
        action="auth.login_failed",
        changes={"username": [None, credentials.get("username", "")], "ip": [None, _ip(request)]},
    )


def _ip(request) -> str:
    return client_address(request) if request is not None else ""
