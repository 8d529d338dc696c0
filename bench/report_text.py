"""The texts of the report benchmark's contributions, written the many ways people write them.

A :class:`Structure` is cited under spelling variants (:func:`spell_structure`); a need
topic or a recommendation topic of :mod:`bench.report_content` becomes a sentence through
one of several templates (:func:`need_text`, :func:`recommendation_text`). All choices
come from the ``random.Random`` passed in, so a seed gives the same texts.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from diagnostic.models import Stage

from . import report_content as content

ARTICLES = ("Le ", "La ", "Les ", "L'")
VOWELS = "aeiouyhéèêàâîôûAEIOUYHÉÈÊÀÂÎÔÛ"

# Who is the subject of "… devrait …" for each responsible party (text, plural).
PARTY_SUBJECTS: dict[str, tuple[str, bool]] = {
    "Intercommunalité": ("La communauté urbaine", False),
    "Communes": ("Les communes", True),
    "Département": ("Le conseil général", False),
    "Région": ("La Région", False),
    "État": ("L'État", False),
    "Réseaux de l'ESS": ("Les réseaux de l'ESS", True),
    "Structures de l'ESS": ("Les structures de l'ESS", True),
    "Entreprises classiques": ("Les entreprises", True),
}
HORIZONS = ("d'ici un an", "dans le prochain mandat", "dès 2012", "à moyen terme")


@dataclass
class Structure:
    """A structure of the territory that initiatives cite (canonical spelling and facts)."""

    kind: str
    abbreviation: str | None
    family: str
    sector: str
    activity: str
    proper: str
    commune: str
    jobs: float | None
    stage: Stage
    citations: int = 0

    @property
    def name(self) -> str:
        """The canonical name, e.g. "Recyclerie La Garonne"."""
        return f"{self.kind} {self.proper}"


def make_structures(count: int, communes: list[str], rng: random.Random) -> list[Structure]:
    """``count`` distinct structures (kind × proper name), most of them in Toulouse."""
    combos = [(k, p) for k in content.STRUCTURE_KINDS for p in content.PROPER_NAMES]
    rng.shuffle(combos)
    structures = []
    for (kind, abbreviation, family, sector, activity), proper in combos[:count]:
        commune = "Toulouse" if rng.random() < 0.45 else rng.choice(communes)
        jobs = None if rng.random() < 0.1 else round(
            rng.choice((0, 1, 2, 3, 5, 8, 12, 25)) * rng.uniform(0.5, 1.5), 1)
        structures.append(Structure(kind, abbreviation, family, sector, activity, proper,
                                    commune, jobs, rng.choice(list(Stage))))
    return structures


def strip_accents(text: str) -> str:
    """``text`` without its diacritics ("Épicerie" → "Epicerie")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def slug(text: str) -> str:
    """ASCII lower-case words joined by dashes, for a made-up website."""
    ascii_text = strip_accents(text).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text).split())


def _without_article(proper: str) -> str:
    """"La Garonne" → "Garonne" (unchanged when there is no article)."""
    for article in ARTICLES:
        if proper.startswith(article):
            return proper[len(article):]
    return proper


def _typo(text: str, rng: random.Random) -> str:
    """``text`` with two neighbouring letters swapped, as fast typing does."""
    positions = [i for i in range(len(text) - 1) if text[i].isalpha() and text[i + 1].isalpha()]
    if not positions:
        return text
    i = rng.choice(positions)
    return text[:i] + text[i + 1] + text[i] + text[i + 2:]


def spell_structure(structure: Structure, commune: str, rng: random.Random) -> str:
    """The name of ``structure`` as one participant writes it (often not the canonical one)."""
    kind, proper = structure.kind, structure.proper
    variants = [
        structure.name, structure.name, structure.name,
        structure.name.lower(),
        strip_accents(structure.name),
        f"{kind} {_without_article(proper)}",
        f"{structure.name} ({commune})",
        f"{structure.name} {of_place(commune)}",
        f"{proper}, {kind.lower()}",
        f"{kind} {_typo(proper, rng)}",
        structure.name.upper(),
    ]
    if structure.abbreviation:
        variants += [f"{structure.abbreviation} {proper}",
                     f"{structure.abbreviation} {_without_article(proper)}"]
    if structure.family == content.ASSO:
        variants.append(f"Asso {_without_article(proper)}")
    return rng.choice(variants)[:200]


def initiative_description(structure: Structure, commune: str, rng: random.Random) -> str:
    """What the structure does, with one or two facts that vary from one mention to another."""
    extras = [
        f"ouverte depuis {rng.randint(1985, 2010)}",
        f"en partenariat avec la commune {of_place(commune)}",
        f"soutenue par {rng.choice(content.PARTNERS)}",
        "cherche des bénévoles pour se développer",
        f"projet d'ouvrir une antenne à {rng.choice(('Colomiers', 'Blagnac', 'Balma', 'Cugnaux'))}",
        f"environ {rng.randint(20, 400)} bénéficiaires par an",
    ]
    if structure.jobs:
        extras.append(f"{structure.jobs:g} équivalents temps plein".replace(".", ","))
    facts = " ; ".join(rng.sample(extras, rng.choice((1, 1, 2))))
    text = f"{structure.activity} ; {facts}."
    return text[0].upper() + text[1:]


def _capitalise(text: str) -> str:
    """``text`` with its first letter in upper case."""
    return text[:1].upper() + text[1:]


def of_place(commune: str) -> str:
    """"de Toulouse", "d'Aussonne"."""
    return ("d'" if commune[0] in VOWELS else "de ") + commune


def _de(infinitive: str) -> str:
    """"de " + infinitive, elided before a vowel ("d'obtenir")."""
    return ("d'" if infinitive[0] in VOWELS else "de ") + infinitive


def need_text(topic: int, rng: random.Random) -> str:
    """A need on ``topic`` (an index of NEED_TOPICS), phrased one of many ways."""
    _, infinitives, consequences = content.NEED_TOPICS[topic]
    inf, why = rng.choice(infinitives), rng.choice(consequences)
    ctx, who = rng.choice(content.CONTEXTS), rng.choice(content.ACTORS_PLURAL)
    templates = (
        f"{_capitalise(inf)}{ctx} : {why}.",
        f"Besoin {_de(inf)}{ctx}.",
        f"Les {who} doivent pouvoir {inf}{ctx}.",
        f"Difficile {_de(inf)} : {why}.",
        f"Il faut aider les {who} à {inf}.",
        f"{_capitalise(why)} : il faudrait {inf}{ctx}.",
        f"Comment {inf}{ctx} ? {_capitalise(why)}.",
        f"Nous avons besoin {_de(inf)} ; aujourd'hui {why}.",
    )
    return rng.choice(templates)


def recommendation_text(topic: int, party: str, rng: random.Random) -> str:
    """A recommendation on ``topic`` (an index of RECOMMENDATION_TOPICS) for ``party``."""
    inf = rng.choice(content.RECOMMENDATION_TOPICS[topic][2])
    ctx, partner = rng.choice(content.CONTEXTS), rng.choice(content.PARTNERS)
    subject, plural = PARTY_SUBJECTS.get(party, ("La collectivité", False))
    templates = (
        f"{_capitalise(inf)}{ctx}.",
        f"{subject} {'devraient' if plural else 'devrait'} {inf}{ctx}.",
        f"Nous proposons {_de(inf)}, en lien avec {partner}.",
        f"Préconisation : {inf}{ctx}.",
        f"{_capitalise(inf)}, avec {partner} et les réseaux de l'ESS.",
        f"Il faut {inf}{ctx} ({rng.choice(HORIZONS)}).",
    )
    return rng.choice(templates)
