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
  function handleAck(form, ack) {
    form.querySelector("button[type=submit]").disabled = false;
    clearErrors(form);
    if (ack && ack.ok) {
      clearForm(form);
      say(form, strings.sent, false);
    } else {
      say(form, "", false);
      showErrors(form, ack || { error: strings.timeout });
    }
  }
  function send(form, payload, attempt) {
    socket.timeout(ACK_TIMEOUT_MS).emit("submit_contribution", payload, (err, ack) => {
      if (!err) { handleAck(form, ack); return; }
      if (attempt === 0) {
        // Resend once with the same client_id: the server stores it at most once.
        const retry = () => send(form, payload, 1);
        if (socket.connected) retry(); else socket.once("connect", retry);
        return;
      }
      form.querySelector("button[type=submit]").disabled = false;
      say(form, strings.timeout, true);
    });
  }

  forms.forEach((form) => {
    form.elements.client_id.value = Live.newClientId();
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const payload = payloadOf(form);
      const size = new TextEncoder().encode(JSON.stringify(payload)).length;
      clearErrors(form);
      if (size > config.max_payload_bytes) { say(form, strings.too_big, true); return; }
      form.querySelector("button[type=submit]").disabled = true;
      say(form, strings.sending, false);
      send(form, payload, 0);
    });
  });
})();
