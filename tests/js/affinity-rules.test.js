// The affinity board's pure rules: keyword matching, arrow keys, what a drop means.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  cardMatches, dropAction, fold, format, nextPosition, queryWords,
} from "../../static/js/affinity-rules.js";

test("a keyword is matched without accents, case or extra spaces (as the server does)", () => {
  assert.equal(fold("  Des LOCAUX à\tloyer  modéré "), "des locaux a loyer modere");
  assert.equal(fold("Ça coûte cher, œuvre"), "ca coute cher, œuvre");
  assert.deepEqual(queryWords("  Locaux  À "), ["locaux", "a"]);
  assert.deepEqual(queryWords(""), []);
});

test("a card is shown when it has every word and a unit of the chosen workshop", () => {
  const card = { search: "trouver des locaux abordables", workshops: ["3", "7"] };
  assert.equal(cardMatches(card, [], ""), true);
  assert.equal(cardMatches(card, queryWords("LOCAUX abord"), ""), true);
  assert.equal(cardMatches(card, queryWords("locaux loyer"), ""), false);
  assert.equal(cardMatches(card, [], "7"), true);
  assert.equal(cardMatches(card, [], 4), false);
  assert.equal(cardMatches(card, queryWords("locaux"), "3"), true);
});

test("without a card picked up, the arrows go from card to card, skipping empty columns", () => {
  const sizes = [3, 0, 2];
  assert.deepEqual(nextPosition(sizes, { col: 0, row: 0 }, "ArrowDown"), { col: 0, row: 1 });
  assert.deepEqual(nextPosition(sizes, { col: 0, row: 2 }, "ArrowDown"), { col: 0, row: 2 });
  assert.deepEqual(nextPosition(sizes, { col: 0, row: 0 }, "ArrowUp"), { col: 0, row: 0 });
  assert.deepEqual(nextPosition(sizes, { col: 0, row: 2 }, "ArrowRight"), { col: 2, row: 1 });
  assert.deepEqual(nextPosition(sizes, { col: 2, row: 0 }, "ArrowLeft"), { col: 0, row: 0 });
  assert.deepEqual(nextPosition(sizes, { col: 2, row: 0 }, "ArrowRight"), { col: 2, row: 0 });
  assert.deepEqual(nextPosition(sizes, { col: 0, row: 1 }, "End"), { col: 0, row: 2 });
  assert.deepEqual(nextPosition(sizes, { col: 0, row: 2 }, "Home"), { col: 0, row: 0 });
  assert.deepEqual(nextPosition(sizes, { col: 0, row: 1 }, "x"), { col: 0, row: 1 });
});

test("with a card picked up, the column titles (row -1) and empty columns are targets", () => {
  const sizes = [3, 0, 2];
  assert.deepEqual(nextPosition(sizes, { col: 0, row: 0 }, "ArrowUp", true), { col: 0, row: -1 });
  assert.deepEqual(nextPosition(sizes, { col: 0, row: -1 }, "ArrowUp", true), { col: 0, row: -1 });
  assert.deepEqual(nextPosition(sizes, { col: 0, row: 2 }, "ArrowRight", true),
                   { col: 1, row: -1 });
  assert.deepEqual(nextPosition(sizes, { col: 1, row: -1 }, "ArrowDown", true),
                   { col: 1, row: -1 });
  assert.deepEqual(nextPosition(sizes, { col: 1, row: -1 }, "ArrowRight", true),
                   { col: 2, row: -1 });
  assert.deepEqual(nextPosition(sizes, { col: 2, row: -1 }, "ArrowDown", true), { col: 2, row: 0 });
  assert.deepEqual(nextPosition(sizes, { col: 2, row: 1 }, "Home", true), { col: 2, row: -1 });
});

test("a drop on another card groups, on another column moves, on itself does nothing", () => {
  const source = { id: "12", stake: "" };
  assert.deepEqual(dropAction(source, { type: "card", id: 15 }), { action: "group", target: "15" });
  assert.equal(dropAction(source, { type: "card", id: "12" }), null);
  assert.deepEqual(dropAction(source, { type: "column", stake: "4" }),
                   { action: "move", stake: "4" });
  assert.equal(dropAction(source, { type: "column", stake: "" }), null);
  assert.deepEqual(dropAction({ id: "3", stake: "4" }, { type: "column", stake: "" }),
                   { action: "move", stake: "" });
  assert.equal(dropAction(source, null), null);
});

test("messages get their placeholders filled", () => {
  assert.equal(format("Regrouper avec « {card} »", { card: "Locaux" }), "Regrouper avec « Locaux »");
  assert.equal(format("{num} cartes sur {total}", { num: 2, total: 9 }), "2 cartes sur 9");
  assert.equal(format("{missing} reste", {}), "{missing} reste");
});
