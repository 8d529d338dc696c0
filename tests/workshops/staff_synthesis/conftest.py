"""The staff synthesis pages' data: three workshops with duplicates, a staff client."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from diagnostic.live import participation
from diagnostic.models import SynthesisAuditEntry, SynthesisItem, Vocabulary
from tests.conftest import new_client_id


@pytest.fixture
def seeded(db, make_diagnostic, make_workshop, make_participant):
    """Three workshops: one initiative cited three times, another one, two alike needs."""
    diagnostic = make_diagnostic()
    workshops = [make_workshop(diagnostic, title=f"Atelier {n}", date=date(2011, 4, 10 + n))
                 for n in range(3)]
    people = [make_participant(w, f"P{w.id}", organisation=f"Structure {w.id}")
              for w in workshops]
    category = diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0].id

    def submit(who, kind, **fields):
        data = {"kind": kind, "client_id": new_client_id(), **fields}
        if kind == "need":
            data["need_category_id"] = category
        return participation.submit_contribution(db.session, who, data)[0]

    items = {
        "restos_a": submit(people[0], "initiative", name="Les Restos du Cœur",
                           description="Aide alimentaire", commune="Toulouse"),
        "restos_b": submit(people[1], "initiative", name="restos du coeur",
                           description="Distribution de repas", commune="Toulouse"),
        "restos_c": submit(people[2], "initiative", name="Restos du coeur 31",
                           description="Repas chauds", commune="Toulouse"),
        "garage": submit(people[2], "initiative", name="Garage solidaire",
                         description="Réparation à prix réduit", commune="Blagnac"),
        "locaux_a": submit(people[0], "need", description="Trouver des locaux abordables"),
        "locaux_b": submit(people[1], "need", description="Trouver des locaux à loyer abordable"),
        "finance": submit(people[2], "need", description="Financer le démarrage des projets"),
        "benevoles": submit(people[2], "need", description="Former les bénévoles à la gestion"),
        "pepiniere": submit(people[2], "recommendation",
                            description="Créer une pépinière ESS",
                            stake_id=diagnostic.stakes[0].id),
    }
    db.session.commit()
    return diagnostic, workshops, items


@pytest.fixture
def staff(client, login, make_user):
    """The test client, logged in as staff."""
    login(make_user())
    return client


def base(diagnostic) -> str:
    return f"/staff/diagnostics/{diagnostic.id}/synthesis"


def block(page: str, anchor: str) -> str:
    """The card of a list that starts at ``anchor``, up to the next card or the list's end."""
    start = page.index(anchor)
    ends = [i for i in (page.find('<li class="card', start), page.find("</ol>", start)) if i > 0]
    return page[start:min(ends)]


def fresh(db, model, ident):
    db.session.expire_all()
    return db.session.get(model, ident)


def actions(db) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(SynthesisAuditEntry.action)
                                   .order_by(SynthesisAuditEntry.id)))


def groups(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(SynthesisItem))


@pytest.fixture
def similarity():
    """The suggestion engine."""
    from diagnostic.synthesis import similarity

    return similarity


def log_text(page: str) -> str:
    """The synthesis audit log as a reader sees it: no tags, entities decoded, one space."""
    section = page.split('id="synthesis-audit"')[1].split("</section>")[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", section)).split())
