"""A wheel built from the checkout carries the data folders and runs away from the checkout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from workshops.paths import ROOT

pytestmark = pytest.mark.slow

# Top-level folders that are not build inputs (and may be big or stale).
NOT_BUILD_INPUTS = {".git", ".venv", "node_modules", "build", "dist", "instance",
                    "test-artifacts", ".pytest_cache", ".ruff_cache"}
PACKAGES = ("diagnostic", "workshops", "exports")

# Run by the installed copy: which files it imports, and what a visitor gets.
RENDER = """
import json, exports.html, workshops
from workshops import create_app
app = create_app({"SECRET_KEY": "test"})
client = app.test_client()
print(json.dumps({
    "modules": [workshops.__file__, exports.html.__file__],
    "report_templates": str(exports.html.TEMPLATES),
    "join": client.get("/join").get_data(as_text=True),
    "join_en": client.get("/join?lang=en").get_data(as_text=True),
    "vendor": client.get("/static/vendor/socket.io.esm.min.js").status_code,
}))
"""


def files_under(folder: Path) -> set[str]:
    """Paths of the files below ``folder`` (bytecode and hidden files left out), relative to it."""
    paths = (path.relative_to(folder) for path in folder.rglob("*") if path.is_file())
    return {path.as_posix() for path in paths
            if "__pycache__" not in path.parts and not path.name.startswith(".")}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel built from a copy of the checkout (the checkout's build/ stays untouched)."""
    tmp = tmp_path_factory.mktemp("packaging")
    source = tmp / "source"
    shutil.copytree(ROOT, source, ignore=lambda folder, names: {
        name for name in names
        if name == "__pycache__" or name.endswith(".egg-info")
        or (Path(folder) == ROOT and name in NOT_BUILD_INPUTS)
    })
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--no-index", "--quiet", "--wheel-dir", str(tmp / "dist"), str(source)],
        check=True, capture_output=True, cwd=tmp,
    )
    (built,) = (tmp / "dist").glob("*.whl")
    return built


def test_the_wheel_carries_templates_static_files_catalogs_and_migrations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"exports/templates/{name}" for name in files_under(ROOT / "templates/exports")}
    expected |= {f"workshops/templates/{name}" for name in files_under(ROOT / "templates")
                 if not name.startswith("exports/")}
    expected |= {f"workshops/static/{name}" for name in files_under(ROOT / "static")}
    expected |= {f"workshops/migrations/{name}" for name in files_under(ROOT / "migrations")}
    expected |= {f"workshops/translations/{po.relative_to(ROOT / 'translations').as_posix()}"
                 .removesuffix(".po") + ".mo"
                 for po in (ROOT / "translations").glob("*/LC_MESSAGES/*.po")}
    # Data files inside the packages (a demo JSON file, ...) ship too.
    expected |= {f"{package}/{name}" for package in PACKAGES
                 for name in files_under(ROOT / package)}
    assert {
        "workshops/static/vendor/socket.io.esm.min.js",
        "workshops/translations/en/LC_MESSAGES/messages.mo",
        "workshops/migrations/alembic.ini",
        "workshops/migrations/env.py",
        "exports/templates/report.html",
    } <= expected
    assert sorted(expected - names) == []
    # Nothing lands at the top of site-packages but the packages (no templates/, tests/...).
    top_level = {name.split("/")[0] for name in names}
    assert {name for name in top_level if not name.endswith(".dist-info")} == set(PACKAGES)


def test_the_installed_copy_runs_from_another_directory(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet",
         "--target", str(site), str(wheel)],
        check=True, capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    for variable in ("DIAGNOSTIC_INSTANCE_PATH", "DATABASE_URL", "FLASK_APP"):
        env.pop(variable, None)

    def run(*command: str) -> str:
        done = subprocess.run(command, cwd=elsewhere, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    # The default instance folder of an installed copy is the current directory's.
    database = elsewhere / "instance" / "diagnostic.db"
    assert f"sqlite:///{database}" in run(str(site / "bin" / "diagnostic"), "init-db")
    assert database.is_file()
    assert "demo" in run(str(site / "bin" / "diagnostic"), "bootstrap")
    report = elsewhere / "report.html"
    run(str(site / "bin" / "diagnostic"), "export", "--diagnostic", "1", "--format", "html",
        "-o", str(report))
    assert "Grand Toulouse" in report.read_text(encoding="utf-8")

    page = json.loads(run(sys.executable, "-c", RENDER))
    assert all(Path(module).is_relative_to(site) for module in page["modules"])
    assert Path(page["report_templates"]).is_relative_to(site)
    assert "Rejoindre un atelier" in page["join"]
    assert "Join a workshop" in page["join_en"]
    assert page["vendor"] == 200
