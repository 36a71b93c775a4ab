"""Security headers and cookies on real responses, with the security settings production gets.

The production values are read from config/settings.py itself, evaluated with a production
environment (XIANFENG_DEBUG=0 ...), and applied over the test settings: what is asserted here is
what the settings file gives a deployment, not a copy of it. `check --deploy` runs in a child
process on config.settings with that same environment and must find nothing.
"""

import base64
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[1]

# Only settings about transport and headers are taken over; the database, tasks and media stay the
# test ones.
SECURITY_SETTINGS = [
    "DEBUG",
    "MIDDLEWARE",
    "SECURE_CSP",
    "SECURE_CSP_REPORT_ONLY",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "X_FRAME_OPTIONS",
]


def production_env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XIANFENG_", "DJANGO_"))}
    env.update(
        XIANFENG_DEBUG="0",
        XIANFENG_SECRET_KEY="prod-" + "k3y-Zq9xW" * 8,
        XIANFENG_ALLOWED_HOSTS="dangjian.example.gov.cn",
        XIANFENG_CSRF_TRUSTED_ORIGINS="https://dangjian.example.gov.cn",
        XIANFENG_VAR_DIR=str(tmp_path / "var"),
        XIANFENG_PII_KEYS=base64.urlsafe_b64encode(b"p" * 32).decode(),
        XIANFENG_PII_HASH_KEY=base64.urlsafe_b64encode(b"h" * 32).decode(),
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    return env


@pytest.fixture
def production(tmp_path, monkeypatch):
    """override_settings with the security settings config/settings.py gives a production environment."""
    env = production_env(tmp_path)
    for name in [k for k in os.environ if k.startswith("XIANFENG_")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    values = runpy.run_path(str(ROOT / "config" / "settings.py"))
    assert values["DEBUG"] is False
    with override_settings(**{name: values[name] for name in SECURITY_SETTINGS if name in values}):
        yield values


def https_get(client, url):
    # nginx terminates TLS and says so with X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER).
    return client.get(url, headers={"x-forwarded-proto": "https"})


def test_production_settings_are_hardened(production):
    assert production["SECURE_HSTS_SECONDS"] >= 31536000
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    assert production["SECURE_SSL_REDIRECT"]


@pytest.mark.django_db
def test_headers_on_a_real_page(client, production):
    user = UserFactory(username="headers_user")
    client.force_login(user)
    response = https_get(client, reverse("home"))
    assert response.status_code == 200

    csp = response.headers["Content-Security-Policy"]
    directives = dict((part.strip().split(" ", 1) + [""])[:2] for part in csp.split(";"))
    script_src = directives["script-src"].split()
    assert "'self'" in script_src
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    # Only our own files, plus the request's nonce on a page that uses {{ csp_nonce }}.
    assert all(token == "'self'" or token.startswith("'nonce-") for token in script_src)
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["default-src"] == "'self'"

    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_no_inline_script_or_handler_on_a_page(client, production):
    """Pages carry no inline script and no on*= handler: the CSP would block them."""
    client.force_login(UserFactory(username="inline_user", is_superuser=True, is_staff=True))
    html = https_get(client, reverse("home")).content.decode()
    assert "<script>" not in html
    assert " onclick=" not in html and " onchange=" not in html
    assert '"allowEval": false' in html  # htmx evaluates nothing


def test_templates_have_no_inline_script_or_handler():
    """Every template: a <script> either loads a file or is a JSON data block; no on*= attribute."""
    import re

    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)(?![^>]*csp_nonce)[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if inline.search(text) or handler.search(text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.django_db
def test_cookies_are_secure_and_http_only(client, production):
    UserFactory(username="cookie_user")
    login = reverse("accounts:login")
    page = https_get(client, login)
    assert page.status_code == 200
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]
    response = client.post(
        login,
        {"username": "cookie_user", "password": "pass-1234-word"},
        headers={"x-forwarded-proto": "https"},
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(client, production):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_check_deploy_finds_nothing(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
