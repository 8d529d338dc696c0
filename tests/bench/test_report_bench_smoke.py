"""The report benchmark on a tiny diagnostic, so bench/report_* cannot rot.

Only counts and files are checked (never timings): the generator writes what was asked,
deterministically; the runner runs each step in its own process and writes its JSON and
Markdown; a step whose code is missing is skipped, not crashed.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from importlib.util import find_spec

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bench.report_data import generate
from bench.report_markdown import markdown, verdict
from bench.report_run import main
from diagnostic.models import Contribution, Workshop, WorkshopKind, WorkshopStatus


def _rows(url: str) -> list[tuple]:
    """Every contribution's visible content, in id order."""
    engine = create_engine(url)
    with Session(engine) as session:
        rows = session.execute(select(Contribution.kind, Contribution.name,
                                      Contribution.commune, Contribution.description)
                               .order_by(Contribution.id)).all()
    engine.dispose()
    return [tuple(row) for row in rows]


def test_generator_writes_the_requested_diagnostic_deterministically(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    result = generate(url, workshops=4, contributions=200, participants=60)

    counts = result.counts
    assert counts["workshops"] == counts["closed_workshops"] == 4
    assert counts["participants"] == 60
    assert counts["contributions"] == counts["published"] == 200
    assert counts["initiative"] + counts["need"] + counts["recommendation"] == 200
    assert 60 <= counts["initiative"] <= 80 and 60 <= counts["need"] <= 80
    assert counts["supports"] > 0 and counts["votes"] > 0 and counts["answered_need_links"] > 0
    # The same structures come back under other spellings: work for duplicate suggestion.
    assert counts["structures_cited_twice_or_more"] > 0
    assert counts["distinct_initiative_names"] > counts["structures_cited"]

    engine = create_engine(url)
    with Session(engine) as session:
        workshops = session.scalars(select(Workshop).order_by(Workshop.date)).all()
        assert {w.kind for w in workshops} == {WorkshopKind.TERRITORIAL, WorkshopKind.THEMATIC}
        assert all(w.status == WorkshopStatus.CLOSED for w in workshops)
        assert all(date(2011, 1, 1) <= w.date <= date(2011, 12, 31) for w in workshops)
    engine.dispose()

    again = f"sqlite:///{tmp_path / 'b.db'}"
    generate(again, workshops=4, contributions=200, participants=60)
    assert _rows(again) == _rows(url)


def test_runner_times_each_step_in_its_own_process_and_writes_results(tmp_path):
    out = tmp_path / "out"
    assert main(["--workshops", "2", "--contributions", "60", "--formats", "csv,html,json",
                 "--demo-formats", "html", "--out", str(out), "--wait-quiet", "0",
                 "--keep-documents"]) == 0

    report = json.loads((out / "report-results.json").read_text())
    assert report["data"]["counts"]["published"] == 60
    assert report["data"]["counts"]["workshops"] == 2
    steps = {step["step"]: step for step in report["steps"]}
    assert list(steps) == ["compose", "suggestions", "csv", "html", "json", "demo-html"]
    assert steps["compose"]["status"] == "ok"
    assert steps["compose"]["contributions"] == 60
    available = {"suggestions": find_spec("diagnostic.synthesis.similarity") is not None,
                 **dict.fromkeys(("csv", "html", "json"),
                                 find_spec("exports.formats") is not None)}
    for name, present in available.items():
        assert steps[name]["status"] == ("ok" if present else "skipped"), steps[name]
    for step in steps.values():
        if step["status"] == "ok":
            assert step["peak_rss_mb"] > 0 and step["seconds"] >= 0

    if available["csv"]:
        assert steps["csv"]["compose_s"] >= 0
        table = list(csv.reader(io.StringIO(
            (out / "documents" / "report.csv").read_text(encoding="utf-8-sig"))))
        assert len(table) == 1 + 60
        assert "<html" in (out / "documents" / "report.html").read_text()
        assert json.loads((out / "documents" / "report.json").read_text())
        # The demo steps render the Grand Toulouse demo, loaded in its own database.
        assert steps["demo-html"]["status"] == "ok"
        assert "Grand Toulouse" in (out / "documents" / "demo-report.html").read_text()

    text = (out / "report-results.md").read_text()
    assert text == markdown(report)
    assert "| compose the report |" in text and "| CSV |" in text
    assert "| demo: HTML |" in text
    assert "60 published contributions" in text


def test_verdicts_against_the_targets():
    def step(name, seconds, rss=100.0):
        return {"step": name, "status": "ok", "seconds": seconds, "peak_rss_mb": rss}

    assert verdict(step("csv", 0.5)) == "met"
    assert verdict(step("csv", 1.5)) == "**MISSED** (time)"
    assert verdict(step("pdf", 30, rss=3000)) == "**MISSED** (RSS)"
    assert verdict(step("json", 30)) == "RSS met (no time target)"
    assert verdict(step("demo-pdf", 14)) == "met"
    assert verdict(step("demo-pdf", 16)) == "**MISSED** (time)"
    assert verdict({"step": "odt", "status": "skipped"}) == "not measured"
    stopped = {"step": "pdf", "status": "error", "process_s": 120, "peak_rss_mb": 8200,
               "error": "stopped after 120 s at 8200 MB RSS (limits: 900 s, 8192 MB)"}
    assert verdict(stopped) == "**MISSED** (time, RSS)"
