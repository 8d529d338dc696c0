"""Translations: a complete English catalog, French by default, English on request.

The catalog tests fail as soon as an interface string is added without its English
translation (run the extract / update commands of the README, then translate). The page
tests use a ``.mo`` compiled here from the current ``.po``, so they never depend on a
stale compiled catalog (``make translations`` compiles the real one; it is git-ignored).
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from diagnostic.models import Role
from workshops.extensions import socketio
from workshops.paths import ROOT

PO_FILE = ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po"
# The keywords of the README's extraction command (on top of Babel's defaults).
EXTRA_KEYWORDS = ("N_", "_l", "lazy_gettext")
PLACEHOLDER_RE = re.compile(r"%\((\w+)\)[sdif]")
GETTEXT_NAMES = {"_", "N_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext"}


def read_catalog(path: Path | None = None):
    with (path or PO_FILE).open("rb") as handle:
        return read_po(handle)


def messages(catalog):
    """The real entries of a catalog (not the header)."""
    return [message for message in catalog if message.id]


def forms_of(value) -> tuple[str, ...]:
    """The singular / plural forms of a msgid or msgstr."""
    return tuple(value) if isinstance(value, list | tuple) else (value,)


# -- The catalog -------------------------------------------------------------------------


def test_every_message_is_translated_and_not_fuzzy():
    catalog = read_catalog()
    entries = messages(catalog)
    assert len(entries) > 250  # the whole interface, not a stub
    untranslated = [m.id for m in entries if not all(forms_of(m.string))]
    fuzzy = [m.id for m in entries if m.fuzzy]
    assert untranslated == []
    assert fuzzy == []
    assert not catalog.fuzzy, "the catalog header is marked fuzzy"
    assert list(catalog.obsolete) == []


def test_plural_entries_have_both_english_forms():
    plurals = [m for m in messages(read_catalog()) if m.pluralizable]
    assert plurals
    for message in plurals:
        assert len(forms_of(message.string)) == 2 and all(forms_of(message.string)), message.id


def test_translations_keep_the_placeholders():
    for message in messages(read_catalog()):
        expected = {p for form in forms_of(message.id) for p in PLACEHOLDER_RE.findall(form)}
        for form in forms_of(message.string):
            assert set(PLACEHOLDER_RE.findall(form)) == expected, message.id


def test_catalog_compiles_without_errors():
    """Babel's own checks (placeholders, plural forms) find nothing to complain about."""
    assert [(m.id, errors) for m, errors in read_catalog().check()] == []


def test_a_fresh_extraction_has_no_message_missing_from_the_catalog(tmp_path):
    """What babel.cfg extracts today (code, templates, exports) is all in the catalog."""
    pot = tmp_path / "messages.pot"
    command = [sys.executable, "-m", "babel.messages.frontend", "extract",
               "-F", "babel.cfg", "-o", str(pot)]
    for keyword in EXTRA_KEYWORDS:
        command += ["-k", keyword]
    subprocess.run([*command, "."], cwd=ROOT, check=True, capture_output=True)
    extracted = {m.id for m in messages(read_catalog(pot))}
    translated = {m.id for m in messages(read_catalog())}
    # Every part of the app is covered by babel.cfg, the export templates included.
    locations = {path for m in messages(read_catalog(pot)) for path, _line in m.locations}
    for prefix in ("diagnostic/", "workshops/", "exports/", "templates/exports/",
                   "templates/participant/", "templates/staff/"):
        assert any(path.startswith(prefix) for path in locations), prefix
    assert sorted(map(str, extracted - translated)) == []


def test_babel_cfg_maps_every_source_folder():
    config = (ROOT / "babel.cfg").read_text(encoding="utf-8")
    for section in ("[python: diagnostic/**.py]", "[python: workshops/**.py]",
                    "[python: exports/**.py]", "[jinja2: templates/**.html]"):
        assert section in config


def test_makefile_compiles_the_catalogs_before_the_tests():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")

    def prerequisites(target: str) -> list[str]:
        match = re.search(rf"^{target}:([^\n]*)$", makefile, re.MULTILINE)
        assert match, target
        return match.group(1).split()

    assert "install" in prerequisites("test")
    assert "translations" in prerequisites("install")
    recipe = re.search(r"^translations:[^\n]*\n((?:\t[^\n]*\n)+)", makefile, re.MULTILINE)
    assert recipe and "pybabel compile -d translations" in recipe.group(1)


# -- How strings are marked ---------------------------------------------------------------


def _python_sources() -> list[Path]:
    return sorted(
        path for folder in ("diagnostic", "workshops", "exports")
        for path in (ROOT / folder).rglob("*.py")
    )


def test_gettext_is_never_given_a_formatted_string():
    """``_("… %(name)s", name=x)``, never ``_(f"…")``, ``_("…" % x)`` or ``_("…".format())``.

    A formatted msgid is not extracted and never matches the catalog.
    """
    offenders = []
    for path in _python_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in GETTEXT_NAMES:
                continue
            first = node.args[0]
            formatted = (
                isinstance(first, ast.JoinedStr)
                or (isinstance(first, ast.BinOp) and isinstance(first.op, ast.Mod | ast.Add))
                or (isinstance(first, ast.Call) and getattr(first.func, "attr", "") == "format")
            )
            if formatted:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_templates_do_not_build_msgids_dynamically():
    """In templates, ``_("…")`` takes a literal: no ``~``, ``%`` or ``|format`` inside."""
    pattern = re.compile(r"""\b_\(\s*(["'])(?:(?!\1).)*\1\s*(~|%|\|)""")
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_scripts_hold_no_french_text():
    """Browser scripts get every string from the page's JSON config (translated)."""
    french = re.compile(r"""(["'`])[^"'`\n]*[àâçéèêëîïôûùœÀÉÈ][^"'`\n]*\1""")
    for path in sorted((ROOT / "static" / "js").glob("*.js")):
        code = re.sub(r"/\*.*?\*/|//[^\n]*", "", path.read_text(encoding="utf-8"), flags=re.S)
        assert french.findall(code) == [], path.name


# -- The pages ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compiled_translations(tmp_path_factory) -> Path:
    """The current .po compiled to a temporary translations folder."""
    folder = tmp_path_factory.mktemp("translations")
    target = folder / "en" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.mo").open("wb") as handle:
        write_mo(handle, read_catalog())
    return folder


@pytest.fixture
def app_config(app_config, compiled_translations) -> dict:
    return {**app_config, "BABEL_TRANSLATION_DIRECTORIES": str(compiled_translations)}


def live_config(page: str) -> dict:
    """The JSON configuration the page gives its scripts."""
    match = re.search(r'<script type="application/json" id="live-config">(.*?)</script>',
                      page, re.S)
    assert match, "no live-config on the page"
    return json.loads(match.group(1))


def english(client) -> None:
    """Switch this browser to English with the header's language button."""
    response = client.post("/lang", data={"lang": "en", "next": "/"})
    assert response.status_code == 302


def test_pages_are_french_by_default(client):
    join = client.get("/join").get_data(as_text=True)
    assert '<html lang="fr">' in join
    assert "Rejoindre un atelier" in join and ">English</button>" in join
    login = client.get("/auth/login").get_data(as_text=True)
    assert "<title>Connexion ·" in login and "Connexion de l'équipe" in login


def test_pages_are_english_after_choosing_english(client):
    english(client)
    join = client.get("/join").get_data(as_text=True)
    assert '<html lang="en">' in join
    assert "<h1>Join a workshop</h1>" in join
    assert "Enter the code shown in the room. No account needed." in join
    assert 'value="Join"' in join and ">Français</button>" in join
    assert "Rejoindre" not in join
    login = client.get("/auth/login").get_data(as_text=True)
    assert "<title>Log in ·" in login and "<h1>Team login</h1>" in login
    assert "Email address" in login and "Password" in login
    assert "Connexion" not in login


def test_english_choice_can_be_undone(client):
    english(client)
    client.post("/lang", data={"lang": "fr", "next": "/"})
    assert "<h1>Rejoindre un atelier</h1>" in client.get("/join").get_data(as_text=True)


def test_domain_error_is_shown_in_english(client):
    english(client)
    response = client.post("/join", data={"code": "ZZZZZZ"})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "No workshop matches the code “ZZZZZZ”." in page
    assert "Aucun atelier" not in page


def test_form_errors_are_shown_in_english(client):
    english(client)
    page = client.post("/auth/login", data={"email": "nope", "password": ""}).get_data(
        as_text=True
    )
    assert "Invalid email address." in page and "This field is required." in page


def test_flash_messages_are_english(client, make_user, login):
    login(make_user())
    english(client)
    page = client.post("/auth/logout", follow_redirects=True).get_data(as_text=True)
    assert "You are logged out." in page


def test_participant_page_and_its_script_strings_are_english(client, make_workshop):
    workshop = make_workshop()
    english(client)
    client.post(f"/j/{workshop.join_code}", data={"display_name": "Sam"})
    page = client.get(f"/j/{workshop.join_code}/contribute").get_data(as_text=True)
    assert "An initiative of the territory" in page and "Who should act?" in page
    # live.js / participant.js read their strings from this JSON config.
    config = live_config(page)
    assert config["strings"]["sending"] == "Sending…"
    assert config["strings"]["offline"] == "Connection lost, reconnecting…"
    assert config["labels"]["kind"]["recommendation"] == "Recommendation"
    assert config["labels"]["urgency"]["high"] == "High"


def test_staff_report_is_english(client, make_user, login, make_workshop):
    workshop = make_workshop()
    login(make_user())
    english(client)
    page = client.get(f"/staff/diagnostics/{workshop.diagnostic_id}/report").get_data(
        as_text=True
    )
    assert "Recommendations by stake" in page and "Préconisations par enjeu" not in page
    csv = client.get(f"/staff/diagnostics/{workshop.diagnostic_id}/report.csv")
    assert csv.get_data(as_text=True).lstrip("\ufeff").startswith("ID;Workshop ID;Workshop;")


def test_socket_refusals_follow_the_session_language(app, make_workshop, db):
    workshop = make_workshop()
    http = app.test_client()
    english(http)
    assert http.post(f"/j/{workshop.join_code}", data={"display_name": "Sam"}).status_code == 302
    socket = socketio.test_client(
        app, namespace="/live", flask_test_client=http, auth={"workshop_id": workshop.id}
    )
    ack = socket.emit("submit_contribution", "not an object", namespace="/live", callback=True)
    assert ack == {"ok": False, "error": "Unreadable contribution.", "fields": {}}
    ack = socket.emit("submit_contribution", {"kind": "need"}, namespace="/live", callback=True)
    assert ack["error"] == "Some fields are invalid."
    assert ack["fields"]["description"] == "This field is required."
    socket.disconnect(namespace="/live")


def test_board_strings_are_english(client, make_user, login, make_workshop):
    workshop = make_workshop()
    login(make_user(role=Role.FACILITATOR))
    english(client)
    page = client.get(f"/board/{workshop.id}").get_data(as_text=True)
    assert "Join the workshop at" in page
    config = live_config(page)
    assert config["strings"]["connected"] == "Live"
    assert config["strings"]["status"] == {"draft": "In preparation", "open": "Open",
                                           "closed": "Closed"}


def test_each_request_looks_its_catalog_up_once(app, monkeypatch):
    """Flask-Babel is asked once per request (its answer kept in ``g``), in each request's
    own language."""
    from workshops import i18n

    lookups = []
    real = i18n.get_translations
    monkeypatch.setattr(i18n, "get_translations", lambda: lookups.append(1) or real())
    # Each request in its own app context (its own g), as in production.
    with app.app_context(), app.test_request_context("/?lang=en"):
        assert [i18n.gettext("Demande illisible.") for _ in range(3)] == [
            "Unreadable request."] * 3
        assert app.jinja_env.from_string("{{ _('Demande illisible.') }}").render() \
            == "Unreadable request."
    assert len(lookups) == 1
    with app.app_context(), app.test_request_context("/"):
        assert i18n.gettext("Demande illisible.") == "Demande illisible."
    assert len(lookups) == 2
