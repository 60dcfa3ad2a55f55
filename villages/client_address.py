"""The address a request came from, for the sign-in lockout (django-axes) and the audit log.

Behind a reverse proxy every request reaches Django from the proxy, so ``REMOTE_ADDR`` is the
proxy's address for everyone; a lockout keyed on it would let one person's five wrong passwords lock
a user name for every office at once. ``settings.TRUSTED_PROXIES`` says how many proxies stand in
front of the app (0: none, the default). Each proxy appends the address it received the request from
to ``X-Forwarded-For``, so with N proxies the client is the N-th address from the right: the one
the outermost proxy saw. Addresses further left were written by the client and are never believed.
Without the header (a request that bypassed the proxies) ``REMOTE_ADDR`` is used.
"""

from __future__ import annotations

from ipaddress import ip_address

from django.conf import settings


def client_address(request) -> str:
    """The client's IP address as ``TRUSTED_PROXIES`` allows it to be known ("" if none)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.TRUSTED_PROXIES
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ip_address(candidate))
    except ValueError:
        return remote
