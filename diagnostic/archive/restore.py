"""Restore a diagnostic from an archive: :func:`restore_diagnostic`.

The whole document is checked first (:func:`~.parse.parse_archive`), then every section
is inserted, in order, with new ids and references remapped, in the session's
transaction: the caller commits it (``diagnostic import``, the callers of the demo
loader). What changes on restore (documented in ``docs/report-json.md``):

- ids are new; JSON payloads (audit ``before``/``after``, live event payloads) are kept
  verbatim, so ids inside them still name the rows of the original database;
- a join code already taken gets a new random one (codes are unique);
- a contribution's (or a restitution comment's) ``client_id`` already taken becomes
  ``r<new diagnostic id>-<the first 48 hex digits of the SHA-256 of the original>``
  (deterministic, unique per restore);
- participants and the restitution page get a new secret token (never archived);
- a closed workshop is restored in the ``closed`` phase, any other in a phase other than
  ``closed`` (``live.lifecycle.consistent_phase``), with no timer unless open;
- rows written while the dump runs may be cut (see :func:`.dump._consistent`);
- accounts are never created: references to users (facilitators, scribes, audit
  authors) are e-mail addresses, matched case-insensitively; an unknown address is
  dropped (the reference becomes null, a facilitator assignment is skipped).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import N_, ValidationError
from ..frame.planning import generate_join_code, normalise_join_code
from ..live.lifecycle import consistent_phase
from ..models import Contribution, Diagnostic, RestitutionComment, User, Workshop, WorkshopStatus
from ..validation import complete_website
from .parse import MAX_ERRORS, parse_archive
from .schema import DIAGNOSTIC, SECTIONS, USERS, Section

MAX_TITLE = Diagnostic.__table__.c.title.type.length
CHUNK = 500


def restore_diagnostic(
    session: Session, data: Any, *, title: str | None = None, max_errors: int = MAX_ERRORS
) -> Diagnostic:
    """Create a new diagnostic from an archive; ``title`` replaces the archived title.

    Raises :class:`ValidationError` (field paths such as ``contributions[3].stake_id``
    mapped to French messages; :class:`~.parse.ArchiveInvalid`, with the first
    ``max_errors`` of them and the count of the others) on a document that is not a
    valid archive, before anything is written. A document the database itself refuses
    midway (a territorial workshop without sector, a support given twice) raises
    :class:`ValidationError` under ``archive`` with rows already inserted in the
    transaction: the caller rolls it back, as on any error.
    """
    parsed = parse_archive(data, max_errors=max_errors)
    if title is not None:
        title = title.strip()
        if not title:
            raise ValidationError({"title": N_("Ce champ est obligatoire.")})
        if len(title) > MAX_TITLE:
            raise ValidationError({"title": N_("Ce texte est trop long.")})
        parsed[DIAGNOSTIC][0]["title"] = title
    try:
        diagnostic_id = _Restorer(session, parsed).run()
    except IntegrityError as exc:
        raise ValidationError(
            {"archive": N_("L'archive contredit les règles de la base de données.")}
        ) from exc
    diagnostic = session.get(Diagnostic, diagnostic_id)
    assert diagnostic is not None
    return diagnostic


class _Restorer:
    """Inserts the parsed sections in order, mapping archive ids to new ids."""

    def __init__(self, session: Session, parsed: dict[str, list[dict]]) -> None:
        self.session = session
        self.parsed = parsed
        self.ids: dict[str, dict[int, int]] = {}
        self.diagnostic_id = 0
        self.users = self._users()
        self.used_codes: set[str] = set()

    def run(self) -> int:
        """Insert every section; the new diagnostic's id."""
        for section in SECTIONS:
            self._insert(section)
            if section.key == DIAGNOSTIC:
                self.diagnostic_id = next(iter(self.ids[DIAGNOSTIC].values()))
                self.taken_codes = self._existing(
                    Workshop.join_code, [w["join_code"] for w in self.parsed["workshops"]])
                self.taken_client_ids = self._existing(
                    Contribution.client_id, [c["client_id"] for c in self.parsed["contributions"]])
                self.taken_comment_ids = self._existing(
                    RestitutionComment.client_id,
                    [c["client_id"] for c in self.parsed["restitution_comments"]])
        return self.diagnostic_id

    def _users(self) -> dict[str, int]:
        """Accounts named in the document, by lower-case e-mail address."""
        emails = {
            row[column] for section in SECTIONS for column, target in section.refs.items()
            if target == USERS for row in self.parsed[section.key] if row.get(column)
        }
        found: dict[str, int] = {}
        for chunk in _chunks(sorted(emails)):
            query = select(func.lower(User.email), User.id).where(
                func.lower(User.email).in_(chunk))
            found.update((email, user_id) for email, user_id in self.session.execute(query))
        return found

    def _existing(self, column, values: list[str]) -> set[str]:
        """Which of ``values`` the database already holds in ``column``."""
        found: set[str] = set()
        for chunk in _chunks(values):
            found.update(self.session.scalars(select(column).where(column.in_(chunk))))
        return found

    def _insert(self, section: Section) -> None:
        """Insert one section's rows (self-references set afterwards, in a second pass)."""
        table = section.table
        params, kept = [], []
        for values in self.parsed[section.key]:
            row, self_refs = self._row(section, values)
            if row is None:
                continue
            fix = getattr(self, f"_fix_{section.key}", None)
            if fix is not None:
                fix(row)
            params.append(row)
            kept.append((values.get("id"), self_refs))
        self.ids[section.key] = {}
        if not params:
            return
        if not section.has_id:
            self.session.execute(insert(table), params)
            return
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        new_ids = self.session.execute(statement, params).scalars().all()
        mapping = self.ids[section.key] = {old: new for (old, _), new in zip(kept, new_ids,
                                                                             strict=True)}
        self._set_self_references(section, params, kept, mapping)

    def _row(self, section: Section, values: dict) -> tuple[dict | None, dict]:
        """The insert parameters of one row (None: dropped) and its pending self-references."""
        row: dict[str, Any] = {}
        self_refs: dict[str, int] = {}
        for column in section.table.columns:
            name, target = column.name, section.refs.get(column.name)
            value = values.get(name)
            if name == "id" and section.has_id:
                continue
            if target == DIAGNOSTIC:
                value = self.diagnostic_id
            elif target == USERS:
                value = self.users.get(value) if value else None
                if value is None and not column.nullable:
                    return None, {}
            elif target == section.key:
                if value is not None:
                    self_refs[name] = value
                value = None
            elif target is not None and value is not None:
                value = self.ids[target][value]
            row[name] = value
        return row, self_refs

    def _set_self_references(self, section, params, kept, mapping) -> None:
        """Second pass: references to rows of the same section, now that all have ids."""
        table = section.table
        columns = [c.name for c in table.columns if section.refs.get(c.name) == section.key]
        # Columns refreshed on UPDATE (updated_at) keep their archived value.
        stamped = [c.name for c in table.columns if c.onupdate is not None]
        updates = []
        for row, (old, self_refs) in zip(params, kept, strict=True):
            if self_refs:
                update_row = {"_id": mapping[old]}
                for name in columns:
                    ref = self_refs.get(name)
                    update_row[f"_{name}"] = None if ref is None else mapping[ref]
                update_row.update({f"_{name}": row[name] for name in stamped})
                updates.append(update_row)
        if updates:
            statement = update(table).where(table.c.id == bindparam("_id")).values(
                {name: bindparam(f"_{name}") for name in columns + stamped})
            self.session.execute(statement, updates,
                                 execution_options={"synchronize_session": False})

    def _fix_workshops(self, row: dict) -> None:
        """Keep the join code when it is free, else draw a new one; make the phase agree
        with the status (an older archive may hold a closed workshop in another phase)."""
        if row.get("status") is not None and row.get("phase") is not None:
            row["phase"] = consistent_phase(row["status"], row["phase"])
            if row["status"] != WorkshopStatus.OPEN.value:
                row["phase_ends_at"] = None
        code = row["join_code"]
        if code in self.taken_codes or code in self.used_codes \
                or not code or normalise_join_code(code) != code:
            code = generate_join_code(self.session)
            while code in self.used_codes:
                code = generate_join_code(self.session)
        self.used_codes.add(code)
        row["join_code"] = code

    def _fix_participants(self, row: dict) -> None:
        """A new secret token (tokens are never archived)."""
        row["token"] = secrets.token_urlsafe(32)

    def _fix_paper_imports(self, row: dict) -> None:
        """No file (never archived): what it imported is in the contributions."""
        row["content"] = b""

    def _fix_contributions(self, row: dict) -> None:
        """Keep the client id when it is free, else derive one from it and the new id.

        A website typed without a scheme ("exemple.fr", accepted by the live rules the
        archive passed) is completed as the live path stores it.
        """
        if row.get("website"):
            row["website"] = complete_website(row["website"])
        original = row["client_id"]
        if original in self.taken_client_ids:
            digest = hashlib.sha256(original.encode("utf-8")).hexdigest()[:48]
            row["client_id"] = f"r{self.diagnostic_id}-{digest}"

    def _fix_restitutions(self, row: dict) -> None:
        """A new link (tokens are never archived)."""
        row["token"] = secrets.token_urlsafe(32)

    def _fix_restitution_comments(self, row: dict) -> None:
        """Keep the client id when it is free, else derive one from it and the new id."""
        original = row["client_id"]
        if original in self.taken_comment_ids:
            digest = hashlib.sha256(original.encode("utf-8")).hexdigest()[:48]
            row["client_id"] = f"r{self.diagnostic_id}-{digest}"

    def _fix_rejected_pairs(self, row: dict) -> None:
        """Pairs are stored with the smaller id first; new ids may swap them."""
        if row["first_id"] > row["second_id"]:
            row["first_id"], row["second_id"] = row["second_id"], row["first_id"]


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    """``values`` in lists of at most CHUNK (bounded IN clauses)."""
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]
