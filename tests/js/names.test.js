// Items' titles in their buttons' names (static/js/dom.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { shortTitle } from "../../static/js/dom.js";

test("a short title is kept whole, its spaces tidied", () => {
  assert.equal(shortTitle("Épicerie solidaire"), "Épicerie solidaire");
  assert.equal(shortTitle("  Régie\n de   quartier "), "Régie de quartier");
  assert.equal(shortTitle(""), "");
  assert.equal(shortTitle(null), "");
});

test("a long title is cut at a word, without trailing punctuation, with an ellipsis", () => {
  const long = "Coopérative d'activité et d'emploi des métiers du bâtiment et de la rénovation";
  assert.equal(shortTitle(long), "Coopérative d'activité et d'emploi des métiers du bâtiment…");
  assert.equal(shortTitle("Un, deux, trois, quatre", 10), "Un, deux…");
  assert.ok(shortTitle(long).length <= 61);
});

test("a title without spaces is cut at the limit", () => {
  assert.equal(shortTitle("x".repeat(80), 20), "x".repeat(20) + "…");
});
