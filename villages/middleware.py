"""Request clean-up and response headers shared by every page.

``strip_nul`` removes NUL characters (U+0000) from every query parameter and form field, names and
values alike. No one types one; a NUL comes from a crafted link or a pasted binary, and PostgreSQL
refuses it in any text it compares or stores ("A string literal cannot contain NUL (0x00)
characters"), so ``?q=%00`` on the village or township search was a server error. Forms keep
Django's own refusal (``ProhibitNullCharactersValidator`` on every CharField) for data that does not
come through a request, such as a management command.
"""

from __future__ import annotations

from contextvars import ContextVar

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


# The stage app (URL namespace) of the page being served, for ``villages.access.get_election_for``.
current_stage_app: ContextVar[tuple[str, str] | None] = ContextVar("current_stage_app", default=None)
# The election the page fetched through ``villages.access.get_election_for`` (the first one), so that the
# template's ``can_write`` / ``can_setup`` are this election's (``villages.context_processors``): a
# 县选举办工作人员 works a 选区's pages, a 乡镇 clerk of another township only reads them.
current_election: ContextVar[object | None] = ContextVar("current_election", default=None)


class KindNotServed(Exception):
    """An election page of a stage app that does not serve the election's kind yet."""

    def __init__(self, kind, app: str, election_pk: int):
        super().__init__(f"{kind.label}: {app}")
        self.kind, self.app, self.election_pk = kind, app, election_pk


class KindPageNotApplicable(Exception):
    """An election page that has no meaning for the election's kind (``Kind.inapplicable_pages``), e.g. the
    proxy votes of a Party election."""

    def __init__(self, kind, page: tuple[str, str], election_pk: int):
        super().__init__(f"{kind.label}: {page[0]}")
        self.kind, self.election_pk = kind, election_pk
        self.title, self.reason = page


def kind_stage_gate(get_response):
    """Middleware: an election page of a stage app that does not serve the election's kind yet
    (``Kind.stage_apps``), or a page that has no meaning for it (``Kind.inapplicable_pages``), answers 409 with a
    Chinese explanation. The page's app is noted here; the
    check itself is made by ``villages.access.get_election_for`` on the election it fetched anyway
    (after the access check, so an election the user may not see stays a 404, and no query is added)."""

    def middleware(request):
        token, election_token = current_stage_app.set(None), current_election.set(None)
        try:
            return get_response(request)
        finally:
            current_stage_app.reset(token)
            current_election.reset(election_token)

    def process_view(request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.route.startswith("elections/<int:pk>/") and match.namespaces:
            current_stage_app.set((match.namespaces[0], match.view_name))
        return None

    def process_exception(request, exception):
        if isinstance(exception, KindPageNotApplicable):
            context = {"kind": exception.kind, "title": exception.title, "reason": exception.reason,
                       "election_pk": exception.election_pk}
            return render(request, "villages/page_not_applicable.html", context, status=409)
        if not isinstance(exception, KindNotServed):
            return None
        context = {
            "kind": exception.kind,
            "app_label": STAGE_APP_LABELS.get(exception.app, exception.app),
            "election_pk": exception.election_pk,
            "served": [STAGE_APP_LABELS[app] for app in STAGE_APP_LABELS if app in exception.kind.stage_apps]
            + [PAGE_LABELS[name] for name in PAGE_LABELS if name in exception.kind.stage_apps],
        }
        return render(request, "villages/kind_not_served.html", context, status=409)

    middleware.process_view = process_view
    middleware.process_exception = process_exception
    return middleware


STAGE_APP_LABELS = {
    "villages": "选举设置",
    "voters": "选民登记",
    "candidates": "候选人提名",
    "ballots": "投票和计票",
    "archive": "结果认定和归档",
}
# Single pages a kind may be served before their whole app (``Kind.stage_apps`` lists them by view name).
PAGE_LABELS = {"ballots:voter-cards-pdf": "选民证"}
