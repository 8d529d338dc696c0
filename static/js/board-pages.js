/* The board's columns as pages: each column shows the cards that fit on the screen, and a
 * column fuller than that turns its pages by itself every few seconds ("Page 2/3"), with
 * a button to pause (WCAG 2.2.2). A page is shown by scrolling the list (overflow hidden)
 * to its first card, so no card leaves the accessibility tree: turning a page announces
 * nothing and never moves the focus. The pure parts are in paging.js. */

import { clampPage, createRotation, nextPage, pageLabel, paginate } from "./paging.js";

const REDUCED_MOTION = "(prefers-reduced-motion: reduce)";

/** Page the board's columns; strings: {page, paused, pause, resume}. Returns {refresh()}. */
export function startPages(strings, seconds) {
  const columns = Array.from(document.querySelectorAll(".board-column")).map((section) => ({
    section,
    list: section.querySelector("ul"),
    pager: section.querySelector(".board-pager"),
    pages: [{ start: 0, end: 0 }],
    page: 0,
  })).filter((column) => column.list);
  const button = document.getElementById("rotation-button");
  const rotation = createRotation({
    interval: seconds * 1000,
    timer: window,
    onTick: () => columns.forEach((column) => {
      if (column.pages.length > 1) show(column, nextPage(column.page, column.pages.length), true);
    }),
  });

  function cards(column) {
    return Array.from(column.list.children).filter((li) => li.dataset.id !== undefined);
  }
  /** Scroll the list to page `page` and dim the cards of other pages (a half-seen card). */
  function show(column, page, turning) {
    const all = cards(column);
    column.page = clampPage(page, column.pages.length);
    const { start, end } = column.pages[column.page];
    const origin = all.length ? all[0].offsetTop : 0;
    const top = all[start] ? all[start].offsetTop - origin : 0;
    const smooth = turning && !window.matchMedia(REDUCED_MOTION).matches;
    column.list.scrollTo({ top, behavior: smooth ? "smooth" : "instant" });
    all.forEach((li, index) => li.classList.toggle("off-page", index < start || index >= end));
    column.section.dataset.page = String(column.page + 1);
    column.section.dataset.pages = String(column.pages.length);
    showPager(column);
  }
  /** "Page 2/3" ("· en pause" while paused); always there (empty for one page), so
   * showing it never changes the list's height. */
  function showPager(column) {
    if (!column.pager) return;
    const count = column.pages.length;
    const text = count > 1 ? pageLabel(strings.page, column.page, count) : "";
    column.pager.textContent = text && rotation.paused ? text + " · " + strings.paused : text;
  }
  function repaginate(column) {
    const all = cards(column);
    const origin = all.length ? all[0].offsetTop : 0;
    const boxes = all.map((li) => [li.offsetTop - origin, li.offsetTop - origin + li.offsetHeight]);
    column.pages = paginate(boxes, column.list.clientHeight);
    show(column, column.page, false);
  }
  function refresh() {
    columns.forEach(repaginate);
    const full = columns.some((column) => column.pages.length > 1);
    rotation.setActive(full);
    // Nothing moves: no pause button (unless it has the focus, which must stay put).
    if (button && document.activeElement !== button) button.hidden = !full;
  }

  function label() {
    if (!button) return;
    // The label says what a press does (not aria-pressed: the name itself changes).
    button.textContent = rotation.paused ? strings.resume : strings.pause;
    columns.forEach(showPager);
  }
  if (button) {
    button.addEventListener("click", () => {
      if (rotation.paused) rotation.resume(); else rotation.pause();
      label();
    });
    label();
  }

  // New, changed or re-sorted cards, a new size of the screen or of the header: page again.
  // (MutationObserver callbacks are microtasks: one repagination per batch of changes.)
  const mutations = new MutationObserver(refresh);
  const sizes = new ResizeObserver(refresh);
  columns.forEach((column) => {
    mutations.observe(column.list, {
      childList: true, subtree: true, characterData: true,
      attributes: true, attributeFilter: ["hidden"],
    });
    sizes.observe(column.list);
  });
  refresh();
  return { refresh };
}
