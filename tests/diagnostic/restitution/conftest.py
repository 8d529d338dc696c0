"""Factories of the restitution tests: a diagnostic with a need, a published page."""

from __future__ import annotations

import uuid

import pytest

from diagnostic.live import participation
from diagnostic.models import Vocabulary
from diagnostic.restitution import publishing


@pytest.fixture
def make_need(db, make_participant):
    """A published need of ``participant``'s workshop (a new one by default)."""

    def factory(participant=None, description: str = "Des locaux partagés à loyer modéré"):
        participant = participant or make_participant()
        category = participant.workshop.diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0]
        need, _ = participation.submit_contribution(db.session, participant, {
            "kind": "need", "description": description, "client_id": uuid.uuid4().hex,
            "need_category_id": category.id})
        db.session.commit()
        return need

    return factory


@pytest.fixture
def published(db):
    """The published restitution of ``diagnostic`` (anonymous comments by default)."""

    def factory(diagnostic, **settings):
        restitution = publishing.publish(db.session, diagnostic, None)
        if settings:
            publishing.configure(db.session, diagnostic, None,
                                 closes_at=settings.get("closes_at"),
                                 identification=settings.get("identification", "anonymous"))
        db.session.commit()
        return restitution

    return factory
