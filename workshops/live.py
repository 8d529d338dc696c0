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
