/* Phase, prompt and countdown on phones, the board and the console; live replacement and
 * removal of moderated items; a phone's own items awaiting approval (pre-moderation).
 * Strings come from <script id="phase-config"> (or the console's own config). */
(function () {
  "use strict";
  const Live = window.Live;
  if (!Live) return;
  const configElement = document.getElementById("phase-config");
  const phaseConfig = configElement ? JSON.parse(configElement.textContent) : {};
  const strings = phaseConfig.strings || {};
  const timers = new WeakMap();

  /** "12:05" from a number of seconds. */
  function clock(seconds) {
    const s = Math.max(0, Math.round(seconds));
    const minutes = Math.floor(s / 60);
    return minutes + ":" + String(s % 60).padStart(2, "0");
  }

  /** Show in `element` the time left until `endsAt` (ISO), every second; hide it when none. */
  function startCountdown(element, endsAt, labels) {
    if (!element) return;
    window.clearInterval(timers.get(element));
    const text = labels || strings;
    if (!endsAt) {
      element.hidden = Boolean(element.dataset.hideWhenIdle);
      element.textContent = text.no_timer || "";
      element.classList.remove("running", "over");
      return;
    }
    const end = Date.parse(endsAt);
    const tick = () => {
      const left = (end - Date.now()) / 1000;
      element.textContent = left > 0 ? (text.time_left || "") + " " + clock(left)
        : text.time_up || clock(0);
      element.classList.toggle("running", left > 0);
      element.classList.toggle("over", left <= 0);
      if (left <= 0) window.clearInterval(timers.get(element));
    };
    element.hidden = false;
    tick();
    timers.set(element, window.setInterval(tick, 1000));
  }

  /** Draw the phase panel of a phone or the board from a serialized workshop. */
  function showWorkshop(workshop) {
    if (!workshop || !document.getElementById("phase-panel")) return;
    const name = document.getElementById("phase-label");
    const prompt = document.getElementById("phase-prompt");
    if (name) name.textContent = (phaseConfig.phases || {})[workshop.phase] || workshop.phase_label;
    if (prompt) prompt.textContent = (phaseConfig.prompts || {})[workshop.phase]
      || workshop.phase_prompt;
    document.body.dataset.phase = workshop.phase;
    startCountdown(document.getElementById("phase-countdown"), workshop.phase_ends_at);
    const button = workshop.phase_kind
      && document.querySelector('[data-show-kind="' + workshop.phase_kind + '"]');
    if (button && button.getAttribute("aria-pressed") !== "true") button.click();
  }

  /* Items on phones (#feed) and the board (one list per kind). */
  const feed = document.getElementById("feed");
  function listFor(kind) {
    return document.querySelector("#column-" + kind + " ul") || feed;
  }
  function recount(kind) {
    const count = document.getElementById("count-" + kind);
    const list = document.querySelector("#column-" + kind + " ul");
    if (count && list) count.textContent = String(list.children.length);
  }
  const visible = (item) => item.status === "published" && !item.merged_into_id;

  /** Replace, insert (in id order, newest first) or remove an item after a moderation. */
  function updateItem(item) {
    const list = listFor(item.kind);
    if (!list) return;
    const old = list.querySelector('.contribution[data-id="' + item.id + '"]');
    if (!visible(item)) {
      if (old) old.remove();
    } else {
      const node = Live.renderContribution(Live.readConfig(), item, list === feed);
      if (old) old.replaceWith(node);
      else {
        const after = Array.from(list.children).find((li) => Number(li.dataset.id) < item.id);
        list.insertBefore(node, after || null);
      }
    }
    recount(item.kind);
    forgetPending(item);
  }

  /* A phone's own items awaiting approval: kept locally, until published or refused. */
  const pendingSection = document.getElementById("my-pending");
  const storeKey = "pending:" + (phaseConfig.workshop_id || "");
  function readPending() {
    try { return JSON.parse(window.localStorage.getItem(storeKey)) || []; } catch (e) { return []; }
  }
  function drawPending() {
    if (!pendingSection) return;
    const entries = readPending();
    const list = pendingSection.querySelector("ul");
    list.replaceChildren(...entries.map((entry) => {
      const li = Live.element("li", "contribution pending kind-" + entry.kind);
      li.dataset.pendingId = String(entry.id);
      if (entry.name) li.append(Live.element("p", "contribution-name", entry.name));
      li.append(Live.element("p", "contribution-description", entry.description));
      li.append(Live.element("p", "contribution-details", strings.awaiting || ""));
      return li;
    }));
    pendingSection.hidden = entries.length === 0;
  }
  function writePending(entries) {
    try { window.localStorage.setItem(storeKey, JSON.stringify(entries)); } catch (e) { /* full */ }
    drawPending();
  }
  function forgetPending(item) {
    const entries = readPending();
    if (entries.some((e) => e.id === item.id)) writePending(entries.filter((e) => e.id !== item.id));
  }
  document.addEventListener("contribution-acked", (event) => {
    const { entry, ack } = event.detail || {};
    if (!ack || !ack.pending || !entry) return;
    const entries = readPending().filter((e) => e.id !== ack.id);
    entries.push({ id: ack.id, kind: entry.payload.kind, name: entry.payload.name || "",
      description: entry.payload.description || "" });
    writePending(entries);
  });

  Live.on("workshop_state", (state) => {
    showWorkshop(state.workshop);
    (state.contributions || []).forEach(forgetPending);
  });
  Live.on("workshop_updated", showWorkshop);
  Live.on("contribution_updated", updateItem);
  Live.on("contribution_added", forgetPending);
  drawPending();
  if (phaseConfig.workshop) showWorkshop(phaseConfig.workshop);

  window.Phases = { startCountdown, clock };
})();
