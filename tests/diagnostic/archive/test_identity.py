"""The report's identity in the archive: the logo (base64) round-trips, a bad one is refused."""

from __future__ import annotations

import base64
import json
from datetime import date

import pytest

from diagnostic.archive.dump import dump_diagnostic
from diagnostic.archive.parse import ArchiveInvalid
from diagnostic.archive.restore import restore_diagnostic
from diagnostic.frame.identity import set_identity
from diagnostic.models import ReportStatus

SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 4">'
       b'<rect width="10" height="4" fill="#036"/></svg>')


def test_the_identity_and_its_logo_round_trip(db, make_diagnostic):
    diagnostic = make_diagnostic()
    set_identity(db.session, diagnostic, authority="Grand Toulouse", subtitle="ESS",
                 status="validated", validated_on=date(2011, 6, 30),
                 version_date=date(2011, 7, 1), download_stem="ess-2011", logo=SVG)
    db.session.commit()
    archive = json.loads(json.dumps(dump_diagnostic(db.session, diagnostic)))
    row = archive["diagnostic"]
    assert base64.b64decode(row["report_logo"]) == SVG
    assert row["report_logo_type"] == "image/svg+xml" and "report_logo_png" not in row
    assert row["report_status"] == "validated" and row["report_validated_on"] == "2011-06-30"
    restored = restore_diagnostic(db.session, archive)
    db.session.commit()
    assert restored.id != diagnostic.id
    assert (restored.report_authority, restored.report_subtitle) == ("Grand Toulouse", "ESS")
    assert restored.report_status == ReportStatus.VALIDATED
    assert restored.report_validated_on == date(2011, 6, 30)
    assert restored.report_version_date == date(2011, 7, 1)
    assert restored.download_stem == "ess-2011"
    assert restored.report_logo == SVG and restored.report_logo_type == "image/svg+xml"
    assert restored.report_logo_png == diagnostic.report_logo_png  # rendered again


def test_the_logo_type_is_read_from_the_bytes_not_the_archive(db, make_diagnostic):
    diagnostic = make_diagnostic()
    set_identity(db.session, diagnostic, logo=SVG)
    archive = json.loads(json.dumps(dump_diagnostic(db.session, diagnostic)))
    archive["diagnostic"]["report_logo_type"] = "text/html"
    restored = restore_diagnostic(db.session, archive)
    assert restored.report_logo_type == "image/svg+xml"


def test_an_archive_without_identity_restores_as_an_empty_draft(db, make_diagnostic):
    archive = json.loads(json.dumps(dump_diagnostic(db.session, make_diagnostic())))
    for name in ("report_authority", "report_subtitle", "report_logo", "report_logo_type",
                 "report_status", "report_validated_on", "report_version_date",
                 "download_stem"):
        del archive["diagnostic"][name]  # an archive made before the identity existed
    restored = restore_diagnostic(db.session, archive)
    assert restored.report_status == ReportStatus.DRAFT and restored.report_logo is None


def test_a_png_rendering_in_the_archive_is_refused(db, make_diagnostic):
    archive = json.loads(json.dumps(dump_diagnostic(db.session, make_diagnostic())))
    archive["diagnostic"]["report_logo_png"] = base64.b64encode(b"x").decode()
    with pytest.raises(ArchiveInvalid) as caught:
        restore_diagnostic(db.session, archive)
    assert caught.value.errors == {"diagnostic.report_logo_png": "Champ inconnu."}
