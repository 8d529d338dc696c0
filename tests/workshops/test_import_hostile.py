"""Hostile archive files through both edges: the staff upload and ``diagnostic import``.

Each attack of issue 14 (finding 10) is refused with a French message, a 4xx status or
exit code 1 with the reasons on stderr, no traceback, and no row written. The limits are
made small here (``IMPORT_MAX_BYTES``) so that the files stay small; they are generated,
never committed.
"""

from __future__ import annotations

import html
import io
import json

import pytest
from sqlalchemy import func, select

from diagnostic.demo.loader import demo_archive
from diagnostic.models import Contribution, Diagnostic, Participant

MAX_BYTES = 500_000
PAGE_LIMIT = 50_000


@pytest.fixture
def app_config(app_config):
    # Every page but the import takes 50 kB at most: the uploads below all exceed it.
    return {**app_config, "IMPORT_MAX_BYTES": MAX_BYTES, "IMPORT_MAX_ERRORS": 50,
            "MAX_CONTENT_LENGTH": PAGE_LIMIT}


def _demo() -> dict:
    return demo_archive()


def _encode(document) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def _first(document: dict, kind: str) -> int:
    return next(i for i, row in enumerate(document["contributions"]) if row["kind"] == kind)


def _nesting() -> bytes:
    return b"[" * 200_000 + b"]" * 200_000


def _surrogate() -> bytes:
    # Valid UTF-8 and valid JSON: the escape decodes to a lone surrogate.
    document = _demo()
    document["contributions"][0]["description"] = "SURROGATE"
    return _encode(document).replace(b"SURROGATE", b"texte \\ud800")


def _nul() -> bytes:
    document = _demo()
    document["participants"][0]["display_name"] = "nul \x00 byte"
    return _encode(document)


def _oversized() -> bytes:
    return _encode(_demo()) + b" " * (MAX_BYTES - 10_000)  # valid JSON, too big


def _errors() -> bytes:
    document = _demo()
    document["diagnostic"].update({f"u{n}": n for n in range(10_000)})
    return _encode(document)


def _javascript() -> bytes:
    document = _demo()
    document["contributions"][_first(document, "initiative")]["website"] = "javascript:alert(1)"
    return _encode(document)


def _long_word() -> bytes:
    document = _demo()
    document["contributions"][_first(document, "need")]["description"] = "x" * 20_000
    return _encode(document)


ATTACKS = {
    "200000 levels": (_nesting, "imbrique trop de niveaux (32 au plus)"),
    "lone surrogate": (_surrogate, "contributions[0].description: Ce texte contient des "
                                   "caractères non autorisés"),
    "NUL byte": (_nul, "participants[0].display_name: Ce texte contient des caractères non"),
    "over the size limit": (_oversized, "dépasse la taille maximale d'une importation"),
    "10000 errors": (_errors, "… et 9950 autres erreurs."),
    "javascript website": (_javascript, ".website: Adresse web invalide"),
    "20000-character word": (_long_word, ".description: Ce texte est trop long."),
}


def _count(db) -> list[int]:
    db.session.expire_all()
    return [db.session.scalar(select(func.count()).select_from(model))
            for model in (Diagnostic, Participant, Contribution)]


def _upload(client, body: bytes, title: str = ""):
    """POST the import form; the multipart body is built in memory (Werkzeug's test
    client spools a large one to a temporary file it never closes)."""
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    upload = FileStorage(io.BytesIO(body), filename="archive.json")
    boundary, data = encode_multipart({"archive": upload, "title": title})
    return client.post("/staff/diagnostics/import", data=data,
                       content_type=f"multipart/form-data; boundary={boundary}")


@pytest.fixture
def staff(make_user, login):
    login(make_user())


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_cli_refuses_each_attack(runner, db, tmp_path, attack):
    make, message = ATTACKS[attack]
    path = tmp_path / "hostile.json"
    path.write_bytes(make())
    before = _count(db)
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert message in result.stderr and "Traceback" not in result.output
    assert result.stdout == ""
    assert _count(db) == before
    if attack == "10000 errors":
        assert result.stderr.count("Champ inconnu.") == 50


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_staff_upload_refuses_each_attack(client, db, staff, attack):
    make, message = ATTACKS[attack]
    before = _count(db)
    response = _upload(client, make(), "")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in html.unescape(page)
    assert _count(db) == before
    if attack == "10000 errors":
        assert html.unescape(page).count("Champ inconnu.") == 50


def test_staff_upload_beyond_the_body_limit_is_a_413(client, db, staff):
    before = _count(db)
    # Announced larger than IMPORT_MAX_BYTES and the multipart envelope: refused unread.
    response = _upload(client, b" " * (MAX_BYTES + 100_000))
    assert response.status_code == 413
    assert _count(db) == before


def test_staff_upload_between_the_limits_gets_the_french_message(client, db, staff):
    before = _count(db)
    response = _upload(client, b" " * (MAX_BYTES + 1_000))
    assert response.status_code == 400
    assert "dépasse la taille maximale" in html.unescape(response.get_data(as_text=True))
    assert _count(db) == before


def test_staff_upload_of_a_valid_archive_larger_than_max_content_length(client, db, staff):
    body = _encode(_demo())
    assert len(body) > PAGE_LIMIT
    response = _upload(client, body, "Importé")
    assert response.status_code == 302, response.get_data(as_text=True)
    imported = db.session.scalar(select(Diagnostic).where(Diagnostic.title == "Importé"))
    assert imported is not None and len(imported.workshops) == 8


def test_other_pages_keep_max_content_length(client, db, staff):
    response = client.post("/staff/diagnostics", data={"title": "x" * (PAGE_LIMIT + 1)})
    assert response.status_code == 413


def test_staff_import_checks_the_csrf_token(app, client, db, staff):
    app.config["WTF_CSRF_ENABLED"] = True
    before = _count(db)
    response = _upload(client, _encode(_demo()))
    assert response.status_code == 400
    assert _count(db) == before


def test_facilitators_cannot_import(client, db, make_user, login):
    from diagnostic.models import Role

    login(make_user(role=Role.FACILITATOR))
    response = _upload(client, _encode(_demo()))
    assert response.status_code == 403
