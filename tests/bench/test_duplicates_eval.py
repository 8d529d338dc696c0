"""The measured quality of the duplicate suggestions on the labelled evaluation set."""

import json
from pathlib import Path

from bench.duplicates_eval import evaluate, load_items, main, nearest_recall, true_pairs
from diagnostic.synthesis.similarity import KINDS

DATA = Path(__file__).resolve().parent.parent / "data"


def test_the_evaluation_set_is_well_formed():
    data = json.loads((DATA / "duplicates_eval.json").read_text(encoding="utf-8"))
    items = load_items()
    assert len(items) >= 300
    counts = {kind: sum(1 for i in items if i["kind"] == kind) for kind in KINDS}
    assert counts["initiative"] >= 110 and counts["need"] >= 100
    assert counts["recommendation"] >= 90
    assert data["places"]["communes"]  # the diagnostic's place names
    assert all(isinstance(i["paraphrase"], bool) for i in items if "paraphrase" in i)
    assert sum(1 for i in items if i.get("paraphrase")) >= 30
    assert len({i["id"] for i in items}) == len(items)
    assert len({i["workshop"] for i in items}) >= 6
    for kind in KINDS:
        assert len(true_pairs(items, kind)) >= 20
        assert any(i["cluster"] is None for i in items if i["kind"] == kind)
    sizes = {}
    for item in items:
        if item["cluster"] is not None:  # labels are scoped by kind
            key = (item["kind"], item["cluster"])
            sizes[key] = sizes.get(key, 0) + 1
        if item["kind"] == "initiative":
            assert item["name"]
    assert all(size >= 2 for size in sizes.values())  # a lone item has cluster null


def test_precision_and_recall_do_not_drop_below_the_recorded_levels():
    levels = json.loads((DATA / "duplicates_levels.json").read_text(encoding="utf-8"))
    scores = evaluate(load_items())
    for kind in KINDS:
        score = scores[kind]
        assert score.precision >= levels[kind]["precision"], (kind, score)
        assert score.recall >= levels[kind]["recall"], (kind, score)
        found, total = nearest_recall(load_items(), kind)
        assert found / total >= levels[kind]["nearest"], (kind, found, total)


def test_the_evaluation_command_prints_a_table(capsys):
    main(["--details"])
    out = capsys.readouterr().out
    assert "precision" in out and "recommendation" in out and "missed:" in out
