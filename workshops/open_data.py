"""The public open-data pages: the published directories of initiatives, no login.

``/donnees-ouvertes/`` lists the diagnostics whose staff published their directory;
``/donnees-ouvertes/<id>`` is one directory, searchable (name and description, accents
ignored) and filtered by commune, family and sector through a plain GET form (no
JavaScript); ``initiatives.csv`` and ``initiatives.json`` are its files and
``schema/…`` their schemas (``docs/open-data.md``). A diagnostic whose directory is not
published answers 404 everywhere. Read-only pages, no personal data
(:mod:`diagnostic.opendata.directory`).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request

from diagnostic.frame.identity import file_stem
from diagnostic.opendata import JSON_SCHEMA_FILE, TABLE_SCHEMA_FILE
from diagnostic.opendata.directory import Directory, build_directory, facets, search
from diagnostic.opendata.publication import published_diagnostic, published_diagnostics
from exports.opendata import directory_csv, directory_json

from .extensions import db

bp = Blueprint("open_data", __name__, url_prefix="/donnees-ouvertes")

MAX_QUERY = 200
SCHEMAS = {
    "initiatives.json": JSON_SCHEMA_FILE,
    "initiatives-tableschema.json": TABLE_SCHEMA_FILE,
}


def _published(diagnostic_id: int):
    """The diagnostic named by the URL if its directory is published (404 otherwise)."""
    diagnostic = published_diagnostic(db.session, diagnostic_id)
    if diagnostic is None:
        abort(404)
    return diagnostic


def _open_file(body: bytes, mimetype: str, filename: str) -> Response:
    """A public data file: downloadable, readable by other sites' scripts (CORS)."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/")
def index():
    """The diagnostics whose directory of initiatives is published."""
    return render_template("open_data/index.html",
                           diagnostics=published_diagnostics(db.session))


@bp.get("/<int:diagnostic_id>")
def directory(diagnostic_id: int):
    """One directory: search box, filters, result count, links to the files."""
    diagnostic = _published(diagnostic_id)
    query = (request.args.get("q") or "").strip()
    chosen = {name: (request.args.get(name) or "").strip()
              for name in ("commune", "family", "sector")}
    status = 200
    data: Directory = build_directory(db.session, diagnostic)
    if len(query) > MAX_QUERY or any(len(v) > MAX_QUERY for v in chosen.values()):
        found, status = [], 400
    else:
        found = search(data.entries, query, **chosen)
    return render_template(
        "open_data/directory.html", diagnostic=diagnostic, directory=data,
        facets=facets(data.entries), found=found, query=query, chosen=chosen,
        too_long=status == 400, max_query=MAX_QUERY,
        filtered=bool(query or any(chosen.values())),
    ), status


@bp.get("/<int:diagnostic_id>/initiatives.csv")
def directory_csv_file(diagnostic_id: int):
    """The directory as CSV (Table Schema ``initiatives-tableschema.json``)."""
    diagnostic = _published(diagnostic_id)
    body = directory_csv(build_directory(db.session, diagnostic))
    return _open_file(body, "text/csv; charset=utf-8",
                      f"{file_stem(diagnostic)}-initiatives.csv")


@bp.get("/<int:diagnostic_id>/initiatives.json")
def directory_json_file(diagnostic_id: int):
    """The directory as JSON (JSON Schema ``initiatives.json``)."""
    diagnostic = _published(diagnostic_id)
    body = directory_json(build_directory(db.session, diagnostic))
    return _open_file(body, "application/json",
                      f"{file_stem(diagnostic)}-initiatives.json")


@bp.get("/schema/<any('initiatives.json', 'initiatives-tableschema.json'):name>")
def schema(name: str):
    """The schemas of the files, as stored in the repository."""
    return _open_file(SCHEMAS[name].read_bytes(), "application/schema+json", name)
