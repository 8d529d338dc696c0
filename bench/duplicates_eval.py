"""Precision and recall of the duplicate suggestions on the labelled evaluation set.

``python -m bench.duplicates_eval [--details] [--same-workshop] [PATH]`` prints, per kind,
the pairs suggested, the true pairs, precision and recall (see docs/DUPLICATES.md), and
the recall on the pairs marked ``paraphrase`` (no content word in common); ``--details``
also lists the wrong suggestions and the missed pairs. As the tool does by default, only
pairs across workshops count; ``--same-workshop`` counts every pair. The matcher gets the
default thesaurus and the set's ``places``, as a diagnostic gives its own. The last column
is the share of true pairs the "similar items" list shows (one among the other's 10
nearest). A developer's tool: it reads the set from the repository (``tests/data``), so
it is not part of the installed package.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from diagnostic.synthesis import thesaurus
from diagnostic.synthesis.scoring import Context, scorer
from diagnostic.synthesis.similarity import KINDS, NEAREST, Candidate, Suggestion, nearest, suggest

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


def load_context(path: Path = DEFAULT_SET) -> Context:
    """What a diagnostic would give the matcher: the default thesaurus, the set's places."""
    places = json.loads(path.read_text(encoding="utf-8")).get("places") or {}
    names = [places.get("territory") or "", *places.get("sectors", []),
             *places.get("communes", [])]
    return Context(thesaurus.default().concepts, tuple(n for n in names if n))


def candidates_of(items: list[dict]) -> list[Candidate]:
    """The items as suggestion candidates (the cluster label is not passed on)."""
    return [Candidate(id=item["id"], kind=item["kind"], workshop_id=item["workshop"],
                      text=item["text"], name=item.get("name"),
                      commune=item.get("commune") or None)
            for item in items]


def true_pairs(items: list[dict], kind: str, same_workshop: bool = True
               ) -> set[tuple[int, int]]:
    """Every ordered pair of items of ``kind`` that share a cluster label (across
    workshops only unless ``same_workshop``)."""
    clusters: dict[str, list[dict]] = {}
    for item in items:
        if item["kind"] == kind and item["cluster"] is not None:
            clusters.setdefault(item["cluster"], []).append(item)
    return {(min(a["id"], b["id"]), max(a["id"], b["id"])) for members in clusters.values()
            for a, b in combinations(members, 2)
            if same_workshop or a["workshop"] != b["workshop"]}


def paraphrase_pairs(items: list[dict], kind: str) -> set[tuple[int, int]]:
    """The true pairs across workshops with an item marked ``paraphrase``."""
    marked = {item["id"] for item in items if item.get("paraphrase")}
    return {pair for pair in true_pairs(items, kind, same_workshop=False)
            if marked & set(pair)}


def evaluate(items: list[dict], suggestions: list[Suggestion] | None = None, *,
             context: Context | None = None, same_workshop: bool = False
             ) -> dict[str, KindScore]:
    """Precision and recall per kind of ``suggestions`` (default: :func:`suggest` with
    ``context``, by default :func:`load_context`)."""
    if suggestions is None:
        suggestions = suggest(candidates_of(items), same_workshop=same_workshop,
                              context=load_context() if context is None else context)
    scores = {}
    for kind in KINDS:
        expected = true_pairs(items, kind, same_workshop)
        found = {(s.first_id, s.second_id) for s in suggestions if s.kind == kind}
        scores[kind] = KindScore(kind, len(found), len(found & expected), len(expected),
                                 tuple(sorted(found - expected)),
                                 tuple(sorted(expected - found)))
    return scores


def nearest_recall(items: list[dict], kind: str, context: Context | None = None,
                   count: int = NEAREST) -> tuple[int, int]:
    """How many true pairs across workshops the "similar items" list shows: the pairs
    where one item is among the ``count`` nearest of the other. ``(found, true pairs)``."""
    candidates = [c for c in candidates_of(items) if c.kind == kind]
    engine = scorer(kind, candidates, load_context() if context is None else context)
    shown = set()
    for position, candidate in enumerate(candidates):
        for other, _score, _reasons in nearest(candidates, position, engine, count=count):
            shown.add((min(candidate.id, other.id), max(candidate.id, other.id)))
    expected = true_pairs(items, kind, same_workshop=False)
    return len(expected & shown), len(expected)


def main(argv: list[str] | None = None) -> None:
    """Print the quality of the suggestions on the evaluation set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_SET)
    parser.add_argument("--details", action="store_true",
                        help="list the wrong suggestions and the missed pairs")
    parser.add_argument("--same-workshop", action="store_true",
                        help="suggest and count pairs of one workshop too")
    args = parser.parse_args(argv)
    items = load_items(args.path)
    by_id = {item["id"]: item for item in items}
    print(f"{'kind':<15} {'items':>5} {'suggested':>9} {'correct':>7} {'true':>5} "
          f"{'precision':>9} {'recall':>6} {'paraphrase recall':>17} {'in 10 nearest':>13}")
    scores = evaluate(items, context=load_context(args.path),
                      same_workshop=args.same_workshop)
    for kind, score in scores.items():
        count = sum(1 for item in items if item["kind"] == kind)
        hard = paraphrase_pairs(items, kind)
        found = len(hard - set(score.missed))
        hard_recall = f"{found}/{len(hard)} = {found / len(hard):.3f}" if hard else "-"
        near, total = nearest_recall(items, kind, load_context(args.path))
        print(f"{kind:<15} {count:>5} {score.suggested:>9} {score.correct:>7} "
              f"{score.true_pairs:>5} {score.precision:>9.3f} {score.recall:>6.3f} "
              f"{hard_recall:>17} {near / total if total else 1:>13.3f}")
        if args.details:
            for label, pairs in (("wrong", score.wrong), ("missed", score.missed)):
                for a, b in pairs:
                    print(f"  {label}: {_label(by_id[a])}  <>  {_label(by_id[b])}")


def _label(item: dict) -> str:
    """A short reminder of an item for the details listing."""
    return f"#{item['id']} {(item.get('name') or item['text'])[:60]!r}"


if __name__ == "__main__":
    main()
