"""Staff: the report page and its downloads (HTML, CSV, JSON)."""

import json

import pytest

from diagnostic.live import participation


@pytest.fixture
def diagnostic(db, make_user, login, make_workshop, make_participant, initiative_data):
    """A diagnostic with one initiative whose name would be a spreadsheet formula."""
    login(make_user())
    workshop = make_workshop()
    author = make_participant(workshop)
    participation.submit_contribution(db.session, author,
                                 initiative_data(workshop, name="=HYPERLINK(\"x\")"))
    participation.submit_contribution(db.session, author,
                                 initiative_data(workshop, name="Coopérative <Ozon>"))
    db.session.commit()
    return workshop.diagnostic


def test_report_page_embeds_the_report_and_the_downloads(client, diagnostic):
    response = client.get(f"/staff/diagnostics/{diagnostic.id}/report")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'class="report-root' in page and ".report-root" in page  # fragment and its CSS
    assert "Coopérative &lt;Ozon&gt;" in page and "Coopérative <Ozon>" not in page
    for fmt in ("html", "csv", "json"):
        assert f'href="/staff/diagnostics/{diagnostic.id}/report.{fmt}"' in page


@pytest.mark.parametrize("fmt, mimetype", [
    ("html", "text/html; charset=utf-8"),
    ("csv", "text/csv; charset=utf-8"),
    ("json", "application/json"),
])
def test_downloads_are_attachments_with_a_safe_name(client, diagnostic, fmt, mimetype):
    response = client.get(f"/staff/diagnostics/{diagnostic.id}/report.{fmt}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == mimetype
    # Named after the diagnostic's title (make_diagnostic: "Diagnostic ESS").
    name = f"diagnostic-ess-rapport.{fmt}"
    assert response.headers["Content-Disposition"] == f"attachment; filename={name}"
    body = response.get_data()
    if fmt == "json":
        document = json.loads(body)
        # The staff download carries the full archive, restorable by `diagnostic import`.
        assert document["version"] == 2 and document["archive"]["schema"] == "diagnostic-archive"
        names = {c["name"] for c in document["archive"]["contributions"]}
        assert "Coopérative <Ozon>" in names
    elif fmt == "csv":
        text = body.decode("utf-8-sig")
        assert "Coopérative <Ozon>" in text
        assert "=HYPERLINK" in text and '\n=HYPERLINK' not in text
        assert ";=HYPERLINK" not in text and ';"=HYPERLINK' not in text
    else:
        text = body.decode()
        assert text.lstrip().lower().startswith("<!doctype html")
        assert "Coopérative &lt;Ozon&gt;" in text


@pytest.mark.parametrize("url", ["/staff/diagnostics/{id}/report.pdf",
                                 "/staff/diagnostics/{id}/report.exe",
                                 "/staff/diagnostics/999/report.csv",
                                 "/staff/diagnostics/999/report"])
def test_unknown_format_or_diagnostic_is_404(client, diagnostic, url):
    assert client.get(url.format(id=diagnostic.id)).status_code == 404
