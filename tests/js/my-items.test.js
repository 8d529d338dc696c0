// A phone's own unpublished items: the server's list, live changes, room events, and which
// refusals are still to be announced.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  afterRoomItem,
  fromServer,
  refusalsToAnnounce,
  refusalText,
  titleOf,
  upsertMine,
} from "../../static/js/my-items.js";

const pending = { id: 4, status: "pending", refused: false, description: "Une épicerie" };
const refused = { id: 7, status: "hidden", refused: true, name: "Ozon",
  description: "Une coopérative", refusal_reason: "Hors sujet" };

test("the server's list is shown newest first; a live change replaces its item", () => {
  assert.deepEqual(fromServer([pending, refused]).map((i) => i.id), [7, 4]);
  assert.deepEqual(fromServer(null), []);
  const list = upsertMine([pending], { ...pending, status: "hidden", refused: true });
  assert.equal(list.length, 1);
  assert.equal(list[0].refused, true);
  assert.deepEqual(upsertMine(list, refused).map((i) => i.id), [7, 4]);
});

test("an item leaves the list when the room sees it, not for a withdrawn version", () => {
  const list = [refused, pending];
  assert.deepEqual(afterRoomItem(list, { ...pending, status: "published" }), [refused]);
  const withdrawn = { id: 7, status: "hidden", redacted: true, description: null };
  assert.equal(afterRoomItem(list, withdrawn), list);
  assert.deepEqual(afterRoomItem(list, { id: 7, status: "deleted", redacted: true }), [pending]);
  assert.equal(afterRoomItem(list, { id: 99, status: "published" }), list);
});

test("each refusal is announced once per phone", () => {
  assert.deepEqual(refusalsToAnnounce([refused, pending], []), [refused]);
  assert.deepEqual(refusalsToAnnounce([refused, pending], [7]), []);
});

test("the notice names the item and gives the reason when there is one", () => {
  const strings = { refused_notice: "Votre contribution « {title} » n'a pas été retenue.",
    refusal_reason: "Motif : {reason}" };
  assert.equal(refusalText(strings, refused),
    "Votre contribution « Ozon » n'a pas été retenue. Motif : Hors sujet");
  assert.equal(refusalText(strings, { ...pending, refused: true }),
    "Votre contribution « Une épicerie » n'a pas été retenue.");
  assert.equal(titleOf({ description: "a  b\nc".repeat(40) }).length, 60);
});

test("an item its author withdrew leaves the list, from the room or the author's channel", () => {
  const list = [refused, pending];
  const gone = { id: 4, status: "hidden", redacted: true, withdrawn: true };
  assert.deepEqual(afterRoomItem(list, gone), [refused]);
  assert.deepEqual(upsertMine(list, { ...pending, status: "hidden", withdrawn: true }), [refused]);
});
