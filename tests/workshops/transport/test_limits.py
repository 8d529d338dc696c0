"""The body-size refusal in front of python-engineio and Flask (transport/limits.py).

Against real servers (threading and gevent), with descriptors counted:
test_hostile_traffic.py. Here: the middleware's decisions, and its place in the app.
"""

from __future__ import annotations

import pytest

from workshops import create_app
from workshops.transport.limits import RefuseOversizedBodies


def call(path: str, length: str | None = None):
    """(status, headers, body, whether the app was reached) for a POST to ``path``."""
    seen, answer = [], {}

    def inner(environ, start_response):
        seen.append(environ)
        start_response("200 OK", [])
        return [b"ok"]

    def start_response(status, headers):
        answer.update(status=status, headers=dict(headers))

    environ = {"PATH_INFO": path, "REQUEST_METHOD": "POST"}
    if length is not None:
        environ["CONTENT_LENGTH"] = length
    body = b"".join(RefuseOversizedBodies(inner, live_limit=100, page_limit=1000)(
        environ, start_response))
    return answer["status"], answer["headers"], body, bool(seen)


@pytest.mark.parametrize("path, length, status", [
    ("/socket.io/", "101", "413"),
    ("/socket.io/", "100", "200"),
    ("/socket.io", "2000000", "413"),
    ("/auth/login", "1001", "413"),
    ("/auth/login", "999", "200"),
    ("/socket.iox", "999", "200"),  # not under the Socket.IO path: the page limit
    ("/auth/login", "12abc", "400"),
    ("/auth/login", "-5", "400"),
    ("/auth/login", "", "200"),
    ("/auth/login", None, "200"),
])
def test_announced_bodies_past_their_endpoint_limit_are_refused(path, length, status):
    answered, headers, body, reached = call(path, length)
    assert answered.startswith(status)
    assert reached is (status == "200")
    if status != "200":
        assert headers["Connection"] == "close"
        text = body.decode()  # answered before the app: French, then English
        assert text.startswith("Envoi trop volumineux" if status == "413" else "Requête invalide")


def test_the_app_refuses_before_engineio_with_its_configured_limits(tmp_path, monkeypatch):
    monkeypatch.setenv("DIAGNOSTIC_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "LIVE_MAX_PAYLOAD_BYTES": 1000,
                      "MAX_CONTENT_LENGTH": 5000})
    outer = app.wsgi_app
    assert isinstance(outer, RefuseOversizedBodies)
    assert outer.live_limit == 8 * 1000 + 4096
    assert outer.page_limit == 5000
    client = app.test_client()
    response = client.post("/socket.io/?EIO=4&transport=polling&sid=x",
                           environ_overrides={"CONTENT_LENGTH": "20000"})
    assert response.status_code == 413
