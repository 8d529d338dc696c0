"""Staff synthesis: the audit log reads as dated French sentences, not as a table of keys."""

from __future__ import annotations

from datetime import UTC, datetime

from diagnostic.models import SynthesisAuditEntry
from diagnostic.synthesis import editing
from tests.workshops.staff_synthesis.conftest import base, log_text

WINTER = datetime(2026, 12, 2, 17, 18, 46, tzinfo=UTC)
SETTINGS = {"title": "", "summary": "", "position": "", "priority": False, "stake_id": None}


def logged(db, seeded, make_user):
    """Every synthesis action once, by Claire Martin, in a diagnostic kept in La Réunion."""
    diagnostic, _workshops, items = seeded
    diagnostic.time_zone = "Indian/Reunion"
    claire = make_user()
    claire.name = "Claire Martin"
    a, b = items["locaux_a"].id, items["locaux_b"].id
    group = editing.merge(db.session, diagnostic, claire, [a, b])
    editing.update_item(db.session, diagnostic, claire, a, {**SETTINGS, "title": "Locaux"})
    editing.update_item(db.session, diagnostic, claire, a,
                        {**SETTINGS, "title": "Locaux", "summary": "Des locaux abordables"})
    editing.reject_pair(db.session, diagnostic, claire, items["restos_a"].id,
                        items["restos_b"].id)
    editing.split(db.session, diagnostic, claire, b)
    editing.dissolve(db.session, diagnostic, claire, group.id)
    db.session.add(SynthesisAuditEntry(diagnostic_id=diagnostic.id, user_id=claire.id,
                                       action="reorder_items", before=None, after=None))
    db.session.flush()
    for entry in db.session.query(SynthesisAuditEntry):
        entry.created_at = WINTER
    db.session.commit()
    return diagnostic


def test_the_synthesis_log_shows_one_dated_sentence_per_action(staff, seeded, db, make_user):
    diagnostic = logged(db, seeded, make_user)
    page = staff.get(base(diagnostic) + "?kind=need").get_data(as_text=True)
    section = page.split('id="synthesis-audit"')[1].split("</section>")[0]
    log = log_text(page)
    sentences = [
        "Action « reorder items » par Claire Martin",
        "Réglages de synthèse de « Trouver des locaux abordables » effacés par Claire Martin",
        "Contribution « Trouver des locaux à loyer abordable » détachée de « Trouver des "
        "locaux abordables » par Claire Martin",
        "Suggestion de doublon écartée par Claire Martin : « Les Restos du Cœur » et "
        "« restos du coeur »",
        "Texte de synthèse de l'élément « Locaux » modifié par Claire Martin",
        "Élément « Trouver des locaux abordables » renommé en « Locaux » par Claire Martin",
        "Besoins « Trouver des locaux abordables » et « Trouver des locaux à loyer abordable » "
        "regroupés par Claire Martin",
    ]
    positions = [log.index(sentence) for sentence in sentences]
    assert positions == sorted(positions)  # newest first
    assert section.count("<li>\n        <time") == len(sentences)
    # Times in the diagnostic's zone (La Réunion: UTC+4), said once above the list.
    assert log.count("02/12/2026 21:18") == len(sentences)
    assert "heure de La Réunion, UTC+4" in log
    assert 'datetime="2026-12-02T21:18:46+04:00"' in section
    # "Détails" only where it adds something: the new text, the settings a dissolve erased.
    assert section.count("<details") == 2
    assert "Texte de synthèse : — → « Des locaux abordables »" in log
    assert "Titre : « Locaux » Texte de synthèse : « Des locaux abordables »" in log
    # A list, not a table of keys and raw values.
    assert "<table" not in section and 'class="audit-log"' in section
    for raw in ("merge", "split", "dissolve", "reject", "edit", "reorder_items", "members",
                "stake_id", "pair", "removed", "None", "[", "{", "Avant", "Regroupement</td>"):
        assert raw not in log, raw


def test_the_synthesis_log_reads_in_english(staff, seeded, db, make_user):
    diagnostic = logged(db, seeded, make_user)
    log = log_text(staff.get(base(diagnostic) + "?kind=need&lang=en").get_data(as_text=True))
    for sentence in (
        "Needs « Trouver des locaux abordables » and « Trouver des locaux à loyer abordable » "
        "grouped by Claire Martin",
        "Item « Trouver des locaux abordables » renamed « Locaux » by Claire Martin",
        "Duplicate suggestion dismissed by Claire Martin: « Les Restos du Cœur » and "
        "« restos du coeur »",
        "Synthesis settings of « Trouver des locaux abordables » cleared by Claire Martin",
        "Action “reorder items” by Claire Martin",
        "Details", "UTC+4",
    ):
        assert sentence in log, sentence
    assert "regroupés" not in log and "Journal" not in log
