"""The deploy/ files stay in step with the code: every setting the app reads is in the
environment file example, and `diagnostic cluster` rewrites the nginx recipe as intended."""

from __future__ import annotations

import re
from pathlib import Path

from workshops.cluster import RECIPE, nginx_main_conf, render_site

ROOT = Path(__file__).resolve().parents[2]


def _settings_read_by_the_app() -> set[str]:
    names = set()
    for path in (ROOT / "workshops").rglob("*.py"):
        names |= set(re.findall(r'environ(?:\.get)?[(\[]\s*"([A-Z][A-Z0-9_]+)"',
                                path.read_text(encoding="utf-8")))
    # Set by the unit or the server itself, or about a single command; and the keys of a
    # request's WSGI environ (HTTP_* headers, CGI variables), which are no settings.
    cgi = {"CONTENT_LENGTH", "CONTENT_TYPE", "PATH_INFO", "QUERY_STRING", "REQUEST_METHOD",
           "SCRIPT_NAME", "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "REMOTE_ADDR"}
    return {name for name in names - cgi - {"HOST", "PORT", "FLASK_RUN_FROM_CLI",
                                            "DIAGNOSTIC_USER_PASSWORD"}
            if not name.startswith("HTTP_")}


def test_the_environment_file_example_documents_every_setting():
    example = (ROOT / "deploy" / "diagnostic.env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", example, re.MULTILINE))
    assert "SECRET_KEY" in _settings_read_by_the_app()  # the scan finds them
    assert _settings_read_by_the_app() - documented == set()


def test_the_cluster_rewrites_only_what_an_installer_replaces(tmp_path):
    recipe = RECIPE.read_text(encoding="utf-8")
    site = render_site(recipe, http_port=8080, https_port=8443, workers=[6001, 6002, 6003],
                       certificate=tmp_path / "c.pem", key=tmp_path / "k.pem")
    assert re.findall(r"server 127\.0\.0\.1:(\d+) max_fails=3 fail_timeout=10s;", site) == [
        "6001", "6002", "6003"]
    assert "hash $diag_route consistent;" in site and "ip_hash;" not in site
    assert "listen 127.0.0.1:8443 ssl http2;" in site and "listen [::]" not in site
    assert f"ssl_certificate     {tmp_path / 'c.pem'};" in site
    assert "X-Upstream" not in site
    debug = render_site(recipe, http_port=1, https_port=2, workers=[3],
                        certificate=tmp_path / "c.pem", key=tmp_path / "k.pem",
                        debug_upstream=True)
    assert "add_header X-Upstream $upstream_addr always;" in debug
    # Everything else is the recipe line for line: limits, maps, locations.
    kept = [line for line in recipe.splitlines() if "listen" not in line
            and "server 127.0.0.1" not in line and "ssl_certificate" not in line]
    assert [line for line in site.splitlines() if line in kept] == kept
    assert f"include {tmp_path}/site.conf;" in nginx_main_conf(tmp_path)
