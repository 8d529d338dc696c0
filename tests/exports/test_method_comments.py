"""The method section counts the restitution's approved comments, in every format."""

from __future__ import annotations

import json
from datetime import date

import pytest

from exports.docx import render_report_docx
from exports.html import render_report_html
from exports.json import render_report_json
from exports.odt import render_report_odt
from tests.document_text import docx_text, zipped_text

SENTENCE = ("42 commentaires reçus entre le 12 septembre 2011 et le 30 septembre 2011 lors "
            "de la restitution aux participant·e·s.")


@pytest.fixture
def commented(make_report):
    report = make_report()
    report.method.comment_count = 42
    report.method.comments_from = date(2011, 9, 12)
    report.method.comments_to = date(2011, 9, 30)
    return report


@pytest.mark.parametrize("render, read", [
    (render_report_html, lambda data: data.decode()),
    (render_report_docx, docx_text),
    (render_report_odt, zipped_text),
])
def test_the_method_section_says_how_many_comments_were_received(commented, make_report,
                                                                 render, read):
    assert SENTENCE in read(render(commented))
    assert "commentaires reçus" not in read(render(make_report()))


def test_one_comment_is_said_in_the_singular(make_report):
    report = make_report()
    report.method.comment_count = 1
    report.method.comments_from = report.method.comments_to = date(2011, 9, 12)
    html = render_report_html(report).decode()
    assert "1 commentaire reçu le 12 septembre 2011 lors de la restitution" in html


def test_the_json_report_carries_the_comment_count(commented):
    method = json.loads(render_report_json(commented))["method"]
    assert (method["comment_count"], method["comments_from"], method["comments_to"]) == (
        42, "2011-09-12", "2011-09-30")
