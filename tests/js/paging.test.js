// The board's pages and their clock (a fake timer: no real time passes).
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  clampPage, createRotation, nextPage, pageLabel, paginate,
} from "../../static/js/paging.js";

/** Cards of the given heights, stacked with a gap of 10 px: [top, bottom] each. */
function stack(heights, gap = 10) {
  let top = 0;
  return heights.map((height) => {
    const box = [top, top + height];
    top += height + gap;
    return box;
  });
}

test("cards are grouped into the pages they fit in, in order", () => {
  // 100 + 10 + 100 = 210 fits in 250; the third (ends at 320) starts a new page.
  assert.deepEqual(paginate(stack([100, 100, 100, 100, 100]), 250), [
    { start: 0, end: 2 }, { start: 2, end: 4 }, { start: 4, end: 5 },
  ]);
  assert.deepEqual(paginate(stack([50, 50]), 1000), [{ start: 0, end: 2 }]);
});

test("a page starts at its first card, whatever came before", () => {
  const boxes = stack([200, 30, 30, 30, 30]); // a tall card, then short ones
  assert.deepEqual(paginate(boxes, 200), [{ start: 0, end: 1 }, { start: 1, end: 5 }]);
});

test("a card taller than the page gets a page of its own; no card, one empty page", () => {
  assert.deepEqual(paginate(stack([50, 900, 50]), 300), [
    { start: 0, end: 1 }, { start: 1, end: 2 }, { start: 2, end: 3 },
  ]);
  assert.deepEqual(paginate([], 300), [{ start: 0, end: 0 }]);
});

test("pages turn in a loop and stay within the column", () => {
  assert.equal(nextPage(0, 3), 1);
  assert.equal(nextPage(2, 3), 0);
  assert.equal(nextPage(0, 1), 0);
  assert.equal(nextPage(5, 3), 0); // a column that shrank: from its last page to the first
  assert.equal(clampPage(4, 2), 1);
  assert.equal(clampPage(-1, 2), 0);
  assert.equal(clampPage(3, 0), 0);
});

test("the page label is 1-based", () => {
  assert.equal(pageLabel("Page {page}/{pages}", 1, 3), "Page 2/3");
});

/** A timer whose time only moves when the test says so. */
function fakeTimer() {
  let now = 0;
  let nextId = 1;
  const intervals = new Map(); // id -> {fn, every, due}
  return {
    setInterval(fn, every) {
      const id = nextId++;
      intervals.set(id, { fn, every, due: now + every });
      return id;
    },
    clearInterval(id) { intervals.delete(id); },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...intervals.entries()].sort((a, b) => a[1].due - b[1].due)[0];
        if (!due || due[1].due > end) break;
        now = due[1].due;
        due[1].due += due[1].every;
        due[1].fn();
      }
      now = end;
    },
    get count() { return intervals.size; },
  };
}

test("the clock ticks every interval only while some column is full", () => {
  const timer = fakeTimer();
  let ticks = 0;
  const rotation = createRotation({ interval: 1000, timer, onTick: () => { ticks += 1; } });
  timer.advance(5000);
  assert.equal(ticks, 0); // nothing to turn yet
  rotation.setActive(true);
  timer.advance(999);
  assert.equal(ticks, 0);
  timer.advance(1);
  assert.equal(ticks, 1);
  timer.advance(2000);
  assert.equal(ticks, 3);
  rotation.setActive(true); // still active: the same interval goes on, no second timer
  assert.equal(timer.count, 1);
  rotation.setActive(false);
  timer.advance(5000);
  assert.equal(ticks, 3);
  assert.equal(timer.count, 0);
});

test("a paused clock does not tick; resuming waits a full interval", () => {
  const timer = fakeTimer();
  let ticks = 0;
  const rotation = createRotation({ interval: 1000, timer, onTick: () => { ticks += 1; } });
  rotation.setActive(true);
  timer.advance(500);
  rotation.pause();
  assert.equal(rotation.paused, true);
  assert.equal(rotation.running, false);
  timer.advance(10_000);
  assert.equal(ticks, 0);
  rotation.setActive(true); // new cards while paused: still paused
  timer.advance(10_000);
  assert.equal(ticks, 0);
  rotation.resume();
  timer.advance(999);
  assert.equal(ticks, 0);
  timer.advance(1);
  assert.equal(ticks, 1);
  assert.equal(rotation.paused, false);
});
