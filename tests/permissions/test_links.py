"""No page shows a link that its reader cannot open (issue 13: "No link to a page the role cannot use").

For each role, a crawl from the dashboard and the own village's election page follows every link
(``<a href>``) of every page it reaches, over the permission matrix's world, and fails on any link that
answers 403 or 404. Documents (PDFs, workbooks) are left out to keep it fast: the matrix checks who
may open them, and the pages that link them are crawled.
"""

from __future__ import annotations

from collections import Counter, deque
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.urls import Resolver404, resolve, reverse

from tests.permissions.test_matrix import world  # noqa: F401 — the matrix's world, as a fixture

PER_NAME = 3  # pages per URL name: enough to meet every kind of link, not every object
DOCUMENT_WORDS = ("pdf", "print", "xlsx", "export", "download", "template", "annotated", "ballot-", "sheet",
                  "index", "card", "certificate", "poster", "notice", "announcement")


def _is_document(name: str) -> bool:
    return any(word in name for word in DOCUMENT_WORDS)


def crawl(client, starts: list[str]) -> list[tuple[str, str, int]]:
    """(page, link, status) for every link that answered 403 or 404."""
    seen, per_name, broken = set(starts), Counter(), []
    queue = deque((None, url) for url in starts)
    while queue:
        source, url = queue.popleft()
        response = client.get(url)
        if response.status_code in (403, 404):
            broken.append((source, url, response.status_code))
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for anchor in BeautifulSoup(response.content.decode(), "html.parser").select("a[href]"):
            href = urlsplit(anchor["href"])
            if href.scheme or href.netloc or not href.path.startswith("/") or href.path.startswith("/admin/"):
                continue
            target = href.path + (f"?{href.query}" if href.query else "")
            try:
                match = resolve(href.path)
            except Resolver404:
                broken.append((url, target, 404))
                continue
            name = match.view_name
            if target in seen or _is_document(name) or per_name[name] >= PER_NAME:
                continue
            seen.add(target)
            per_name[name] += 1
            queue.append((url, target))
    return broken


@pytest.mark.parametrize("role", ["admin", "clerk", "liaison", "supervisor"])
def test_no_page_links_to_a_page_the_role_cannot_open(client, world, role, clerk, liaison_a,  # noqa: F811
                                                      supervisor, admin_user):
    users = {"admin": admin_user, "clerk": clerk, "liaison": liaison_a, "supervisor": supervisor}
    client.force_login(users[role])
    election = world["own"]["election"]
    starts = [reverse("villages:dashboard"), reverse("villages:election-detail", args=[election.pk]),
              reverse("villages:village-detail", args=[world["own"]["village"].pk])]
    broken = crawl(client, starts)
    assert broken == [], "\n".join(f"{page} → {link}: {status}" for page, link, status in broken)
