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
