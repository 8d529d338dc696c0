"""Under gevent, a frame for an idle WebSocket is written at once, and framed once per room.

python-engineio gives every connection a send queue and a writer greenlet: sending a
packet puts it in the queue, wakes the writer, which frames it with wsproto and writes
it. For a room event that is done once per client; measured on ``diagnostic-server``
with 500 phones (docs/PERFORMANCE.md, "Direct room writes and uvloop"), it costs about
65 µs of the server's single core per client: the queue and the greenlet switches
(~25 µs, a gevent timer started and cancelled each time the writer waits), wsproto
(~14 µs) and the ``send`` system call itself (~21 µs). The last phone of the room hears
of a new contribution only when the 500th of these is done.

Two changes, both inside python-engineio's own extension points (the async driver's
``queue`` and ``websocket`` classes, set on this app's Engine.IO server only):

- **Framed once**: a room event is one encoded Engine.IO packet shared by every client
  (python-socketio encodes it once), so its WebSocket frame (a server's frames are not
  masked) is built once with wsproto and reused for every client.
- **Written at once when the connection is idle**: when a packet is queued for an
  upgraded WebSocket whose queue is empty and whose writer is not in the middle of a
  write, the frame is written to the socket right away without waiting
  (``send(..., timeout=0)``). Nothing can be ahead of it, so the order of the
  connection's packets is kept. What the socket does not take at once (a phone on a slow
  network with a full buffer) goes to the queue as raw bytes, and everything after it
  queues behind it: that phone's writer finishes the frame, then goes on as before,
  while the rest of the room is written without waiting for it. The writer then waits
  for its queue without python-engineio's idle timeout (which would otherwise close a
  connection whose packets all went out directly), and still ends with the connection.

Measured at 500 phones and 10 contributions/s: ~20 µs per client and event instead of
~65, the server's CPU 42 % → 20 % of a core (docs/PERFORMANCE.md, same section).

python-engineio's own tests do not cover this path:
``tests/workshops/transport/test_direct_writes.py`` runs it on real engine.io sockets
and ``tests/e2e/test_production_server.py`` through ``diagnostic-server`` with
python-socketio and Chromium clients. The module relies on python-engineio's ``_async``
table and ``Socket`` attributes (``queue``, ``upgraded``, ``closed``; pinned below the
next major version in pyproject.toml); ``install`` leaves the server alone when the
table is not the expected one.

Connections with a WebSocket extension (``LIVE_WEBSOCKET_COMPRESSION=1`` and a client
offering permessage-deflate) frame each message their own way and keep the original
path; so does long-polling.
"""

from __future__ import annotations

from typing import Any

import gevent.socket
from engineio.async_drivers.gevent import WebSocketWSGI
from gevent.queue import JoinableQueue
from wsproto.frame_protocol import FrameProtocol

from .compression import EXTENSIONS_HEADER

# A room event is framed once while its writes are under way. A frame is kept only up to
# CACHED_FRAME_BYTES: a large message (a big workshop's state) goes to one client anyway.
CACHED_FRAMES = 32
CACHED_FRAME_BYTES = 64 * 1024


class _Frames:
    """WebSocket frames of recent messages, keyed by the message object itself."""

    def __init__(self, size: int = CACHED_FRAMES) -> None:
        self._size = size
        self._frames: dict[int, tuple[Any, bytes]] = {}

    def frame(self, message: str | bytes) -> bytes:
        """The server frame of ``message`` (text for ``str``, binary for ``bytes``)."""
        key = id(message)
        cached = self._frames.get(key)
        if cached is not None and cached[0] is message:  # held, so its id is not reused
            return cached[1]
        frame = bytes(FrameProtocol(client=False, extensions=[]).send_data(message))
        if len(frame) <= CACHED_FRAME_BYTES:
            self._frames[key] = (message, frame)
            if len(self._frames) > self._size:
                del self._frames[next(iter(self._frames))]
        return frame


FRAMES = _Frames()


class _Rest(bytes):
    """The end of a frame the socket took only in part: written as it is, not framed."""


class _RestPacket:
    """A queue item for the writer: ``encode()`` is what python-engineio's writer sends."""

    __slots__ = ("rest",)

    def __init__(self, rest: bytes) -> None:
        self.rest = _Rest(rest)

    def encode(self, b64: bool = False) -> bytes:
        return self.rest


class DirectWriteQueue(JoinableQueue):
    """An Engine.IO connection's send queue that writes a packet at once when it can."""

    sink: DirectWebSocket | None = None

    def get(self, block=True, timeout=None):
        # python-engineio's writer gives up, and closes the WebSocket, when its queue stays
        # empty for ping_interval + ping_timeout; once packets are written directly, an
        # empty queue says nothing about the connection. The writer still ends with it:
        # closing the socket (a ping timeout included) queues its end marker.
        sink = self.sink
        if block and sink is not None and sink.eio_socket.upgraded:
            timeout = None
        return super().get(block, timeout)

    def put(self, item, block=True, timeout=None):
        sink = self.sink
        if sink is not None and item is not None and not self.qsize():
            rest = sink.write_now(item)
            if rest is not None:
                if rest:
                    super().put(_RestPacket(rest))
                return
        super().put(item, block, timeout)


class DirectWebSocket(WebSocketWSGI):
    """python-engineio's gevent WebSocket wrapper, writing frames built once."""

    def __init__(self, handler, server) -> None:
        super().__init__(handler, server)
        self.eio_socket = getattr(handler, "__self__", None)
        self.direct = False
        self._writing = False

    def __call__(self, environ, start_response):
        queue = getattr(self.eio_socket, "queue", None)
        self.direct = isinstance(queue, DirectWriteQueue) and EXTENSIONS_HEADER not in environ
        if self.direct:
            queue.sink = self
        try:
            return super().__call__(environ, start_response)
        finally:
            if self.direct and queue.sink is self:
                queue.sink = None

    def write_now(self, pkt) -> bytes | None:
        """Write ``pkt``'s frame if nothing is being written; what the socket did not take.

        ``None`` when it was not written at all (the packet is then queued as usual).
        """
        ws = getattr(self, "ws", None)
        socket = self.eio_socket
        if (self._writing or ws is None or not ws.connected or not socket.upgraded
                or socket.closed or not isinstance(ws.sock, gevent.socket.socket)):
            return None
        frame = FRAMES.frame(pkt.encode())
        try:
            sent = ws.sock.send(frame, 0, 0.0)  # gevent: never wait for room in the buffer
        except BlockingIOError:
            sent = 0
        except OSError:
            return None  # the writer meets the error and closes the connection
        return frame[sent:]

    def send(self, message):
        if not self.direct:
            return super().send(message)
        if not self.ws.connected:
            raise OSError("WebSocket closed")
        data = message if type(message) is _Rest else FRAMES.frame(message)
        self._writing = True  # a write that waits for the socket blocks direct writes
        try:
            self.ws.sock.sendall(data)
        finally:
            self._writing = False


def install(eio_server) -> bool:
    """Use the direct path on this python-engineio server if it runs under gevent."""
    if getattr(eio_server, "async_mode", None) != "gevent":
        return False
    drivers = eio_server._async
    if drivers.get("websocket") is not WebSocketWSGI:  # gevent-websocket, or a new layout
        return False
    eio_server._async = {**drivers, "queue": DirectWriteQueue, "websocket": DirectWebSocket}
    return True
