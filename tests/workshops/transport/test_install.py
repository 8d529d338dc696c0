"""The transport's start-up self-check: fast paths on the installed libraries, the libraries'
documented paths (and an ERROR naming what is missing) when a private name is gone or a
version is unsupported."""

from __future__ import annotations

import logging

import engineio
import engineio.async_drivers.gevent as gevent_driver
import engineio.socket
import pytest
import socketio as python_socketio
from socketio.pubsub_manager import PubSubManager

from workshops import create_app
from workshops.extensions import socketio
from workshops.live.broadcast import EXTENSION_KEY as BROADCASTER
from workshops.transport import EXTENSION_KEY, direct_writes, room_manager, selfcheck
from workshops.transport.room_manager import LocalBatchingRedisManager

from .test_direct_writes import Phone, message

QUEUE = "redis://127.0.0.1:6379/6"  # never contacted: managers connect on first use


@pytest.fixture(autouse=True)
def transport_log(monkeypatch):
    """The transport's logger, enabled: Alembic's ``fileConfig`` (migrations/env.py, run
    in this process by earlier tests) disables every logger that exists by then."""
    monkeypatch.setattr(selfcheck.logger, "disabled", False)


@pytest.fixture
def make_app(tmp_path, monkeypatch):
    """``make_app(**config)``: a gevent app with a Redis queue unless overridden."""
    monkeypatch.setenv("DIAGNOSTIC_INSTANCE_PATH", str(tmp_path / "instance"))

    def factory(**config):
        return create_app({"TESTING": True, "SOCKETIO_ASYNC_MODE": "gevent",
                           "SOCKETIO_MESSAGE_QUEUE": QUEUE,
                           "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db'}",
                           **config})

    return factory


def test_the_installed_libraries_pass_every_check():
    # A newer minor release within the bounds is only a warning (logged at start-up): a
    # fresh install picking one up must not turn the suite red by itself.
    for check in (direct_writes.self_check(engineio.Server(async_mode="gevent")),
                  room_manager.self_check()):
        assert check.problems == [], check.feature


def test_the_app_installs_every_fast_path_and_says_so(make_app, caplog):
    app = make_app()
    status = app.extensions[EXTENSION_KEY]
    assert (status.direct_writes, status.per_process_batching, status.compression_declined)\
        == (True, True, True)
    assert status.problems == []
    assert socketio.server.eio._async["websocket"] is direct_writes.DirectWebSocket
    manager = socketio.server.manager
    assert type(manager) is LocalBatchingRedisManager
    assert app.extensions[BROADCASTER].manager is manager
    assert manager.broadcaster is app.extensions[BROADCASTER]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_threading_and_no_queue_install_no_fast_path_and_no_error(make_app, caplog):
    app = make_app(SOCKETIO_ASYNC_MODE="threading", SOCKETIO_MESSAGE_QUEUE=None)
    status = app.extensions[EXTENSION_KEY]
    assert (status.direct_writes, status.per_process_batching) == (False, False)
    assert status.problems == []
    assert app.extensions[BROADCASTER].manager is None
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def errors(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name == "workshops.transport" and r.levelno == logging.ERROR]


def fell_back_to_python_engineio(app) -> None:
    """Direct writes are off: python-engineio's wrapper, and its queue, serve the phones."""
    assert app.extensions[EXTENSION_KEY].direct_writes is False
    eio = socketio.server.eio
    assert eio._async["websocket"] is gevent_driver.WebSocketWSGI
    phone = Phone(eio)
    try:  # the live path still works, through the connection's writer
        phone.eio.send(message('2/live,["contribution_added",{"id":1}]'))
        assert phone.eio.queue.qsize() == 1
        assert phone.read(1) == ['42/live,["contribution_added",{"id":1}]']
    finally:
        phone.close()


@pytest.mark.parametrize(("owner", "name"), [
    (engineio.socket.Socket, "_websocket_handler"),
    (engineio.socket.Socket, "poll"),
    (gevent_driver.SimpleWebSocketWSGI, "send"),
])
def test_a_missing_engineio_name_turns_direct_writes_off_loudly(make_app, caplog, monkeypatch,
                                                                 owner, name):
    with monkeypatch.context() as upgrade:  # as if a new release had renamed it
        upgrade.delattr(owner, name)
        app = make_app()
    version = selfcheck.installed_version("python-engineio")
    [error] = errors(caplog)
    assert f"python-engineio {version}" in error and name in error
    assert "direct room writes" in error and "python-engineio's own writer" in error
    assert app.extensions[EXTENSION_KEY].problems
    assert app.extensions[EXTENSION_KEY].per_process_batching  # the other one is unaffected
    fell_back_to_python_engineio(app)


def test_an_instance_attribute_no_longer_set_turns_direct_writes_off_loudly(make_app, caplog,
                                                                          monkeypatch):
    import simple_websocket.ws

    def renamed(self, socket=None, **options):  # a release storing its socket elsewhere
        self.socket, self.is_connected = socket, False

    with monkeypatch.context() as upgrade:
        upgrade.setattr(simple_websocket.ws.Base, "__init__", renamed)
        app = make_app()
    version = selfcheck.installed_version("simple-websocket")
    assert [f"simple-websocket {version} instances of simple_websocket.ws.Server have no "
            f"{name} attribute" in error for error, name in
            zip(errors(caplog), ("sock", "connected"), strict=True)] == [True, True]
    fell_back_to_python_engineio(app)


def test_an_unsupported_engineio_version_turns_direct_writes_off_loudly(make_app, caplog,
                                                                        monkeypatch):
    real = selfcheck.installed_version
    monkeypatch.setattr(selfcheck, "installed_version",
                        lambda name: "5.0.0" if name == "python-engineio" else real(name))
    app = make_app()
    [error] = errors(caplog)
    assert "python-engineio 5.0.0 is outside the supported range >=4.9,<5" in error
    fell_back_to_python_engineio(app)


def test_a_newer_minor_version_only_warns(make_app, caplog, monkeypatch):
    real = selfcheck.installed_version
    monkeypatch.setattr(selfcheck, "installed_version",
                        lambda name: "4.99.0" if name == "python-engineio" else real(name))
    app = make_app()
    assert errors(caplog) == []
    status = app.extensions[EXTENSION_KEY]
    assert status.direct_writes and status.warnings
    assert any("python-engineio 4.99.0 is newer" in r.getMessage() for r in caplog.records
               if r.levelno == logging.WARNING)


@pytest.mark.parametrize("version", ["6.0.0", "5.10.0"])
def test_an_unsupported_socketio_version_keeps_python_socketios_manager(make_app, caplog,
                                                                       monkeypatch, version):
    real = selfcheck.installed_version
    monkeypatch.setattr(selfcheck, "installed_version",
                        lambda name: version if name == "python-socketio" else real(name))
    app = make_app()
    [error] = errors(caplog)
    assert f"python-socketio {version} is outside the supported range" in error
    assert type(socketio.server.manager) is python_socketio.RedisManager
    assert app.extensions[BROADCASTER].manager is None  # the sender decides the batching
    assert app.extensions[EXTENSION_KEY].direct_writes  # the other one is unaffected


def test_a_missing_socketio_name_keeps_python_socketios_manager(make_app, caplog, monkeypatch):
    with monkeypatch.context() as upgrade:
        upgrade.delattr(PubSubManager, "_handle_emit")
        app = make_app()
    [error] = errors(caplog)
    version = selfcheck.installed_version("python-socketio")
    assert f"python-socketio {version} has no" in error and "_handle_emit" in error
    assert type(socketio.server.manager) is python_socketio.RedisManager
    assert app.extensions[BROADCASTER].manager is None


def test_a_changed_signature_is_a_missing_name(make_app, caplog, monkeypatch):
    with monkeypatch.context() as upgrade:
        upgrade.setattr(PubSubManager, "_handle_emit", lambda self, message, host: None)
        make_app()
    [error] = errors(caplog)
    assert "('self', 'message', 'host'), expected ('self', 'message')" in error
    assert type(socketio.server.manager) is python_socketio.RedisManager


def test_versions_are_compared_by_their_release_numbers():
    assert selfcheck.version_tuple("4.15.1") == (4, 15, 1)
    assert selfcheck.version_tuple("26.9.0rc1") == (26, 9, 0)
    assert selfcheck.version_tuple("1.10") > selfcheck.version_tuple("1.9")


def test_the_checked_ranges_are_pyprojects_bounds():
    import tomllib

    from workshops.paths import ROOT

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    requirements = set(project["project"]["dependencies"])
    for supported in (selfcheck.ENGINEIO, selfcheck.SOCKETIO, selfcheck.SIMPLE_WEBSOCKET,
                      selfcheck.GEVENT):
        bound = f"{supported.distribution}>={supported.minimum},<{supported.below}"
        assert bound in requirements, bound
        checked = selfcheck.version_tuple(supported.checked_with)
        assert selfcheck.version_tuple(supported.minimum) <= checked \
            < selfcheck.version_tuple(supported.below)
