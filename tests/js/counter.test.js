// Character counters: counting like the server, levels, texts and announcements.
import assert from "node:assert/strict";
import { test } from "node:test";

import { counterView, countCharacters, fill, levelOf } from "../../static/js/counter.js";

const STRINGS = {
  template: "{count} / {max} caractères",
  over: "{excess} de trop",
  near: "Plus que {remaining} caractères",
};

test("characters are counted as the server counts them", () => {
  assert.equal(countCharacters(""), 0);
  assert.equal(countCharacters(null), 0);
  assert.equal(countCharacters("abc"), 3);
  assert.equal(countCharacters("a\r\nb"), 3); // a form posts CR LF: one line break
  assert.equal(countCharacters("é🙂"), 2); // code points, like Python's len()
});

test("a text is ok, near the limit from 90 %, or over it", () => {
  assert.equal(levelOf(0, 2000), "ok");
  assert.equal(levelOf(1799, 2000), "ok");
  assert.equal(levelOf(1800, 2000), "near");
  assert.equal(levelOf(2000, 2000), "near");
  assert.equal(levelOf(2001, 2000), "over");
});

test("templates are filled with formatted numbers, unknown keys left alone", () => {
  const spaced = (n) => String(n).replace(/\B(?=(\d{3})+$)/g, " ");
  assert.equal(fill(STRINGS.template, { count: 123, max: 2000 }, spaced), "123 / 2 000 caractères");
  assert.equal(fill("{count} {other}", { count: 1 }), "1 {other}");
});

test("the counter shows the count and, over the limit, the excess", () => {
  assert.equal(counterView(123, 2000, "ok", STRINGS).text, "123 / 2000 caractères");
  const over = counterView(2345, 2000, "near", STRINGS);
  assert.equal(over.level, "over");
  assert.equal(over.text, "2345 / 2000 caractères — 345 de trop");
});

test("only a change of level towards the limit is announced", () => {
  assert.equal(counterView(10, 2000, "ok", STRINGS).announce, "");
  assert.equal(counterView(1850, 2000, "ok", STRINGS).announce, "Plus que 150 caractères");
  assert.equal(counterView(1851, 2000, "near", STRINGS).announce, "");
  assert.equal(counterView(2001, 2000, "near", STRINGS).announce,
    "2001 / 2000 caractères — 1 de trop");
  assert.equal(counterView(2002, 2000, "over", STRINGS).announce, "");
  assert.equal(counterView(1990, 2000, "over", STRINGS).announce, "Plus que 10 caractères");
  assert.equal(counterView(100, 2000, "near", STRINGS).announce, "");
});
