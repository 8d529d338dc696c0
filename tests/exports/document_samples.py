"""Reports and minutes shared by the document exporters' tests (PDF, DOCX, ODT, XLSX)."""

from __future__ import annotations

from sqlalchemy import select

from diagnostic.demo.loader import load_demo
from diagnostic.models import Workshop
from diagnostic.reporting.minutes_build import compose_minutes
from diagnostic.reporting.report import Report, Source
from diagnostic.reporting.report_build import compose_report
from tests.exports.conftest import build_report
from tests.exports.test_minutes_html import build_minutes

ODD = [
    "🎉 émoji 👩🏽‍🌾 and ZWJ",
    "\u202eRTL override\u202c then \u2066isolate\u2069",
    "\u200fمرحبا\u200e שלום",
    "".join(chr(i) for i in range(32)),
    "\x7f\x85\x9f C1 \ufffe\uffff",
    "lone \ud800 surrogate",
    "\ufeffBOM inside",
    "e\u0301\u0301\u0301 combining",
    "=HYPERLINK(\"http://x\")  double  spaces\tand tab\r\nCRLF",
    "",
    "long " * 1000,
]


def merged_report(text: str = "Texte") -> Report:
    """The small hand-built report with a merged initiative, a ranked need and minutes."""
    report = build_report(text)
    initiative = report.initiatives[0]
    initiative.title = f"Titre fusionné {text}"
    initiative.mentions, initiative.workshop_ids, initiative.organisation_count = 3, [1, 2], 2
    initiative.supports, initiative.dots, initiative.priority = 4, 2, True
    initiative.sources = [
        Source(1, 1, f"Atelier {text}", f"Initiative {text}", name=f"Nom {text}",
               organisation=f"Structure {text}"),
        Source(11, 2, "Atelier Sud", f"Source sud {text}", name="Coop Sud",
               organisation="Régie Sud"),
    ]
    report.needs[0].convergence = f"Soulevé dans 2 ateliers sur 2 par 3 structures {text}"
    report.priorities = [initiative]
    report.minutes = [build_minutes(text)]
    return report


def demo_documents(session) -> tuple[Report, list]:
    """The Grand Toulouse demo composed from the database: its report and all minutes."""
    diagnostic = load_demo(session)
    session.commit()
    workshops = session.scalars(
        select(Workshop).where(Workshop.diagnostic_id == diagnostic.id).order_by(Workshop.id)
    ).all()
    return compose_report(session, diagnostic), [compose_minutes(session, w) for w in workshops]
