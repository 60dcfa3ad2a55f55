"""``/healthz`` for the load balancer in front of several nodes (README "Operations")."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .. import health


@login_not_required
@never_cache
@require_safe
def healthz(request):
    """200 with every part ok, else 503: ``{"status": "ok", "database": "ok", "cache": "ok", "storage": "ok"}``.
    Open without signing in and touching no session; it says nothing but ok or failing."""
    parts = health.report()
    healthy = all(parts.values())
    body = {"status": "ok" if healthy else "failing", **{name: "ok" if ok else "failing" for name, ok in parts.items()}}
    return JsonResponse(body, status=200 if healthy else 503)
