"""The print edition of a large report: bounded lists, so a PDF stays a readable document.

WeasyPrint lays out about 15 pages a second here (docs/PERFORMANCE.md); a diagnostic of
10,000 contributions printed in full — every synthesis item, the directory and every
workshop's minutes with all their items — would run to thousands of pages and take many
minutes. Above :data:`FULL_LIMIT` published contributions the PDF therefore prints:

- every section, chart and count table of the report, computed on the *whole* data;
- the most widely shared items of each list (ranked as in the report: manual rank, then
  workshops, organisations, supports), up to :data:`ITEM_LIMITS` per kind, spread over
  the groups in proportion to their size, every priority item kept, each list followed by
  how many more items the complete editions hold (HTML, DOCX, ODT, XLSX, CSV, JSON);
- each workshop's minutes as their summary (counts, participation, top-voted items),
  the items themselves being in each workshop's own minutes.

Below the limit the print edition is the full report.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

from diagnostic.reporting.report import Group, Item, Report

FULL_LIMIT = 1500
"""Reports with at most this many published contributions are printed in full."""

ITEM_LIMITS = {"initiatives": 200, "needs": 150, "recommendations": 150, "directory": 250}


@dataclass
class Omitted:
    """What the print edition left out, for the notes under each list."""

    initiatives: dict[int | None, int] = field(default_factory=dict)  # per family group key
    needs: int = 0
    recommendations: dict[int | None, int] = field(default_factory=dict)  # per stake key
    directory: int = 0
    minutes_items: bool = False

    @property
    def any(self) -> bool:
        return bool(sum(self.initiatives.values()) or self.needs
                    or sum(self.recommendations.values()) or self.directory
                    or self.minutes_items)


def _shared_first(item: Item) -> tuple:
    """The order used to choose what to print: priorities, manual rank, convergence."""
    return (not item.priority, item.position is None, item.position or 0,
            -len(item.workshop_ids), -item.organisation_count, -item.supports, -item.dots,
            -item.mentions, item.id)


def _keep(items: list, limit: int) -> list:
    """The ``limit`` most shared of ``items`` (priorities always), in their original order."""
    if len(items) <= limit:
        return list(items)
    chosen = {id(item) for item in sorted(items, key=_shared_first)[:limit]}
    chosen |= {id(item) for item in items if item.priority}
    return [item for item in items if id(item) in chosen]


def _cut_groups(groups: list[Group], limit: int) -> tuple[list[Group], dict]:
    """Each group cut to its share of ``limit`` (at least one item each)."""
    total = sum(len(g.items) for g in groups)
    if total <= limit:
        return groups, {}
    kept, omitted = [], {}
    for group in groups:
        share = max(1, math.floor(limit * len(group.items) / total))
        items = _keep(group.items, share)
        kept.append(dataclasses.replace(group, items=items))
        if len(items) < len(group.items):
            omitted[group.key] = len(group.items) - len(items)
    return kept, omitted


@dataclass
class Lists:
    """The item lists the report templates print, and what was left out of them."""

    families: list[Group]
    needs: list[Item]
    stakes: list[Group]
    directory: list[Item]
    omitted: Omitted | None = None


def full_lists(report: Report) -> Lists:
    """Every item of the report (the HTML, and the PDF of a small diagnostic)."""
    return Lists(report.initiatives_by_family, report.needs, report.recommendations_by_stake,
                 report.initiatives)


def print_edition(report: Report) -> Lists:
    """The lists to print: everything up to :data:`FULL_LIMIT`, the most shared above."""
    if report.method.contribution_count <= FULL_LIMIT:
        return full_lists(report)
    omitted = Omitted(minutes_items=bool(report.minutes))
    families, omitted.initiatives = _cut_groups(report.initiatives_by_family,
                                                ITEM_LIMITS["initiatives"])
    stakes, omitted.recommendations = _cut_groups(report.recommendations_by_stake,
                                                  ITEM_LIMITS["recommendations"])
    needs = _keep(report.needs, ITEM_LIMITS["needs"])
    omitted.needs = len(report.needs) - len(needs)
    directory = _keep(report.initiatives, ITEM_LIMITS["directory"])
    omitted.directory = len(report.initiatives) - len(directory)
    return Lists(families, needs, stakes, directory, omitted)
