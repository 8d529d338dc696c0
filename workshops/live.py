"""Live Socket.IO namespace (being built)."""

from flask import Flask

from .extensions import socketio


def init_app(app: Flask) -> None:
    """Install Flask-SocketIO."""
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
    )


def broadcast_workshop_status(workshop) -> None:
    """Tell every client in the workshop's room that its status changed (open/closed)."""
    socketio.emit(
        "workshop_status",
        {"workshop_id": workshop.id, "status": workshop.status.value},
        to=f"workshop:{workshop.id}",
        namespace="/live",
    )
