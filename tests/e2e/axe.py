"""axe-core in the browser tests: the suite fails on any WCAG 2.1 A/AA violation.

axe-core comes from npm (``make install`` runs ``npm ci``; never committed in static/).
``check_accessibility(page)`` injects ``node_modules/axe-core/axe.min.js`` into the page
and runs it on the whole document. The app's Content-Security-Policy (scripts by nonce
only) would refuse the injected script: contexts that run axe are opened with
``bypass_csp=True``, Playwright's documented option for tests (``AXE_CONTEXT``).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Options of browser.new_context() for the pages axe checks.
AXE_CONTEXT = {"bypass_csp": True}


def axe_violations(page) -> list[dict]:
    """The WCAG 2.1 A/AA violations axe-core finds in the page as it is now."""
    if not AXE_SCRIPT.exists():
        raise AssertionError(f"{AXE_SCRIPT} is missing: run `make install` (npm ci)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    return page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                      resultTypes: ['violations']})
                 .then(results => results.violations.map(v => ({
                     id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                     nodes: v.nodes.map(n => ({target: n.target.join(' '),
                                                summary: n.failureSummary}))})))""",
        WCAG_TAGS,
    )


def describe(violations: list[dict]) -> str:
    """One paragraph per violation: rule, impact, help, then each offending element."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']} — {summary}")
    return "\n".join(lines)


def check_accessibility(page, where: str = "") -> None:
    """Fail the test when axe-core finds a WCAG 2.1 A/AA violation in ``page``."""
    violations = axe_violations(page)
    if violations:
        raise AssertionError(
            f"{len(violations)} accessibility violation(s) on {where or page.url}:\n"
            + describe(violations))
