"""Packaging glue pyproject.toml cannot express: the top-level data folders in the wheel.

The checkout keeps templates/, static/, translations/ and migrations/ at the top (see the
README's layout); a wheel carries them inside the packages that read them, where
``workshops.data_folder`` and ``exports.html`` look first. The catalogs are compiled here
from their .po files, and the build stops when the vendored browser code is missing.
An editable install reads the checkout's folders and copies nothing.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.errors import FileError

HERE = Path(__file__).resolve().parent

# Checkout folder -> folder in the wheel, and the sub-folders left out of it.
FOLDERS = {
    "templates": ("workshops/templates", ("exports",)),
    "templates/exports": ("exports/templates", ()),
    "static": ("workshops/static", ()),
    "migrations": ("workshops/migrations", ()),
}
CATALOGS = ("translations", "workshops/translations")
# Files our templates and scripts load from static/vendor/, e.g. 'vendor/socket.io.esm.min.js'.
VENDOR_REFERENCE = re.compile(r"\bvendor/[\w.\-/]+\.(?:js|mjs|css)\b")


def missing_vendor_files() -> list[str]:
    """static/vendor/ files the templates or our scripts refer to that are not there."""
    static = HERE / "static"
    sources = [
        *(HERE / "templates").rglob("*.html"),
        *(path for path in static.rglob("*.js") if static / "vendor" not in path.parents),
    ]
    wanted = {
        name for path in sources
        for name in VENDOR_REFERENCE.findall(path.read_text(encoding="utf-8"))
    }
    return sorted(name for name in wanted if not (static / name).is_file())


def ignore_in(top: Path, skipped: tuple[str, ...]):
    """A ``copytree`` filter: bytecode everywhere, and ``skipped`` folders of ``top``."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        left_out = {name for name in names
                    if name == "__pycache__" or name.endswith((".pyc", ".pyo"))}
        if Path(folder) == top:
            left_out.update(name for name in names if name in skipped)
        return left_out

    return ignore


def compile_catalogs(source: Path, target: Path) -> list[Path]:
    """Compile every ``<lang>/LC_MESSAGES/*.po`` of ``source`` into ``target`` (.mo)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    compiled = []
    for po in sorted(source.glob("*/LC_MESSAGES/*.po")):
        mo = target / po.relative_to(source).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as infile:
            catalog = read_po(infile, locale=po.parent.parent.name)
        with mo.open("wb") as outfile:
            write_mo(outfile, catalog)  # fuzzy entries left out, as `pybabel compile`
        compiled.append(mo)
    return compiled


class BuildWithDataFolders(build_py):
    """``build_py`` that also copies the data folders into the built packages."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        missing = missing_vendor_files()
        if missing:
            raise FileError(
                f"static/{', static/'.join(missing)} missing: run `make install` before "
                "building the package (it copies the browser libraries from node_modules)."
            )
        build = Path(self.build_lib)
        for source, (target, skipped) in FOLDERS.items():
            # A fresh copy: a file deleted from the checkout must not linger in the wheel.
            shutil.rmtree(build / target, ignore_errors=True)
            shutil.copytree(HERE / source, build / target, ignore=ignore_in(HERE / source, skipped))
        source, target = CATALOGS
        shutil.rmtree(build / target, ignore_errors=True)
        if not compile_catalogs(HERE / source, build / target):
            raise FileError(f"No catalog (*.po) under {source}/: the package would be French only.")


setup(cmdclass={"build_py": BuildWithDataFolders})
