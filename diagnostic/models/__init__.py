"""Typed SQLAlchemy 2.0 models of a collaborative territorial diagnostic.

The models are plain SQLAlchemy (no Flask import) so the domain runs from the CLI,
batch exports and tests without an application; ``workshops.extensions`` binds them
to Flask-SQLAlchemy through :class:`Base`. One module per aggregate, each importing only
the modules below it:

- :mod:`.base` (the declarative base) and :mod:`.enums`;
- :mod:`.users`: staff and facilitator accounts, their login sessions and one-time links;
- :mod:`.frame`: a diagnostic, its stakes, sectors, themes and taxonomy terms;
- :mod:`.workshop`: a workshop, its participants and its numbered live events;
- :mod:`.contribution`: contributions, their supports and dots;
- :mod:`.audit`: the moderation log; :mod:`.synthesis`: the diagnostic-wide synthesis;
- :mod:`.paper`: paper-form uploads awaiting or done;
- :mod:`.privacy`: the privacy notice of a diagnostic and the consents participants give;
- :mod:`.restitution`: the participant page of a diagnostic and the comments on it.

Importing this package (or any of its modules, which imports it first) registers every
table on ``Base.metadata``; ``from diagnostic.models import X`` is the way in.
"""

from .audit import AuditEntry
from .base import NAMING_CONVENTION, Base, utcnow
from .contribution import Contribution, Support, Vote, recommendation_need
from .enums import (
    CommentStatus,
    ContributionKind,
    ContributionStatus,
    Horizon,
    IdentificationMode,
    LinkPurpose,
    ModerationMode,
    Phase,
    ReportStatus,
    Role,
    Stage,
    Urgency,
    Vocabulary,
    WorkshopKind,
    WorkshopStatus,
)
from .frame import Diagnostic, Sector, Stake, Term, Theme
from .paper import PaperImport
from .privacy import ConsentPurpose, ConsentRecord, PrivacyNotice
from .restitution import Restitution, RestitutionComment
from .synthesis import RejectedPair, SynthesisAuditEntry, SynthesisItem
from .users import AccountLink, LoginSession, User
from .workshop import Participant, Workshop, WorkshopEvent, workshop_facilitator

__all__ = [
    "NAMING_CONVENTION",
    "AccountLink",
    "AuditEntry",
    "CommentStatus",
    "ConsentPurpose",
    "ConsentRecord",
    "Base",
    "Contribution",
    "ContributionKind",
    "ContributionStatus",
    "Diagnostic",
    "Horizon",
    "IdentificationMode",
    "LinkPurpose",
    "LoginSession",
    "ModerationMode",
    "PaperImport",
    "Participant",
    "Phase",
    "PrivacyNotice",
    "RejectedPair",
    "ReportStatus",
    "Restitution",
    "RestitutionComment",
    "Role",
    "Sector",
    "Stage",
    "Stake",
    "Support",
    "SynthesisAuditEntry",
    "SynthesisItem",
    "Term",
    "Theme",
    "Urgency",
    "User",
    "Vocabulary",
    "Vote",
    "Workshop",
    "WorkshopEvent",
    "WorkshopKind",
    "WorkshopStatus",
    "recommendation_need",
    "utcnow",
    "workshop_facilitator",
]
