"""Checks of the open-data files against their schemas, shared by the unit and e2e tests.

The JSON is validated with ``jsonschema`` (draft 2020-12, formats checked); the CSV with
a small checker of the Table Schema's fields: header, types, required, unique, minimum,
minLength and pattern (implicitly anchored, as Table Schema says).
"""

from __future__ import annotations

import csv
import io
import json
import re

from jsonschema import Draft202012Validator

from diagnostic.opendata import JSON_SCHEMA_FILE, TABLE_SCHEMA_FILE


def json_schema() -> dict:
    return json.loads(JSON_SCHEMA_FILE.read_text(encoding="utf-8"))


def table_schema() -> dict:
    return json.loads(TABLE_SCHEMA_FILE.read_text(encoding="utf-8"))


def validate_json(body: bytes, schema: dict | None = None) -> dict:
    """The parsed document, after checking it against the JSON Schema (raises otherwise)."""
    document = json.loads(body.decode("utf-8"))
    validator = Draft202012Validator(schema or json_schema(),
                                     format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    return document


def table_errors(body: bytes, schema: dict | None = None) -> list[str]:
    """What in the CSV ``body`` breaks the Table Schema (empty when it is valid)."""
    schema = schema or table_schema()
    text = body.decode("utf-8")  # strict: no BOM expected, any invalid byte fails
    errors = []
    if text.startswith("\ufeff"):
        errors.append("byte order mark")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=","))
    fields = schema["fields"]
    if rows[0] != [f["name"] for f in fields]:
        errors.append(f"header {rows[0]}")
    missing = set(schema.get("missingValues", [""]))
    seen: dict[str, set] = {f["name"]: set() for f in fields}
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(fields):
            errors.append(f"line {number}: {len(row)} cells")
            continue
        for field, value in zip(fields, row, strict=True):
            errors.extend(f"line {number}, {field['name']}: {problem}"
                          for problem in _cell_errors(field, value, missing, seen))
    return errors


def _cell_errors(field: dict, value: str, missing: set, seen: dict[str, set]) -> list[str]:
    rules = field.get("constraints", {})
    if value in missing:
        return ["required"] if rules.get("required") else []
    problems = []
    if field["type"] == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            return ["not an integer"]
        if "minimum" in rules and int(value) < rules["minimum"]:
            problems.append("below minimum")
    elif field["type"] != "string":
        problems.append(f"unchecked type {field['type']}")
    if "minLength" in rules and len(value) < rules["minLength"]:
        problems.append("too short")
    if "pattern" in rules and not re.fullmatch(rules["pattern"], value):
        problems.append("pattern")
    if rules.get("unique"):
        if value in seen[field["name"]]:
            problems.append("not unique")
        seen[field["name"]].add(value)
    return problems
