"""JSON export: schema header, full fidelity, round-trip of counts."""

import json
from datetime import datetime

import pytest

from diagnostic.errors import ValidationError
from exports.json import archive_of, render_report_json


def test_json_parses_back_with_schema_and_counts(make_report):
    report = make_report("Texte « é »")
    data = json.loads(render_report_json(report).decode("utf-8"))
    assert list(data)[:3] == ["schema", "version", "diagnostic_id"]
    assert data["schema"] == "diagnostic-report" and data["version"] == 2
    assert "archive" not in data
    assert data["method"]["contribution_count"] == len(data["contributions"]) == 3
    assert len(data["initiatives"]) == len(report.initiatives)
    assert data["context"]["title"] == "Diagnostic Texte « é »"
    assert datetime.fromisoformat(data["generated_at"]) == report.generated_at
    assert data["method"]["workshops"][0]["date"] == "2011-04-12"


def test_groups_refer_to_items_by_id(make_report):
    data = json.loads(render_report_json(make_report()))
    ids = {item["id"] for item in data["initiatives"]}
    for group in data["initiatives_by_sector"] + data["initiatives_by_family"]:
        assert set(group["item_ids"]) <= ids and group["count"] == len(group["item_ids"])
    assert data["initiatives_by_family"][0]["key"] is None
    assert data["recommendations"][0]["answered_needs"] == [{"id": 2, "text": "Besoin Texte"}]
    assert data["initiatives"][0]["mentions"] == 1
    assert data["initiatives"][0]["workshop_ids"] == [1]
    assert data["initiatives"][0]["sources"] == []


def test_non_ascii_is_written_as_is(make_report):
    raw = render_report_json(make_report("Élu·e 🎉"))
    assert "Élu·e 🎉".encode() in raw and b"\\u00c9" not in raw


def test_output_is_stable(make_report):
    report = make_report()
    assert render_report_json(report) == render_report_json(report)


def test_archive_is_written_last_and_read_back(make_report):
    archive = {"schema": "diagnostic-archive", "version": 1, "stakes": [{"title": "Enjeu é"}]}
    data = json.loads(render_report_json(make_report(), archive=archive))
    assert list(data)[-1] == "archive" and data["archive"] == archive
    assert archive_of(data) == archive
    assert archive_of(archive) is archive  # a bare archive is taken as is


def test_a_report_without_archive_cannot_be_imported(make_report):
    with pytest.raises(ValidationError) as caught:
        archive_of(json.loads(render_report_json(make_report())))
    assert "archive" in caught.value.errors
