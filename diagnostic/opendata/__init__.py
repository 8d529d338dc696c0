"""The directory of initiatives as open data (issue 20).

Staff choose to publish a diagnostic's directory (:mod:`.publication`, audited in the
synthesis log); the directory is the initiatives of the final report, after merges, with
only their public fields (:mod:`.directory`): never an author, an organisation of a
participant nor a contact. Its two files (CSV and JSON, :mod:`exports.opendata`) are
described by the schemas beside this module (``initiatives.schema.json``, JSON Schema
2020-12; ``initiatives.tableschema.json``, a Frictionless Table Schema) and by
``docs/open-data.md``.
"""

from __future__ import annotations

from pathlib import Path

SCHEMA_FOLDER = Path(__file__).resolve().parent
JSON_SCHEMA_FILE = SCHEMA_FOLDER / "initiatives.schema.json"
TABLE_SCHEMA_FILE = SCHEMA_FOLDER / "initiatives.tableschema.json"
LICENCE = "Licence Ouverte / Open Licence version 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
SCHEMA_VERSION = "1.0.0"
