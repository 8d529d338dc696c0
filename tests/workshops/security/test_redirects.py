"""Open redirects (issue 14, finding 2): login's ``next`` and the language switch's.

A target is kept only when the browser will read it as a path of this site; anything
else (a tab or newline the browser drops, a backslash it reads as a slash, a scheme or a
host) falls back to the home page, and nothing ever answers 500.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.conftest import PASSWORD
from workshops.redirects import safe_target

# Raw ``next`` values as they arrive once the query string or form is decoded.
ATTACKS = [
    "/\t/evil.example/",  # the probe's %2F%09%2Fevil.example%2F
    "/\n/evil.example/",
    "/\r\n/evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "//evil.example",
    "//evil.example/staff/",
    "///evil.example",
    "https://evil.example",
    "https:evil.example",
    "http://localhost/",
    "javascript:alert(1)",
    "evil.example",
    " //evil.example",
    "\x00/evil",
    "/staff/\x7f",
    "%2F%2Fevil.example",  # not a path: stays relative, but refused (no leading slash)
    "",
]


@pytest.mark.parametrize("target", ATTACKS)
def test_unsafe_targets_are_refused(target):
    assert safe_target(target) is None


@pytest.mark.parametrize("target", [
    "/staff/", "/staff/diagnostics/3?kind=need&page=2", "/staff/workshops/4#audit-log",
    "/auth/login", "/j/ABC123", "/staff/a b", "/", "/%2F%2Fevil.example",
])
def test_same_site_paths_are_kept(target):
    assert safe_target(target) == target


def test_non_strings_are_refused():
    assert safe_target(None) is None and safe_target(["/staff/"]) is None


@pytest.mark.parametrize("target", ATTACKS)
def test_login_never_redirects_off_site_nor_fails(client, make_user, target):
    user = make_user()
    response = client.post(f"/auth/login?next={quote(target, safe='')}",
                           data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_the_probes_exact_login_url_goes_home(client, make_user):
    user = make_user()
    response = client.post("/auth/login?next=%2F%09%2Fevil.example%2F",
                           data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/"
    response = client.post("/auth/logout")
    response = client.post("/auth/login?next=%0d%0aSet-Cookie:%20x=1",
                           data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "x=1" not in response.headers.get("Set-Cookie", "")


def test_login_keeps_a_staff_path(client, make_user):
    user = make_user()
    response = client.post("/auth/login?next=/staff/diagnostics/1%3Fkind%3Dneed",
                           data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/staff/diagnostics/1?kind=need"


def test_an_already_logged_in_user_is_sent_on_safely(client, make_user, login):
    login(make_user())
    assert client.get("/auth/login?next=%2F%09%2Fevil.example").headers["Location"] == "/"
    assert client.get("/auth/login?next=/staff/").headers["Location"] == "/staff/"


@pytest.mark.parametrize("target", ATTACKS)
def test_language_switch_never_redirects_off_site_nor_fails(client, target):
    response = client.post("/lang", data={"lang": "en", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_language_switch_goes_back_to_a_same_site_page(client):
    response = client.post("/lang", data={"lang": "en", "next": "/staff/diagnostics/2?page=3"})
    assert response.headers["Location"] == "/staff/diagnostics/2?page=3"
