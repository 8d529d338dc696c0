"""Duplicate suggestions: normalisation, examples of issue 4, robustness."""

import pytest

from diagnostic.synthesis.normalise import NameNormaliser, TextNormaliser, fold
from diagnostic.synthesis.scoring import Context
from diagnostic.synthesis.similarity import (
    DEFAULT_THRESHOLDS,
    Candidate,
    Reason,
    describe,
    nearest,
    suggest,
)


def initiative(id_, name, commune="Toulouse", text="", workshop=None, group=None,
               origin=None):
    """An initiative, by default in a workshop of its own (pairs across workshops)."""
    return Candidate(id=id_, kind="initiative", workshop_id=workshop or 100 + id_, text=text,
                     name=name, commune=commune, group=group, origin=origin)


def need(id_, text, workshop=None, group=None):
    return Candidate(id=id_, kind="need", workshop_id=workshop or 100 + id_, text=text,
                     group=group)


def pairs(suggestions):
    return {(s.first_id, s.second_id) for s in suggestions}


# --- normalisation -------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "folded"), [
    ("Les Restos du Cœur", "les restos du coeur"),
    ("  ÉPICERIE   solidaire, l'Ôtre-Rive !", "epicerie solidaire l otre rive"),
    ("Crèche « Les P'tits Loups »", "creche les p tits loups"),
    ("ﬁlière Æ", "filiere ae"),
    ("", ""),
])
def test_fold_lowers_case_strips_accents_and_punctuation(raw, folded):
    assert fold(raw) == folded


@pytest.mark.parametrize("name", [
    "Les Restos du Cœur", "restos du coeur Toulouse", "Restaurants du Coeur 31",
    "RESTO DU CŒUR (Haute-Garonne)",
])
def test_names_drop_articles_accents_places_and_numbers(name):
    assert NameNormaliser(["Toulouse"])(name) == "resto coeur"


@pytest.mark.parametrize(("name", "normalised"), [
    ("SCOP Ethiquable", "ethiquable"),
    ("Association Ethiquable", "ethiquable"),
    ("Asso. Ethiquable", "ethiquable"),
    ("Coopérative d'activité et d'emploi Etymon", "cae etymon"),
    ("Boutique de gestion Créer", "bge creer"),
    ("Union régionale des SCOP", "urscop"),
    ("Chambre régionale de l'économie sociale et solidaire", "cress"),
    ("Jardins partagés de Blagnac", "jardin partage"),
])
def test_names_abbreviate_ess_expressions_and_drop_legal_forms(name, normalised):
    assert NameNormaliser(["Blagnac"])(name) == normalised


def test_a_name_that_is_only_a_place_or_a_legal_form_is_kept_whole():
    normalise = NameNormaliser(["Colomiers"])
    assert normalise("Colomiers") == "colomier"
    assert normalise("SCOP") == "scop"
    assert normalise(None) == ""


def test_texts_are_stemmed_without_stop_words_and_with_ess_abbreviated():
    terms = TextNormaliser().terms(
        "Besoin de visibilité des jeunes auprès de l'Économie Sociale et Solidaire du "
        "Grand Toulouse")
    assert [stem for stem, _word in terms] == ["visibilit", "jeun", "ess"]
    assert [word for _stem, word in terms] == ["visibilité", "jeunes", "ess"]
    # Accents typed or not give the same stem.
    assert TextNormaliser().terms("mobilite")[0][0] == TextNormaliser().terms("Mobilité")[0][0]


# --- the examples of issue 4 ---------------------------------------------------------

def test_spelling_variants_of_one_structure_are_suggested():
    found = suggest([
        initiative(1, "Les Restos du Cœur"),
        initiative(2, "restos du coeur Toulouse", workshop=2),
        initiative(3, "Restaurants du Coeur 31", workshop=3),
        initiative(4, "Secours populaire", workshop=3),
    ])
    assert pairs(found) == {(1, 2), (1, 3), (2, 3)}
    first = found[0]
    assert first.kind == "initiative" and first.score == 100.0
    assert first.reasons == (Reason("name", 100.0, "resto coeur"),
                             Reason("commune", None, "Toulouse"))


def test_a_name_contained_in_another_through_a_distinctive_word():
    found = suggest([initiative(1, "Caissalim", commune=None),
                     initiative(2, "Caisse citoyenne de l'alimentation Caissalim")])
    assert pairs(found) == {(1, 2)}
    assert found[0].reasons[0] == Reason(
        "name", 92.0, "caissalim | caisse citoyenne alimentation caissalim")


def test_a_department_is_a_place_too():
    found = suggest([initiative(1, "SCOP Ethiquable", commune="Fleurance"),
                     initiative(2, "Ethiquable Gers", commune=None)])
    assert found[0].reasons[0] == Reason("name", 100.0, "ethiquable")


def test_the_same_name_in_another_commune_is_another_structure():
    def pair(commune):
        return suggest([initiative(1, "Relais mobilité", commune="Blagnac"),
                        initiative(2, "Le Relais Mobilité Emploi", commune=commune)],
                       threshold=0)

    same, other, unknown = pair("Blagnac"), pair("Colomiers"), pair("")
    assert same[0].score > unknown[0].score >= DEFAULT_THRESHOLDS["initiative"]
    assert other[0].score < DEFAULT_THRESHOLDS["initiative"]
    assert other[0].reasons[1] == Reason("other_commune", None, "Blagnac | Colomiers")
    assert suggest([initiative(1, "Restos du cœur", commune="Toulouse"),
                    initiative(2, "Restos du cœur", commune="Colomiers")]) == []


def test_spellings_of_one_commune_are_one_place():
    found = suggest([initiative(1, "AMAP de Castanet", commune="Castanet"),
                     initiative(2, "Amap Castanet-Tolosan", commune="Castanet-Tolosan")])
    assert pairs(found) == {(1, 2)}
    assert found[0].reasons[1].code == "commune"


def test_a_place_name_shared_alone_never_makes_a_pair():
    context = Context(places=("Arize", "Mirail"))
    found = suggest([initiative(1, "Garage solidaire de l'Arize", commune=None),
                     initiative(2, "Coop'Arize", commune=None),
                     initiative(3, "Ressourcerie du Mirail", commune=None),
                     initiative(4, "Mirail Emploi Services", commune=None)],
                    context=context)
    assert found == []


def test_a_place_in_the_name_says_where_the_structure_is():
    context = Context(places=("Arize", "Balma", "Colomiers"))
    found = suggest([initiative(1, "Jardin partagé", commune="Colomiers"),
                     initiative(2, "Jardin partagé de Balma", commune=None),
                     initiative(3, "Garage solidaire de l'Arize", commune=None),
                     initiative(4, "Garage Solidaire Arize", commune=None),
                     initiative(5, "Garage solidaire", commune="Colomiers")],
                    context=context)
    assert pairs(found) == {(3, 4)}


def test_generic_names_match_only_in_the_same_place():
    found = suggest([initiative(1, "Épicerie solidaire", commune="Muret"),
                     initiative(2, "Epicerie solidaire", commune="Tournefeuille"),
                     initiative(3, "Épicerie Solidaire", commune=None),
                     initiative(4, "Epicerie solidaire", commune="Muret")])
    assert pairs(found) == {(1, 4)}


def test_an_acronym_and_its_words_are_one_name():
    found = suggest([initiative(1, "ADEPES"), initiative(
        2, "Association pour le développement et la production de l'économie solidaire")])
    assert pairs(found) == {(1, 2)}


def test_words_run_together_or_apart_are_one_name():
    found = suggest([initiative(1, "Rézo Pouce", commune="Launaguet"),
                     initiative(2, "Rezopouce", commune=None),
                     initiative(3, "Crèche Les P'tits Loups", commune="Blagnac"),
                     initiative(4, "Creche Les Ptits Loups", commune="Blagnac")])
    assert pairs(found) == {(1, 2), (3, 4)}


def test_similar_looking_but_different_structures_are_not_suggested():
    found = suggest([
        initiative(1, "Ressourcerie de Colomiers", commune="Colomiers"),
        initiative(2, "Ressourcerie du Mirail"),
        initiative(3, "Ressourcerie La Glanerie"),
        initiative(4, "AMAP de Balma", commune="Balma"),
        initiative(5, "AMAP des Minimes"),
        initiative(6, "Secours catholique"),
        initiative(7, "Secours populaire"),
        initiative(8, "Régie de quartier Reynerie"),
        initiative(9, "Régie de quartier Empalot"),
    ])
    assert found == []


def test_needs_phrased_alike_are_suggested_with_their_shared_words():
    found = suggest([
        need(1, "Manque de locaux abordables pour les associations du centre-ville."),
        need(2, "Trouver des locaux à loyer modéré pour les associations en centre-ville.",
             workshop=2),
        need(3, "Former les bénévoles à la comptabilité.", workshop=3),
    ])
    assert pairs(found) == {(1, 2)}
    reasons = {reason.code: reason for reason in found[0].reasons}
    assert reasons["shared_words"].detail == "locaux, associations, centre, ville"
    assert 0 < reasons["text"].score <= 100


# --- options -------------------------------------------------------------------------

@pytest.fixture
def restos():
    return [initiative(1, "Les Restos du Cœur"), initiative(2, "restos du coeur"),
            initiative(3, "Restaurants du Coeur 31"), initiative(4, "Restos du cœur (31)")]


def test_rejected_pairs_are_skipped_in_either_order(restos):
    assert len(suggest(restos)) == 6
    found = suggest(restos, rejected={(2, 1), (3, 4)})
    assert pairs(found) == {(1, 3), (1, 4), (2, 3), (2, 4)}


def test_two_candidates_of_one_group_are_never_suggested(restos):
    grouped = [initiative(c.id, c.name, group=7 if c.id in (1, 2, 3) else None)
               for c in restos]
    assert pairs(suggest(grouped)) == {(1, 4), (2, 4), (3, 4)}


def test_results_are_ordered_best_first_and_can_be_limited(restos):
    found = suggest([*restos, initiative(5, "Resto du coeur antenne", commune="Blagnac")])
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
    assert all(s.first_id < s.second_id for s in found)
    assert suggest(restos, limit=2) == found[:2]
    assert suggest(restos, limit=0) == []


def test_the_threshold_overrides_the_default(restos):
    loose = [initiative(1, "Jardin partagé Reynerie"), initiative(2, "Jardin partagé Izards")]
    assert suggest(loose) == []
    assert pairs(suggest(loose, threshold=10)) == {(1, 2)}
    assert suggest(restos, threshold=101) == []


def test_pairs_of_one_workshop_only_on_request():
    one_room = [initiative(1, "Les Restos du Cœur", workshop=9),
                initiative(2, "restos du coeur", workshop=9),
                initiative(3, "Restaurants du Coeur", workshop=8)]
    assert pairs(suggest(one_room)) == {(1, 3), (2, 3)}
    assert pairs(suggest(one_room, same_workshop=True)) == {(1, 2), (1, 3), (2, 3)}


def test_the_halves_of_a_split_contribution_are_never_suggested():
    halves = [initiative(1, "Restos du cœur", workshop=9),
              initiative(2, "Restos du cœur", workshop=9, origin=1),
              initiative(3, "Restos du cœur", workshop=9, origin=1)]
    assert suggest(halves, same_workshop=True) == []


def test_similar_items_lists_the_nearest_whatever_the_threshold():
    items = [need(1, "Des locaux à loyer modéré pour les associations."),
             need(2, "Trouver des locaux pas chers pour les associations du quartier."),
             need(3, "Des locaux pour les associations.", workshop=101),
             need(4, "Former les bénévoles à la comptabilité."),
             need(5, "Un fonds d'amorçage pour les associations.")]
    found = nearest(items, 0)
    assert [c.id for c, _score, _reasons in found][:2] == [3, 2]
    assert all(score > 0 for _c, score, _r in found)
    assert 4 not in [c.id for c, _s, _r in found]  # nothing in common: not listed
    assert found[0][2][0].code == "text"
    assert len(nearest(items, 0, count=1)) == 1


def test_kinds_are_compared_separately_and_an_unknown_kind_is_refused():
    text = "Des locaux à loyer modéré pour les associations."
    found = suggest([need(1, text), initiative(2, "Locaux associatifs", text=text),
                     Candidate(id=3, kind="recommendation", workshop_id=3, text=text),
                     need(4, text)])
    assert pairs(found) == {(1, 4)}
    with pytest.raises(ValueError):
        suggest([Candidate(id=1, kind="vote", workshop_id=1, text="x")])


@pytest.mark.parametrize("text", [
    "", "   ", "\x00\x01\x1f\x7f\x9f", "\ud800 lone surrogate \udfff", "🙂🙂🙂", "﷽",
    "١٢٣ مرحبا", "𝔏𝔬𝔠𝔞𝔲𝔵", "a\u0301\u0301\u0301", "\u200b\u200e\ufeff", "-- '' ,, !!",
])
def test_odd_text_never_crashes(text):
    candidates = [need(1, text), need(2, text), need(3, "Des locaux " + text),
                  need(4, "des LOCAUX" + text),
                  initiative(5, text, commune=text, text=text),
                  initiative(6, text, commune=text), initiative(7, "Locaux " + text)]
    for suggestion in suggest(candidates, threshold=0):
        assert suggestion.first_id < suggestion.second_id
        for reason in suggestion.reasons:
            assert describe(reason)


def test_empty_texts_and_names_are_not_suggested():
    assert suggest([need(1, ""), need(2, ""), need(3, "de la et")]) == []
    assert suggest([initiative(1, ""), initiative(2, None), initiative(3, "   ")]) == []
    assert suggest([]) == []


# --- explanations --------------------------------------------------------------------

@pytest.mark.parametrize(("reason", "text"), [
    (Reason("name", 92.4, "resto coeur"), "Nom proche (92 %) : « resto coeur »"),
    (Reason("name", 85.0, "ethiquable | ethiquable ger"),
     "Noms proches (85 %) : « ethiquable » / « ethiquable ger »"),
    (Reason("commune", None, "Toulouse"), "Même commune : Toulouse"),
    (Reason("other_commune", None, "Blagnac | Colomiers"),
     "Communes différentes : Blagnac / Colomiers"),
    (Reason("text", 80.6), "Texte proche (81 %)"),
    (Reason("shared_words", None, "insertion, jeune, mobilité"),
     "Mots en commun : insertion, jeune, mobilité"),
])
def test_describe_explains_each_reason_in_french(reason, text):
    assert describe(reason) == text


def test_describe_goes_through_translate_with_the_french_msgid():
    calls = []

    def translate(message, **params):
        calls.append((message, params))
        return "translated"

    assert describe(Reason("text", 70.0), translate) == "translated"
    assert calls == [("Texte proche (%(score)d %%)", {"score": 70})]
