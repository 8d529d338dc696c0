/* Visible character counters: "123 / 2000 caractères" under every limited text field.
 *
 * Fields carry data-maxlength (never maxlength, which cuts a paste silently) and
 * aria-describedby their counter <p class="char-counter">, whose data-template and
 * data-over-template the server wrote in the page's language. The server counts like
 * countCharacters and refuses an over-long text with an error: nothing is cut.
 * Screen readers hear the counter when they reach the field, and a polite announcement
 * only when the text comes near the limit or goes over it. */

const NEAR = 0.9; // announce from 90 % of the limit

/** Characters as the server counts them: code points, a line break as one. */
export function countCharacters(text) {
  return [...String(text || "").replace(/\r\n/g, "\n")].length;
}

/** "ok", "near" (90 % of the limit or more) or "over". */
export function levelOf(count, max) {
  if (count > max) return "over";
  return count >= Math.ceil(max * NEAR) ? "near" : "ok";
}

/** Fill a "{count} / {max}" template with formatted numbers. */
export function fill(template, values, format = String) {
  return template.replace(/\{(\w+)\}/g, (whole, key) =>
    key in values ? format(values[key]) : whole);
}

/**
 * What the counter shows and what to announce, going from `previous` level to now.
 * strings: { template, over, near } ("{count} / {max} caractères", "{excess} de trop",
 * "Plus que {remaining} caractères"). announce is "" unless the level changed to near/over
 * (near also when coming back under the limit: the text may be sent again).
 */
export function counterView(count, max, previous, strings, format = String) {
  const level = levelOf(count, max);
  const values = { count, max, excess: count - max, remaining: max - count };
  let text = fill(strings.template, values, format);
  if (level === "over") text += " — " + fill(strings.over, values, format);
  // Announced once per change of level: going over, coming near (or back under the limit).
  let announce = "";
  if (level !== previous && level === "over") announce = text;
  else if (level !== previous && level === "near") announce = fill(strings.near, values, format);
  return { level, text, announce };
}

/** Wire the counter of one field; returns its refresh function. */
function attach(field, counter) {
  const max = Number(field.dataset.maxlength);
  const live = document.getElementById(counter.id + "-live");
  const strings = {
    template: counter.dataset.template, over: counter.dataset.overTemplate,
    near: counter.dataset.nearTemplate,
  };
  const number = new Intl.NumberFormat(document.documentElement.lang || "fr");
  let level = levelOf(countCharacters(field.value), max);
  function refresh() {
    const view = counterView(countCharacters(field.value), max, level, strings, number.format);
    level = view.level;
    counter.textContent = view.text;
    counter.classList.toggle("over", level === "over");
    counter.classList.toggle("near", level === "near");
    if (live && view.announce) live.textContent = view.announce;
    else if (live && level === "ok") live.textContent = ""; // nothing stale to read later
    if (level === "over") field.setAttribute("aria-invalid", "true");
    else if (field.dataset.counterInvalid === "true") field.removeAttribute("aria-invalid");
    field.dataset.counterInvalid = String(level === "over");
  }
  field.addEventListener("input", refresh);
  refresh();
  return refresh;
}

/** Attach every counter of `root`; a form with an over-long field is not submitted. */
export function attachCounters(root = document) {
  root.querySelectorAll("[data-maxlength]").forEach((field) => {
    const counter = document.getElementById(field.id + "-counter");
    if (counter && !field.dataset.counterReady) {
      field.dataset.counterReady = "true";
      attach(field, counter);
    }
  });
  root.querySelectorAll("form").forEach((form) => {
    if (form.dataset.countersGuarded) return;
    form.dataset.countersGuarded = "true";
    // Capture phase: runs before the page's own submit handler (the socket forms).
    form.addEventListener("submit", (event) => {
      const over = Array.from(form.querySelectorAll("[data-maxlength]")).find((field) =>
        countCharacters(field.value) > Number(field.dataset.maxlength));
      if (!over) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      over.focus();
    }, true);
  });
}
