"""The live pages load our browser code as ES modules: one entry module per page, which
imports the others; every module it needs is preloaded, and none of them sets globals."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workshops.paths import ROOT

STATIC = ROOT / "static"
IMPORT = re.compile(r'^\s*import\s[^;]*?from\s+"(\.{1,2}/[^"]+)";', re.M | re.S)
MODULE_SCRIPT = re.compile(r'<script type="module" src="/static/(js/[\w-]+\.js)"></script>')
PRELOAD = re.compile(r'<link rel="modulepreload" href="/static/([\w/.-]+\.js)">')


def imports_of(path: Path) -> set[Path]:
    """The files a module imports, resolved from its own folder."""
    return {(path.parent / spec).resolve() for spec in IMPORT.findall(path.read_text("utf-8"))}


def closure(entry: Path) -> set[str]:
    """Every file an entry module imports, directly or not (paths under static/)."""
    seen: set[Path] = set()
    todo = [entry.resolve()]
    while todo:
        for found in imports_of(todo.pop()) - seen:
            seen.add(found)
            if found.suffix == ".js" and "vendor" not in found.parts:
                todo.append(found)
    return {str(path.relative_to(STATIC.resolve())) for path in seen}


@pytest.fixture
def pages(client, login, make_user, make_workshop) -> dict[str, str]:
    """The HTML of the phone, board and console pages of one workshop."""
    workshop = make_workshop()
    client.post(f"/j/{workshop.join_code}", data={"display_name": "Sam"})
    phone = client.get(f"/j/{workshop.join_code}/contribute").get_data(as_text=True)
    login(make_user())
    return {
        "participant": phone,
        "board": client.get(f"/board/{workshop.id}").get_data(as_text=True),
        "console": client.get(f"/facilitate/{workshop.id}").get_data(as_text=True),
    }


@pytest.mark.parametrize("page", ["participant", "board", "console"])
def test_a_live_page_loads_one_entry_module_and_preloads_its_imports(pages, page):
    html = pages[page]
    assert MODULE_SCRIPT.findall(html) == [f"js/{page}.js"]
    assert "<script src=" not in html and " defer" not in html
    preloaded = PRELOAD.findall(html)
    assert len(preloaded) == len(set(preloaded))
    needed = closure(STATIC / "js" / f"{page}.js")
    assert "vendor/socket.io.esm.min.js" in needed
    assert set(preloaded) == needed


def test_every_import_resolves_and_no_module_sets_a_global():
    modules = sorted((STATIC / "js").glob("*.js"))
    assert modules
    for module in modules:
        for found in imports_of(module):
            assert found.exists(), f"{module.name} imports a missing {found}"
        text = module.read_text("utf-8")
        assert not re.search(r"\bwindow\.\w+\s*=[^=]", text), module.name
        assert not re.search(r"\bwindow\.(Live|Outbox|Phases|io)\b", text), module.name
