"""Production security settings and the Content-Security-Policy header."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.urls import reverse

from accounts.checks import check_account_settings

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def directives(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split("; ")}


def test_public_pages_get_a_strict_policy(client, make_initiative):
    page = make_initiative(title="Zonnedak")
    policy = directives(client.get(page.url))
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no inline script on the public site
    assert policy["object-src"] == ["'none'"]
    assert "https://tile.openstreetmap.org" in policy["img-src"]  # the map cards' tiles
    assert "'self'" in policy["form-action"]


def test_account_pages_and_errors_get_it_too(client, db):
    assert directives(client.get(reverse("account_login")))["frame-ancestors"] == ["'self'"]
    assert "Content-Security-Policy" in client.get("/no-such-page/")


def test_the_admin_gets_its_wider_policy(client, make_resident, with_totp, home):
    staff = make_resident(is_staff=True, is_superuser=True)
    with_totp(staff)
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response)
    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["frame-ancestors"] == ["'self'"]


def test_a_view_may_set_its_own_policy(rf):
    from csp.decorators import csp
    from django.http import HttpResponse

    from ctylab.middleware import ContentSecurityPolicyMiddleware

    def view(request):
        response = HttpResponse()
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    response = ContentSecurityPolicyMiddleware(view)(rf.get("/"))
    assert response["Content-Security-Policy"] == "default-src 'none'"
    # django-csp's decorator wins over the admin's wider policy as well.
    decorated = csp({"default-src": ["'none'"]})(lambda request: HttpResponse())
    response = ContentSecurityPolicyMiddleware(decorated)(rf.get("/admin/"))
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_the_policy_is_django_csp_settings(settings, client, db):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"], "img-src": ["https://tiles.example"]}}
    assert directives(client.get(reverse("account_login"))) == {
        "default-src": ["'self'"],
        "img-src": ["https://tiles.example"],
    }


def test_account_checks_pass_and_catch_weakened_settings(settings):
    assert check_account_settings() == []
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    settings.WAGTAILADMIN_LOGIN_URL = "wagtailadmin_login"
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "ContentSecurityPolicy" not in m]
    assert {e.id for e in check_account_settings()} == {"accounts.E001", "accounts.E004", "accounts.W001"}


def production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ctylab.settings.production",
        "SECRET_KEY": "test-only-" + "x" * 60,
    }
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ['SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
        "'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_SSL_REDIRECT', "
        "'ACCOUNT_DEFAULT_HTTP_PROTOCOL', 'MIDDLEWARE', 'WAGTAILADMIN_LOGIN_URL']}))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], env={**env, "PYTHONPATH": f"{ROOT / 'site'}{os.pathsep}{ROOT}"},
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    import json

    return json.loads(output.stdout)


def test_production_settings_are_secure_by_default():
    values = production_settings()
    assert values["SESSION_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_SSL_REDIRECT"]
    assert values["ACCOUNT_DEFAULT_HTTP_PROTOCOL"] == "https"
    assert "ctylab.middleware.ContentSecurityPolicyMiddleware" in values["MIDDLEWARE"]
    assert values["WAGTAILADMIN_LOGIN_URL"] == "account_login"


def test_check_deploy_is_clean():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ctylab.settings.production",
        "SECRET_KEY": "test-only-" + "k" * 60,
        # Production anchors decisions on a real chain (governance.E004 otherwise); the check
        # never contacts it. anvil's public development key.
        "CHAIN_RPC_URL": "https://chain.invalid",
        "CHAIN_ID": "31337",
        "CHAIN_PRIVATE_KEY": "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
        # Sealed tender quotes need their own key in production (tenders.E001 otherwise).
        "TENDER_QUOTE_KEYS": Fernet.generate_key().decode(),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
