"""The audit log in words: one sentence per action, French by default, English by the catalog."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.support import Translations

from diagnostic.audit_text import (
    SENTENCES,
    SYNTHESIS,
    SYNTHESIS_SENTENCES,
    Context,
    Entry,
    describe,
    details,
    duration,
)

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
AT = datetime(2026, 12, 2, 17, 18, 46, tzinfo=UTC)  # winter: Paris is UTC+1
ENDS = "2026-12-02T17:28:46.115842+00:00"
WHO = "Claire Martin"


def english() -> Context:
    catalog = Translations.load(str(TRANSLATIONS), ["en"])

    def translate(message, **params):
        text = catalog.ugettext(message)
        return text % params if params else text

    return Context(translate=translate, time_zone="Europe/Paris", lang="en",
                   users={3: "Claire Martin", 9: "Jo Durand"})


def french() -> Context:
    return Context(time_zone="Europe/Paris", users={3: "Claire Martin", 9: "Jo Durand"})


# (entry, French sentence, English sentence): every action a service records.
CASES = [
    (Entry("set_phase", {"phase": "initiatives", "phase_ends_at": None, "status": "open"},
           {"phase": "needs", "phase_ends_at": None, "status": "open"}, WHO),
     "Passage en phase Besoins par Claire Martin",
     "Moved to the Needs phase by Claire Martin"),
    (Entry("set_phase", {"phase": "vote", "status": "open"},
           {"phase": "closed", "status": "closed"}, WHO),
     "Passage en phase Clôture par Claire Martin : l'atelier est clos",
     "Moved to the Closing phase by Claire Martin: the workshop is closed"),
    (Entry("set_phase", {"phase": "needs"}, {"phase": "welcome"}, WHO),
     "Passage en phase Accueil par Claire Martin",
     "Moved to the Welcome phase by Claire Martin"),
    (Entry("set_timer", {"phase_ends_at": None}, {"phase_ends_at": ENDS}, WHO, None, AT),
     "Minuterie de 10 min lancée par Claire Martin (fin prévue à 18:28)",
     "10 min timer started by Claire Martin (ends at 18:28)"),
    (Entry("set_timer", {"phase_ends_at": ENDS}, {"phase_ends_at": None}, WHO),
     "Minuterie arrêtée par Claire Martin", "Timer stopped by Claire Martin"),
    (Entry("set_moderation", {"moderation": "post"}, {"moderation": "pre"}, WHO),
     "Mode de modération : a priori (validation avant publication), choisi par Claire Martin",
     "Moderation mode: pre-moderation (approval before publication), chosen by Claire Martin"),
    (Entry("set_moderation", {"moderation": "pre"}, {"moderation": "post"}, WHO),
     "Mode de modération : a posteriori (publication immédiate), choisi par Claire Martin",
     "Moderation mode: post-moderation (immediate publication), chosen by Claire Martin"),
    (Entry("set_vote_settings", {"dot_budget": 3, "dot_max_per_item": 3},
           {"dot_budget": 5, "dot_max_per_item": 2}, WHO),
     "Gommettes : 5 par personne, 2 au plus par contribution (réglage de Claire Martin)",
     "Dots: 5 per person, at most 2 per contribution (set by Claire Martin)"),
    (Entry("set_facilitators", {"facilitators": []}, {"facilitators": [3, 9]}, "Admin"),
     "Animation confiée à Claire Martin, Jo Durand par Admin",
     "Facilitation assigned to Claire Martin, Jo Durand by Admin"),
    (Entry("set_facilitators", {"facilitators": [3]}, {"facilitators": []}, "Admin"),
     "Plus aucun·e animateur·rice pour cet atelier (choix de Admin)",
     "No facilitator assigned to this workshop any more (choice of Admin)"),
    (Entry("approve", {"status": "pending"}, {"status": "published"}, WHO, 12),
     "Contribution n° 12 validée par Claire Martin",
     "Contribution no. 12 approved by Claire Martin"),
    (Entry("reject", {"status": "pending"}, {"status": "hidden"}, WHO, 12),
     "Contribution n° 12 refusée par Claire Martin",
     "Contribution no. 12 refused by Claire Martin"),
    (Entry("reject", {"status": "pending"},
           {"status": "hidden", "refusal_reason": "Hors sujet"}, WHO, 12),
     "Contribution n° 12 refusée par Claire Martin (motif : « Hors sujet »)",
     "Contribution no. 12 refused by Claire Martin (reason: « Hors sujet »)"),
    (Entry("hide", {"status": "published"}, {"status": "hidden"}, WHO, 12),
     "Contribution n° 12 masquée par Claire Martin",
     "Contribution no. 12 hidden by Claire Martin"),
    (Entry("contribution_withdrawn", {"status": "published"}, {"status": "hidden"}, None, 12),
     "Contribution n° 12 retirée par son auteur·e",
     "Contribution no. 12 withdrawn by its author"),
    (Entry("restore", {"status": "hidden"}, {"status": "published"}, WHO, 12),
     "Contribution n° 12 rétablie par Claire Martin",
     "Contribution no. 12 restored by Claire Martin"),
    (Entry("edit", {"description": "Avant", "urgency": "low"},
           {"description": "Après", "urgency": "medium"}, WHO, 12),
     "Contribution n° 12 reformulée par Claire Martin (description, urgence)",
     "Contribution no. 12 reworded by Claire Martin (Description, Urgency)"),
    (Entry("split", {"description": "A et B"},
           {"description": "A", "new_id": 13, "new_description": "B"}, WHO, 12),
     "Contribution n° 12 scindée en deux par Claire Martin : la seconde partie devient la n° 13",
     "Contribution no. 12 split in two by Claire Martin: the second part becomes no. 13"),
    (Entry("merge", {"merged_into_id": None}, {"merged_into_id": 4}, WHO, 12),
     "Contribution n° 12 fusionnée dans la n° 4 par Claire Martin",
     "Contribution no. 12 merged into no. 4 by Claire Martin"),
    (Entry("unmerge", {"merged_into_id": 4}, {"merged_into_id": None}, WHO, 12),
     "Contribution n° 12 séparée de la n° 4 par Claire Martin",
     "Contribution no. 12 separated from no. 4 by Claire Martin"),
    (Entry("scribe", None, {"kind": "need", "on_behalf_of": "Mme Roux", "description": "x"},
           WHO, 12),
     "Contribution n° 12 (besoin) saisie par Claire Martin pour Mme Roux",
     "Contribution no. 12 (need) entered by Claire Martin for Mme Roux"),
    (Entry("scribe", None, {"kind": "initiative", "on_behalf_of": None, "description": "x"},
           WHO, 12),
     "Contribution n° 12 (initiative) saisie par Claire Martin pour une personne sans téléphone",
     "Contribution no. 12 (initiative) entered by Claire Martin for someone without a phone"),
    (Entry("paper_import", None, {"created": 9, "skipped": 3, "filename": "f.csv"}, WHO),
     "Import papier par Claire Martin (contributions ajoutées : 9 ; lignes ignorées, déjà "
     "importées ou répétées : 3)", "Paper import by Claire Martin (contributions added: 9; "
     "rows skipped, already imported or repeated: 3)"),
    (Entry("participant_erased", None, {"participant": 8, "reason": "request"}, WHO),
     "Données personnelles de la personne participante n° 8 effacées à sa demande par "
     "Claire Martin",
     "Personal data of participant no. 8 erased at their request by Claire Martin"),
    (Entry("participant_erased", None, {"participant": 8, "reason": "request"}, None),
     "Données personnelles de la personne participante n° 8 effacées à sa demande "
     "(ligne de commande)",
     "Personal data of participant no. 8 erased at their request (command line)"),
    (Entry("participant_erased", None, {"participant": 8, "reason": "retention"}, None),
     "Données personnelles de la personne participante n° 8 effacées : fin de leur durée "
     "de conservation",
     "Personal data of participant no. 8 erased: its retention period ended"),
    (Entry("open_workshop", {"status": "draft"}, {"status": "open"}, WHO),
     "Atelier ouvert par Claire Martin", "Workshop opened by Claire Martin"),
    (Entry("close_workshop", {"status": "open"}, {"status": "closed"}, WHO),
     "Atelier clos par Claire Martin", "Workshop closed by Claire Martin"),
    (Entry("reopen_workshop", {"status": "closed"}, {"status": "open"}, WHO),
     "Atelier rouvert par Claire Martin", "Workshop reopened by Claire Martin"),
    (Entry("duplicate_workshop", None, {"source_id": 2}, WHO),
     "Atelier dupliqué par Claire Martin", "Workshop duplicated by Claire Martin"),
    (Entry("archive_workshop", {"archived": False}, {"archived": True}, WHO),
     "Atelier archivé par Claire Martin", "Workshop archived by Claire Martin"),
    (Entry("restore_workshop", {"archived": True}, {"archived": False}, WHO),
     "Atelier restauré (sorti des archives) par Claire Martin",
     "Workshop restored from the archive by Claire Martin"),
]


@pytest.mark.parametrize(("entry", "fr", "en"), CASES, ids=[c[0].action for c in CASES])
def test_every_action_reads_as_a_sentence_in_french_and_english(entry, fr, en):
    assert describe(entry, french()) == fr
    assert describe(entry, english()) == en


def test_every_recorded_action_has_its_own_sentence():
    recorded = set()
    for folder in ("diagnostic", "workshops"):
        for path in (Path(__file__).resolve().parents[2] / folder).rglob("*.py"):
            recorded |= set(re.findall(r'record_audit\(\s*\w+,\s*\w+,\s*\w+,\s*"(\w+)"',
                                       path.read_text()))
    recorded |= {"approve", "reject", "hide", "restore"}  # through _change_status's argument
    assert recorded - set(SENTENCES) == set()
    assert {case[0].action for case in CASES} >= recorded


def test_an_author_without_account_is_the_facilitation():
    entry = Entry("hide", {"status": "published"}, {"status": "hidden"}, None, 5)
    assert describe(entry, french()) == "Contribution n° 5 masquée par l'animation"
    assert describe(entry, english()) == "Contribution no. 5 hidden by the facilitation team"


def test_an_unknown_action_reads_as_a_generic_sentence_without_python_values():
    entry = Entry("frobnicate_items", {"phase": "welcome", "facilitators": [3]},
                  {"phase": "vote", "facilitators": [], "ends": ENDS, "flag": True}, WHO, 7)
    text = describe(entry, french())
    assert text.startswith("Action « frobnicate items » sur la contribution n° 7 "
                           "par Claire Martin (")
    assert "Phase : Accueil → Vote" in text and "facilitators : Claire Martin → —" in text
    assert "02/12/2026 18:28" in text and "oui" in text
    for raw in ("frobnicate_items", "[", "{", "None", "True", "T17:28", "welcome"):
        assert raw not in text
    english_text = describe(Entry("some_new_thing", None, None, WHO), english())
    assert english_text == "Action “some new thing” by Claire Martin"


def test_a_malformed_entry_still_reads():
    entry = Entry("set_vote_settings", None, {"dot_budget": [1]}, WHO)
    assert "Gommettes" in describe(entry, french())
    assert describe(Entry("set_phase", None, {"phase": "nope"}, WHO), french()) \
        == "Passage en phase nope par Claire Martin"


def test_times_are_in_the_diagnostic_zone():
    entry = Entry("set_timer", {}, {"phase_ends_at": ENDS}, WHO, None, AT)
    reunion = Context(time_zone="Indian/Reunion")
    assert describe(entry, reunion).endswith("(fin prévue à 21:28)")  # UTC+4
    summer = Entry("set_timer", {}, {"phase_ends_at": "2026-06-02T17:28:00+00:00"}, WHO,
                   None, datetime(2026, 6, 2, 17, 13, tzinfo=UTC))
    assert describe(summer, french()) == \
        "Minuterie de 15 min lancée par Claire Martin (fin prévue à 19:28)"  # UTC+2


def test_details_show_the_texts_an_edit_changed():
    entry = Entry("edit", {"description": "Avant", "urgency": "low", "stake_id": 1},
                  {"description": "Après", "urgency": "medium", "stake_id": 2}, WHO, 12)
    ctx = Context(stakes={1: "Emploi", 2: "Valeurs"})
    assert details(entry, ctx) == ["Description : « Avant » → « Après »",
                                   "Urgence : Faible → Moyenne", "Enjeu : Emploi → Valeurs"]
    assert details(Entry("hide", None, None, WHO, 1), ctx) == []


@pytest.mark.parametrize(("seconds", "text"), [
    (45, "45 s"), (600, "10 min"), (599.6, "10 min"), (3600, "1 h"), (5400, "1 h 30")])
def test_durations_read_as_people_say_them(seconds, text):
    assert duration(seconds, Context()) == text


# The synthesis log: its entries describe synthesis items, contributions named by their text.
UNITS = {21: "Locaux partagés", 22: "Manque de locaux", 23: "Salle de réunion", 24: "Bureaux",
         25: "Hangar"}


def synthesis(ctx: Context) -> Context:
    ctx.contributions = UNITS
    ctx.stakes = {1: "Emploi", 2: "Valeurs"}
    return ctx


def item(members, **settings):
    return {"id": 4, "kind": "need", "title": "", "summary": "", "position": None,
            "priority": False, "stake_id": None, "members": members, **settings}


SYNTHESIS_CASES = [
    (Entry("merge", {"items": []}, item([21, 22]), WHO, item_id=4),
     "Besoins « Locaux partagés » et « Manque de locaux » regroupés par Claire Martin",
     "Needs « Locaux partagés » and « Manque de locaux » grouped by Claire Martin"),
    (Entry("merge", {"items": []}, item([21, 22, 23, 24, 25], kind="initiative"), WHO),
     "Initiatives « Locaux partagés », « Manque de locaux », « Salle de réunion » et 2 autres "
     "regroupées par Claire Martin",
     "Initiatives « Locaux partagés », « Manque de locaux », « Salle de réunion » and 2 others "
     "grouped by Claire Martin"),
    (Entry("merge", {"items": []}, item([21, 22], kind="recommendation"), WHO),
     "Préconisations « Locaux partagés » et « Manque de locaux » regroupées par Claire Martin",
     "Recommendations « Locaux partagés » and « Manque de locaux » grouped by Claire Martin"),
    (Entry("split", item([21, 22, 23]), {**item([22, 23]), "removed": 21}, WHO),
     "Contribution « Locaux partagés » détachée de « Manque de locaux » et « Salle de réunion » "
     "par Claire Martin",
     "Contribution « Locaux partagés » detached from « Manque de locaux » and "
     "« Salle de réunion » by Claire Martin"),
    (Entry("split", item([21], title="Lieux"), {**item([], title="Lieux"), "removed": 21}, WHO),
     "Contribution « Locaux partagés » détachée de son élément de synthèse par Claire Martin",
     "Contribution « Locaux partagés » detached from its synthesis item by Claire Martin"),
    (Entry("dissolve", item([21, 22]), None, WHO),
     "Regroupement de « Locaux partagés » et « Manque de locaux » défait par Claire Martin",
     "Group of « Locaux partagés » and « Manque de locaux » undone by Claire Martin"),
    (Entry("dissolve", item([21], title="Lieux"), None, WHO),
     "Réglages de synthèse de « Locaux partagés » effacés par Claire Martin",
     "Synthesis settings of « Locaux partagés » cleared by Claire Martin"),
    (Entry("reject", None, {"pair": [21, 22]}, WHO),
     "Suggestion de doublon écartée par Claire Martin : « Locaux partagés » et "
     "« Manque de locaux »",
     "Duplicate suggestion dismissed by Claire Martin: « Locaux partagés » and "
     "« Manque de locaux »"),
    (Entry("edit", item([21, 22], title="Lieux"), item([21, 22], title="Tiers-lieux"), WHO),
     "Élément « Lieux » renommé en « Tiers-lieux » par Claire Martin",
     "Item « Lieux » renamed « Tiers-lieux » by Claire Martin"),
    (Entry("edit", None, item([21], title="Lieux"), WHO),
     "Élément « Locaux partagés » renommé en « Lieux » par Claire Martin",
     "Item « Locaux partagés » renamed « Lieux » by Claire Martin"),
    (Entry("edit", item([21], title="Lieux"), item([21]), WHO),
     "Titre de l'élément « Lieux » retiré par Claire Martin",
     "Title of item « Lieux » removed by Claire Martin"),
    (Entry("edit", item([21, 22]), item([21, 22], summary="Des locaux"), WHO),
     "Texte de synthèse de l'élément « Locaux partagés » modifié par Claire Martin",
     "Synthesis text of item « Locaux partagés » edited by Claire Martin"),
    (Entry("edit", item([21]), item([21], position=2), WHO),
     "Élément « Locaux partagés » placé au rang 2 par Claire Martin",
     "Item « Locaux partagés » put at rank 2 by Claire Martin"),
    (Entry("edit", item([21], position=2), item([21]), WHO),
     "Élément « Locaux partagés » rendu à l'ordre automatique par Claire Martin",
     "Item « Locaux partagés » returned to the automatic order by Claire Martin"),
    (Entry("edit", item([21]), item([21], priority=True), WHO),
     "Élément « Locaux partagés » marqué prioritaire par Claire Martin",
     "Item « Locaux partagés » marked as a priority by Claire Martin"),
    (Entry("edit", item([21], priority=True), item([21]), WHO),
     "Élément « Locaux partagés » n'est plus prioritaire (choix de Claire Martin)",
     "Item « Locaux partagés » is no longer a priority (choice of Claire Martin)"),
    (Entry("edit", item([21]), item([21], stake_id=2), WHO),
     "Élément « Locaux partagés » rattaché à l'enjeu « Valeurs » par Claire Martin",
     "Item « Locaux partagés » attached to the stake « Valeurs » by Claire Martin"),
    (Entry("edit", item([21], stake_id=2, kind="recommendation"),
           item([21], kind="recommendation"), WHO),
     "Élément « Locaux partagés » rendu à l'enjeu choisi en atelier par Claire Martin",
     "Item « Locaux partagés » returned to the stake chosen in the workshop by Claire Martin"),
    (Entry("edit", item([21], title="Lieux"),
           item([21], title="Tiers-lieux", position=1, priority=True), WHO),
     "Élément « Lieux » modifié par Claire Martin (titre, rang, priorité)",
     "Item « Lieux » edited by Claire Martin (Title, Rank, Priority)"),
    (Entry("edit", item([21]), item([21]), WHO),
     "Élément « Locaux partagés » enregistré sans changement par Claire Martin",
     "Item « Locaux partagés » saved unchanged by Claire Martin"),
    (Entry("edit", item([21], stake_id=2), item([21]), WHO),  # a need has no workshop stake
     "Élément « Locaux partagés » retiré de son enjeu par Claire Martin",
     "Item « Locaux partagés » removed from its stake by Claire Martin"),
    (Entry("move", None, item([21], stake_id=2), WHO),
     "Élément « Locaux partagés » placé sous l'enjeu « Valeurs » par Claire Martin",
     "Item « Locaux partagés » put under the stake « Valeurs » by Claire Martin"),
    (Entry("move", item([21, 22], title="Lieux", stake_id=1),
           item([21, 22], title="Lieux"), WHO),
     "Élément « Lieux » retiré de son enjeu par Claire Martin",
     "Item « Lieux » removed from its stake by Claire Martin"),
]


@pytest.mark.parametrize(("entry", "fr", "en"), SYNTHESIS_CASES,
                         ids=[f"{c[0].action}-{i}" for i, c in enumerate(SYNTHESIS_CASES)])
def test_every_synthesis_action_reads_as_a_sentence_in_french_and_english(entry, fr, en):
    assert describe(entry, synthesis(french()), SYNTHESIS) == fr
    assert describe(entry, synthesis(english()), SYNTHESIS) == en


def test_every_recorded_synthesis_action_has_its_own_sentence():
    folder = Path(__file__).resolve().parents[2] / "diagnostic" / "synthesis"
    recorded = set()
    for path in folder.rglob("*.py"):
        recorded |= set(re.findall(r'_record\(\s*\w+,\s*\w+,\s*\w+,\s*"(\w+)"',
                                   path.read_text()))
    assert recorded >= {"merge", "split", "dissolve", "reject", "edit", "move"}
    assert recorded - set(SYNTHESIS_SENTENCES) == set()
    assert {case[0].action for case in SYNTHESIS_CASES} >= recorded


def test_a_move_s_details_name_the_stake_it_left():
    moved = Entry("move", item([21], stake_id=1), item([21], stake_id=2), WHO)
    assert details(moved, synthesis(french()), SYNTHESIS) == ["Enjeu précédent : « Emploi »"]
    assert details(moved, synthesis(english()), SYNTHESIS) == ["Previous stake: « Emploi »"]
    first = Entry("move", None, item([21], stake_id=2), WHO)
    assert details(first, synthesis(french()), SYNTHESIS) == []


def test_a_synthesis_entry_names_unknown_contributions_and_authors_plainly():
    entry = Entry("reject", None, {"pair": [21, 99]}, None)
    assert describe(entry, synthesis(french()), SYNTHESIS) == \
        "Suggestion de doublon écartée par l'équipe : « Locaux partagés » et n° 99"
    assert describe(entry, synthesis(english()), SYNTHESIS) == \
        "Duplicate suggestion dismissed by the staff: « Locaux partagés » and #99"


def test_an_unknown_synthesis_action_reads_as_a_generic_sentence():
    entry = Entry("reorder_items", item([21, 22], priority=True), None, WHO, item_id=4)
    text = describe(entry, synthesis(french()), SYNTHESIS)
    assert text.startswith("Action « reorder items » sur l'élément de synthèse n° 4 "
                           "par Claire Martin (")
    assert "Contributions : « Locaux partagés » et « Manque de locaux » → —" in text
    assert "Priorité : oui → —" in text and "Type de contribution : Besoin → —" in text
    assert "Titre" not in text and "id :" not in text  # nothing to read, an internal id
    for raw in ("reorder_items", "[", "{", "None", "True", "members", "need", "kind"):
        assert raw not in text
    assert describe(Entry("reorder_items", None, None, WHO, item_id=4), english(),
                    SYNTHESIS) == "Action “reorder items” on synthesis item no. 4 by Claire Martin"


def test_a_malformed_synthesis_entry_still_reads():
    assert describe(Entry("merge", None, {"members": 3}, WHO), french(), SYNTHESIS) \
        .startswith("Action « merge » par Claire Martin")
    assert details(Entry("dissolve", None, None, WHO), french(), SYNTHESIS) == []


def test_synthesis_details_only_when_they_add_something():
    ctx = synthesis(french())
    # a rename, a rank, a merge of two: the sentence says it all
    for entry, *_ in (SYNTHESIS_CASES[0], SYNTHESIS_CASES[8], SYNTHESIS_CASES[12],
                      SYNTHESIS_CASES[7]):
        assert details(entry, ctx, SYNTHESIS) == []
    # a new text: before and after
    assert details(SYNTHESIS_CASES[11][0], ctx, SYNTHESIS) == [
        "Texte de synthèse : — → « Des locaux »"]
    # several settings: each one, before → after
    assert details(SYNTHESIS_CASES[18][0], ctx, SYNTHESIS) == [
        "Titre : « Lieux » → « Tiers-lieux »", "Rang : ordre automatique → 1",
        "Priorité : non → oui"]
    # a shortened list of contributions: the whole of it
    assert details(SYNTHESIS_CASES[1][0], ctx, SYNTHESIS) == [
        "Contributions : « Locaux partagés », « Manque de locaux », « Salle de réunion », "
        "« Bureaux » et « Hangar »"]
    # a merge into a titled group: the title; a title that is a member's name says nothing
    titled = Entry("merge", {"items": []}, item([21, 22], title="Lieux"), WHO)
    assert details(titled, ctx, SYNTHESIS) == ["Titre de l'élément : « Lieux »"]
    named = Entry("merge", {"items": []}, item([21, 22], title="Manque de locaux"), WHO)
    assert details(named, ctx, SYNTHESIS) == []
    # an undone group: the texts it held, which are gone
    dissolved = Entry("dissolve", item([21, 22], title="Lieux", summary="Des locaux",
                                       stake_id=1), None, WHO)
    assert details(dissolved, ctx, SYNTHESIS) == [
        "Titre : « Lieux »", "Texte de synthèse : « Des locaux »", "Enjeu : Emploi"]
    assert details(dissolved, synthesis(english()), SYNTHESIS) == [
        "Title: « Lieux »", "Synthesis text: « Des locaux »", "Stake: Emploi"]
