"""French vocabulary of the report benchmark's generated diagnostic (see bench.report_data).

Kinds of ESS structures with their family and activity sector (labels of
``diagnostic.taxonomy.DEFAULT_TERMS``), proper names to christen them, and need and
recommendation topics, each with several phrasings: the generator combines them so the
same structure or the same need comes back in several workshops written differently,
as in real workshops.
"""

from __future__ import annotations

# Families (DEFAULT_TERMS[ESS_FAMILY]).
ASSO = "Association"
COOP = "Coopérative"
MUT = "Mutuelle"
FOND = "Fondation"
IAE = "Structure d'insertion par l'activité économique"
EQUI = "Commerce équitable"
AUTRE = "Autre"

# (kind of structure, abbreviation or None, family, activity sector, what it does).
STRUCTURE_KINDS: tuple[tuple[str, str | None, str, str, str], ...] = (
    ("Épicerie solidaire", None, ASSO, "Alimentation et agriculture",
     "épicerie ouverte aux familles orientées par les travailleurs sociaux, ateliers cuisine"),
    ("Recyclerie", None, ASSO, "Environnement et économie circulaire",
     "collecte d'objets, réparation et revente à petits prix"),
    ("Ressourcerie", None, IAE, "Environnement et économie circulaire",
     "réemploi des encombrants et sensibilisation à la réduction des déchets"),
    ("Régie de quartier", "RQ", IAE, "Habitat et logement",
     "entretien des parties communes et petits travaux par des habitant·e·s en insertion"),
    ("Atelier-chantier d'insertion", "ACI", IAE, "Insertion et emploi",
     "parcours d'insertion sur des chantiers d'espaces verts et de second œuvre"),
    ("Entreprise d'insertion", "EI", IAE, "Insertion et emploi",
     "nettoyage et logistique pour des entreprises et des collectivités"),
    ("Association intermédiaire", "AI", IAE, "Services à la personne",
     "mise à disposition de personnes en insertion auprès de particuliers et de communes"),
    ("Jardin d'insertion", None, IAE, "Alimentation et agriculture",
     "maraîchage biologique et paniers vendus aux habitant·e·s"),
    ("Coopérative d'activité et d'emploi", "CAE", COOP, "Insertion et emploi",
     "test d'activité en grandeur réelle et statut d'entrepreneur-salarié"),
    ("SCIC", None, COOP, "Services à la personne",
     "coopérative multi-sociétaires de services à domicile"),
    ("SCOP", None, COOP, "Numérique",
     "services informatiques en logiciels libres et reconditionnement d'ordinateurs"),
    ("Coopérative d'habitants", None, COOP, "Habitat et logement",
     "habitat participatif et espaces partagés entre générations"),
    ("Mutuelle", None, MUT, "Action sociale et santé",
     "centre de santé mutualiste et actions de prévention"),
    ("Fondation", None, FOND, "Éducation et formation",
     "financement de projets d'insertion des jeunes et parrainage"),
    ("Boutique équitable", None, EQUI, "Commerce et artisanat",
     "commerce équitable, artisanat et animations dans les écoles"),
    ("Torréfaction équitable", None, EQUI, "Commerce et artisanat",
     "torréfaction artisanale de café équitable vendu aux collectivités"),
    ("Club Cigales", "Cigales", AUTRE, "Finance solidaire",
     "épargne citoyenne placée dans des entreprises locales de l'ESS"),
    ("Association de microcrédit", None, ASSO, "Finance solidaire",
     "microcrédit personnel et accompagnement budgétaire"),
    ("Café associatif", None, ASSO, "Culture et loisirs",
     "café culturel géré par les habitant·e·s, concerts et soirées jeux"),
    ("Compagnie de théâtre", "Cie", ASSO, "Culture et loisirs",
     "spectacles et ateliers de pratique dans les quartiers"),
    ("Crèche parentale", None, ASSO, "Action sociale et santé",
     "accueil de jeunes enfants géré par les parents"),
    ("Aide à domicile", None, ASSO, "Services à la personne",
     "aide à domicile des personnes âgées et handicapées"),
    ("Conciergerie solidaire", None, IAE, "Services à la personne",
     "pressing, courses et petites réparations pour les salarié·e·s d'une zone d'activité"),
    ("Auto-école sociale", None, ASSO, "Mobilité",
     "permis de conduire pour les personnes suivies par le PLIE et la mission locale"),
    ("Atelier vélo", None, ASSO, "Mobilité",
     "réparation participative et location de vélos à petit prix"),
    ("Garage solidaire", None, IAE, "Mobilité",
     "réparation de véhicules à prix réduit pour les personnes en insertion"),
    ("AMAP", None, ASSO, "Alimentation et agriculture",
     "contrats entre familles et maraîchers du territoire"),
    ("Couveuse d'entreprises", None, ASSO, "Éducation et formation",
     "test d'activité sous contrat d'appui au projet d'entreprise"),
    ("Tiers-lieu", None, ASSO, "Numérique",
     "espace de travail partagé, fab lab et permanences numériques"),
    ("Entreprise adaptée", "EA", AUTRE, "Insertion et emploi",
     "emplois pour des travailleurs handicapés en sous-traitance industrielle"),
)

# Proper names given to structures (with their article, dropped in some spellings).
PROPER_NAMES: tuple[str, ...] = (
    "Le Panier Partagé", "La Garonne", "Les Pousses", "Le Lien", "Pastel", "Terres d'Échanges",
    "L'Envol", "Le Relais", "Les Petits Pas", "Le Trait d'Union", "Octet Libre", "Premier Pas",
    "Germinal", "Solid'Arômes", "Bien Vieillir", "Nord Solidaire", "La Passerelle",
    "Les Jardins du Touch", "La Brique", "Le Grenier", "L'Atelier", "Les Ailes", "Occitanie",
    "La Fabrique", "Coup de Main", "Entraide", "L'Ortie", "La Ruche", "Le Chaînon",
    "Les Colibris", "Violette", "La Courte Échelle", "Le Fil d'Ariane", "Canal du Midi",
    "Capitole", "Le Bon Plan", "La Main Verte", "Les Bâtisseurs", "Tolosa", "Le Pont-Neuf",
    "La Clé des Champs", "L'Escale", "Le Phare", "Les Tisserands", "La Fourmilière",
    "Le Maillon", "Les Semeurs", "L'Arbre à Palabres", "La Boussole", "Le Chêne",
    "Les Cigognes", "La Source", "Le Moulin", "Horizons", "Les Acacias", "L'Oustal",
    "La Caravelle", "Cocagne", "Les Platanes", "La Grange", "Le Comptoir", "Synergies",
    "Trajectoires", "La Renouée", "Le Cèdre", "Les Rives", "Arc-en-Ciel", "Le Carrefour",
    "La Marelle", "Les Hirondelles", "L'Étincelle", "Le Sillon", "Les Trois Ponts",
    "La Roue Libre", "Le Bocal", "Les Tournesols", "L'Engrenage", "La Tisane", "Le Quai",
    "La Bascule", "Mosaïque", "Le Gué", "Les Lucioles", "La Volière", "Le Levain",
)

# Who raises needs / who recommendations are for (plural, used after "les").
ACTORS_PLURAL: tuple[str, ...] = (
    "petites associations", "associations employeuses", "structures d'insertion",
    "coopératives", "entreprises solidaires", "porteurs de projet", "SCIC",
    "structures de l'ESS", "chantiers d'insertion", "jeunes entreprises de l'ESS",
)

# Need topics: (need category, infinitive phrasings, consequences).
NEED_TOPICS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Locaux", ("trouver des locaux abordables", "accéder à des locaux à loyer modéré",
                "disposer de locaux adaptés et peu chers"),
     ("les loyers excluent les petites structures", "les salles municipales sont saturées")),
    ("Locaux", ("obtenir un local de stockage", "trouver un entrepôt pour stocker le matériel"),
     ("le matériel collecté s'abîme dehors", "faute de place, des dons sont refusés")),
    ("Locaux", ("accéder à du foncier agricole", "trouver des terres agricoles périurbaines"),
     ("les nouveaux maraîchers ne peuvent pas s'installer", "le prix des terres explose")),
    ("Locaux", ("entrer en pépinière d'entreprises", "obtenir une place en pépinière"),
     ("les critères d'entrée excluent les associations", "les délais d'attente sont longs")),
    ("Financement", ("obtenir des avances de trésorerie", "financer la trésorerie",
                     "faire face aux retards de paiement des subventions"),
     ("les subventions arrivent avec six mois de retard", "les banques refusent les découverts")),
    ("Financement", ("financer l'amorçage des projets", "obtenir un prêt d'amorçage",
                     "trouver des fonds pour démarrer"),
     ("les banques exigent des garanties personnelles", "beaucoup de projets ne démarrent pas")),
    ("Financement", ("renforcer les fonds propres", "lever des fonds propres solidaires"),
     ("les structures sont sous-capitalisées", "aucun investisseur ne connaît l'ESS")),
    ("Financement", ("obtenir des subventions pluriannuelles", "sécuriser des financements sur "
                     "plusieurs années"),
     ("les appels à projets annuels empêchent de recruter", "on ne peut rien prévoir")),
    ("Financement", ("couvrir le coût réel de l'heure d'aide à domicile",
                     "revaloriser les tarifs de l'aide à domicile"),
     ("les services à domicile sont déficitaires", "les déplacements ne sont pas payés")),
    ("Accompagnement", ("être accompagné après la création", "bénéficier d'un suivi "
                        "post-création"),
     ("beaucoup de projets s'arrêtent dans les trois premières années",
      "les créateurs se retrouvent seuls")),
    ("Accompagnement", ("trouver un accompagnement de proximité", "être accompagné près de "
                        "chez soi"),
     ("il faut aller au centre de Toulouse pour tout", "les communes périphériques sont "
                                                      "oubliées")),
    ("Accompagnement", ("être aidé pour répondre aux appels d'offres",
                        "se faire accompagner sur les marchés publics"),
     ("les dossiers sont trop complexes", "les petites structures renoncent")),
    ("Formation", ("former les dirigeants bénévoles à la fonction employeur",
                   "professionnaliser les bénévoles employeurs"),
     ("les bénévoles ne maîtrisent pas le droit du travail", "les erreurs de gestion coûtent "
                                                             "cher")),
    ("Formation", ("professionnaliser les aides à domicile", "qualifier les salarié·e·s de "
                   "l'aide à domicile"),
     ("la VAE reste difficile d'accès", "les formations qualifiantes manquent")),
    ("Formation", ("se former à la gouvernance coopérative", "comprendre le fonctionnement "
                   "coopératif"),
     ("les porteurs de projet connaissent mal les statuts", "les conflits de gouvernance "
                                                           "sont fréquents")),
    ("Mise en réseau", ("rencontrer les entreprises classiques", "créer des liens avec les "
                        "entreprises du territoire"),
     ("la sous-traitance et le mécénat restent rares", "les entreprises ignorent l'ESS")),
    ("Mise en réseau", ("coordonner les intervenants autour de la personne âgée",
                        "mieux coordonner les services à domicile"),
     ("les ruptures de prise en charge sont fréquentes", "chacun travaille dans son coin")),
    ("Mise en réseau", ("mutualiser des moyens entre structures", "partager des moyens entre "
                        "associations"),
     ("chaque structure paie seule sa comptabilité", "les achats groupés n'existent pas")),
    ("Visibilité", ("rendre l'ESS visible des habitant·e·s", "faire connaître l'ESS au grand "
                    "public"),
     ("personne ne sait qui fait quoi sur le territoire", "l'ESS reste méconnue")),
    ("Visibilité", ("faire connaître l'ESS aux élus", "sensibiliser les élus à l'ESS"),
     ("les élus confondent ESS et action sociale", "l'ESS est absente des politiques "
                                                   "économiques")),
    ("Commande publique", ("accéder aux marchés publics", "répondre à la commande publique"),
     ("les lots sont trop gros", "les critères excluent les petites structures")),
    ("Commande publique", ("faire appliquer les clauses d'insertion", "mieux suivre les "
                           "clauses sociales"),
     ("les clauses restent rarement appliquées", "les structures locales en profitent peu")),
    ("Mobilité", ("se déplacer vers les lieux de travail", "accéder aux zones d'activité sans "
                  "voiture"),
     ("les horaires décalés ne sont pas desservis", "beaucoup n'ont ni permis ni véhicule")),
    ("Mobilité", ("financer le permis de conduire", "passer le permis à moindre coût"),
     ("le permis coûte plus de mille euros", "sans permis, pas d'embauche")),
    ("Emploi et recrutement", ("recruter des aides à domicile qualifiées", "fidéliser les "
                               "aides à domicile"),
     ("les temps partiels subis font fuir les candidat·e·s", "le turn-over est énorme")),
    ("Emploi et recrutement", ("articuler PLIE, mission locale et structures d'insertion",
                               "fluidifier les parcours d'insertion"),
     ("les sorties d'IAE débouchent rarement sur un emploi durable", "les orientations "
                                                                     "arrivent trop tard")),
    ("Emploi et recrutement", ("attirer les jeunes vers les métiers du soin", "rendre "
                               "attractifs les métiers de l'aide à domicile"),
     ("l'image des métiers est mauvaise", "les conditions de travail découragent")),
)

# Recommendation topics: (stake number 1–6, responsible party, infinitive phrasings,
# indexes of the NEED_TOPICS it answers).
RECOMMENDATION_TOPICS: tuple[tuple[int, str, tuple[str, ...], tuple[int, ...]], ...] = (
    (2, "Intercommunalité", ("créer un fonds d'avance de trésorerie pour les structures de "
                             "l'ESS", "mettre en place un fonds de trésorerie avec France "
                             "Active"), (4,)),
    (2, "Communes", ("ouvrir un lieu ressource mutualisé pour les petites associations",
                     "créer une maison de l'ESS avec bureaux et salles partagés"), (0, 17)),
    (6, "Intercommunalité", ("publier une carte en ligne des initiatives de l'ESS",
                             "réaliser un annuaire cartographié des structures de l'ESS"),
     (18,)),
    (1, "Intercommunalité", ("généraliser les clauses d'insertion dans les marchés publics",
                             "inscrire des clauses sociales dans tous les marchés"), (20, 21)),
    (1, "Communes", ("allotir les marchés et réserver des lots aux structures d'insertion",
                     "réserver certains marchés aux structures de l'IAE"), (20,)),
    (2, "Département", ("soutenir une plateforme de mobilité solidaire",
                        "financer une plateforme de mobilité pour les publics en insertion"),
     (22, 23)),
    (3, "Région", ("garantir les prêts d'amorçage des coopératives",
                   "abonder un fonds d'amorçage solidaire"), (5, 6)),
    (3, "Intercommunalité", ("créer un parcours coordonné de l'entrepreneuriat solidaire",
                             "organiser un parcours d'accompagnement de la création au "
                             "suivi"), (9, 10)),
    (3, "Réseaux de l'ESS", ("tenir des permanences d'accompagnement dans les communes "
                             "périphériques", "décentraliser l'accompagnement des créateurs"),
     (10,)),
    (4, "Intercommunalité", ("associer l'ESS au pôle de complémentarité sur l'autonomie",
                             "donner une place aux associations dans la gouvernance du pôle "
                             "autonomie"), (16,)),
    (4, "Département", ("créer une plateforme territoriale du bien vieillir",
                        "réunir services à domicile, mutuelles et centres de santé"), (16,)),
    (2, "Département", ("revaloriser le tarif horaire de l'aide à domicile",
                        "financer le temps de déplacement des intervenant·e·s"), (8, 24)),
    (1, "Région", ("financer un plan de professionnalisation de l'aide à domicile",
                   "développer la VAE et la formation continue des aides à domicile"),
     (13, 26)),
    (5, "Entreprises classiques", ("organiser des rencontres d'affaires entre ESS et "
                                   "entreprises", "créer un club ESS et économie classique"),
     (15,)),
    (5, "Intercommunalité", ("ouvrir les pépinières aux projets de l'ESS", "accueillir les "
                             "entreprises de l'ESS dans les hôtels d'entreprises"), (3,)),
    (6, "Réseaux de l'ESS", ("former les élus et les techniciens à l'ESS", "sensibiliser les "
                             "élus aux statuts de l'ESS"), (19,)),
    (6, "Communes", ("faire découvrir l'ESS aux jeunes dans les collèges",
                     "développer les coopératives scolaires"), (18,)),
    (1, "Réseaux de l'ESS", ("mutualiser la fonction employeur entre associations",
                             "créer des groupements d'employeurs associatifs"), (12, 17)),
    (2, "Intercommunalité", ("préserver des terres agricoles pour les circuits courts",
                             "faciliter l'installation de maraîchers"), (2,)),
    (1, "Intercommunalité", ("créer un guichet unique des clauses d'insertion",
                             "mettre un facilitateur des clauses au service des acheteurs"),
     (21, 25)),
    (2, "Région", ("signer des conventions pluriannuelles d'objectifs",
                   "passer aux subventions sur trois ans"), (7,)),
    (3, "Réseaux de l'ESS", ("former les porteurs de projet à la gouvernance coopérative",
                             "proposer des formations aux statuts coopératifs"), (14,)),
    (1, "Structures de l'ESS", ("accompagner les réponses groupées aux appels d'offres",
                                "créer une cellule d'appui aux marchés publics"), (11, 20)),
)

CONTEXTS: tuple[str, ...] = (
    "", "", " sur le territoire", " dans les quartiers", " en centre-ville",
    " dans les communes périphériques", " à l'échelle du Grand Toulouse", " dès cette année",
)

PARTNERS: tuple[str, ...] = (
    "la CRESS", "France Active", "les réseaux de l'ESS", "le PLIE", "les communes",
    "la Région", "les banques coopératives", "la chambre de commerce",
)

INSTITUTIONS: tuple[tuple[str, str], ...] = (
    # (organisation, actor type label of DEFAULT_TERMS)
    ("Mission locale", "Technicien·ne de collectivité"),
    ("PLIE", "Technicien·ne de collectivité"),
    ("Service développement économique", "Technicien·ne de collectivité"),
    ("CRESS Midi-Pyrénées", "Réseau ou fédération de l'ESS"),
    ("URSCOP", "Réseau ou fédération de l'ESS"),
    ("France Active", "Réseau ou fédération de l'ESS"),
    ("Chambre de commerce", "Entreprise classique"),
    ("Entreprise de sous-traitance aéronautique", "Entreprise classique"),
    ("Banque coopérative", "Entreprise classique"),
    ("Conseil général", "Élu·e"),
)

FIRST_NAMES: tuple[str, ...] = (
    "Inès", "Mathieu", "Claire", "Karim", "Sophie", "Julien", "Nadia", "Pierre", "Léa",
    "Youssef", "Camille", "Thomas", "Fatima", "Nicolas", "Émilie", "Antoine", "Aïcha",
)
