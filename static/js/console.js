/* Facilitator console: phases, timer, settings, pending queue, moderation and scribe entry,
 * all over the /live socket (role "facilitator") with acknowledgements.
 * User text only through textContent; strings come from #live-config. */
(function () {
  "use strict";
  const Live = window.Live;
  const config = Live && Live.readConfig();
  if (!config) return;
  const strings = config.strings || {};
  const actions = strings.actions || {};
  const ACK_TIMEOUT_MS = 10000;
  const items = new Map();
  let workshop = config.workshop;
  const message = document.getElementById("console-message");
  const el = Live.element;

  function say(text, isError) {
    message.textContent = text || "";
    message.classList.toggle("error", Boolean(isError));
  }
  function format(text, values) {
    return Object.entries(values).reduce((t, [k, v]) => t.replace("%(" + k + ")s", String(v)),
      text || "");
  }

  /** Emit a facilitator event; show the refusal, else apply the items of the ack. */
  function call(event, payload, done) {
    if (!socket) return;
    socket.timeout(ACK_TIMEOUT_MS).emit(event, payload, (err, ack) => {
      if (err) { say(strings.timeout, true); if (done) done(null); return; }
      if (!ack || !ack.ok) {
        const fields = Object.values((ack && ack.fields) || {});
        say([ack && ack.error].concat(fields).filter(Boolean).join(" "), true);
        if (done) done(ack);
        return;
      }
      say(strings.done, false);
      ["item", "new_item", "target"].forEach((key) => { if (ack[key]) upsert(ack[key]); });
      if (ack.workshop) showWorkshop(ack.workshop);
      if (done) done(ack);
    });
  }

  /* Workshop: phase buttons, prompt, timer, moderation, vote settings. */
  const timerDisplay = document.getElementById("console-timer");
  function showWorkshop(data) {
    if (!data) return;
    workshop = data;
    document.querySelectorAll("[data-phase]").forEach((button) => {
      button.setAttribute("aria-pressed", String(button.dataset.phase === data.phase));
    });
    document.getElementById("console-phase-prompt").textContent = data.phase_prompt;
    window.Phases.startCountdown(timerDisplay, data.phase_ends_at,
      { no_timer: strings.no_timer, time_left: "", time_up: "0:00" });
    document.querySelectorAll('#moderation-mode input[name="moderation"]').forEach((radio) => {
      radio.checked = radio.value === data.moderation;
    });
    const form = document.getElementById("vote-settings");
    if (document.activeElement === null || !form.contains(document.activeElement)) {
      form.elements.dot_budget.value = data.dot_budget;
      form.elements.dot_max_per_item.value = data.dot_max_per_item;
    }
  }
  document.querySelectorAll("[data-phase]").forEach((button) => {
    button.addEventListener("click", () => call("set_phase", { phase: button.dataset.phase }));
  });
  document.getElementById("timer-plus5").addEventListener("click", () => {
    const left = workshop.phase_ends_at
      ? Math.max(0, Math.round((Date.parse(workshop.phase_ends_at) - Date.now()) / 1000)) : 0;
    call("set_timer", { seconds: Math.min(7200, left + 300) });
  });
  document.getElementById("timer-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const minutes = Number(event.target.elements.minutes.value);
    call("set_timer", { seconds: Math.round(minutes * 60) });
  });
  document.getElementById("timer-stop").addEventListener("click",
    () => call("set_timer", { seconds: 0 }));
  document.querySelectorAll('#moderation-mode input[name="moderation"]').forEach((radio) => {
    radio.addEventListener("change", () => call("set_moderation", { mode: radio.value },
      (ack) => { if (!ack || !ack.ok) showWorkshop(workshop); }));
  });
  document.getElementById("vote-settings").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    call("set_vote_settings", { dot_budget: Number(form.elements.dot_budget.value),
      dot_max_per_item: Number(form.elements.dot_max_per_item.value) });
  });

  /* Items: pending queue and one list per kind, newest first. */
  function listOf(item) {
    if (item.status === "pending") return document.getElementById("pending-list");
    return document.querySelector("#console-" + item.kind + " ul");
  }
  function button(text, handler, className) {
    const node = el("button", className || "small", text);
    node.type = "button";
    node.addEventListener("click", handler);
    return node;
  }
  function field(labelText, control, id) {
    const wrap = el("div", "field");
    const lab = el("label", "", labelText);
    control.id = id;
    lab.htmlFor = id;
    wrap.append(lab, control);
    return wrap;
  }
  function textarea(name, value) {
    const node = el("textarea");
    node.name = name;
    node.rows = 3;
    node.maxLength = 2000;
    node.value = value || "";
    return node;
  }
  function editor(li, build, submit) {
    const box = li.querySelector(".console-editor");
    box.replaceChildren();
    const form = el("form", "console-inline");
    build(form);
    const save = el("button", "primary small", actions.save);
    save.type = "submit";
    form.append(save, button(actions.cancel, () => box.replaceChildren()));
    form.addEventListener("submit", (event) => { event.preventDefault(); submit(form); });
    box.append(form);
    const first = form.querySelector("textarea, select, input");
    if (first) first.focus();
  }
  function openEdit(li, item) {
    editor(li, (form) => {
      if (item.kind === "initiative") {
        const name = el("input");
        name.name = "name";
        name.value = item.name || "";
        name.maxLength = 200;
        form.append(field(strings.edit_name, name, "edit-name-" + item.id));
      }
      form.append(field(strings.edit_description, textarea("description", item.description),
        "edit-description-" + item.id));
    }, (form) => {
      const fields = { description: form.elements.description.value };
      if (form.elements.name) fields.name = form.elements.name.value;
      call("edit", { id: item.id, fields: fields });
    });
  }
  function openSplit(li, item) {
    editor(li, (form) => {
      form.append(field(strings.split_first, textarea("part1", item.description),
        "split-1-" + item.id));
      form.append(field(strings.split_second, textarea("part2", ""), "split-2-" + item.id));
    }, (form) => call("split", { id: item.id,
      parts: [form.elements.part1.value, form.elements.part2.value] }));
  }
  function openMerge(li, item) {
    const targets = Array.from(items.values()).filter((other) => other.id !== item.id
      && other.kind === item.kind && other.status === "published" && !other.merged_into_id);
    if (!targets.length) { say(strings.merge_none, true); return; }
    editor(li, (form) => {
      const select = el("select");
      select.name = "target_id";
      targets.forEach((other) => {
        const text = format(strings.item_number, { id: other.id }) + " · "
          + (other.name || other.description).slice(0, 80);
        const option = el("option", "", text);
        option.value = String(other.id);
        select.append(option);
      });
      form.append(field(strings.merge_target, select, "merge-target-" + item.id));
    }, (form) => call("merge", { source_id: item.id,
      target_id: Number(form.elements.target_id.value) }));
  }
  function render(item) {
    const li = Live.renderContribution(config, item, false);
    li.classList.add("console-item", "status-" + item.status);
    li.dataset.status = item.status;
    const head = el("p", "console-item-head");
    head.append(el("span", "console-id", format(strings.item_number, { id: item.id })),
      el("span", "badge status-badge-" + item.status, (strings.status || {})[item.status] || item.status));
    if (item.merged_into_id) {
      li.classList.add("merged");
      head.append(el("span", "console-merged", format(strings.merged_into,
        { id: item.merged_into_id })));
    }
    li.prepend(head);
    if (item.merged_sources && item.merged_sources.length) {
      li.append(el("p", "console-sources", strings.merged_sources + " " + item.merged_sources
        .map((s) => format(strings.item_number, { id: s.id })).join(", ")));
    }
    li.append(el("p", "contribution-details", format(strings.supports,
      { n: item.supports, d: item.dots })));
    const bar = el("div", "console-actions");
    const act = (name, payload) => button(actions[name], () => call(name, payload),
      "small action-" + name);
    if (item.merged_into_id) bar.append(act("unmerge", { id: item.id }));
    else if (item.status === "pending") {
      bar.append(act("approve", { id: item.id }), act("reject", { id: item.id }));
    } else if (item.status === "hidden") bar.append(act("restore", { id: item.id }));
    else bar.append(act("hide", { id: item.id }));
    if (!item.merged_into_id) {
      bar.append(button(actions.edit, () => openEdit(li, item), "small action-edit"),
        button(actions.split, () => openSplit(li, item), "small action-split"));
      if (item.status === "published") {
        bar.append(button(actions.merge, () => openMerge(li, item), "small action-merge"));
      }
    }
    li.append(bar, el("div", "console-editor"));
    return li;
  }
  function recountPending() {
    const list = document.getElementById("pending-list");
    const count = list.querySelectorAll(".console-item").length;
    document.getElementById("pending-count").textContent = String(count);
    list.querySelectorAll(".console-empty").forEach((n) => n.remove());
    if (!count) list.append(el("li", "muted console-empty", strings.pending_empty));
  }
  function upsert(item) {
    items.set(item.id, item);
    document.querySelectorAll('.console-item[data-id="' + item.id + '"]')
      .forEach((node) => node.remove());
    const list = listOf(item);
    if (list) {
      const after = Array.from(list.querySelectorAll(".console-item"))
        .find((li) => Number(li.dataset.id) < item.id);
      list.insertBefore(render(item), after || null);
    }
    recountPending();
  }

  /* Scribe forms: one per kind, like the phone's. */
  const scribeButtons = Array.from(document.querySelectorAll("[data-scribe-kind]"));
  const scribeForms = Array.from(document.querySelectorAll(".scribe-form"));
  scribeButtons.forEach((b) => b.addEventListener("click", () => {
    scribeForms.forEach((f) => { f.hidden = f.dataset.kind !== b.dataset.scribeKind; });
    scribeButtons.forEach((o) => o.setAttribute("aria-pressed", String(o === b)));
  }));
  scribeForms.forEach((form) => {
    form.elements.client_id.value = Live.newClientId();
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const payload = {};
      new FormData(form).forEach((value, key) => { payload[key] = value; });
      const status = form.querySelector(".form-status");
      const errors = form.querySelector(".form-errors");
      errors.replaceChildren();
      call("scribe_contribution", payload, (ack) => {
        if (ack && ack.ok) {
          form.querySelectorAll("input:not([type=hidden]), textarea").forEach((n) => { n.value = ""; });
          form.querySelectorAll("select").forEach((n) => { n.selectedIndex = 0; });
          form.elements.client_id.value = Live.newClientId();
          status.textContent = strings.done;
        } else if (ack) {
          status.textContent = "";
          errors.append(el("p", "error", ack.error));
          Object.entries(ack.fields || {}).forEach(([, text]) => errors.append(el("p", "error", text)));
        }
      });
    });
  });

  const socket = Live.connect(config, {
    console_state(state) {
      items.clear();
      document.querySelectorAll(".console-item").forEach((node) => node.remove());
      state.contributions.forEach(upsert);
      showWorkshop(state.workshop);
    },
    workshop_state(state) { showWorkshop(state.workshop); },
    workshop_updated: showWorkshop,
    workshop_status(data) { if (workshop) workshop.status = data.status; },
    contribution_added: upsert,
    contribution_updated: upsert,
    contribution_pending: upsert,
  });
  recountPending();
  showWorkshop(workshop);
})();
