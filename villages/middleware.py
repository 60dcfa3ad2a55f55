"""Request clean-up and response headers shared by every page.

``strip_nul`` removes NUL characters (U+0000) from every query parameter and form field, names and
values alike. No one types one; a NUL comes from a crafted link or a pasted binary, and PostgreSQL
refuses it in any text it compares or stores ("A string literal cannot contain NUL (0x00)
characters"), so ``?q=%00`` on the village or township search was a server error. Forms keep
Django's own refusal (``ProhibitNullCharactersValidator`` on every CharField) for data that does not
come through a request, such as a management command.
"""

from __future__ import annotations

from django.conf import settings
from django.http import QueryDict
from django.shortcuts import render

NUL = "\x00"


def clean_query_dict(data: QueryDict) -> QueryDict:
    """A mutable-then-frozen copy of ``data`` without NUL characters (the same ``data`` when none)."""
    if not any(NUL in key or any(NUL in value for value in values) for key, values in data.lists()):
        return data
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(key.replace(NUL, ""), [value.replace(NUL, "") for value in values])
    cleaned._mutable = False
    return cleaned


def strip_nul(get_response):
    """Middleware: query parameters and form fields without NUL characters. (An upload's file name
    needs nothing here: Django's multipart parser already drops a NUL from it.)"""

    def middleware(request):
        request.GET = clean_query_dict(request.GET)
        if request.method == "POST":
            request.POST = clean_query_dict(request.POST)
        return get_response(request)

    return middleware


def content_security_policy(get_response):
    """Middleware: the ``Content-Security-Policy`` header of ``settings.CONTENT_SECURITY_POLICY`` on
    every response that has none (empty setting: no header).

    The app serves every script and style itself (Bootstrap and htmx from ``static/``): no inline
    ``<script>``, no ``on…=`` handler, no ``style=`` attribute in the templates, and htmx told not to
    inject its indicator ``<style>`` (``htmx-config`` meta tag in ``base.html``). The report's charts
    are SVG images (``data:`` URIs), so their own styles stay inside the image.
    """

    def middleware(request):
        response = get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response

    return middleware


ELECTION_ROUTE = "elections/<int:pk>/"


def kind_stage_gate(get_response):
    """Middleware: an election page of a stage app that does not serve the election's kind yet
    (``Kind.stage_apps``) answers 409 with a Chinese explanation, before the view runs. Elections the
    user may not see are left to the view (404), so the gate leaks nothing."""

    def middleware(request):
        return get_response(request)

    def process_view(request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not match.route.startswith(ELECTION_ROUTE) or not request.user.is_authenticated:
            return None
        from .access import elections_visible_to
        from .kinds import get_kind

        election = (
            elections_visible_to(request.user).filter(pk=view_kwargs.get("pk")).values("campaign__election_type").first()
        )
        if election is None:
            return None
        kind = get_kind(election["campaign__election_type"])
        app = match.namespaces[0] if match.namespaces else ""
        if app in kind.stage_apps:
            return None
        context = {"kind": kind, "app_label": STAGE_APP_LABELS.get(app, app), "election_pk": view_kwargs.get("pk")}
        return render(request, "villages/kind_not_served.html", context, status=409)

    middleware.process_view = process_view
    return middleware


STAGE_APP_LABELS = {
    "villages": "选举设置",
    "voters": "选民登记",
    "candidates": "候选人提名",
    "ballots": "投票和计票",
    "archive": "结果认定和归档",
}
