"""Security headers on every response (workshops/security_headers.py).

The probe's finding: no Content-Security-Policy, no frame-ancestors / X-Frame-Options (the
staff pages and the console could be framed), no nosniff, no Referrer-Policy. Each test
reads the headers a real response carries; the browser side (no violation on any page
under the policy) is tests/e2e/test_content_security_policy.py.
"""

from __future__ import annotations

import re

import pytest

from diagnostic.models import Role, User
from tests.minutes_data import seed_minutes

PASSWORD = "pw-123456789"


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict((part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";"))


def assert_protected(response) -> None:
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    policy = directives(response)
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/", "/join", "/auth/login", "/static/css/app.css",
                                  "/no-such-page"])
def test_every_response_carries_the_headers(client, path):
    response = client.get(path)
    assert_protected(response)
    response.close()


def test_the_page_policy_is_strict(client):
    policy = directives(client.get("/auth/login"))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["connect-src"] == "'self' ws://localhost"
    assert policy["base-uri"] == "'self'"
    assert policy["form-action"] == "'self'"


def test_staff_pages_cannot_be_framed(client, login, make_user, make_diagnostic):
    login(make_user(role=Role.STAFF))
    diagnostic = make_diagnostic()
    assert_protected(client.get("/staff/"))
    assert_protected(client.get(f"/staff/diagnostics/{diagnostic.id}/report"))


def test_the_report_page_styles_through_the_request_nonce_only(client, login, make_user,
                                                               make_diagnostic):
    login(make_user(role=Role.STAFF))
    diagnostic = make_diagnostic()
    response = client.get(f"/staff/diagnostics/{diagnostic.id}/report")
    nonce = re.search(r'<style nonce="([^"]+)">', response.text).group(1)
    assert directives(response)["style-src"] == f"'self' 'nonce-{nonce}'"
    assert "<style>" not in response.text
    again = client.get(f"/staff/diagnostics/{diagnostic.id}/report")
    assert f"nonce-{nonce}" not in again.headers["Content-Security-Policy"]  # per request


def test_the_minutes_page_styles_through_the_request_nonce_only(client, login, db):
    seeded = seed_minutes(db.session, password=PASSWORD)
    login(db.session.query(User).filter_by(email=seeded.facilitator_email).one(), PASSWORD)
    response = client.get(f"/staff/workshops/{seeded.workshop_id}/minutes")
    assert response.status_code == 200
    nonce = re.search(r'<style nonce="([^"]+)">', response.text).group(1)
    assert directives(response)["style-src"] == f"'self' 'nonce-{nonce}'"


def test_the_html_report_download_is_sandboxed(client, login, make_user, make_diagnostic):
    login(make_user(role=Role.STAFF))
    diagnostic = make_diagnostic()
    response = client.get(f"/staff/diagnostics/{diagnostic.id}/report.html")
    assert response.headers["Content-Disposition"].startswith("attachment")
    policy = directives(response)
    assert "sandbox" in policy and policy["default-src"] == "'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_hsts_only_over_https_unless_configured(app, client):
    assert "Strict-Transport-Security" not in client.get("/join").headers
    secure = client.get("/join", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert directives(secure)["connect-src"] == "'self' wss://localhost"
    app.config["HSTS_ALWAYS"] = True
    assert "Strict-Transport-Security" in client.get("/join").headers
    app.config["HSTS_MAX_AGE"] = 0
    assert "Strict-Transport-Security" not in client.get("/join").headers
