/* The board's pages: which cards of a column fit on one screen, and the clock that turns
 * the pages of full columns. Pure: no DOM; the clock's timer is injected (window's in the
 * page, a fake one in tests/js/paging.test.js). */

/**
 * Split cards into pages of at most `available` pixels. `boxes` are the cards' [top, bottom]
 * offsets in their list, in order; returns [{start, end}] (end excluded). A page starts at
 * its first card's top and takes every next card whose bottom fits; a card taller than the
 * page still gets a page of its own. No cards: one empty page.
 */
export function paginate(boxes, available) {
  const pages = [];
  let start = 0;
  while (start < boxes.length) {
    const origin = boxes[start][0];
    let end = start + 1;
    while (end < boxes.length && boxes[end][1] - origin <= available) end += 1;
    pages.push({ start, end });
    start = end;
  }
  return pages.length ? pages : [{ start: 0, end: 0 }];
}

/** `page` (0-based) kept within `pages` pages (a column that shrank shows its last page). */
export function clampPage(page, pages) {
  return Math.max(0, Math.min(page, pages - 1));
}

/** The page after `page`, back to the first after the last. */
export function nextPage(page, pages) {
  return pages > 1 ? (clampPage(page, pages) + 1) % pages : 0;
}

/** "Page 2/3" from a template with {page} and {pages} (1-based for people). */
export function pageLabel(template, page, pages) {
  return template.replace("{page}", String(page + 1)).replace("{pages}", String(pages));
}

/**
 * The board's page clock: calls `onTick()` every `interval` ms while it is active (some
 * column has more than one page) and not paused. `timer` is {setInterval, clearInterval}.
 * A resume or a new activation starts a full interval (a page never turns right away).
 */
export function createRotation({ interval, timer, onTick }) {
  let handle = null;
  let active = false;
  let paused = false;

  function sync() {
    const run = active && !paused;
    if (run && handle === null) handle = timer.setInterval(onTick, interval);
    if (!run && handle !== null) {
      timer.clearInterval(handle);
      handle = null;
    }
  }
  return {
    /** Whether there is anything to turn (called after each repagination). */
    setActive(value) { active = Boolean(value); sync(); },
    pause() { paused = true; sync(); },
    resume() { paused = false; sync(); },
    get paused() { return paused; },
    get running() { return handle !== null; },
  };
}
