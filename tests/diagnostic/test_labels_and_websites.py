"""Scale labels that do not mix (urgency vs horizon) and websites completed with https://."""

from __future__ import annotations

import pytest

from diagnostic.errors import ValidationError
from diagnostic.live import participation
from diagnostic.models import Horizon, Phase, Stage, Urgency, WorkshopStatus
from diagnostic.taxonomy import enum_label
from diagnostic.validation import complete_website


def test_each_scale_reads_its_own_labels():
    # Urgency.MEDIUM and Horizon.MEDIUM are both "medium": one dict key once, the horizon's
    # label then showed on the urgency scale ("Faible / Moyen terme / Forte").
    assert [enum_label(m) for m in Urgency] == ["Faible", "Moyenne", "Forte"]
    assert [enum_label(m) for m in Horizon] == ["Court terme", "Moyen terme", "Long terme"]
    assert [enum_label(m) for m in Stage] == ["Émergente", "En développement", "Consolidée"]
    assert enum_label(Phase.CLOSED) == "Clôture"
    assert enum_label(WorkshopStatus.CLOSED) == "Clos"
    assert enum_label("medium") is None  # a bare value names no scale


@pytest.mark.parametrize("typed, stored", [
    ("www.exemple.fr", "https://www.exemple.fr"),
    ("exemple.fr", "https://exemple.fr"),
    ("  exemple.fr/page?x=1 ", "https://exemple.fr/page?x=1"),
    ("exemple.fr:8080/a", "https://exemple.fr:8080/a"),
    ("mairie-élysée.fr", "https://mairie-élysée.fr"),
    ("//cdn.exemple.fr", "https://cdn.exemple.fr"),
    ("WWW.Exemple.fr", "https://WWW.Exemple.fr"),
    ("www.mairie.exemple.fr/", "https://www.mairie.exemple.fr/"),
    ("exemple.fr.", "https://exemple.fr."),
    ("http://exemple.fr", "http://exemple.fr"),
    ("HTTPS://Exemple.fr", "HTTPS://Exemple.fr"),
])
def test_a_website_without_scheme_is_completed(typed, stored):
    assert complete_website(typed) == stored


@pytest.mark.parametrize("typed", [
    "javascript:alert(1)", "JavaScript:alert(1)", "mailto:a@exemple.fr", "data:text/html,x",
    "ftp://exemple.fr", "exemple", "exemple .fr", "http://", "exemple.fr<script>",
    "localhost:8000", "1.2.3.4", "n'importe quoi",
    # a host needs two labels besides a leading "www", the last one of 2+ letters
    "www.exemple", "WWW.exemple/page", "www.exemple:8080", "//www.exemple", "www.fr",
    "exemple.f", "exemple.123",
])
def test_garbage_and_other_schemes_are_refused(typed):
    with pytest.raises(ValueError):
        complete_website(typed)


def test_a_submitted_website_is_stored_completed(db, make_participant, initiative_data):
    participant = make_participant()
    data = initiative_data(participant.workshop, website="www.exemple.fr")
    contribution, _ = participation.submit_contribution(db.session, participant, data)
    assert contribution.website == "https://www.exemple.fr"
    with pytest.raises(ValidationError) as caught:
        participation.submit_contribution(db.session, participant, initiative_data(
            participant.workshop, website="javascript:alert(1)"))
    assert caught.value.errors["website"].startswith("Adresse web invalide")


def test_the_phone_form_offers_the_urgency_scale_and_a_plain_website_field(
        client, make_workshop):
    workshop = make_workshop()
    response = client.post(f"/j/{workshop.join_code}", data={"display_name": "Alex"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    urgency = page.split('id="need-urgency"')[1].split("</select>")[0]
    assert ">Moyenne<" in urgency and "Moyen terme" not in urgency
    horizon = page.split('id="recommendation-horizon"')[1].split("</select>")[0]
    assert ">Moyen terme<" in horizon
    website = page.split('id="initiative-website"')[0].rsplit("<input", 1)[1]
    assert 'type="url"' not in website  # the browser would refuse "www.exemple.fr" itself
