"""The Markdown snippet of a report benchmark (``report-results.md``) and the targets' verdicts."""

from __future__ import annotations

from typing import Any

# Issue 4's targets on this machine, in seconds (export steps: the render time).
# Issue 16's: the demo's PDF (the laid-out, tagged publication) in 15 s.
TARGETS: dict[str, float] = {"suggestions": 10.0, "csv": 1.0, "html": 2.0, "xlsx": 5.0,
                             "docx": 10.0, "pdf": 60.0, "demo-pdf": 15.0}
RSS_LIMIT_MB = 2048
LABELS = {"compose": "compose the report", "suggestions": "duplicate suggestions",
          "csv": "CSV", "json": "JSON", "html": "HTML", "xlsx": "XLSX", "odt": "ODT",
          "docx": "DOCX", "pdf": "PDF"}
LABELS |= {f"demo-{fmt}": f"demo: {label}" for fmt, label in list(LABELS.items())
           if fmt not in ("compose", "suggestions")}


def _n(value: int) -> str:
    """12345 → "12,345"."""
    return f"{value:,}"


def verdict(step: dict[str, Any]) -> str:
    """met / **MISSED** (why) / not measured, against the time target and the RSS limit."""
    target = TARGETS.get(step["step"])
    if step.get("status") == "ok":
        seconds = step["seconds"]
    elif "stopped after" in step.get("error", ""):  # stopped by the runner's limits
        seconds = step["process_s"]
    else:
        return "not measured"
    missed = []
    if target is not None and seconds > target:
        missed.append("time")
    if step.get("peak_rss_mb", 0) > RSS_LIMIT_MB:
        missed.append("RSS")
    if step.get("status") != "ok":
        return "**MISSED** (" + ", ".join(missed) + ")" if missed else "not measured"
    if missed:
        return "**MISSED** (" + ", ".join(missed) + ")"
    return "met" if target is not None else "RSS met (no time target)"


def _output(step: dict[str, Any]) -> str:
    """What the step produced, in a few words."""
    if step["step"] == "compose":
        return (f"{_n(step['initiatives'])} initiatives, {_n(step['needs'])} needs, "
                f"{_n(step['recommendations'])} recommendations")
    if step["step"] == "suggestions":
        kinds = ", ".join(f"{_n(n)} {k}" for k, n in sorted(step["suggestions_by_kind"].items()))
        return f"{_n(step['suggestions'])} suggestions" + (f" ({kinds})" if kinds else "")
    return f"{step['bytes'] / 1e6:.2f} MB"


def step_row(step: dict[str, Any]) -> str:
    """One line of the table."""
    label = LABELS.get(step["step"], step["step"])
    target = TARGETS.get(step["step"])
    target_text = f"≤ {target:g} s" if target is not None else "–"
    if step.get("status") != "ok":
        why = step.get("reason") or f"error: {step.get('error', '?')}"
        return f"| {label} | {why} | | | | {target_text} | {verdict(step)} |"
    compose = f"{step['compose_s']:.2f}" if "compose_s" in step else "–"
    return (f"| {label} | {step['seconds']:.2f} | {compose} | {_output(step)} | "
            f"{step['peak_rss_mb']:.0f} | {target_text} | {verdict(step)} |")


def markdown(report: dict[str, Any]) -> str:
    """Command, machine, data and one table line per step."""
    m, data = report["machine"], report["data"]
    c = data["counts"]
    libs = ", ".join(f"{name} {version}" for name, version in m["libraries"].items())
    code = report["code"]
    lines = [
        f"Command: `{report['command']}` — started {report['started']}; database: "
        f"{report['database']}; code: commit {code['commit']} (working tree"
        + (", with uncommitted changes)" if code["working_tree_dirty"] else ")") + ".", "",
        f"Machine: {m['nproc']} CPUs ({m['cpu_model']}), {m['memory_mb']} MB RAM, "
        f"Python {m['python']}, Linux {m['kernel']}; {libs}.", "",
        f"Data: {_n(c['workshops'])} closed workshops, {_n(c['participants'])} participants, "
        f"{_n(c['published'])} published contributions ({_n(c['initiative'])} initiatives, "
        f"{_n(c['need'])} needs, {_n(c['recommendation'])} recommendations), "
        f"{_n(c['supports'])} supports, {_n(c['votes'])} dot votes, "
        f"{_n(c['answered_need_links'])} recommendation → need links; the initiatives cite "
        f"{_n(c['structures_cited'])} structures ({_n(c['structures_cited_twice_or_more'])} "
        f"in two workshops or more) under {_n(c['distinct_initiative_names'])} distinct "
        f"spellings. Generated in {data['seconds']:g} s. The \"demo\" steps render the "
        "Grand Toulouse 2011 demo diagnostic instead.", "",
        "| step | time (s) | compose before it (s) | output | peak RSS (MB) | target "
        "| verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [step_row(step) for step in report["steps"]]
    return "\n".join(lines) + "\n"
