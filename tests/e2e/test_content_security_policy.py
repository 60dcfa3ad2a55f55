"""With the Content-Security-Policy on, the browser refuses nothing the app itself serves: Bootstrap,
htmx (which must not inject its indicator style), the candidate list's script, the pages' styles."""

import pytest
from django.urls import reverse

from villages.models import Election, Township

pytestmark = pytest.mark.e2e


def test_pages_run_without_a_policy_violation(demo, page, live_server, sign_in):
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text else None)
    sign_in("clerk")
    township = Township.objects.get(name="青山镇")
    election = Election.objects.filter(campaign__township=township).first()
    for path in (reverse("villages:dashboard"), reverse("villages:village-list"),
                 reverse("reports:report", args=["township", township.code]),
                 reverse("candidates:candidate-list", args=[election.pk]),
                 reverse("voters:voter-list", args=[election.pk])):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert violations == []
