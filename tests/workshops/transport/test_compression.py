"""permessage-deflate is declined unless LIVE_WEBSOCKET_COMPRESSION (transport.compression)."""

from __future__ import annotations

import pytest

from workshops import create_app
from workshops.transport.compression import EXTENSIONS_HEADER, DeclineWebSocketCompression

OFFER = "permessage-deflate; client_max_window_bits"


def seen_by_app(path: str, **headers: str) -> dict:
    """The environ the wrapped application receives for a request to ``path``."""
    seen: dict = {}

    def app(environ, start_response):
        seen.update(environ)
        return [b""]

    environ = {"PATH_INFO": path, **headers}
    DeclineWebSocketCompression(app)(environ, lambda *args: None)
    return seen


@pytest.mark.parametrize("path", ["/socket.io", "/socket.io/"])
def test_the_offer_is_hidden_from_socket_io_handshakes(path):
    environ = seen_by_app(path, **{EXTENSIONS_HEADER: OFFER, "HTTP_UPGRADE": "websocket"})
    assert EXTENSIONS_HEADER not in environ
    assert environ["HTTP_UPGRADE"] == "websocket"  # the rest of the handshake is untouched


@pytest.mark.parametrize("path", ["/", "/socket.iox/", "/static/socket.io/x.js"])
def test_other_paths_are_left_alone(path):
    assert seen_by_app(path, **{EXTENSIONS_HEADER: OFFER})[EXTENSIONS_HEADER] == OFFER


def test_a_request_without_an_offer_passes_through():
    assert seen_by_app("/socket.io/") == {"PATH_INFO": "/socket.io/"}


def app_layers(app) -> list[type]:
    """The classes of the WSGI middleware stack, outermost first."""
    layers, current = [], app.wsgi_app
    while current is not None:
        layers.append(type(current))
        current = getattr(current, "app", None) or getattr(current, "wsgi_app", None)
    return layers


def test_the_app_declines_by_default_and_accepts_when_configured(tmp_path, monkeypatch):
    monkeypatch.setenv("DIAGNOSTIC_INSTANCE_PATH", str(tmp_path / "instance"))
    default = create_app({"TESTING": True})
    # inside the body-size refusal (transport/limits.py), the outermost layer
    assert app_layers(default)[1] is DeclineWebSocketCompression
    configured = create_app({"TESTING": True, "LIVE_WEBSOCKET_COMPRESSION": True})
    assert DeclineWebSocketCompression not in app_layers(configured)
