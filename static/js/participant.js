/* Participant page: kind switcher, live feed, and forms sent over the /live socket.
 * Without this script (or without the socket.io client) the forms POST to the page. */
(function () {
  "use strict";
  const config = window.Live && window.Live.readConfig();
  if (!config) return;
  const Live = window.Live;
  const strings = config.strings || {};
  const ACK_TIMEOUT_MS = 10000;
  const forms = Array.from(document.querySelectorAll("form.contribution-form"));
  const feed = document.getElementById("feed");
  const emptyNotice = document.querySelector(".feed-empty");
  const needSelect = document.querySelector('#form-recommendation [name="answered_need_ids"]');

  /* Kind switcher: one form at a time. */
  const switcher = document.querySelector(".kind-switcher");
  const buttons = Array.from(document.querySelectorAll("[data-show-kind]"));
  function showKind(kind) {
    forms.forEach((form) => { form.hidden = form.dataset.kind !== kind; });
    buttons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.showKind === kind)));
  }
  if (switcher && buttons.length) {
    switcher.hidden = false;
    buttons.forEach((b) => b.addEventListener("click", () => showKind(b.dataset.showKind)));
    const pressed = buttons.find((b) => b.getAttribute("aria-pressed") === "true") || buttons[0];
    showKind(pressed.dataset.showKind);
  }

  /* Feed. */
  function addNeedOption(item) {
    if (!needSelect || item.kind !== "need") return;
    if (needSelect.querySelector('option[value="' + item.id + '"]')) return;
    const text = item.description.length > 90
      ? item.description.slice(0, 89) + "…" : item.description;
    const option = Live.element("option", "", text);
    option.value = String(item.id);
    needSelect.append(option);
  }
  function addItem(item) {
    if (Live.prependOnce(feed, Live.renderContribution(config, item, true))) {
      if (emptyNotice) emptyNotice.hidden = true;
    }
    addNeedOption(item);
  }
  function setOpen(open) {
    const notice = document.getElementById("closed-notice");
    if (notice) notice.hidden = open;
    forms.forEach((form) => { form.querySelector("button[type=submit]").disabled = !open; });
  }

  const socket = Live.connect(config, {
    workshop_state(state) {
      feed.replaceChildren();
      state.contributions.forEach(addItem);
      if (emptyNotice) emptyNotice.hidden = state.contributions.length > 0;
      setOpen(state.workshop.status === "open");
    },
    contribution_added: addItem,
    workshop_status(data) { setOpen(data.status === "open"); },
  });
  if (!socket) return; // no socket.io client: plain HTML forms

  /* Forms over the socket. */
  function say(form, text, isError) {
    const status = form.querySelector(".form-status");
    status.textContent = text || "";
    status.classList.toggle("error", Boolean(isError));
  }
  function clearErrors(form) {
    form.querySelector(".form-errors").replaceChildren();
    form.querySelectorAll(".field .error").forEach((node) => node.remove());
    form.querySelectorAll(".has-error").forEach((node) => node.classList.remove("has-error"));
    form.querySelectorAll("[aria-invalid]").forEach((node) => {
      node.removeAttribute("aria-invalid");
      const hint = document.getElementById(node.id + "-hint");
      if (hint) node.setAttribute("aria-describedby", hint.id);
      else node.removeAttribute("aria-describedby");
    });
  }
  function showErrors(form, ack) {
    const summary = form.querySelector(".form-errors");
    summary.append(Live.element("p", "error", ack.error));
    let first = null;
    Object.entries(ack.fields || {}).forEach(([name, message]) => {
      const field = form.querySelector('[data-field="' + name + '"]');
      if (!field) {
        summary.append(Live.element("p", "error", message));
        return;
      }
      const control = field.querySelector("input, select, textarea");
      const error = Live.element("p", "error", message);
      error.id = control.id + "-error";
      field.classList.add("has-error");
      field.append(error);
      control.setAttribute("aria-invalid", "true");
      control.setAttribute("aria-describedby", error.id);
      first = first || control;
    });
    if (first) first.focus();
  }
  function clearForm(form) {
    form.querySelectorAll("input:not([type=hidden]), textarea").forEach((el) => { el.value = ""; });
    form.querySelectorAll("select").forEach((el) => {
      Array.from(el.options).forEach((option) => { option.selected = false; });
      if (!el.multiple) el.selectedIndex = 0;
    });
    form.elements.client_id.value = Live.newClientId();
  }
  function payloadOf(form) {
    const data = {};
    new FormData(form).forEach((value, key) => {
      if (key === "csrf_token") return;
      if (key === "answered_need_ids") (data[key] = data[key] || []).push(value);
      else data[key] = value;
    });
    return data;
  }
  function fillForm(form, payload) {
    clearForm(form);
    Object.entries(payload).forEach(([name, value]) => {
      const control = form.elements[name];
      if (!control || name === "kind") return;
      if (control.multiple) {
        const values = [].concat(value).map(String);
        Array.from(control.options).forEach((o) => { o.selected = values.includes(o.value); });
      } else {
        control.value = value;
      }
    });
  }

  /* Sending goes through the outbox (static/js/outbox.js): kept in localStorage first,
   * resent until acknowledged, also after a reload. The form waits for the first answer
   * while the socket is up; offline, it is cleared at once (the item waits in the outbox). */
  const outboxStatus = document.getElementById("outbox-status");
  const formOf = (entry) => forms.find((f) => f.dataset.kind === entry.payload.kind);
  const waiting = (form, entry) => form && form.dataset.waiting === entry.id;
  function release(form) {
    delete form.dataset.waiting;
    form.querySelector("button[type=submit]").disabled = false;
  }
  function showPending(entries, ack) {
    if (!outboxStatus) return;
    const n = entries.length;
    outboxStatus.hidden = n === 0;
    const text = (n === 1 ? strings.pending_one : strings.pending_other) || "";
    outboxStatus.textContent = n ? text.replace("{n}", String(n)) +
      (ack && ack.error ? " " + ack.error : "") : "";
  }
  const outbox = window.Outbox.open({
    workshopId: config.workshop_id,
    socket: socket,
    ackTimeoutMs: ACK_TIMEOUT_MS,
    onChange: (entries) => showPending(entries),
    onSent(entry, ack) {
      const form = formOf(entry);
      if (waiting(form, entry)) { release(form); clearErrors(form); clearForm(form); }
      if (form) say(form, strings.sent, false);
      document.dispatchEvent(new CustomEvent("contribution-acked", { detail: { entry, ack } }));
    },
    onRefused(entry, ack) {
      const form = formOf(entry);
      if (!form) return;
      if (waiting(form, entry)) release(form);
      else { fillForm(form, entry.payload); if (buttons.length) showKind(form.dataset.kind); }
      clearErrors(form);
      say(form, "", false);
      showErrors(form, ack);
    },
    onRetry(entry, ack) {
      const form = formOf(entry);
      if (waiting(form, entry)) { release(form); clearForm(form); }
      if (form) say(form, strings.queued, false);
      showPending(outbox.entries(), ack);
    },
  });

  forms.forEach((form) => {
    form.elements.client_id.value = Live.newClientId();
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const payload = payloadOf(form);
      const size = new TextEncoder().encode(JSON.stringify(payload)).length;
      clearErrors(form);
      if (size > config.max_payload_bytes) { say(form, strings.too_big, true); return; }
      if (!payload.client_id) payload.client_id = Live.newClientId();
      if (socket.connected) {
        form.dataset.waiting = payload.client_id;
        form.querySelector("button[type=submit]").disabled = true;
        say(form, strings.sending, false);
      } else {
        clearForm(form);
        say(form, strings.queued, false);
      }
      outbox.add(payload);
    });
  });
})();
