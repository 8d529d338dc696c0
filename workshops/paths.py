"""Where the application's data folders are: in the source checkout, or inside the
installed package (``setup.py`` copies them into the wheel)."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
"""The source checkout (for an installed copy: the folder holding the packages)."""


def data_folder(name: str) -> Path:
    """``templates``, ``static``, ``translations`` or ``migrations``: inside the package when
    installed from a wheel (setup.py copies them there), at the top of the checkout otherwise."""
    shipped = PACKAGE / name
    return shipped if shipped.is_dir() else ROOT / name


def default_instance_path() -> Path:
    """``instance/`` of the checkout; for an installed copy, of the current directory
    (never site-packages)."""
    installed = (PACKAGE / "templates").is_dir()
    return (Path.cwd() if installed else ROOT) / "instance"
