"""Data of the Grand Toulouse 2011 demo diagnostic (fictitious contributions, in French).

The frame (title, territory, period, the six stakes, the two themes) comes from the 2011
announcement of the Communauté urbaine du Grand Toulouse; everything said in the
workshops is invented, inspired by the actors and programmes of the ESS (IAE, PLIE,
missions locales, CAE, finance solidaire, bien vieillir...). Organisations are fictional
or generic. Labels of taxonomy terms refer to :data:`diagnostic.taxonomy.DEFAULT_TERMS`.

Some initiatives are cited in several workshops with slightly different spellings, as
happens in real workshops: duplicate detection will be tried on them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

TITLE = "Diagnostic territorial collaboratif de l'ESS du Grand Toulouse (démonstration)"
TERRITORY = "Communauté urbaine du Grand Toulouse"
PERIOD = "Avril – juin 2011"
DESCRIPTION = (
    "Données de démonstration. En 2011, la Communauté urbaine du Grand Toulouse a lancé un "
    "diagnostic territorial collaboratif de l'économie sociale et solidaire : un état des "
    "lieux des initiatives économiques solidaires du territoire et des préconisations de "
    "politique publique, élaborés avec les acteurs lors d'ateliers territoriaux et "
    "thématiques entre avril et juin 2011. Les ateliers, participant·e·s et contributions "
    "présentés ici sont fictifs : ils s'inspirent de cette démarche pour montrer l'outil."
)

STAKES = (
    "Favoriser le développement et la pérennité de cette économie et de ses emplois",
    "Mieux répondre aux attentes et aux besoins des structures de l'ESS",
    "Mieux accompagner l'entrepreneuriat solidaire",
    "Inscrire pleinement l'ESS dans la dynamique du projet de pôle de complémentarité sur "
    "l'autonomie porté par le Grand Toulouse",
    "Favoriser les liens entre l'ESS et l'économie classique (pôles de compétitivité, "
    "pépinières…)",
    "Diffuser les valeurs et les bonnes pratiques de l'ESS auprès des élus, des techniciens, "
    "des acteurs économiques et des citoyens",
)

# Territorial sectors: (name, communes of the Communauté urbaine in 2011).
SECTORS = (
    ("Toulouse centre", "Toulouse"),
    ("Toulouse nord", "Toulouse"),
    ("Toulouse sud-est", "Toulouse"),
    ("Nord-est", "L'Union, Saint-Jean, Launaguet, Balma, Quint-Fonsegrives, Castelginest, "
                 "Fonbeauzard, Saint-Alban, Aucamville, Fenouillet, Gagnac-sur-Garonne"),
    ("Ouest", "Colomiers, Blagnac, Cornebarrieu, Beauzelle, Aussonne, Seilh, Mondonville, "
              "Pibrac, Brax"),
    ("Sud-ouest", "Tournefeuille, Cugnaux, Villeneuve-Tolosane"),
)

# Themes of the thematic workshops: (name, description).
THEMES = (
    ("Entrepreneuriat solidaire",
     "Créer et développer des entreprises solidaires : couveuses, coopératives d'activité "
     "et d'emploi, financement solidaire, pépinières."),
    ("Services à la personne",
     "Aide à domicile, bien vieillir, petite enfance : emplois de proximité et qualité du "
     "service rendu."),
)

# Actor types (labels of DEFAULT_TERMS) used below.
ASSO = "Association"
COOP = "Coopérative"
MUT = "Mutuelle"
SIAE = "Structure d'insertion"
ENT = "Entreprise classique"
ELU = "Élu·e"
TECH = "Technicien·ne de collectivité"
RESEAU = "Réseau ou fédération de l'ESS"
CIT = "Citoyen·ne"


def person(name: str, organisation: str = "", actor: str | None = None,
           named: bool = False) -> dict[str, Any]:
    """A participant: pseudonymous display name, optional organisation and actor type."""
    return {"display_name": name, "organisation": organisation, "actor_type": actor,
            "agreed_to_be_named": named}


def initiative(name: str, family: str | None, sector: str | None, commune: str,
               description: str, jobs: float | None = None,
               stage: str | None = None) -> dict[str, Any]:
    """An initiative (family and sector are taxonomy labels, None when not given)."""
    return {"kind": "initiative", "name": name, "ess_family": family,
            "activity_sector": sector, "commune": commune, "description": description,
            "jobs_fte": jobs, "stage": stage}


def need(key: str, category: str, description: str, actor: str | None = None,
         urgency: str | None = None) -> dict[str, Any]:
    """A need; ``key`` lets recommendations of any later workshop answer it."""
    return {"kind": "need", "key": key, "need_category": category,
            "description": description, "actor_type": actor, "urgency": urgency}


def recommendation(stake: int, description: str, party: str | None = None,
                   horizon: str | None = None, needs: tuple[str, ...] = ()) -> dict[str, Any]:
    """A recommendation serving stake number ``stake`` (1–6), answering needs by key."""
    return {"kind": "recommendation", "stake": stake, "description": description,
            "responsible_party": party, "horizon": horizon, "needs": needs}


FAM_ASSO = "Association"
FAM_COOP = "Coopérative"
FAM_MUT = "Mutuelle"
FAM_FOND = "Fondation"
FAM_IAE = "Structure d'insertion par l'activité économique"
FAM_EQUI = "Commerce équitable"
FAM_AUTRE = "Autre"

# The workshops in date order; the one with "open": True stays open for newcomers.
WORKSHOPS: tuple[dict[str, Any], ...] = (
    {
        "kind": "territorial", "subject": "Toulouse centre",
        "title": "Atelier territorial — Toulouse centre",
        "date": date(2011, 4, 12), "place": "Salle du conseil, hôtel de communauté, Toulouse",
        "participants": (
            person("Participant·e 1", "Régie de quartier (démo)", SIAE),
            person("Inès", "Épicerie solidaire Le Panier Partagé (démo)", ASSO, named=True),
            person("Participant·e 3", "Coopérative d'activité et d'emploi (démo)", COOP),
            person("Participant·e 4", "Club Cigales (démo)", RESEAU),
            person("Participant·e 5", "", CIT),
            person("Participant·e 6", "Service développement économique (démo)", TECH),
            person("Participant·e 7", "Boutique équitable (démo)", COOP),
            person("Participant·e 8"),
        ),
        "contributions": (
            initiative(
                "Tolosa Entreprendre, coopérative d'activité et d'emploi", FAM_COOP,
                "Insertion et emploi", "Toulouse",
                "CAE qui héberge une soixantaine d'entrepreneur·e·s salarié·e·s : test de "
                "l'activité en grandeur réelle, gestion mutualisée, accès au statut "
                "d'entrepreneur-salarié puis d'associé.", 6, "established"),
            initiative(
                "Épicerie solidaire Le Panier Partagé", FAM_ASSO, "Alimentation et agriculture",
                "Toulouse",
                "Épicerie solidaire ouverte aux familles orientées par les travailleurs "
                "sociaux ; ateliers cuisine et achats groupés auprès de producteurs locaux.",
                2.5, "developing"),
            initiative(
                "Club Cigales Pastel", FAM_AUTRE, "Finance solidaire", "Toulouse",
                "Club d'investisseurs citoyens qui place l'épargne de ses membres dans des "
                "entreprises locales de l'ESS et les accompagne bénévolement.", 0,
                "established"),
            initiative(
                "Boutique Terres d'Échanges", FAM_EQUI, "Commerce et artisanat", "Toulouse",
                "Boutique de commerce équitable et d'artisanat ; animations dans les écoles "
                "lors de la Quinzaine du commerce équitable.", 3, "established"),
            need("locaux-centre", "Locaux",
                 "Trouver des locaux abordables en centre-ville pour les activités ouvertes "
                 "au public : les loyers excluent les petites structures.", ASSO, "high"),
            need("tresorerie", "Financement",
                 "Des avances de trésorerie en attendant le versement des subventions : "
                 "plusieurs associations attendent six mois leurs paiements.", ASSO, "high"),
            need("visibilite-ess", "Visibilité",
                 "Rendre l'ESS visible des habitant·e·s et des entreprises : personne ne sait "
                 "qui fait quoi sur le territoire.", RESEAU, "medium"),
            need("formation-benevoles", "Formation",
                 "Former les dirigeant·e·s bénévoles à la fonction employeur, à la gestion et "
                 "à la réponse aux marchés publics.", ASSO, "medium"),
            recommendation(
                2, "Créer un fonds d'avance de trésorerie pour les structures de l'ESS, "
                "adossé à France Active et aux banques coopératives.", "Intercommunalité",
                "short", ("tresorerie",)),
            recommendation(
                6, "Publier une carte en ligne des initiatives de l'ESS du Grand Toulouse, "
                "tenue à jour avec la CRESS et les réseaux.", "Intercommunalité", "short",
                ("visibilite-ess",)),
            recommendation(
                2, "Ouvrir en centre-ville un lieu ressource mutualisé (bureaux partagés, "
                "salles, domiciliation) pour les petites associations employeuses.",
                "Communes", "medium", ("locaux-centre", "formation-benevoles")),
            recommendation(
                1, "Mutualiser la fonction employeur entre petites associations "
                "(groupements d'employeurs) pour pérenniser les emplois aidés.",
                "Réseaux de l'ESS", "medium"),
        ),
    },
    {
        "kind": "territorial", "subject": "Toulouse nord",
        "title": "Atelier territorial — Toulouse nord",
        "date": date(2011, 4, 19), "place": "Salle associative, quartier des Izards, Toulouse",
        "participants": (
            person("Participant·e 9", "Recyclerie (démo)", SIAE),
            person("Participant·e 10", "Régie de quartier (démo)", SIAE),
            person("Mathieu", "Mission locale (démo)", TECH, named=True),
            person("Participant·e 12", "PLIE (démo)", TECH),
            person("Participant·e 13", "Auto-école sociale (démo)", ASSO),
            person("Participant·e 14", "", CIT),
            person("Participant·e 15", "Conseil de quartier (démo)", ELU),
        ),
        "contributions": (
            initiative(
                "Recyclerie de la Garonne", FAM_ASSO, "Environnement et économie circulaire",
                "Toulouse",
                "Ressourcerie : collecte d'objets, réparation et revente à petits prix ; "
                "atelier-chantier d'insertion qui emploie des habitant·e·s des quartiers nord.",
                9, "developing"),
            initiative(
                "Régie de quartier Nord Solidaire", FAM_IAE, "Habitat et logement", "Toulouse",
                "Régie de quartier du Grand Projet de Ville : entretien des parties communes, "
                "petits travaux dans les logements, embauche d'habitant·e·s en insertion.",
                22, "established"),
            initiative(
                "Jardin d'insertion Les Pousses du Nord", FAM_IAE,
                "Alimentation et agriculture", "Toulouse",
                "Atelier-chantier d'insertion maraîcher : paniers de légumes vendus aux "
                "habitant·e·s et à la restauration collective.", 5, "developing"),
            initiative(
                "Auto-école sociale Permis Solidaire", FAM_ASSO, "Mobilité", "Toulouse",
                "Auto-école associative pour les personnes suivies par le PLIE et la mission "
                "locale : le permis comme levier d'accès à l'emploi.", 3, "emerging"),
            need("mobilite-emploi", "Mobilité",
                 "Les salarié·e·s en insertion n'ont souvent ni permis ni véhicule, et les "
                 "horaires décalés des chantiers ne sont pas desservis.", SIAE, "high"),
            need("clauses-acces", "Commande publique",
                 "Accéder aux marchés publics : les lots sont trop gros et les clauses "
                 "d'insertion trop rarement appliquées.", SIAE, "high"),
            need("parcours-iae", "Emploi et recrutement",
                 "Mieux articuler PLIE, mission locale et structures d'insertion pour que les "
                 "sorties d'IAE débouchent sur un emploi durable.", TECH, "medium"),
            need("locaux-stockage", "Locaux",
                 "Un local de stockage et un atelier de réparation plus grands pour la "
                 "recyclerie.", ASSO, "medium"),
            recommendation(
                1, "Généraliser les clauses d'insertion dans les marchés publics du Grand "
                "Toulouse et financer un poste de facilitateur pour les suivre.",
                "Intercommunalité", "short", ("clauses-acces",)),
            recommendation(
                1, "Allotir les marchés et réserver certains lots aux structures de l'IAE "
                "(marchés d'insertion).", "Communes", "medium", ("clauses-acces",)),
            recommendation(
                2, "Soutenir une plateforme de mobilité solidaire (auto-école sociale, "
                "location de scooters, covoiturage) pour les publics en insertion.",
                "Département", "medium", ("mobilite-emploi",)),
        ),
    },
    {
        "kind": "territorial", "subject": "Toulouse sud-est",
        "title": "Atelier territorial — Toulouse sud-est",
        "date": date(2011, 5, 3), "place": "Salle municipale, quartier Rangueil, Toulouse",
        "participants": (
            person("Participant·e 16", "Recyclerie (démo)", SIAE),
            person("Participant·e 17", "SCIC de services à domicile (démo)", COOP),
            person("Participant·e 18", "Mutuelle de santé (démo)", MUT),
            person("Participant·e 19", "Café associatif (démo)", ASSO),
            person("Participant·e 20", "Entreprise de sous-traitance (démo)", ENT),
            person("Participant·e 21", "", CIT),
            person("Participant·e 22", "Mairie de quartier (démo)", ELU),
            person("Participant·e 23", "Centre social (démo)", ASSO),
            person("Participant·e 24"),
        ),
        "contributions": (
            initiative(
                "La Recyclerie Garonne", FAM_ASSO, "Environnement et économie circulaire",
                "Toulouse",
                "La recyclerie ouvre une deuxième boutique et collecte dans les déchèteries "
                "de l'est toulousain.", 9, "developing"),
            initiative(
                "SCIC Bien Vieillir Chez Soi", FAM_COOP, "Services à la personne", "Toulouse",
                "Coopérative d'intérêt collectif de services à domicile : usagers, "
                "salarié·e·s, aidant·e·s et collectivités sont sociétaires.", 14,
                "developing"),
            initiative(
                "Mutuelle Entraide Midi", FAM_MUT, "Action sociale et santé", "Toulouse",
                "Centre de santé mutualiste et actions de prévention pour les personnes âgées "
                "isolées du quartier.", 40, "established"),
            initiative(
                "Café associatif Le Lien", FAM_ASSO, "Culture et loisirs", "Toulouse",
                "Café culturel géré par les habitant·e·s : soirées jeux, concerts, "
                "permanences d'écrivain public.", 1.5, "emerging"),
            need("financement-amorcage", "Financement",
                 "Financer l'amorçage : les banques refusent les premiers prêts aux SCIC sans "
                 "garantie personnelle.", COOP, "high"),
            need("reseau-entreprises", "Mise en réseau",
                 "Rencontrer les entreprises de Montaudran et Rangueil pour la sous-traitance "
                 "et le mécénat de compétences.", ENT, "medium"),
            need("recrutement-sap", "Emploi et recrutement",
                 "Recruter et fidéliser des aides à domicile qualifiées : temps partiels "
                 "subis, déplacements non payés.", COOP, "high"),
            recommendation(
                4, "Associer les coopératives et associations de services à domicile au "
                "projet de pôle de complémentarité sur l'autonomie dès sa conception.",
                "Intercommunalité", "medium"),
            recommendation(
                3, "Mobiliser France Active et les Cigales pour garantir les prêts "
                "d'amorçage des SCIC et des coopératives.", "Région", "short",
                ("financement-amorcage",)),
            recommendation(
                5, "Organiser des rencontres d'affaires entre entreprises classiques et "
                "structures de l'ESS du sud-est toulousain (sous-traitance, achats "
                "responsables).", "Entreprises classiques", "medium",
                ("reseau-entreprises",)),
            recommendation(
                6, "Faire découvrir l'ESS aux jeunes : interventions en collège et lycée, "
                "coopératives scolaires, visites de structures.", "Communes", "long"),
        ),
    },
    {
        "kind": "territorial", "subject": "Nord-est",
        "title": "Atelier territorial — Nord-est",
        "date": date(2011, 5, 10), "place": "Salle des fêtes, L'Union",
        "participants": (
            person("Participant·e 25", "Association intermédiaire (démo)", SIAE),
            person("Participant·e 26", "AMAP (démo)", ASSO),
            person("Participant·e 27", "Crèche parentale (démo)", ASSO),
            person("Participant·e 28", "Commune du nord-est (démo)", ELU),
            person("Participant·e 29", "", CIT),
            person("Participant·e 30", "Recyclerie (démo)", SIAE),
        ),
        "contributions": (
            initiative(
                "Recyclerie Garonne", FAM_ASSO, "Environnement et économie circulaire",
                "Saint-Jean",
                "Point de collecte de la recyclerie à Saint-Jean ; ateliers de réparation "
                "de petit électroménager.", None, "developing"),
            initiative(
                "Association intermédiaire Coup de Main Nord-Est", FAM_IAE,
                "Services à la personne", "L'Union",
                "Mise à disposition de personnes en insertion auprès de particuliers, de "
                "communes et d'entreprises (ménage, jardinage, manutention).", 7,
                "established"),
            initiative(
                "AMAP des Maraîchers de Launaguet", FAM_ASSO, "Alimentation et agriculture",
                "Launaguet",
                "Une cinquantaine de familles en contrat avec deux maraîchers du nord "
                "toulousain.", 0, "established"),
            initiative(
                "Crèche parentale Les Petits Pas", FAM_ASSO, "Action sociale et santé",
                "Balma", "Crèche gérée par les parents : vingt places, six salariées.", 6,
                "established"),
            need("transport-periurbain", "Mobilité",
                 "Desservir les zones d'activité de Saint-Jean et de L'Union aux horaires des "
                 "chantiers et des services à domicile.", CIT, "medium"),
            need("foncier-agricole", "Locaux",
                 "Accéder à des terres agricoles périurbaines pour installer de nouveaux "
                 "maraîchers en circuit court.", ASSO, "medium"),
            need("accompagnement-creation", "Accompagnement",
                 "Un accompagnement de proximité pour les porteurs de projet des communes "
                 "périphériques, sans aller au centre de Toulouse.", CIT, "medium"),
            recommendation(
                2, "Préserver des terres agricoles périurbaines et faciliter l'installation "
                "de maraîchers en circuit court.", "Intercommunalité", "long",
                ("foncier-agricole",)),
            recommendation(
                3, "Tenir des permanences d'accompagnement à la création d'activité dans les "
                "communes périphériques (CAE, couveuses, boutiques de gestion).",
                "Intercommunalité", "medium", ("accompagnement-creation",)),
            recommendation(
                1, "Confier l'entretien des espaces verts communaux à des associations "
                "intermédiaires et des entreprises d'insertion.", "Communes", "short"),
        ),
    },
    {
        "kind": "territorial", "subject": "Ouest",
        "title": "Atelier territorial — Ouest",
        "date": date(2011, 5, 17), "place": "Salle des fêtes, Colomiers",
        "participants": (
            person("Participant·e 31", "Entreprise d'insertion (démo)", SIAE),
            person("Participant·e 32", "Atelier vélo associatif (démo)", ASSO),
            person("Participant·e 33", "Fondation d'entreprise (démo)", ENT),
            person("Participant·e 34", "SCOP informatique (démo)", COOP),
            person("Participant·e 35", "Sous-traitant aéronautique (démo)", ENT),
            person("Participant·e 36", "PLIE (démo)", TECH),
            person("Participant·e 37", "Commune de l'ouest (démo)", ELU),
            person("Participant·e 38", "Union régionale des SCOP (démo)", RESEAU),
            person("Participant·e 39", "", CIT),
            person("Participant·e 40"),
        ),
        "contributions": (
            initiative(
                "Ouest Propreté Insertion", FAM_IAE, "Insertion et emploi", "Colomiers",
                "Entreprise d'insertion de nettoyage industriel qui travaille pour des "
                "sous-traitants de l'aéronautique ; 25 postes en parcours d'insertion.", 35,
                "established"),
            initiative(
                "Atelier Vélo Solidaire", FAM_ASSO, "Mobilité", "Blagnac",
                "Atelier vélo participatif : réparation, vélos récupérés et location à petit "
                "prix pour aller au travail.", 2, "emerging"),
            initiative(
                "Fondation Envol Solidaire", FAM_FOND, "Éducation et formation", "Blagnac",
                "Fondation d'entreprise qui finance des projets d'insertion des jeunes et un "
                "parrainage par des salarié·e·s.", 1, "developing"),
            initiative(
                "SCOP Octet Libre", FAM_COOP, "Numérique", "Colomiers",
                "SCOP de services informatiques en logiciels libres ; reconditionne des "
                "ordinateurs pour les associations.", 8, "developing"),
            need("liens-aeronautique", "Mise en réseau",
                 "Des passerelles avec les donneurs d'ordre de l'aéronautique et le pôle de "
                 "compétitivité : achats responsables, mécénat, sous-traitance.", ENT,
                 "medium"),
            need("clauses-ouest", "Commande publique",
                 "Les clauses d'insertion des grands chantiers de l'ouest profitent peu aux "
                 "structures locales : il faut mieux les suivre.", SIAE, "high"),
            need("recrutement-insertion", "Emploi et recrutement",
                 "Les orientations vers les postes en insertion arrivent trop lentement pour "
                 "les chantiers.", SIAE, "medium"),
            recommendation(
                5, "Créer un club « ESS et économie classique » avec le pôle de compétitivité "
                "aéronautique et les pépinières du Grand Toulouse.", "Intercommunalité",
                "medium", ("liens-aeronautique",)),
            recommendation(
                1, "Mettre en place avec le PLIE un guichet unique des clauses d'insertion "
                "pour tous les donneurs d'ordre publics du territoire.", "Intercommunalité",
                "short", ("clauses-ouest", "clauses-acces", "recrutement-insertion")),
            recommendation(
                5, "Accueillir des entreprises de l'ESS dans les pépinières et hôtels "
                "d'entreprises, avec un accompagnement adapté.", "Réseaux de l'ESS",
                "medium"),
            recommendation(
                6, "Organiser chaque année un mois de l'ESS avec des portes ouvertes pour les "
                "élus, les techniciens et les habitants.", "Réseaux de l'ESS", "short"),
        ),
    },
    {
        "kind": "thematic", "subject": "Entrepreneuriat solidaire",
        "title": "Atelier thématique — Entrepreneuriat solidaire",
        "date": date(2011, 5, 26), "place": "Pépinière d'entreprises, Toulouse",
        "participants": (
            person("Participant·e 41", "Coopérative d'activité et d'emploi (démo)", COOP),
            person("Participant·e 42", "Couveuse d'entreprises (démo)", ASSO),
            person("Participant·e 43", "Boutique de gestion (démo)", ASSO),
            person("Participant·e 44", "Incubateur d'innovation sociale (démo)", RESEAU),
            person("Participant·e 45", "Torréfaction équitable (démo)", COOP),
            person("Participant·e 46", "Fonds territorial France Active (démo)", RESEAU),
            person("Participant·e 47", "Banque coopérative (démo)", COOP),
            person("Participant·e 48", "Pépinière d'entreprises (démo)", TECH),
            person("Participant·e 49", "Pôle de compétitivité (démo)", ENT),
            person("Participant·e 50", "", CIT),
            person("Participant·e 51", "Chambre régionale de l'ESS (démo)", RESEAU),
            person("Camille", "Grand Toulouse, élu·e à l'ESS (démo)", ELU, named=True),
        ),
        "contributions": (
            initiative(
                "CAE Tolosa Entreprendre", FAM_COOP, "Insertion et emploi", "Toulouse",
                "Coopérative d'activité et d'emploi : quinze nouvelles activités testées en "
                "2010, dont des projets d'allocataires du RSA.", 6, "established"),
            initiative(
                "Couveuse d'entreprises Premier Pas", FAM_ASSO, "Insertion et emploi",
                "Toulouse",
                "Les porteurs de projet testent leur activité sous contrat d'appui au projet "
                "d'entreprise avant de créer.", 4, "established"),
            initiative(
                "Boutique de gestion Sud Initiatives", FAM_ASSO, "Éducation et formation",
                "Toulouse",
                "Accueil, conseil et formation des créateurs, y compris de projets "
                "collectifs et associatifs.", 5, "established"),
            initiative(
                "Incubateur d'innovation sociale Germinal", FAM_ASSO, None, "Toulouse",
                "Incubateur qui accompagne dix-huit mois des projets socialement innovants, "
                "de l'idée au premier emploi.", 2, "emerging"),
            initiative(
                "Torréfaction Solid'Arômes", FAM_EQUI, "Commerce et artisanat", "Toulouse",
                "Torréfaction artisanale de café équitable ; vente aux comités d'entreprise "
                "et aux collectivités.", 5, "developing"),
            need("fonds-propres", "Financement",
                 "Des fonds propres pour les entreprises solidaires : prêts d'honneur, "
                 "garanties, capital-risque solidaire.", COOP, "high"),
            need("suivi-post-creation", "Accompagnement",
                 "Un suivi après la création : beaucoup de projets solidaires s'arrêtent dans "
                 "les trois premières années.", ASSO, "medium"),
            need("formation-gouvernance", "Formation",
                 "Former les porteurs de projet à la gouvernance coopérative et au modèle "
                 "économique hybride.", CIT, "medium"),
            need("pepiniere-ess", "Locaux",
                 "Des places en pépinière pour les entreprises de l'ESS : les critères "
                 "d'entrée excluent souvent les associations.", RESEAU, "medium"),
            recommendation(
                3, "Créer un parcours coordonné de l'entrepreneuriat solidaire : détection, "
                "couveuse, CAE, pépinière, suivi post-création.", "Intercommunalité",
                "short", ("suivi-post-creation", "accompagnement-creation")),
            recommendation(
                3, "Abonder un fonds d'amorçage solidaire avec France Active, les Cigales et "
                "les banques coopératives.", "Région", "medium",
                ("fonds-propres", "financement-amorcage")),
            recommendation(
                5, "Ouvrir les pépinières et les pôles de compétitivité aux projets de l'ESS "
                "(critères d'entrée, parrainage par des entreprises).", "Intercommunalité",
                "medium", ("pepiniere-ess",)),
            recommendation(
                6, "Former les élus et les techniciens du Grand Toulouse aux spécificités de "
                "l'ESS (statuts, gouvernance, utilité sociale).", "Réseaux de l'ESS",
                "medium", ("formation-gouvernance",)),
        ),
    },
    {
        "kind": "thematic", "subject": "Services à la personne",
        "title": "Atelier thématique — Services à la personne",
        "date": date(2011, 6, 7), "place": "Maison des associations, Toulouse",
        "participants": (
            person("Participant·e 52", "SCIC de services à domicile (démo)", COOP),
            person("Participant·e 53", "Association d'aide à domicile (démo)", ASSO),
            person("Participant·e 54", "Mutuelle de santé (démo)", MUT),
            person("Participant·e 55", "Conciergerie d'insertion (démo)", SIAE),
            person("Participant·e 56", "CLIC (démo)", TECH),
            person("Participant·e 57", "Fédération de l'aide à domicile (démo)", RESEAU),
            person("Participant·e 58", "", CIT),
            person("Participant·e 59", "Conseil général (démo)", TECH),
            person("Participant·e 60"),
        ),
        "contributions": (
            initiative(
                "SCIC Bien vieillir chez soi", FAM_COOP, "Services à la personne", "Toulouse",
                "Services à domicile coopératifs : aide au quotidien, adaptation du logement, "
                "répit des aidant·e·s.", 14, "developing"),
            initiative(
                "Présence Garonne, aide à domicile", FAM_ASSO, "Services à la personne",
                "Toulouse",
                "Aide à domicile des personnes âgées et handicapées ; 120 salarié·e·s, "
                "majoritairement à temps partiel.", 60, "established"),
            initiative(
                "Mutuelle Entraide-Midi", FAM_MUT, "Action sociale et santé", "Toulouse",
                "Service de prévention et d'aide aux aidant·e·s adossé au centre de santé "
                "mutualiste.", 40, "established"),
            initiative(
                "Conciergerie solidaire Le Trait d'Union", FAM_IAE, "Services à la personne",
                "Blagnac",
                "Conciergerie d'entreprise portée par un chantier d'insertion : pressing, "
                "courses, petites réparations pour les salarié·e·s de la zone aéroportuaire.",
                4, "emerging"),
            need("professionnalisation-sap", "Formation",
                 "Professionnaliser les aides à domicile : VAE, formations qualifiantes, "
                 "tutorat.", ASSO, "high"),
            need("coordination-autonomie", "Mise en réseau",
                 "Coordonner les intervenant·e·s autour de la personne âgée (soins, aide à "
                 "domicile, portage de repas) pour éviter les ruptures.", TECH, "medium"),
            need("solvabilisation", "Financement",
                 "Des tarifs d'allocation personnalisée d'autonomie qui couvrent le coût réel "
                 "de l'heure d'aide à domicile.", ASSO, "high"),
            need("attractivite-metiers", "Emploi et recrutement",
                 "Attirer des jeunes vers les métiers de l'aide à domicile malgré leur image "
                 "et leurs conditions de travail.", RESEAU, "medium"),
            recommendation(
                4, "Faire de l'ESS un pilier du pôle de complémentarité sur l'autonomie : une "
                "place pour les associations et coopératives dans sa gouvernance.",
                "Intercommunalité", "medium", ("coordination-autonomie",)),
            recommendation(
                4, "Créer une plateforme territoriale « bien vieillir » réunissant CLIC, "
                "services à domicile, mutuelles et centres de santé.", "Département",
                "medium", ("coordination-autonomie",)),
            recommendation(
                2, "Revaloriser le tarif horaire de l'aide à domicile et financer le temps "
                "de déplacement des intervenant·e·s.", "Département", "long",
                ("solvabilisation", "recrutement-sap")),
            recommendation(
                1, "Financer un plan de professionnalisation des métiers de l'aide à "
                "domicile (VAE, formation continue, groupements d'employeurs).", "Région",
                "medium", ("professionnalisation-sap", "attractivite-metiers")),
        ),
    },
    {
        "kind": "territorial", "subject": "Sud-ouest",
        "title": "Atelier territorial — Sud-ouest",
        "date": date(2011, 6, 21), "place": "Salle municipale, Tournefeuille",
        "open": True,
        "participants": (
            person("Participant·e 61", "Épicerie solidaire (démo)", ASSO),
            person("Participant·e 62", "Coopérative d'activité et d'emploi (démo)", COOP),
            person("Participant·e 63", "Commune du sud-ouest (démo)", ELU),
            person("Participant·e 64", "", CIT),
            person("Participant·e 65", "Association sportive (démo)", ASSO),
        ),
        "contributions": (
            initiative(
                "Tolosa entreprendre (CAE)", FAM_COOP, "Insertion et emploi", "Tournefeuille",
                "Antenne de la coopérative d'activité à Tournefeuille, deux demi-journées "
                "par semaine.", None, "established"),
            initiative(
                "Épicerie sociale et solidaire de Cugnaux", FAM_ASSO,
                "Alimentation et agriculture", "Cugnaux",
                "Épicerie solidaire et jardin partagé animés avec le centre communal "
                "d'action sociale.", 2, "developing"),
            need("locaux-sud-ouest", "Locaux",
                 "Des salles pour les activités associatives à Cugnaux et "
                 "Villeneuve-Tolosane, aujourd'hui saturées.", ASSO, "medium"),
            recommendation(
                2, "Mutualiser les salles municipales entre communes du sud-ouest avec un "
                "planning partagé en ligne.", "Communes", "short", ("locaux-sud-ouest",)),
            recommendation(
                6, "Valoriser dans le journal communautaire une initiative de l'ESS par "
                "numéro.", "Intercommunalité", "short", ("visibilite-ess",)),
        ),
    },
)
