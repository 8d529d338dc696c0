"""``diagnostic export --no-personal-data`` and the staff JSON download *sans données
personnelles*: no name, organisation or contact, and the file imports back."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from diagnostic.models import Diagnostic, Participant, Role, Workshop
from tests.privacy_data import personal_diagnostic, personal_strings


@pytest.fixture
def personal(db, make_diagnostic, make_workshop, make_participant, initiative_data, make_user):
    facilitator = make_user(role=Role.FACILITATOR, email="anim@example.org")
    return personal_diagnostic(db, make_diagnostic, make_workshop, make_participant,
                               initiative_data, facilitator)


def leaks(text: str) -> list[str]:
    return [value for value in personal_strings() if value in text]


def export(runner, diagnostic, tmp_path, fmt, *options):
    output = tmp_path / f"rapport.{fmt}"
    result = runner.invoke(args=["export", "--diagnostic", str(diagnostic.id), "--format", fmt,
                                 "-o", str(output), *options])
    assert result.exit_code == 0, result.output
    return output


def test_json_without_personal_data_round_trips(runner, db, personal, tmp_path):
    full = export(runner, personal, tmp_path, "json").read_text(encoding="utf-8")
    assert leaks(full) == personal_strings()
    output = export(runner, personal, tmp_path, "json", "--no-personal-data")
    text = output.read_text(encoding="utf-8")
    assert leaks(text) == []
    assert "Participant·e 1" in text and json.loads(text)["archive"]["participants"]

    result = runner.invoke(args=["import", str(output), "--title", "Copie anonyme"])
    assert result.exit_code == 0, result.output
    restored = db.session.scalar(select(Diagnostic).where(Diagnostic.title == "Copie anonyme"))
    names = db.session.scalars(select(Participant.display_name).join(Workshop)
                               .where(Workshop.diagnostic_id == restored.id)).all()
    assert sorted(names) == ["Participant·e 1", "Participant·e 2"]
    again = export(runner, restored, tmp_path, "json").read_text(encoding="utf-8")
    assert leaks(again) == []


def test_no_archive_and_no_personal_data_together(runner, personal, tmp_path):
    output = export(runner, personal, tmp_path, "json", "--no-personal-data", "--no-archive")
    data = json.loads(output.read_text(encoding="utf-8"))
    assert "archive" not in data and leaks(json.dumps(data, ensure_ascii=False)) == []


def test_csv_without_personal_data(runner, personal, tmp_path):
    full = export(runner, personal, tmp_path, "csv").read_text(encoding="utf-8-sig")
    assert "Zéphyrine Quillard" in full and "Les Ateliers Brindille" in full
    text = export(runner, personal, tmp_path, "csv", "--no-personal-data")
    assert leaks(text.read_text(encoding="utf-8-sig")) == []


def test_no_personal_data_is_for_reports(runner, personal, tmp_path):
    workshop = personal.workshops[0]
    result = runner.invoke(args=["export", "--workshop", str(workshop.id), "--format", "html",
                                 "-o", str(tmp_path / "cr.html"), "--no-personal-data"])
    assert result.exit_code != 0 and "--no-personal-data" in result.output


@pytest.fixture
def staff_client(client, login, make_user):
    login(make_user())
    return client


def test_staff_download_without_personal_data(staff_client, personal):
    page = staff_client.get(f"/staff/diagnostics/{personal.id}/report").get_data(as_text=True)
    link = f"/staff/diagnostics/{personal.id}/report.json?personal_data=0"
    assert f'href="{link}"' in page and "JSON sans données personnelles" in page
    full = staff_client.get(f"/staff/diagnostics/{personal.id}/report.json")
    assert leaks(full.get_data(as_text=True)) == personal_strings()
    response = staff_client.get(link)
    assert response.status_code == 200
    assert "-rapport-anonyme.json" in response.headers["Content-Disposition"]
    assert leaks(response.get_data(as_text=True)) == []
    assert staff_client.get(f"/staff/diagnostics/{personal.id}/report.csv?personal_data=0"
                            ).status_code == 404
