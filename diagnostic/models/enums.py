"""The enumerations of the domain, stored by value (see :func:`.base.enum_column`)."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    STAFF = "staff"
    FACILITATOR = "facilitator"


class LinkPurpose(enum.StrEnum):
    """What a one-time account link is for (both let its holder choose a password)."""

    INVITATION = "invitation"  # a new account: its person has never chosen a password
    RESET = "reset"  # a staff member reset the password of an existing account


class Vocabulary(enum.StrEnum):
    """The editable taxonomies of a diagnostic."""

    ESS_FAMILY = "ess_family"
    ACTIVITY_SECTOR = "activity_sector"
    NEED_CATEGORY = "need_category"
    ACTOR_TYPE = "actor_type"
    RESPONSIBLE_PARTY = "responsible_party"


class WorkshopKind(enum.StrEnum):
    TERRITORIAL = "territorial"
    THEMATIC = "thematic"


class WorkshopStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class ContributionKind(enum.StrEnum):
    INITIATIVE = "initiative"
    NEED = "need"
    RECOMMENDATION = "recommendation"


class ContributionStatus(enum.StrEnum):
    PUBLISHED = "published"
    HIDDEN = "hidden"
    # Held for approval in a pre-moderated workshop.
    PENDING = "pending"


class Phase(enum.StrEnum):
    """The steps a facilitator moves a workshop through (in any order, some skipped)."""

    WELCOME = "welcome"
    INITIATIVES = "initiatives"
    NEEDS = "needs"
    RECOMMENDATIONS = "recommendations"
    VOTE = "vote"
    CLOSED = "closed"


class ModerationMode(enum.StrEnum):
    POST = "post"  # published at once, may be hidden afterwards
    PRE = "pre"  # held in a queue until a facilitator approves it


class Stage(enum.StrEnum):
    EMERGING = "emerging"
    DEVELOPING = "developing"
    ESTABLISHED = "established"


class Urgency(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Horizon(enum.StrEnum):
    SHORT = "short"
    MEDIUM = "medium"
    LONG = "long"


class ReportStatus(enum.StrEnum):
    """Where a diagnostic's report stands, printed on its cover."""

    DRAFT = "draft"  # "Document de travail"
    VALIDATED = "validated"  # "Version validée le …" (its date: ``report_validated_on``)


class IdentificationMode(enum.StrEnum):
    """Who may comment on a diagnostic's restitution page."""

    PARTICIPANT = "participant"  # only a browser that joined one of its workshops
    ANONYMOUS = "anonymous"  # anyone holding the link


class CommentStatus(enum.StrEnum):
    """Where a restitution comment stands in moderation (only approved ones are shown)."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
