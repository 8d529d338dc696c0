"""``diagnostic export`` and ``diagnostic import`` through the real CLI, files opened back."""

from __future__ import annotations

import base64
import html
import json
import stat

import pytest
from sqlalchemy import func, select

from diagnostic.demo.loader import load_demo
from diagnostic.models import Contribution, Diagnostic, Workshop
from exports.formats import FORMATS, MINUTES_FORMATS


@pytest.fixture
def demo(db):
    demo = load_demo(db.session)
    db.session.commit()
    return demo


def _open(fmt: str, body: bytes) -> str:
    """The text of an exported document, read back with the format's own library."""
    import io

    if fmt == "pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    if fmt == "docx":
        from docx import Document

        document = Document(io.BytesIO(body))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if fmt == "odt":
        from odfdo import Document as OdfDocument

        return OdfDocument(io.BytesIO(body)).get_formatted_text()
    if fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(str(value) for sheet in book.worksheets
                         for row in sheet.iter_rows(values_only=True) for value in row
                         if value is not None)
    if fmt == "csv":
        assert body.startswith(b"\xef\xbb\xbf")
        return body.decode("utf-8-sig")
    if fmt == "json":
        data = json.loads(body)
        return json.dumps(data, ensure_ascii=False)
    assert body.lstrip().lower().startswith(b"<!doctype html>")
    return html.unescape(body.decode("utf-8"))


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_export_each_format(runner, demo, tmp_path, fmt):
    folder = tmp_path / "out"
    folder.mkdir()
    output = folder / f"rapport.{fmt}"
    result = runner.invoke(args=["export", "--diagnostic", str(demo.id), "--format", fmt,
                                 "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {output}" in result.output
    text = _open(fmt, output.read_bytes())
    assert "Tolosa Entreprendre" in text  # an initiative of the demo
    if fmt not in ("csv", "xlsx"):  # tables of contributions have no title page
        assert demo.title in text
    assert [p.name for p in folder.iterdir()] == [output.name]  # no temporary file left


def test_json_export_holds_the_archive_and_is_private(runner, demo, tmp_path):
    output = tmp_path / "rapport.json"
    result = runner.invoke(args=["export", "--diagnostic", str(demo.id), "--format", "json",
                                 "-o", str(output)])
    assert result.exit_code == 0, result.output
    data = json.loads(output.read_bytes())
    assert data["schema"] == "diagnostic-report" and data["version"] == 2
    assert data["archive"]["schema"] == "diagnostic-archive"
    assert len(data["archive"]["contributions"]) == len(demo.workshops[0].contributions) + sum(
        len(w.contributions) for w in demo.workshops[1:])
    assert stat.S_IMODE(output.stat().st_mode) == 0o600

    public = tmp_path / "public.json"
    result = runner.invoke(args=["export", "--diagnostic", str(demo.id), "--format", "json",
                                 "--no-archive", "-o", str(public)])
    assert result.exit_code == 0, result.output
    assert "archive" not in json.loads(public.read_bytes())
    assert stat.S_IMODE(public.stat().st_mode) == 0o644


def test_lang_en_gives_english_strings(runner, demo, tmp_path):
    for lang in ("fr", "en"):
        result = runner.invoke(args=["export", "--diagnostic", str(demo.id), "--format", "csv",
                                     "--lang", lang, "-o", str(tmp_path / f"{lang}.csv")])
        assert result.exit_code == 0, result.output
    french = (tmp_path / "fr.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    english = (tmp_path / "en.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert french.startswith("Identifiant;") and english.startswith("ID;")
    result = runner.invoke(args=["export", "--diagnostic", str(demo.id), "--format", "html",
                                 "--lang", "en", "-o", str(tmp_path / "en.html")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "en.html").read_text(encoding="utf-8")
    assert "Recommendations" in page and "Préconisations" not in page


def test_unknown_diagnostic_is_a_clear_error(runner, demo, tmp_path):
    output = tmp_path / "x.html"
    result = runner.invoke(args=["export", "--diagnostic", "999", "--format", "html",
                                 "-o", str(output)])
    assert result.exit_code != 0
    assert "No diagnostic with id 999" in result.output
    assert not output.exists()


def test_missing_directory_is_a_clear_error(runner, demo, tmp_path):
    output = tmp_path / "nowhere" / "x.html"
    result = runner.invoke(args=["export", "--diagnostic", str(demo.id), "--format", "html",
                                 "-o", str(output)])
    assert result.exit_code != 0
    assert "does not exist" in result.output


def test_output_to_a_directory_and_bad_arguments(runner, demo, tmp_path):
    result = runner.invoke(args=["export", "--diagnostic", str(demo.id), "--format", "html",
                                 "-o", str(tmp_path)])
    assert result.exit_code != 0 and "is a directory" in result.output
    result = runner.invoke(args=["export", "--format", "html", "-o", str(tmp_path / "a")])
    assert result.exit_code != 0 and "exactly one of" in result.output
    result = runner.invoke(args=["export", "--diagnostic", str(demo.id), "--format", "rtf",
                                 "-o", str(tmp_path / "a")])
    assert result.exit_code != 0


def test_an_existing_file_is_replaced(runner, demo, tmp_path):
    output = tmp_path / "rapport.html"
    output.write_text("old")
    result = runner.invoke(args=["export", "--diagnostic", str(demo.id), "--format", "html",
                                 "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert demo.title in html.unescape(output.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt", list(MINUTES_FORMATS))
def test_export_minutes(runner, demo, tmp_path, fmt):
    workshop = demo.workshops[0]
    output = tmp_path / f"cr.{fmt}"
    result = runner.invoke(args=["export", "--workshop", str(workshop.id), "--format", fmt,
                                 "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert workshop.title in _open(fmt, output.read_bytes())


def test_minutes_refuse_report_only_formats_and_unknown_workshop(runner, demo, tmp_path):
    result = runner.invoke(args=["export", "--workshop", str(demo.workshops[0].id),
                                 "--format", "csv", "-o", str(tmp_path / "cr.csv")])
    assert result.exit_code != 0 and "not available" in result.output
    result = runner.invoke(args=["export", "--workshop", "999", "--format", "html",
                                 "-o", str(tmp_path / "cr.html")])
    assert result.exit_code != 0 and "No workshop with id 999" in result.output


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_import_restores_an_exported_json(runner, db, demo, tmp_path):
    output = tmp_path / "rapport.json"
    runner.invoke(args=["export", "--diagnostic", str(demo.id), "--format", "json",
                        "-o", str(output)])
    contributions = _count(db, Contribution)
    result = runner.invoke(args=["import", str(output), "--title", "Copie restaurée"])
    assert result.exit_code == 0, result.output
    new_id = int(result.output.split("#")[1].split(":")[0])
    restored = db.session.get(Diagnostic, new_id)
    assert restored.title == "Copie restaurée" and new_id != demo.id
    assert _count(db, Contribution) == 2 * contributions
    assert _count(db, Workshop) == 2 * len(demo.workshops)

    bare = tmp_path / "archive.json"
    bare.write_text(json.dumps(json.loads(output.read_bytes())["archive"]), encoding="utf-8")
    result = runner.invoke(args=["import", str(bare)])
    assert result.exit_code == 0, result.output
    assert f"{demo.title}" in result.output
    assert _count(db, Contribution) == 3 * contributions


def test_import_refused_by_the_database_midway_writes_nothing(runner, db, demo, tmp_path):
    output = tmp_path / "rapport.json"
    runner.invoke(args=["export", "--diagnostic", str(demo.id), "--format", "json",
                        "-o", str(output)])
    document = json.loads(output.read_bytes())
    # Every field is valid, but a territorial workshop needs a sector: the database
    # refuses the workshops after the diagnostic, its stakes and terms were inserted.
    document["archive"]["workshops"][0]["sector_id"] = None
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document), encoding="utf-8")
    models = (Diagnostic, Workshop, Contribution)
    before = [_count(db, model) for model in models]
    result = runner.invoke(args=["import", str(broken)])
    assert result.exit_code != 0
    assert "archive: L'archive contredit les règles de la base de données." in result.output
    db.session.expire_all()
    assert [_count(db, model) for model in models] == before


def test_import_refuses_bad_files_and_writes_nothing(runner, db, demo, tmp_path):
    without = tmp_path / "public.json"
    runner.invoke(args=["export", "--diagnostic", str(demo.id), "--format", "json",
                        "--no-archive", "-o", str(without)])
    not_json = tmp_path / "x.json"
    not_json.write_bytes(b"\xff{not json")
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"schema": "diagnostic-archive", "version": 1}))
    before = _count(db, Diagnostic)
    for path, message in ((without, "ne contient pas l'archive"),
                          (not_json, "pas un texte UTF-8 valide"),
                          (broken, "contributions: Ce champ est obligatoire.")):
        result = runner.invoke(args=["import", str(path)])
        assert result.exit_code != 0
        assert message in result.output
    assert _count(db, Diagnostic) == before


def test_export_then_import_round_trips_the_report_identity(runner, db, demo, tmp_path):
    output = tmp_path / "rapport.json"
    runner.invoke(args=["export", "--diagnostic", str(demo.id), "--format", "json",
                        "-o", str(output)])
    document = json.loads(output.read_bytes())
    # The JSON report's context carries the identity too, the logo in base64.
    identity = document["context"]["identity"]
    assert identity["authority"] == "Communauté urbaine du Grand Toulouse"
    assert identity["logo_type"] == "image/svg+xml" and identity["logo"]
    result = runner.invoke(args=["import", str(output)])
    assert result.exit_code == 0, result.output
    restored = db.session.get(Diagnostic, int(result.output.split("#")[1].split(":")[0]))
    assert restored.report_authority == demo.report_authority
    assert restored.report_logo == demo.report_logo
    assert restored.report_logo_png == demo.report_logo_png
    assert restored.download_stem == "diagnostic-ess-grand-toulouse-2011"

    evil = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    document["archive"]["diagnostic"]["report_logo"] = base64.b64encode(evil).decode()
    broken = tmp_path / "evil-logo.json"
    broken.write_text(json.dumps(document), encoding="utf-8")
    before = _count(db, Diagnostic)
    result = runner.invoke(args=["import", str(broken)])
    assert result.exit_code != 0
    assert "diagnostic.report_logo: Le SVG contient du code ou des éléments interdits" in (
        result.output)
    assert _count(db, Diagnostic) == before
