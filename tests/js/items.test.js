// Lists of contributions, newest first; the countdown's clock.
import assert from "node:assert/strict";
import { test } from "node:test";

import { clock } from "../../static/js/countdown.js";
import { label, positionFor } from "../../static/js/items.js";

test("an item goes before the first older one: newest first", () => {
  assert.equal(positionFor([], 5), 0);
  assert.equal(positionFor([9, 7, 3], 10), 0);
  assert.equal(positionFor([9, 7, 3], 8), 1);
  assert.equal(positionFor([9, 7, 3], 1), 3);
  // Out of order (the board ranked by dots): before the first older one it meets.
  assert.equal(positionFor([2, 9, 1], 5), 0);
});

test("labels come from the page's config, else the payload, else the value", () => {
  const config = { labels: { urgency: { high: "High" } } };
  assert.equal(label(config, "urgency", "high", "Forte"), "High");
  assert.equal(label(config, "urgency", "low", "Faible"), "Faible");
  assert.equal(label({}, "stage", "idea"), "idea");
  assert.equal(label({}, "stage", null), "");
});

test("the clock shows minutes and seconds, never below zero", () => {
  assert.equal(clock(725), "12:05");
  assert.equal(clock(59.6), "1:00");
  assert.equal(clock(0), "0:00");
  assert.equal(clock(-30), "0:00");
  assert.equal(clock(7200), "120:00");
});
