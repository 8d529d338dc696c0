"""The privacy notice: its default, its versions, validation and the retention period."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from diagnostic.errors import ValidationError
from diagnostic.frame import archiving
from diagnostic.frame.archiving import ArchivedError
from diagnostic.models import PrivacyNotice
from diagnostic.privacy.notice import (
    DPO_PLACEHOLDER,
    current_notice,
    dpo_missing,
    notice_history,
    notice_in_force,
    set_notice,
)

NOW = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
LATER = datetime(2026, 6, 1, 14, 0, tzinfo=UTC)


def fields(**overrides):
    values = {"controller": "Toulouse Métropole", "purpose": "Conduire le diagnostic.",
              "legal_basis": "Mission d'intérêt public (6.1.e).",
              "dpo_contact": "dpo@toulouse-metropole.fr", "rights": "Écrivez au DPO.",
              "retention_months": 18}
    values.update(overrides)
    return values


def versions(db) -> int:
    return db.session.scalar(select(func.count()).select_from(PrivacyNotice))


def test_default_notice_names_the_authority_or_a_neutral_controller(db, make_diagnostic):
    diagnostic = make_diagnostic(title="Diagnostic ESS")
    notice = current_notice(db.session, diagnostic)
    assert notice.version is None and versions(db) == 0  # shown, never stored by a read
    assert "Diagnostic ESS" in notice.controller and "collectivité" in notice.controller
    assert "6.1.e" in notice.legal_basis and "6.1.a" in notice.legal_basis
    assert "CNIL" in notice.rights and "effacer" in notice.rights
    assert notice.dpo_contact == DPO_PLACEHOLDER and dpo_missing(notice)
    assert notice.retention_months == 12
    diagnostic.report_authority = "Communauté urbaine du Grand Toulouse"
    assert current_notice(db.session, diagnostic).controller == (
        "Communauté urbaine du Grand Toulouse")


def test_notice_in_force_stores_the_default_as_version_one_once(db, make_diagnostic):
    diagnostic = make_diagnostic()
    first = notice_in_force(db.session, diagnostic, NOW)
    again = notice_in_force(db.session, diagnostic, LATER)
    assert first.version == 1 and again is first and versions(db) == 1
    assert first.created_by is None
    assert first.created_at.replace(tzinfo=UTC) == NOW


def test_each_change_is_a_new_version_with_its_author_and_time(db, make_diagnostic, make_user):
    diagnostic = make_diagnostic()
    staff = make_user()
    notice_in_force(db.session, diagnostic, NOW)
    saved = set_notice(db.session, diagnostic, staff, **fields(), now=LATER)
    assert saved.created and saved.notice.version == 2
    assert saved.notice.created_by == staff
    assert diagnostic.retention_months == 18
    unchanged = set_notice(db.session, diagnostic, staff, **fields(), now=LATER)
    assert not unchanged.created and unchanged.notice.version == 2 and versions(db) == 2
    changed = set_notice(db.session, diagnostic, staff, **fields(retention_months=24))
    assert changed.created and changed.notice.version == 3
    assert diagnostic.retention_months == 24
    assert [n.version for n in notice_history(db.session, diagnostic)] == [3, 2, 1]
    assert current_notice(db.session, diagnostic).retention_months == 24
    assert not dpo_missing(changed.notice)


def test_first_save_stores_version_one_even_with_the_default_texts(db, make_diagnostic,
                                                                   make_user):
    diagnostic = make_diagnostic()
    default = current_notice(db.session, diagnostic)
    saved = set_notice(db.session, diagnostic, make_user(), controller=default.controller,
                       purpose=default.purpose, legal_basis=default.legal_basis,
                       dpo_contact=default.dpo_contact, rights=default.rights,
                       retention_months=12)
    assert saved.created and saved.notice.version == 1
    assert saved.notice.purpose == default.purpose  # its no-break spaces kept


def test_texts_keep_their_paragraphs_without_stray_spaces(db, make_diagnostic):
    diagnostic = make_diagnostic()
    saved = set_notice(db.session, diagnostic, None, **fields(
        rights="  Accès   et effacement.\r\n\r\n\r\n\r\nCNIL\u00a0: \twww.cnil.fr  "))
    assert saved.notice.rights == "Accès et effacement.\n\nCNIL\u00a0: www.cnil.fr"


@pytest.mark.parametrize(("field", "value"), [
    ("controller", "  "),
    ("purpose", ""),
    ("dpo_contact", "x" * 501),
    ("rights", "Écrivez\x00nous"),
    ("retention_months", 0),
    ("retention_months", 121),
    ("retention_months", "douze"),
    ("retention_months", True),
])
def test_invalid_values_change_nothing(db, make_diagnostic, field, value):
    diagnostic = make_diagnostic()
    set_notice(db.session, diagnostic, None, **fields())
    db.session.commit()
    with pytest.raises(ValidationError) as refused:
        set_notice(db.session, diagnostic, None, **fields(**{field: value, "purpose": "Autre."}
                                                          if field != "purpose"
                                                          else {field: value}))
    assert field in refused.value.errors
    db.session.rollback()
    assert versions(db) == 1 and diagnostic.retention_months == 18


def test_an_archived_diagnostic_refuses_a_new_notice(db, make_diagnostic):
    diagnostic = make_diagnostic()
    archiving.archive_diagnostic(db.session, diagnostic)
    db.session.commit()
    with pytest.raises(ArchivedError):
        set_notice(db.session, diagnostic, None, **fields())
    db.session.rollback()
    assert versions(db) == 0 and diagnostic.retention_months == 12


def test_two_first_joins_at_once_share_version_one(db, make_diagnostic, monkeypatch):
    from diagnostic.privacy import notice as module

    diagnostic = make_diagnostic()
    stored = notice_in_force(db.session, diagnostic, NOW)  # the other join, just before
    db.session.commit()
    real, calls = module.latest_notice, []

    def not_seen_yet(session, diag):  # this join looked before the other one stored it
        calls.append(diag)
        return None if len(calls) == 1 else real(session, diag)

    monkeypatch.setattr(module, "latest_notice", not_seen_yet)
    assert notice_in_force(db.session, diagnostic, LATER).id == stored.id
    db.session.commit()
    assert versions(db) == 1
