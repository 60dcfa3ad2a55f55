"""The Content-Security-Policy header, the templates it relies on, and the client's address behind
a proxy for the sign-in lockout (villages/middleware.py, villages/client_address.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from villages.client_address import client_address
from villages.models import AuditEntry

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# PDF layouts are rendered by WeasyPrint on the server, never served to a browser.
BROWSER_TEMPLATES = sorted(p for p in TEMPLATES.rglob("*.html") if "pdf" not in p.relative_to(TEMPLATES).parts)


def test_every_page_carries_the_policy(client, clerk, election_a):
    for response in (client.get(reverse("login")), client.get("/no-such-page/")):
        assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    client.force_login(clerk)
    policy = client.get(reverse("villages:dashboard"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"


def test_an_empty_setting_sends_no_policy(client, settings):
    settings.CONTENT_SECURITY_POLICY = ""
    assert "Content-Security-Policy" not in client.get(reverse("login"))


@pytest.mark.parametrize("path", BROWSER_TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_have_no_inline_script_handler_or_style(path):
    text = path.read_text()
    soup = BeautifulSoup(text, "html.parser")
    assert [s for s in soup.find_all("script") if not s.get("src")] == []
    assert soup.find_all("style") == []
    assert re.findall(r"\sstyle\s*=", text) == []
    assert re.findall(r"\son[a-z]+\s*=", text) == []


def test_htmx_is_told_not_to_inject_styles_or_evaluate_code(client, db):
    page = BeautifulSoup(client.get(reverse("login")).content.decode(), "html.parser")
    config = json.loads(page.find("meta", attrs={"name": "htmx-config"})["content"])
    assert config == {"includeIndicatorStyles": False, "allowEval": False, "allowScriptTags": False}


@pytest.mark.parametrize(("proxies", "forwarded", "remote", "expected"), [
    (0, "", "10.0.0.9", "10.0.0.9"),
    (0, "1.2.3.4", "10.0.0.9", "10.0.0.9"),  # no proxy configured: the header is the client's word
    (1, "1.2.3.4", "10.0.0.9", "1.2.3.4"),
    (1, "6.6.6.6, 1.2.3.4", "10.0.0.9", "1.2.3.4"),  # the client's own prefix is ignored
    (2, "6.6.6.6, 1.2.3.4, 10.0.0.5", "10.0.0.9", "1.2.3.4"),
    (2, "1.2.3.4", "10.0.0.9", "10.0.0.9"),  # fewer entries than proxies: the request bypassed one
    (1, "not-an-address", "10.0.0.9", "10.0.0.9"),
    (1, "2001:db8::1", "10.0.0.9", "2001:db8::1"),
    (1, "", "10.0.0.9", "10.0.0.9"),
])
def test_client_address_counts_trusted_proxies_from_the_right(settings, proxies, forwarded, remote, expected):
    settings.TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def sign_in(client, password, address):
    return client.post(reverse("login"), {"username": "clerk", "password": password},
                       REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=address)


def test_behind_a_proxy_one_person_cannot_lock_a_user_out_everywhere(client, clerk, settings):
    settings.TRUSTED_PROXIES = 1
    for _ in range(5):
        sign_in(client, "wrong", "6.6.6.6")
    assert sign_in(client, "Test#Pass2026", "6.6.6.6").status_code == 429  # the guesser is locked out
    assert sign_in(client, "Test#Pass2026", "1.2.3.4").status_code == 302  # the clerk's office is not
    failed = AuditEntry.objects.filter(action="auth.login_failed").first()
    assert failed.changes["ip"] == [None, "6.6.6.6"]
