"""What the restitution pages show of the comments: the item each concerns, in words.

Plain helpers (no routes) shared by the staff page, its exports, the synthesis editor and
the public page: a comment is matched to its report item by
:func:`diagnostic.restitution.comments.by_item`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from diagnostic.errors import N_
from diagnostic.models import CommentStatus, ContributionKind, RestitutionComment
from diagnostic.reporting.common import short
from diagnostic.restitution.comments import by_item, comments_of
from diagnostic.time_zones import local

from ..extensions import db

STATUS_LABELS = {
    CommentStatus.PENDING: N_("En attente"),
    CommentStatus.APPROVED: N_("Publié"),
    CommentStatus.REJECTED: N_("Refusé"),
}


def item_title(item) -> str:
    """A report item as a list names it: its title, else the start of its text."""
    return item.title or getattr(item, "name", None) or short(item.description)


@dataclass
class CommentRow:
    """A comment with the item it concerns and its local time."""

    comment: RestitutionComment
    kind_label: str
    item_title: str
    item_id: int | None
    local_time: datetime

    @property
    def status_label(self) -> str:
        """The comment's moderation status, translated."""
        return _(STATUS_LABELS[self.comment.status])


def comment_rows(report, comments: list[RestitutionComment], time_zone: str
                 ) -> list[CommentRow]:
    """``comments`` (oldest first) with the need, recommendation or report they concern."""
    items = {item.id: (_("Besoin"), item) for item in report.needs}
    items.update({item.id: (_("Préconisation"), item) for item in report.recommendations})
    located = {}
    for key, group in by_item(report.needs + report.recommendations, comments).items():
        for comment in group:
            located[comment.id] = key
    rows = []
    for comment in comments:
        key = located.get(comment.id)
        if key is None:
            kind, title = _("Rapport"), _("Le rapport dans son ensemble")
        else:
            kind, item = items[key]
            title = item_title(item)
        rows.append(CommentRow(comment, kind, title, key,
                               local(comment.created_at, time_zone)))
    return rows


def grouped(rows: list[CommentRow]) -> dict[int | None, list[CommentRow]]:
    """Rows by report item id (None: the whole report)."""
    result: dict[int | None, list[CommentRow]] = {}
    for row in rows:
        result.setdefault(row.item_id, []).append(row)
    return result


def restitution_comments_by_item(diagnostic, kind: ContributionKind, report
                                 ) -> dict[int | None, list[CommentRow]]:
    """The pending and approved comments beside the synthesis editor's needs or
    recommendations (none for initiatives, which the restitution page does not show)."""
    if kind == ContributionKind.INITIATIVE:
        return {}
    shown = [c for c in comments_of(db.session, diagnostic.id)
             if c.status != CommentStatus.REJECTED]
    return grouped(comment_rows(report, shown, diagnostic.time_zone)) if shown else {}
