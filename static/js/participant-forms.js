/* The phone's contribution forms over the socket: each submission goes through the outbox
 * (outbox.js: kept in local storage first, resent until acknowledged, also after a
 * reload). The form waits for the first answer while the socket is up; offline, it is
 * cleared at once (the item waits in the outbox). A refusal comes back into its form. */

import { element } from "./dom.js";
import { clearForm, newClientId } from "./forms.js";
import { openOutbox } from "./outbox.js";

/** Draw a form's status line (its live region). */
function drawStatus(form, text, isError) {
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

/** The refusal's message in the form's summary, each field's under it; focus the first. */
function showErrors(form, ack) {
  const summary = form.querySelector(".form-errors");
  summary.append(element("p", "error", ack.error));
  let first = null;
  Object.entries(ack.fields || {}).forEach(([name, message]) => {
    const field = form.querySelector('[data-field="' + name + '"]');
    if (!field) {
      summary.append(element("p", "error", message));
      return;
    }
    const control = field.querySelector("input, select, textarea");
    const error = element("p", "error", message);
    error.id = control.id + "-error";
    field.classList.add("has-error");
    field.append(error);
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", error.id);
    first = first || control;
  });
  if (first) first.focus();
}

/**
 * After "Envoyer" used from the keyboard, the focus goes to the form's first text field,
 * ready for the next contribution (the button is disabled while the answer is on its
 * way, which would drop the focus to the page). A tap leaves it: no keyboard pops up.
 */
function focusForNext(form, active) {
  const fromKeyboard = active && active.type === "submit" && form.contains(active)
    && active.matches(":focus-visible");
  if (!fromKeyboard) return;
  const field = form.querySelector("input:not([type=hidden]), textarea");
  if (field) field.focus();
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
      control.dispatchEvent(new Event("input")); // its character counter follows
    }
  });
}

/**
 * Send the page's `forms` through the outbox on `socket`. page: showKind(kind) opens a
 * kind's form, hasSwitcher tells whether there are several, messages (messages.js) shows
 * each form's status line until it goes stale.
 */
export function sendForms(config, socket, forms, page) {
  const strings = config.strings || {};
  const slotOf = (form) => "form-" + form.dataset.kind;
  forms.forEach((form) => {
    page.messages.register(slotOf(form), (text, isError) => drawStatus(form, text, isError));
  });
  const say = (form, text, isError) => page.messages.show(slotOf(form), text, isError);
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
  const outbox = openOutbox({
    workshopId: config.workshop_id,
    socket: socket,
    onChange: (entries) => showPending(entries),
    onSent(entry, ack) {
      // Sent by this phone: the participant's own item, which they may not +1.
      if (ack && ack.id && !ack.withdrawn && page.markOwn) page.markOwn(ack.id);
      const form = formOf(entry);
      if (waiting(form, entry)) { release(form); clearErrors(form); clearForm(form); }
      // Held for approval, it is not "added": the room sees it once the animation approves.
      // A resend of an item withdrawn since: acknowledged, not stored again.
      const sent = ack && ack.withdrawn ? strings.withdrawn
        : ack && ack.pending ? strings.sent_pending : strings.sent;
      if (form) say(form, sent, false);
    },
    onRefused(entry, ack) {
      const form = formOf(entry);
      if (!form) return;
      if (waiting(form, entry)) release(form);
      else { fillForm(form, entry.payload); if (page.hasSwitcher) page.showKind(form.dataset.kind); }
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
    form.elements.client_id.value = newClientId();
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const payload = payloadOf(form);
      const size = new TextEncoder().encode(JSON.stringify(payload)).length;
      clearErrors(form);
      if (size > config.max_payload_bytes) { say(form, strings.too_big, true); return; }
      if (!payload.client_id) payload.client_id = newClientId();
      const active = document.activeElement;
      if (socket.connected) {
        form.dataset.waiting = payload.client_id;
        form.querySelector("button[type=submit]").disabled = true;
        say(form, strings.sending, false);
      } else {
        clearForm(form);
        say(form, strings.queued, false);
      }
      focusForNext(form, active);
      outbox.add(payload);
    });
  });
}
