"""Signing in: required everywhere, Argon2, throttled after repeated failures, sessions expire."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from villages.checks import check_cjk_font, check_rare_character_font


def test_every_page_but_login_needs_sign_in(client, db):
    response = client.get(reverse("villages:village-list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.get(reverse("login")).status_code == 200


def test_sign_in_with_correct_password(client, clerk):
    response = client.post(reverse("login"), {"username": "clerk", "password": "Test#Pass2026"})
    assert response.status_code == 302
    assert client.get(reverse("villages:dashboard")).status_code == 200


def test_wrong_password_shows_chinese_message(client, clerk):
    response = client.post(reverse("login"), {"username": "clerk", "password": "wrong"})
    assert "用户名或密码不正确" in response.content.decode()


def test_five_failures_lock_the_account(client, clerk):
    for _ in range(5):
        client.post(reverse("login"), {"username": "clerk", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "clerk", "password": "Test#Pass2026"})
    assert response.status_code == 429
    assert "已暂时锁定" in response.content.decode()


def test_production_hasher_is_argon2():
    from election_site import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_sessions_expire():
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


@pytest.mark.parametrize(
    "env,ok",
    [
        ({"DEBUG": "false"}, False),
        ({"DEBUG": "false", "SECRET_KEY": "short"}, False),
        ({"DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.org"}, True),
        ({"DEBUG": "maybe"}, False),
    ],
)
def test_settings_refuse_unsafe_production(env, ok):
    result = subprocess.run(
        [sys.executable, "-c", "import election_site.settings"],
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert (result.returncode == 0) == ok, result.stderr
    if not ok:
        assert "ImproperlyConfigured" in result.stderr


def test_cjk_font_check_passes_on_a_set_up_machine():
    assert check_cjk_font() == []


def test_rare_character_font_check(monkeypatch):
    assert check_rare_character_font() == []  # scripts/system-deps.sh installs fonts-hanazono
    monkeypatch.setattr("villages.checks.rare_character_font_available", lambda: False)
    [warning] = check_rare_character_font()
    assert warning.id == "villages.W002" and "apt-get install fonts-hanazono" in warning.hint


def test_cjk_font_check_reports_missing_font(monkeypatch):
    monkeypatch.setattr("villages.checks.cjk_font_available", lambda: False)
    [error] = check_cjk_font()
    assert error.id == "villages.E001" and "apt-get install fonts-noto-cjk" in error.hint


def test_check_deploy_is_clean_with_production_settings():
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "false",
        "SECRET_KEY": "k" * 20 + "Q7#x" * 10,
        "ALLOWED_HOSTS": "xuanju.example.gov.cn",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_sign_out_is_logged(client, clerk):
    from villages.models import AuditEntry

    client.force_login(clerk)
    response = client.post(reverse("logout"), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="auth.logout")
    assert (entry.actor, entry.object_id, entry.changes) == (clerk, str(clerk.pk), {"ip": [None, "10.1.2.3"]})


def test_password_change_is_logged_without_the_password(client, clerk):
    from villages.models import AuditEntry

    client.force_login(clerk)
    data = {"old_password": "Test#Pass2026", "new_password1": "Xin#mima2027x", "new_password2": "Xin#mima2027x"}
    response = client.post(reverse("password_change"), data)
    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    clerk.refresh_from_db()
    assert clerk.check_password("Xin#mima2027x")
    entry = AuditEntry.objects.get(action="auth.password_changed")
    assert (entry.actor, entry.object_id, entry.changes) == (clerk, str(clerk.pk), {"password": ["***", "***"]})
    assert "Xin#mima2027x" not in str(entry.changes)
    assert client.get(reverse("villages:dashboard")).status_code == 200  # still signed in


def test_failed_password_change_logs_nothing(client, clerk):
    from villages.models import AuditEntry

    client.force_login(clerk)
    data = {"old_password": "wrong", "new_password1": "Xin#mima2027x", "new_password2": "Xin#mima2027x"}
    assert client.post(reverse("password_change"), data).status_code == 200
    assert not AuditEntry.objects.filter(action="auth.password_changed").exists()
