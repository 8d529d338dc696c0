"""Time the final report at scale: ``python -m bench.report_run [--contributions 10000 ...]``.

Generates one diagnostic (:mod:`bench.report_data`: 50 workshops, 10,000 contributions by
default) in a fresh database, then runs every step in a FRESH subprocess, so that each
step's peak RSS (``ru_maxrss`` read in the child at its end) is its own:

- ``compose``: :func:`diagnostic.reporting.report_build.compose_report`;
- ``suggestions``: duplicate suggestions across the diagnostic
  (``diagnostic.synthesis.duplicates.suggestions``, else
  ``diagnostic.synthesis.similarity.suggest``);
- one step per export format: the report is composed, then rendered by
  ``exports.formats.render(fmt, report, translate=None, lang="fr")``; compose and render
  are timed separately (the renderer's module is imported before the clock starts).

- the same export steps on the Grand Toulouse 2011 demo (``--demo-formats``, steps named
  ``demo-pdf`` …): the demo is loaded into its own SQLite file first; issue 16's target
  for its PDF is 15 s.

A step whose code does not exist yet is recorded as skipped, not as a crash. The figures
go to ``<out>/report-results.json`` and a Markdown snippet to ``<out>/report-results.md``.
"""

from __future__ import annotations

import argparse
import json
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from .report_markdown import markdown

ROOT = Path(__file__).resolve().parent
MARKER = "BENCH-REPORT-RESULT "
ALL_FORMATS = ("csv", "json", "html", "xlsx", "odt", "docx", "pdf")
LIBRARIES = ("SQLAlchemy", "rapidfuzz", "numpy", "snowballstemmer", "Jinja2", "weasyprint",
             "python-docx", "odfdo", "openpyxl")


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB.

    ``ru_maxrss`` survives ``execve`` on Linux: a fresh child starts with the peak of the
    parent it was forked from (here the data generator). So the high-water mark of the
    process's own address space (``VmHWM``) is preferred where ``/proc`` has it.
    """
    try:
        status = Path("/proc/self/status").read_text()
        kb = next(int(line.split()[1]) for line in status.splitlines()
                  if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux
    return round(kb / 1024, 1)


def ru_maxrss_mb() -> float:
    """``getrusage(RUSAGE_SELF).ru_maxrss`` in MB (see :func:`peak_rss_mb` for its catch)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class Unavailable(Exception):
    """The code a step measures is not there (yet): the step is skipped."""


def _missing(error: ModuleNotFoundError, *modules: str) -> bool:
    """True when ``error`` is about one of our ``modules`` (not a library they import)."""
    return (error.name or "") in modules


def _suggestion_engine():
    """The suggestion engine to time, by name: ``(name, run(session, diagnostic))``.

    ``run`` returns the number of candidates (None when the engine loads them itself) and
    the suggestions.
    """
    try:
        from diagnostic.models import ContributionKind
        from diagnostic.synthesis.duplicates import suggestions

        return ("diagnostic.synthesis.duplicates.suggestions",
                lambda s, d: (None, [found for kind in ContributionKind
                                     for found in suggestions(s, d, kind)]))
    except ModuleNotFoundError as error:
        if not _missing(error, "diagnostic.synthesis.duplicates",
                        "diagnostic.synthesis.similarity"):
            raise
    try:
        from diagnostic.synthesis.similarity import suggest
    except ModuleNotFoundError as error:
        if _missing(error, "diagnostic.synthesis.similarity"):
            raise Unavailable("diagnostic.synthesis.duplicates and .similarity") from None
        raise

    def run(session, diagnostic) -> tuple[int, list]:
        found = _candidates(session, diagnostic)
        return len(found), suggest(found)
    return "diagnostic.synthesis.similarity.suggest", run


def _suggestions(session, diagnostic) -> dict[str, Any]:
    """Time the duplicate suggestions of the whole diagnostic, counted per kind."""
    engine, run = _suggestion_engine()
    started = time.perf_counter()
    candidates, found = run(session, diagnostic)
    seconds = time.perf_counter() - started
    by_kind: dict[str, int] = {}
    for suggestion in found:
        kind = str(getattr(suggestion, "kind", "?"))
        by_kind[kind] = by_kind.get(kind, 0) + 1
    return {"seconds": round(seconds, 3), "engine": engine, "suggestions": len(found),
            "suggestions_by_kind": by_kind, "candidates": candidates}


def _candidates(session, diagnostic) -> list:
    """The diagnostic's published contributions as suggestion ``Candidate``s."""
    from sqlalchemy import select

    from diagnostic.models import Contribution, ContributionStatus, Workshop
    from diagnostic.synthesis.similarity import Candidate

    rows = session.execute(
        select(Contribution.id, Contribution.kind, Contribution.workshop_id,
               Contribution.description, Contribution.name, Contribution.commune)
        .join(Workshop).where(Workshop.diagnostic_id == diagnostic.id,
                              Contribution.status == ContributionStatus.PUBLISHED)
        .order_by(Contribution.id))
    return [Candidate(id=r.id, kind=r.kind.value, workshop_id=r.workshop_id, text=r.description,
                      name=r.name, commune=r.commune) for r in rows]


def _renderer(fmt: str):
    """``exports.formats.render`` once the renderer of ``fmt`` is imported (off the clock)."""
    try:
        from exports.formats import FORMATS, render
    except ModuleNotFoundError as error:
        if _missing(error, "exports.formats"):
            raise Unavailable("exports.formats") from None
        raise
    if fmt not in FORMATS:
        raise Unavailable(f"format {fmt!r} in exports.formats")
    try:
        FORMATS[fmt].renderer()
    except ModuleNotFoundError as error:
        if _missing(error, FORMATS[fmt].module):
            raise Unavailable(FORMATS[fmt].module) from None
        raise
    return render


def _render(render, fmt: str, report, document: Path | None) -> dict[str, Any]:
    """Time one export format of an already composed report."""
    started = time.perf_counter()
    data = render(fmt, report, translate=None, lang="fr")
    seconds = time.perf_counter() - started
    if document is not None:
        document.parent.mkdir(parents=True, exist_ok=True)
        document.write_bytes(data)
    return {"seconds": round(seconds, 3), "bytes": len(data)}


DEMO_PREFIX = "demo-"


def child(step: str, url: str, diagnostic_id: int, document: Path | None) -> dict[str, Any]:
    """Run one step in this (fresh) process; its result ends with the peak RSS.

    A ``demo-<format>`` step renders ``<format>`` (the database is then the demo's).
    """
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from diagnostic.models import Diagnostic
    from diagnostic.reporting.report_build import compose_report

    result: dict[str, Any] = {"step": step, "rss_after_imports_mb": peak_rss_mb()}
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            diagnostic = session.get(Diagnostic, diagnostic_id)
            if diagnostic is None:
                raise LookupError(f"no diagnostic {diagnostic_id} in the database")
            if step == "suggestions":
                result.update(_suggestions(session, diagnostic))
            else:
                fmt = step.removeprefix(DEMO_PREFIX)
                render = None if step == "compose" else _renderer(fmt)
                started = time.perf_counter()
                report = compose_report(session, diagnostic)
                compose_s = round(time.perf_counter() - started, 3)
                if step == "compose":
                    result.update(seconds=compose_s, initiatives=len(report.initiatives),
                                  needs=len(report.needs),
                                  recommendations=len(report.recommendations),
                                  contributions=len(report.contributions))
                else:
                    result.update(_render(render, fmt, report, document), compose_s=compose_s)
        result["status"] = "ok"
    except Unavailable as missing:
        result.update(status="skipped", reason=f"not available: {missing}")
    finally:
        engine.dispose()
    result.update(peak_rss_mb=peak_rss_mb(), ru_maxrss_mb=ru_maxrss_mb())
    return result


def _rss_mb(pid: int) -> float:
    """The current resident memory of process ``pid`` in MB (0 once it has gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    return next((int(line.split()[1]) / 1024 for line in status.splitlines()
                 if line.startswith("VmRSS:")), 0.0)


def run_step(step: str, url: str, diagnostic_id: int, limits: tuple[float, float],
             document: Path | None) -> dict[str, Any]:
    """One step in a fresh ``python -m bench.report_run --child`` process.

    ``limits`` are (seconds, MB of RSS): the parent watches the child and stops it beyond
    either, so a runaway step cannot take the shared machine's memory; the error then
    says how far it got.
    """
    timeout, max_rss_mb = limits
    command = [sys.executable, "-m", "bench.report_run", "--child", step,
               "--database-url", url, "--diagnostic-id", str(diagnostic_id)]
    if document is not None:
        command += ["--document", str(document)]
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child_process = subprocess.Popen(command, cwd=ROOT.parent, stdout=out, stderr=err,
                                         text=True)
        watched_mb, stopped = 0.0, ""
        while child_process.poll() is None:
            watched_mb = max(watched_mb, _rss_mb(child_process.pid))
            elapsed = time.perf_counter() - started
            if elapsed > timeout or watched_mb > max_rss_mb:
                stopped = (f"stopped after {elapsed:.0f} s at {watched_mb:.0f} MB RSS "
                           f"(limits: {timeout:g} s, {max_rss_mb:g} MB)")
                child_process.kill()
                child_process.wait()
                break
            time.sleep(0.2)
        process_s = round(time.perf_counter() - started, 2)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if stopped:
        return {"step": step, "status": "error", "error": stopped, "process_s": process_s,
                "peak_rss_mb": round(watched_mb, 1)}
    lines = [line for line in stdout.splitlines() if line.startswith(MARKER)]
    if child_process.returncode or not lines:
        tail = (stderr.strip().splitlines() or ["(no output)"])[-1]
        return {"step": step, "status": "error", "error": tail[:300], "process_s": process_s}
    return {**json.loads(lines[-1][len(MARKER):]), "process_s": process_s}


def summarise(step: str, runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The step over its repeats: median times, highest peak RSS, every run kept."""
    ok = [r for r in runs if r["status"] == "ok"]
    if not ok:
        return {**runs[-1], "runs": runs}
    summary = {**ok[-1], "repeats": len(ok),
               "seconds": round(statistics.median(r["seconds"] for r in ok), 3),
               "peak_rss_mb": max(r["peak_rss_mb"] for r in ok)}
    if "compose_s" in ok[-1]:
        summary["compose_s"] = round(statistics.median(r["compose_s"] for r in ok), 3)
    if len(runs) > 1:
        summary["runs"] = runs
    return summary


def libraries() -> dict[str, str]:
    """Installed versions of the libraries the steps use."""
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line (every default is the documented full run)."""
    parser = argparse.ArgumentParser(prog="python -m bench.report_run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workshops", type=int, default=50)
    parser.add_argument("--contributions", type=int, default=10_000)
    parser.add_argument("--participants", type=int, default=None,
                        help="default: 40 per workshop")
    parser.add_argument("--seed", type=int, default=2011)
    parser.add_argument("--steps", default="compose,suggestions",
                        help="non-export steps to run: compose, suggestions")
    parser.add_argument("--formats", default=",".join(ALL_FORMATS),
                        help="export formats to time (empty: none)")
    parser.add_argument("--demo-formats", default="pdf,docx,odt",
                        help="export formats to time on the Grand Toulouse demo (empty: none)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each step this many times (median time, highest RSS)")
    parser.add_argument("--timeout", type=float, default=900,
                        help="stop a step after this many seconds")
    parser.add_argument("--max-rss-mb", type=float, default=8192,
                        help="stop a step whose resident memory exceeds this (MB)")
    parser.add_argument("--database-url", default=None,
                        help="an EMPTY dedicated database (default: a fresh SQLite file)")
    parser.add_argument("--keep-documents", action="store_true",
                        help="write each rendered document to <out>/documents/")
    parser.add_argument("--max-load", type=float, default=0.7,
                        help="wait (up to --wait-quiet s) for the 1-min load average to "
                             "fall below this before each step")
    parser.add_argument("--wait-quiet", type=float, default=10.0)
    parser.add_argument("--out", default=str(ROOT / "results"))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--diagnostic-id", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--document", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Generate the data once, run every step in its own process, write the results."""
    args = parse_args(argv)
    if args.child:
        result = child(args.child, args.database_url, args.diagnostic_id,
                       Path(args.document) if args.document else None)
        print(MARKER + json.dumps(result), flush=True)
        return 0
    from .report_data import generate, load_demo_database
    from .run import code_under_test, machine, wait_until_quiet

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    steps = [s for s in args.steps.split(",") if s.strip()]
    steps += [f for f in args.formats.split(",") if f.strip()]
    with tempfile.TemporaryDirectory(prefix="report-bench-") as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'report-bench.db'}"
        report: dict[str, Any] = {
            "command": " ".join(["python -m bench.report_run",
                                 *map(shlex.quote, sys.argv[1:] if argv is None else argv)]),
            "started": time.strftime("%Y-%m-%d %H:%M:%S %z"),
            "machine": {**machine(), "libraries": libraries()},
            "database": "custom URL" if args.database_url else "SQLite file",
            "code": code_under_test(False, Path(tmp))[1], "steps": [],
        }
        print(f"== generating {args.workshops} workshops, {args.contributions} contributions",
              flush=True)
        generated = generate(url, workshops=args.workshops, contributions=args.contributions,
                             participants=args.participants, seed=args.seed)
        report["data"] = {"diagnostic_id": generated.diagnostic_id,
                          "seconds": generated.seconds, "counts": generated.counts}
        print(json.dumps(report["data"]), flush=True)
        demo_formats = [f for f in args.demo_formats.split(",") if f.strip()]
        demo_url = f"sqlite:///{Path(tmp) / 'report-bench-demo.db'}"
        demo_id = load_demo_database(demo_url) if demo_formats else 0
        steps += [DEMO_PREFIX + f for f in demo_formats]
        for step in steps:
            runs = []
            for _ in range(max(1, args.repeat)):
                loadavg = wait_until_quiet(args.max_load, args.wait_quiet)
                demo = step.startswith(DEMO_PREFIX)
                fmt = step.removeprefix(DEMO_PREFIX)
                document = out / "documents" / f"{'demo-' if demo else ''}report.{fmt}" \
                    if args.keep_documents and fmt in ALL_FORMATS else None
                run = run_step(step, demo_url if demo else url,
                               demo_id if demo else generated.diagnostic_id,
                               (args.timeout, args.max_rss_mb), document)
                runs.append({**run, "load_average_at_start": loadavg})
            summary = summarise(step, runs)
            report["steps"].append(summary)
            print(json.dumps({k: v for k, v in summary.items() if k != "runs"}), flush=True)
            (out / "report-results.json").write_text(json.dumps(report, indent=2))
    (out / "report-results.md").write_text(markdown(report))
    print(markdown(report))
    print(f"Results: {out / 'report-results.json'} and {out / 'report-results.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
