"""The ``diagnostic`` console script: Flask's CLI on this app, with the project's commands
(``commands.py``, registered by ``create_app``)."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup


def _create_app():
    """The app the commands run on (built from the environment's settings)."""
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def main() -> None:
    """Collaborative territorial diagnostic: administration commands."""
