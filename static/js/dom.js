/* Small DOM helpers. User text only ever goes through textContent, never innerHTML. */

/** The JSON configuration the server wrote in <script type="application/json" id=...>. */
export function readJson(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

/** createElement + className + textContent. */
export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** A title short enough for a button's name: whole words, at most `max` characters + "…". */
export function shortTitle(text, max = 60) {
  const clean = String(text || "").replace(/\s+/g, " ").trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return (space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, "") + "…";
}

/** The key of the control that has the focus (its `data-focus-key`, or its ancestor's). */
export function focusedKey() {
  const active = document.activeElement;
  const keyed = active && active.closest ? active.closest("[data-focus-key]") : null;
  return keyed ? keyed.dataset.focusKey : null;
}

/** Focus the first visible control whose `data-focus-key` is `key`; true when done. */
export function focusByKey(key) {
  const found = Array.from(document.querySelectorAll("[data-focus-key]"))
    .find((node) => node.dataset.focusKey === key && !node.closest("[hidden]"));
  if (!found) return false;
  found.focus();
  return document.activeElement === found;
}

/**
 * Run `change` (which may re-render the focused control) and keep keyboard focus on the
 * same control, found again by its `data-focus-key`: at once, or once the observers that
 * decorate new cards (votes.js) have run. `fallback()` is called when it is gone.
 */
export function keepFocus(change, fallback) {
  const key = focusedKey();
  const before = document.activeElement;
  const result = change();
  if (!key || (document.activeElement === before && document.contains(before))) return result;
  if (focusByKey(key)) return result;
  queueMicrotask(() => {
    if (focusByKey(key)) return;
    setTimeout(() => {
      if (document.activeElement && document.activeElement !== document.body) return;
      if (!focusByKey(key) && fallback) fallback();
    }, 0);
  });
  return result;
}
