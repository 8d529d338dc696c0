"""The JSON report and its archive without participants' personal data.

Used by ``diagnostic export --no-personal-data`` and the staff download *sans données
personnelles*: the report loses authors, organisations and contacts
(:func:`~diagnostic.reporting.impersonal.impersonal_report`), the archive is
pseudonymised (:func:`~diagnostic.archive.anonymise.anonymised`) and still restores.
"""

from __future__ import annotations

from typing import Any

from ..archive.anonymise import anonymised, personal_values
from ..reporting.impersonal import impersonal_report
from ..reporting.report import Report


def without_personal_data(report: Report, archive: dict[str, Any], *,
                          keep_archive: bool = True) -> tuple[Report, dict[str, Any] | None]:
    """``report`` and ``archive`` (the staff archive of the same diagnostic) stripped of
    personal data; the archive is None unless ``keep_archive``."""
    personal = personal_values(archive)
    return (impersonal_report(report, personal),
            anonymised(archive) if keep_archive else None)
