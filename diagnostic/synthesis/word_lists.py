"""Normalisation data for the duplicate suggestions (:mod:`.similarity`).

Plain data, no logic: French stop words, the common abbreviations of the social and
solidarity economy (ESS), legal-form words and generic place names dropped from
structure names before they are compared. Every entry is written *folded* (lower case,
no accents, apostrophes and hyphens as spaces), the form :func:`.normalise.fold` gives.
"""

# Articles and prepositions dropped from structure / project names.
NAME_STOP_WORDS = frozenset(
    "a au aux d de des du en et l la le les pour sur un une chez par avec the of".split()
)

# One-word variants of the same word in names, mapped to one spelling.
NAME_SYNONYMS = {
    "asso": "association",
    "assoc": "association",
    "coop": "cooperative",
    "resto": "resto",
    "restos": "resto",
    "restau": "resto",
    "restaurant": "resto",
    "restaurants": "resto",
    "st": "saint",
    "ste": "sainte",
}

# Multi-word ESS expressions and their usual abbreviation (the canonical form).
# Written without stop words, since they are matched after stop words are dropped:
# "Coopérative d'activité et d'emploi" -> "cooperative activite emploi" -> "cae".
ABBREVIATIONS = {
    "economie sociale solidaire": "ess",
    "insertion activite economique": "iae",
    "structure insertion activite economique": "siae",
    "structures insertion activite economique": "siae",
    "ateliers chantiers insertion": "aci",
    "atelier chantier insertion": "aci",
    "chantier insertion": "aci",
    "entreprise insertion": "ei",
    "entreprise travail temporaire insertion": "etti",
    "association intermediaire": "ai",
    "groupement employeurs insertion qualification": "geiq",
    "association maintien agriculture paysanne": "amap",
    "cooperative activite emploi": "cae",
    "cooperative activites emploi": "cae",
    "societe cooperative participative": "scop",
    "societe cooperative ouvriere production": "scop",
    "societe cooperative interet collectif": "scic",
    "union regionale scop": "urscop",
    "chambre regionale ess": "cress",
    "boutique gestion": "bge",
    "etablissement service aide travail": "esat",
    "maison jeunes culture": "mjc",
    "centre communal action sociale": "ccas",
    "plan local insertion emploi": "plie",
    "systeme echange local": "sel",
    "systeme echanges locaux": "sel",
    "entreprise solidaire utilite sociale": "esus",
}

# Legal forms and statuses: they say what a structure is, not which one it is.
LEGAL_FORM_WORDS = frozenset(
    """association associatif associative cooperative scop scic sarl sas sasu sa eurl sapo
    gie gip ei etti aci ai siae geiq esus loi 1901 fondation mutuelle federation
    collectif""".split()
)

# Activity words too common to identify a structure alone: a name that is only a subset
# of another (``"ressourcerie"`` in ``"ressourcerie mirail"``) is not a match through them.
GENERIC_NAME_WORDS = frozenset(
    """ressourcerie recyclerie jardin jardins partage partages familiaux epicerie solidaire
    sociale social regie quartier creche parentale amap mission locale centre maison
    atelier ateliers chantier velo cafe restaurant resto tiers lieu garage boutique
    cooperative association reseau collectif ecole club accueil aide domicile service
    services insertion emploi entreprise entreprises projet projets bge cae mjc ccas
    ess iae ei aci ai sel espace partage solidarite repair""".split()
)

# Place words dropped from names besides the communes of the compared contributions.
GENERIC_PLACES = (
    "grand toulouse",
    "toulouse metropole",
    "haute garonne",
    "midi pyrenees",
    "occitanie",
    "france",
    # the other departments of the region
    "ariege", "aude", "aveyron", "gard", "gers", "herault", "lot et garonne",
    "lozere", "hautes pyrenees", "pyrenees orientales", "tarn", "tarn et garonne",
)

# French stop words dropped from needs and recommendations before stemming: the usual
# function words, plus words that every need ("besoin", "manque", "difficulté") or
# recommendation ("mettre en place", "soutenir", "développer", "favoriser") uses, which
# would make unrelated items look alike.
TEXT_STOP_WORDS = frozenset(
    """a ai aie aient aies ait as au aucun aucune aupres aussi autre autres aux avaient avais
    avait avant avec avez aviez avions avoir avons ayant c ca car ce ceci cela celle celles
    celui cependant ces cet cette ceux chaque chez ci comme comment d dans de depuis des
    deja donc dont du elle elles en encore entre es est et etaient etais etait etant ete
    etre eu eux fait faire faut font hors il ils j je jusqu jusque l la le les leur leurs
    lors lui m ma mais me meme memes mes moi moins mon n ne ni nos notre nous on ont ou par
    parce pas peu peut peuvent plus plusieurs pour pourquoi pourrait puis qu quand que quel
    quelle quelles quels qui quoi s sa sans se selon ses seul seule si sien soi soit son
    sont sous souvent sur t ta tant te tel telle tes toi ton tous tout toute toutes tres
    trop tu un une vers via voir vos votre vous y etc
    besoin besoins manque manquent manquer difficile difficiles difficulte difficultes
    probleme problemes falloir pouvoir devoir doit doivent mieux bien vraiment beaucoup
    mettre place mise permettre permettrait seulement davantage plutot notamment surtout
    ainsi afin egalement
    soutenir developper favoriser creer renforcer promouvoir encourager ameliorer valoriser
    faciliter organiser assurer""".split()
)
