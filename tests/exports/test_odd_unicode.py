"""No exporter crashes on odd text: emoji, bidi marks, control characters, surrogates."""

import csv
import io
import json

import pytest

from exports.csv import render_contributions_csv
from exports.html import render_report_fragment, render_report_html
from exports.json import render_report_json

ODD = [
    "🎉 émoji 👩🏽‍🌾 and ZWJ",
    "\u202eRTL override\u202c then \u2066isolate\u2069",
    "\u200fمرحبا\u200e שלום",
    "".join(chr(i) for i in range(32)),
    "\x7f\x85\x9f C1",
    "lone \ud800 surrogate",
    "\ufeffBOM inside",
    "e\u0301\u0301\u0301 combining",
    "",
]


@pytest.mark.parametrize("text", ODD)
def test_every_exporter_survives(make_report, text):
    report = make_report(text)
    html = render_report_html(report).decode("utf-8")
    assert not any(chr(i) in html for i in (0, 1, 8, 11, 27, 31))
    render_report_fragment(report)
    data = json.loads(render_report_json(report).decode("utf-8"))
    assert data["method"]["contribution_count"] == 3
    rows = list(csv.reader(
        io.StringIO(render_contributions_csv(report).decode("utf-8-sig"), newline=""),
        delimiter=";",
    ))
    assert len(rows) == 4
    assert not any("\x00" in cell or "\x1b" in cell for r in rows for cell in r)
