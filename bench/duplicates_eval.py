"""Precision and recall of the duplicate suggestions on the labelled evaluation set.

``python -m bench.duplicates_eval [--details] [PATH]`` prints, per kind, the pairs
suggested, the true pairs, precision and recall (see docs/DUPLICATES.md); ``--details``
also lists the wrong suggestions and the missed pairs. A developer's tool: it reads the
set from the repository (``tests/data``), so it is not part of the installed package.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from diagnostic.synthesis.similarity import KINDS, Candidate, Suggestion, suggest

DEFAULT_SET = Path(__file__).resolve().parent.parent / "tests" / "data" / "duplicates_eval.json"


@dataclass(frozen=True)
class KindScore:
    """The quality of the suggestions for one kind."""

    kind: str
    suggested: int
    correct: int
    true_pairs: int
    wrong: tuple[tuple[int, int], ...]
    missed: tuple[tuple[int, int], ...]

    @property
    def precision(self) -> float:
        """Share of the suggested pairs that are true duplicates (1 when none suggested)."""
        return self.correct / self.suggested if self.suggested else 1.0

    @property
    def recall(self) -> float:
        """Share of the true duplicate pairs that are suggested (1 when there are none)."""
        return self.correct / self.true_pairs if self.true_pairs else 1.0


def load_items(path: Path = DEFAULT_SET) -> list[dict]:
    """The labelled items of the evaluation set."""
    return json.loads(path.read_text(encoding="utf-8"))["items"]


def candidates_of(items: list[dict]) -> list[Candidate]:
    """The items as suggestion candidates (the cluster label is not passed on)."""
    return [Candidate(id=item["id"], kind=item["kind"], workshop_id=item["workshop"],
                      text=item["text"], name=item.get("name"),
                      commune=item.get("commune") or None)
            for item in items]


def true_pairs(items: list[dict], kind: str) -> set[tuple[int, int]]:
    """Every ordered pair of items of ``kind`` that share a cluster label."""
    clusters: dict[str, list[int]] = {}
    for item in items:
        if item["kind"] == kind and item["cluster"] is not None:
            clusters.setdefault(item["cluster"], []).append(item["id"])
    return {(min(a, b), max(a, b)) for ids in clusters.values()
            for a, b in combinations(ids, 2)}


def evaluate(items: list[dict], suggestions: list[Suggestion] | None = None
             ) -> dict[str, KindScore]:
    """Precision and recall per kind of ``suggestions`` (default: :func:`suggest`)."""
    if suggestions is None:
        suggestions = suggest(candidates_of(items))
    scores = {}
    for kind in KINDS:
        expected = true_pairs(items, kind)
        found = {(s.first_id, s.second_id) for s in suggestions if s.kind == kind}
        scores[kind] = KindScore(kind, len(found), len(found & expected), len(expected),
                                 tuple(sorted(found - expected)),
                                 tuple(sorted(expected - found)))
    return scores


def main(argv: list[str] | None = None) -> None:
    """Print the quality of the suggestions on the evaluation set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_SET)
    parser.add_argument("--details", action="store_true",
                        help="list the wrong suggestions and the missed pairs")
    args = parser.parse_args(argv)
    items = load_items(args.path)
    by_id = {item["id"]: item for item in items}
    print(f"{'kind':<15} {'items':>5} {'suggested':>9} {'correct':>7} {'true':>5} "
          f"{'precision':>9} {'recall':>6}")
    for kind, score in evaluate(items).items():
        count = sum(1 for item in items if item["kind"] == kind)
        print(f"{kind:<15} {count:>5} {score.suggested:>9} {score.correct:>7} "
              f"{score.true_pairs:>5} {score.precision:>9.3f} {score.recall:>6.3f}")
        if args.details:
            for label, pairs in (("wrong", score.wrong), ("missed", score.missed)):
                for a, b in pairs:
                    print(f"  {label}: {_label(by_id[a])}  <>  {_label(by_id[b])}")


def _label(item: dict) -> str:
    """A short reminder of an item for the details listing."""
    return f"#{item['id']} {(item.get('name') or item['text'])[:60]!r}"


if __name__ == "__main__":
    main()
