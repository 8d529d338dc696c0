"""The production recipe, deploy/nginx.conf, as shipped: nginx in front of diagnostic-server.

The file is used as it is, with only what an installer replaces (ports, certificate paths,
the upstream's address) rewritten for a test: a self-signed certificate, free ports. A
phone joins through it over HTTPS and its socket upgrades to a WebSocket; oversized bodies
are refused by nginx; one HSTS header reaches the browser.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import socketio
import urllib3

from bench.server import free_port
from tests.e2e.test_socketio_client import seed
from tests.live_server import LiveServer, cookie_header, join_over_http, receive_event
from workshops.cluster import RECIPE, nginx_main_conf, render_site

pytestmark = pytest.mark.e2e



@dataclass
class Proxy:
    """What join_over_http needs of a server: its public URL."""

    url: str
    http_url: str


@pytest.fixture
def proxy(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.fail("nginx not found: .ci/run installs Debian's nginx-light")
    server = LiveServer(tmp_path / "app", command=("diagnostic-server",),
                        DIAGNOSTIC_ENV="production", PROXY_FIX_HOPS="1",
                        SESSION_COOKIE_SECURE="")  # production default: Secure
    server.env.pop("SOCKETIO_ASYNC_MODE", None)
    folder = tmp_path / "nginx"
    (folder / "logs").mkdir(parents=True)
    (folder / "temp").mkdir()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", str(folder / "key.pem"),
                    "-out", str(folder / "cert.pem")], check=True, capture_output=True)
    http_port, https_port = free_port(), free_port()
    # What an installer replaces, as `diagnostic cluster` does: ports, certificate, the
    # upstream's server lines (one here).
    (folder / "site.conf").write_text(render_site(
        RECIPE.read_text(), http_port=http_port, https_port=https_port,
        workers=[server.port], certificate=folder / "cert.pem", key=folder / "key.pem"))
    (folder / "nginx.conf").write_text(nginx_main_conf(folder))
    workshop = seed(server)
    server.start()
    process = subprocess.Popen([nginx, "-p", str(folder), "-c", str(folder / "nginx.conf"),
                                "-g", "daemon off;"], stderr=subprocess.PIPE)
    url = f"https://127.0.0.1:{https_port}"
    urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    deadline = time.monotonic() + 15
    while True:
        try:
            requests.get(url + "/join", verify=False, timeout=2)
            break
        except requests.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(process.stderr.read().decode()) from None
            time.sleep(0.1)
    try:
        yield Proxy(url, f"http://127.0.0.1:{http_port}"), server, workshop
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stderr.close()
        server.stop()


def test_a_phone_joins_through_the_recipe_and_its_socket_upgrades(proxy, monkeypatch):
    public, server, (workshop_id, code) = proxy
    monkeypatch.setattr(requests.Session, "request", _as_browser(requests.Session.request))

    redirect = requests.get(public.http_url + "/join", allow_redirects=False, timeout=5)
    assert redirect.status_code == 301 and redirect.headers["Location"].startswith("https://")

    page = requests.get(public.url + "/join", verify=False, timeout=5)
    assert page.status_code == 200
    hsts = [v for k, v in page.raw.headers.items() if k.lower() == "strict-transport-security"]
    assert hsts == ["max-age=31536000"]
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]

    http = join_over_http(public, code, "Camille")
    # The app saw HTTPS through the proxy (PROXY_FIX_HOPS=1): its cookies are Secure.
    assert all(cookie.secure for cookie in http.cookies)
    client = socketio.SimpleClient(ssl_verify=False)
    client.connect(public.url, namespace="/live", transports=["polling", "websocket"],
                   headers={"Cookie": cookie_header(http)}, auth={"workshop_id": workshop_id})
    try:
        assert receive_event(client, "workshop_state")["workshop"]["id"] == workshop_id
        deadline = time.monotonic() + 10
        while client.client.transport() != "websocket" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert client.client.transport() == "websocket"
    finally:
        client.disconnect()


def test_the_recipe_refuses_oversized_bodies_before_the_app(proxy):
    public, server, _workshop = proxy
    big_poll = requests.post(public.url + "/socket.io/?EIO=4&transport=polling",
                             data=b"x" * (300 * 1024), verify=False, timeout=10)
    assert big_poll.status_code == 413 and "nginx" in big_poll.text
    big_page = requests.post(public.url + "/join", data=b"x" * (2 * 1024 * 1024),
                             verify=False, timeout=10)
    assert big_page.status_code == 413
    assert "nginx" in big_page.text  # refused by the proxy, not by the app behind it


def _as_browser(request):
    """requests' Session.request as a browser sends it over HTTPS: with a Referer (which
    Flask-WTF's CSRF check requires on HTTPS), the test's self-signed certificate accepted."""

    def wrapped(self, method, url, **kwargs):
        kwargs.setdefault("verify", False)
        kwargs["headers"] = {"Referer": url, **(kwargs.get("headers") or {})}
        return request(self, method, url, **kwargs)

    return wrapped


def test_the_recipe_passes_a_staff_import_up_to_its_own_limit(proxy):
    public, _server, _workshop = proxy
    # 2 MiB: past the pages' 1m, within the import's 11m. The app answers (a redirect to
    # the login page: no session), not nginx's 413.
    upload = requests.post(public.url + "/staff/diagnostics/import",
                           files={"archive": ("a.json", b" " * (2 * 1024 * 1024))},
                           verify=False, timeout=30, allow_redirects=False)
    assert upload.status_code != 413 and "nginx" not in upload.text
    huge = requests.post(public.url + "/staff/diagnostics/import",
                         files={"archive": ("a.json", b" " * (12 * 1024 * 1024))},
                         verify=False, timeout=30, allow_redirects=False)
    assert huge.status_code == 413 and "nginx" in huge.text


def test_the_recipe_pins_a_browser_by_cookie_and_limits_logins(proxy):
    public, _server, _workshop = proxy
    first = requests.get(public.url + "/join", verify=False, timeout=5)
    route = first.cookies["diag_route"]
    assert len(route) == 32
    cookie = next(v for k, v in first.raw.headers.items()
                  if k.lower() == "set-cookie" and v.startswith("diag_route="))
    assert "; Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # A browser that has it keeps it: no new key, so it stays on its worker.
    again = requests.get(public.url + "/join", cookies={"diag_route": route}, verify=False,
                         timeout=5)
    assert "diag_route" not in again.cookies

    # Logins from one address: a burst of 30 reaches the app, then nginx answers 429.
    statuses = [requests.post(public.url + "/auth/login", data={"email": "a@b.c"},
                              verify=False, timeout=5).status_code for _ in range(45)]
    assert statuses[0] != 429 and 429 in statuses
