"""The bench's lighter clients refuse to run on libraries without what they override."""

from __future__ import annotations

import engineio
import pytest

from bench.clients import check_client_internals


def test_the_installed_libraries_have_what_the_clients_override():
    check_client_internals()


def test_a_missing_private_method_stops_the_bench(monkeypatch):
    monkeypatch.delattr(engineio.AsyncClient, "_read_loop_websocket")
    with pytest.raises(RuntimeError, match=r"python-engineio [\d.]+ has no "
                                           r"engineio\.async_client\.AsyncClient\."
                                           r"_read_loop_websocket"):
        check_client_internals()
