"""Default taxonomies of a social and solidarity economy (ESS) diagnostic, and UI labels.

Each diagnostic gets its own editable copy of the default terms when it is created: they
are data (French, as staff entered them), not interface strings, so they are not translated.
"""

from .errors import N_
from .models import (
    ContributionKind,
    ContributionStatus,
    Horizon,
    ModerationMode,
    Phase,
    ReportStatus,
    Stage,
    Urgency,
    Vocabulary,
    WorkshopKind,
    WorkshopStatus,
)

DEFAULT_TERMS: dict[Vocabulary, list[str]] = {
    Vocabulary.ESS_FAMILY: [
        "Association",
        "Coopérative",
        "Mutuelle",
        "Fondation",
        "Structure d'insertion par l'activité économique",
        "Commerce équitable",
        "Autre",
    ],
    Vocabulary.ACTIVITY_SECTOR: [
        "Services à la personne",
        "Insertion et emploi",
        "Action sociale et santé",
        "Culture et loisirs",
        "Environnement et économie circulaire",
        "Alimentation et agriculture",
        "Habitat et logement",
        "Mobilité",
        "Finance solidaire",
        "Éducation et formation",
        "Commerce et artisanat",
        "Numérique",
    ],
    Vocabulary.NEED_CATEGORY: [
        "Financement",
        "Locaux",
        "Accompagnement",
        "Formation",
        "Mise en réseau",
        "Visibilité",
        "Commande publique",
        "Mobilité",
        "Emploi et recrutement",
    ],
    Vocabulary.ACTOR_TYPE: [
        "Association",
        "Coopérative",
        "Mutuelle",
        "Structure d'insertion",
        "Entreprise classique",
        "Élu·e",
        "Technicien·ne de collectivité",
        "Réseau ou fédération de l'ESS",
        "Citoyen·ne",
        "Autre",
    ],
    Vocabulary.RESPONSIBLE_PARTY: [
        "Intercommunalité",
        "Communes",
        "Département",
        "Région",
        "État",
        "Réseaux de l'ESS",
        "Structures de l'ESS",
        "Entreprises classiques",
    ],
}

VOCABULARY_LABELS: dict[Vocabulary, str] = {
    Vocabulary.ESS_FAMILY: N_("Familles de l'ESS"),
    Vocabulary.ACTIVITY_SECTOR: N_("Secteurs d'activité / filières"),
    Vocabulary.NEED_CATEGORY: N_("Catégories de besoins"),
    Vocabulary.ACTOR_TYPE: N_("Types d'acteurs"),
    Vocabulary.RESPONSIBLE_PARTY: N_("Acteurs de la mise en œuvre"),
}

class EnumLabels(dict):
    """Labels keyed by enum member *and type*: members of two StrEnums with one value
    (``Phase.CLOSED`` and ``WorkshopStatus.CLOSED``, ``Urgency.MEDIUM`` and
    ``Horizon.MEDIUM``) are equal keys of a plain dict, and the last label won."""

    def __init__(self, pairs) -> None:
        super().__init__(((type(member), member), text) for member, text in pairs)

    @staticmethod
    def _key(member: object) -> tuple[type, object]:
        return type(member), member

    def __getitem__(self, member: object) -> str:
        return super().__getitem__(self._key(member))

    def __contains__(self, member: object) -> bool:
        return super().__contains__(self._key(member))

    def get(self, member: object, default=None):
        """The label of ``member``, ``default`` when it has none."""
        return super().get(self._key(member), default)


# Interface labels of the fixed enumerations (translated by the web layer and exporters).
# Look labels up with :func:`enum_label`.
ENUM_LABELS = EnumLabels([
    (ContributionKind.INITIATIVE, N_("Initiative")),
    (ContributionKind.NEED, N_("Besoin")),
    (ContributionKind.RECOMMENDATION, N_("Préconisation")),
    (ContributionStatus.PUBLISHED, N_("Publiée")),
    (ContributionStatus.HIDDEN, N_("Masquée")),
    (ContributionStatus.PENDING, N_("En attente de validation")),
    (Phase.WELCOME, N_("Accueil")),
    (Phase.INITIATIVES, N_("Initiatives")),
    (Phase.NEEDS, N_("Besoins")),
    (Phase.RECOMMENDATIONS, N_("Préconisations")),
    (Phase.VOTE, N_("Vote")),
    (Phase.CLOSED, N_("Clôture")),
    (ModerationMode.POST, N_("Publication immédiate (modération a posteriori)")),
    (ModerationMode.PRE, N_("Validation avant publication (modération a priori)")),
    (Stage.EMERGING, N_("Émergente")),
    (Stage.DEVELOPING, N_("En développement")),
    (Stage.ESTABLISHED, N_("Consolidée")),
    (Urgency.LOW, N_("Faible")),
    (Urgency.MEDIUM, N_("Moyenne")),
    (Urgency.HIGH, N_("Forte")),
    (Horizon.SHORT, N_("Court terme")),
    (Horizon.MEDIUM, N_("Moyen terme")),
    (Horizon.LONG, N_("Long terme")),
    (WorkshopKind.TERRITORIAL, N_("Atelier territorial")),
    (WorkshopKind.THEMATIC, N_("Atelier thématique")),
    (WorkshopStatus.DRAFT, N_("En préparation")),
    (WorkshopStatus.OPEN, N_("Ouvert")),
    (WorkshopStatus.CLOSED, N_("Clos")),
    (ReportStatus.DRAFT, N_("Document de travail")),
    (ReportStatus.VALIDATED, N_("Version validée")),
])


def enum_label(value: object) -> str | None:
    """The (untranslated) interface label of an enum member, or None for anything else."""
    return ENUM_LABELS.get(value)


KIND_PLURALS: dict[ContributionKind, str] = {
    ContributionKind.INITIATIVE: N_("Initiatives"),
    ContributionKind.NEED: N_("Besoins"),
    ContributionKind.RECOMMENDATION: N_("Préconisations"),
}

# What each phone shows as the prompt of the current phase.
PHASE_PROMPTS: dict[Phase, str] = {
    Phase.WELCOME: N_("Bienvenue ! L'atelier va commencer : installez-vous et gardez cette page "
                      "ouverte."),
    Phase.INITIATIVES: N_("Quelles initiatives de l'économie sociale et solidaire connaissez-vous "
                          "sur ce territoire ?"),
    Phase.NEEDS: N_("De quoi les structures de l'ESS ont-elles besoin pour se développer ?"),
    Phase.RECOMMENDATIONS: N_("Que devrait faire l'action publique ? Formulez vos préconisations."),
    Phase.VOTE: N_("Votez pour les contributions qui vous semblent prioritaires."),
    Phase.CLOSED: N_("L'atelier est terminé. Merci pour vos contributions !"),
}

# The contribution kind each collection phase asks for.
PHASE_KIND: dict[Phase, ContributionKind] = {
    Phase.INITIATIVES: ContributionKind.INITIATIVE,
    Phase.NEEDS: ContributionKind.NEED,
    Phase.RECOMMENDATIONS: ContributionKind.RECOMMENDATION,
}
