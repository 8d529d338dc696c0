// Withdrawing one's own item: which cards get the button, and the own list after my_votes.
import assert from "node:assert/strict";
import { test } from "node:test";

import { canWithdraw, ownFrom, withdrawName } from "../../static/js/withdraw.js";

test("only one's own items get the button, while the workshop is open", () => {
  const state = { open: true, own: new Set([4, 7]), gone: new Set([7]) };
  assert.equal(canWithdraw(state, 4), true);
  assert.equal(canWithdraw(state, 5), false); // someone else's
  assert.equal(canWithdraw(state, 7), false); // withdrawn already
  assert.equal(canWithdraw({ ...state, open: false }, 4), false); // closed
});

test("my_votes gives the own items, never one this phone withdrew", () => {
  assert.deepEqual([...ownFrom({ own: [4, 7, 9] }, new Set([7]))], [4, 9]);
  assert.deepEqual([...ownFrom(null, new Set())], []);
});

test("the button is named for its item", () => {
  assert.equal(withdrawName("Retirer ma contribution « {title} »", "Ozon"),
    "Retirer ma contribution « Ozon »");
  assert.equal(withdrawName(undefined, "Ozon"), "");
});
