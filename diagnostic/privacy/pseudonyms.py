"""Random pseudonyms of anonymous workshops ("Colibri 27"): neutral nature words and a number.

Drawn with :mod:`secrets` (nobody can guess who got which), and distinct from the names
already given in the workshop while draws allow it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Collection

WORDS = (
    "Colibri", "Mésange", "Héron", "Loutre", "Renard", "Hérisson", "Écureuil", "Castor",
    "Martinet", "Pinson", "Libellule", "Abeille", "Chouette", "Marmotte", "Chamois",
    "Chêne", "Tilleul", "Saule", "Bouleau", "Érable", "Platane", "Noisetier", "Olivier",
    "Lavande", "Coquelicot", "Bleuet", "Campanule", "Fougère", "Glycine", "Myrtille",
)
NUMBERS = range(1, 100)
DRAWS = 30


def draw_pseudonym(taken: Collection[str] = (),
                   choice: Callable[[tuple | range], object] = secrets.choice) -> str:
    """A pseudonym such as "Colibri 27", not among ``taken`` unless every draw was."""
    name = ""
    for _ in range(DRAWS):
        name = f"{choice(WORDS)} {choice(NUMBERS)}"
        if name not in taken:
            break
    return name
