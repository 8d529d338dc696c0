"""A paper-form upload's life: stored, previewed, imported once.

The upload is kept as a :class:`~diagnostic.models.PaperImport` row (bytes, sha256, who,
when) between the preview and the confirmation. The import writes every new row or
nothing: a single row with an error refuses the whole file. Imported items are published
at once, like the items a facilitator types in scribe mode (staff typed them from cards
the room wrote), labelled as paper entries (``paper_import_id``, ``scribe_id``: who
imported), audited in one entry, and announced to the room when the workshop is open.
Rows already imported (the same client id) and repeats of a row within the file are
counted once. Services flush and stage; the caller commits.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..audit import record_audit
from ..errors import N_, DomainError, NotFound
from ..frame.archiving import require_not_archived
from ..live import announce
from ..models import Contribution, ContributionStatus, PaperImport, User, Workshop, utcnow
from .parse import MAX_BYTES, read_upload
from .validate import Row, check_rows

PENDING, IMPORTED = "pending", "imported"
MAX_FILENAME = 200


@dataclass
class Preview:
    """The checked rows of an upload and what importing it would do."""

    rows: list[Row]

    @property
    def errors(self) -> int:
        """Rows with at least one error."""
        return sum(1 for row in self.rows if row.errors)

    @property
    def new(self) -> list[Row]:
        """Rows that importing would store."""
        return [row for row in self.rows if not row.errors and not row.already_imported
                and row.duplicate_of is None]

    @property
    def already(self) -> int:
        """Rows stored by an earlier import, skipped."""
        return sum(1 for row in self.rows if row.already_imported)

    @property
    def repeated(self) -> int:
        """Rows repeating an earlier line of the same file, counted once."""
        return sum(1 for row in self.rows if row.duplicate_of is not None
                   and not row.already_imported)

    @property
    def ready(self) -> bool:
        """Whether the file may be imported: every row clean."""
        return self.errors == 0


def store_upload(session: Session, workshop: Workshop, user: User | None, filename: str,
                 data: bytes, *, max_bytes: int = MAX_BYTES,
                 now: datetime | None = None) -> PaperImport:
    """Keep an uploaded file for its preview (replacing the one this person left awaiting
    confirmation in this workshop); :class:`~.parse.FileRefused` (nothing kept) when it
    cannot be read as a paper-form spreadsheet."""
    require_not_archived(workshop)
    read_upload(filename, data, max_bytes=max_bytes)  # refuse an unreadable file before keeping it
    if user is not None:  # one file awaiting confirmation per person and workshop
        session.execute(delete(PaperImport).where(
            PaperImport.workshop_id == workshop.id, PaperImport.user_id == user.id,
            PaperImport.status == PENDING))
    upload = PaperImport(
        workshop_id=workshop.id, user_id=user.id if user is not None else None,
        filename=(filename or "import")[-MAX_FILENAME:], content=data,
        sha256=hashlib.sha256(data).hexdigest(), status=PENDING, created_count=0,
        skipped_count=0, created_at=now or utcnow(),
    )
    session.add(upload)
    session.flush()
    return upload


def upload_of(session: Session, workshop: Workshop, upload_id: object) -> PaperImport:
    """The upload ``upload_id`` of this workshop, or NotFound."""
    upload = session.get(PaperImport, upload_id) if isinstance(upload_id, int) else None
    if upload is None or upload.workshop_id != workshop.id:
        raise NotFound(N_("Fichier importé introuvable : envoyez-le de nouveau."))
    return upload


def imports_of(session: Session, workshop: Workshop) -> list[PaperImport]:
    """The workshop's imported uploads, the latest first."""
    return list(session.scalars(select(PaperImport).where(
        PaperImport.workshop_id == workshop.id, PaperImport.status == IMPORTED)
        .order_by(PaperImport.id.desc())))


def preview(session: Session, workshop: Workshop, upload: PaperImport) -> Preview:
    """Every row of the upload checked, those already imported marked (a DomainError once
    it is imported: its file is gone)."""
    if upload.status != PENDING:
        raise DomainError(N_("Ce fichier a déjà été importé."))
    # Kept within the limit of its day: the limit of today does not refuse it afterwards.
    rows = check_rows(workshop, read_upload(upload.filename, upload.content,
                                            max_bytes=len(upload.content)))
    ids = [row.client_id for row in rows if row.client_id is not None and not row.errors]
    stored = set(session.scalars(select(Contribution.client_id).where(
        Contribution.client_id.in_(ids), Contribution.workshop_id == workshop.id))) if ids \
        else set()
    for row in rows:
        row.already_imported = row.client_id in stored
    return Preview(rows)


def import_upload(session: Session, workshop: Workshop, user: User | None,
                  upload: PaperImport, *, now: datetime | None = None) -> Preview:
    """Store the upload's new rows as the workshop's published paper entries, all or
    nothing: a DomainError (nothing written) if any row has an error."""
    require_not_archived(workshop)
    if upload.status != PENDING:
        raise DomainError(N_("Ce fichier a déjà été importé."))
    checked = preview(session, workshop, upload)
    if not checked.ready:
        raise DomainError(N_("Corrigez les erreurs du fichier avant de l'importer : "
                             "rien n'a été enregistré."))
    created = []
    for row in checked.new:
        fields = dict(row.cleaned)
        fields.pop("answered_need_ids", None)  # not on the paper form
        contribution = Contribution(
            workshop=workshop, participant_id=None,
            scribe_id=user.id if user is not None else None, paper_import_id=upload.id,
            status=ContributionStatus.PUBLISHED, merged_sources=[], answered_needs=[],
            **fields)
        session.add(contribution)
        created.append(contribution)
    upload.status = IMPORTED
    upload.created_count = len(created)
    upload.skipped_count = checked.already + checked.repeated
    upload.imported_at = now or utcnow()
    upload.content = b""  # its rows are contributions now; the file may hold contacts
    session.flush()
    record_audit(session, workshop, user, "paper_import", None,
                 {"created": len(created), "skipped": upload.skipped_count,
                  "filename": upload.filename})
    if workshop.is_open:
        for contribution in created:
            announce.contribution_added(session, contribution, new=True)
    return checked
