/* The console's items: the pending queue and one list per kind, newest first, each card
 * with its moderation actions and inline editors (edit, split, merge). */

import { attachCounters } from "./counter.js";
import { element as el, keepFocus, shortTitle } from "./dom.js";
import { insertItem, renderContribution } from "./items.js";

/** "n° %(id)s" with its values (the server's gettext placeholders). */
export function format(text, values) {
  return Object.entries(values).reduce((t, [k, v]) => t.replace("%(" + k + ")s", String(v)),
    text || "");
}

function button(text, handler, className, focusKey) {
  const node = el("button", className || "small", text);
  node.type = "button";
  node.addEventListener("click", handler);
  if (focusKey) node.dataset.focusKey = focusKey;
  return node;
}

/** The control of `node` that does what `focused` did (same action), else its first one. */
function sameAction(node, focused) {
  const action = Array.from(focused.classList).find((c) => c.startsWith("action-"));
  return (action && node.querySelector("." + action)) || node.querySelector("button");
}

/**
 * A labelled control. A text control with `max` gets a visible character counter
 * (counter.js, the words in `counter`: { template, over, near }) instead of maxlength,
 * which would cut a paste silently; the server refuses an over-long text.
 */
export function field(labelText, control, id, max, counter) {
  const wrap = el("div", "field");
  const lab = el("label", "", labelText);
  control.id = id;
  lab.htmlFor = id;
  wrap.append(lab, control);
  if (max && counter) {
    control.dataset.maxlength = String(max);
    const shown = el("p", "char-counter");
    shown.id = id + "-counter";
    shown.dataset.template = counter.template || "{count} / {max}";
    shown.dataset.overTemplate = counter.over || "+{excess}";
    shown.dataset.nearTemplate = counter.near || "{remaining}";
    const live = el("span", "char-counter-live");
    live.id = id + "-counter-live";
    live.setAttribute("aria-live", "polite");
    control.setAttribute("aria-describedby", shown.id);
    wrap.append(shown, live);
  }
  return wrap;
}

function textarea(name, value) {
  const node = el("textarea");
  node.name = name;
  node.rows = 3;
  node.value = value || "";
  return node;
}

/**
 * The console's item lists. `call(event, payload)` sends a facilitator action; `say(text,
 * isError)` shows a message. Returns upsert(item), clear(), recountPending().
 */
export function consoleItems(config, call, say) {
  const strings = config.strings || {};
  const actions = strings.actions || {};
  const items = new Map();
  const counter = strings.counter;
  const DESCRIPTION_MAX = 2000; // diagnostic.validation.MAX_DESCRIPTION
  const SHORT_MAX = 200; // an initiative's name, a refusal's reason

  /** The item's words in its buttons' names: "Masquer « Épicerie solidaire »". */
  function named(action, item) {
    return format(strings.action_named, { action: action,
      title: shortTitle(item.name || item.description) });
  }
  /**
   * An inline editor opened by `opener`: Escape or "Annuler" close it and give the focus
   * back to `opener`; once saved, the focus goes back to the opener's new version (the
   * form carries its focus key).
   */
  function editor(li, opener, build, submit, saveText) {
    const box = li.querySelector(".console-editor");
    box.replaceChildren();
    const form = el("form", "console-inline");
    form.dataset.focusKey = opener.dataset.focusKey;
    form.setAttribute("aria-label", opener.getAttribute("aria-label") || opener.textContent);
    build(form);
    const close = () => { box.replaceChildren(); opener.focus(); };
    const save = el("button", "primary small", saveText || actions.save);
    save.type = "submit";
    form.append(save, button(actions.cancel, close));
    form.addEventListener("submit", (event) => { event.preventDefault(); submit(form); });
    form.addEventListener("keydown", (event) => {
      if (event.key === "Escape") { event.preventDefault(); close(); }
    });
    box.append(form);
    attachCounters(box); // once in the page (counters are found by id); guards the form
    const first = form.querySelector("textarea, select, input");
    if (first) first.focus();
  }
  function openEdit(li, item, opener) {
    editor(li, opener, (form) => {
      if (item.kind === "initiative") {
        const name = el("input");
        name.name = "name";
        name.value = item.name || "";
        form.append(field(strings.edit_name, name, "edit-name-" + item.id, SHORT_MAX,
          counter));
      }
      form.append(field(strings.edit_description, textarea("description", item.description),
        "edit-description-" + item.id, DESCRIPTION_MAX, counter));
    }, (form) => {
      const fields = { description: form.elements.description.value };
      if (form.elements.name) fields.name = form.elements.name.value;
      call("edit", { id: item.id, fields: fields });
    });
  }
  function openSplit(li, item, opener) {
    editor(li, opener, (form) => {
      form.append(field(strings.split_first, textarea("part1", item.description),
        "split-1-" + item.id, DESCRIPTION_MAX, counter));
      form.append(field(strings.split_second, textarea("part2", ""), "split-2-" + item.id,
        DESCRIPTION_MAX, counter));
    }, (form) => call("split", { id: item.id,
      parts: [form.elements.part1.value, form.elements.part2.value] }));
  }
  function openMerge(li, item, opener) {
    const targets = Array.from(items.values()).filter((other) => other.id !== item.id
      && other.kind === item.kind && other.status === "published" && !other.merged_into_id);
    if (!targets.length) { say(strings.merge_none, true); return; }
    editor(li, opener, (form) => {
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
  /** Refusing a pending item asks for an optional short reason, which its author is told. */
  function openReject(li, item, opener) {
    editor(li, opener, (form) => {
      const reason = el("input");
      reason.name = "reason";
      reason.autocomplete = "off";
      form.append(field(strings.reject_reason, reason, "reject-reason-" + item.id, SHORT_MAX,
        counter));
    }, (form) => call("reject", { id: item.id, reason: form.elements.reason.value }),
    actions.reject_confirm);
  }
  function actionBar(li, item) {
    const bar = el("div", "console-actions");
    if (config.read_only) return bar; // archived: nothing to moderate
    // Focus keys: an action and the one that undoes it share theirs ("Masquer" and
    // "Rétablir", "Fusionner" and "Défusionner"), so the focus stays on the item's control.
    const keys = { hide: "visibility", restore: "visibility", unmerge: "merge" };
    const key = (name) => (keys[name] || name) + "-" + item.id;
    const withName = (node, name) => {
      node.setAttribute("aria-label", named(actions[name], item));
      return node;
    };
    const act = (name, payload) => withName(button(actions[name], () => call(name, payload),
      "small action-" + name, key(name)), name);
    const open = (name, opener) => withName(button(actions[name],
      (event) => opener(li, item, event.currentTarget), "small action-" + name, key(name)), name);
    if (item.merged_into_id) bar.append(act("unmerge", { id: item.id }));
    else if (item.status === "pending") {
      bar.append(act("approve", { id: item.id }), open("reject", openReject));
    } else if (item.status === "hidden") bar.append(act("restore", { id: item.id }));
    else bar.append(act("hide", { id: item.id }));
    if (!item.merged_into_id) {
      bar.append(open("edit", openEdit), open("split", openSplit));
      if (item.status === "published") bar.append(open("merge", openMerge));
    }
    return bar;
  }
  function render(item) {
    const li = renderContribution(config, item, false);
    li.classList.add("console-item", "status-" + item.status);
    li.dataset.status = item.status;
    const head = el("p", "console-item-head");
    head.append(el("span", "console-id", format(strings.item_number, { id: item.id })),
      item.refused ? el("span", "badge status-badge-refused", (strings.status || {}).refused)
        : el("span", "badge status-badge-" + item.status,
          (strings.status || {})[item.status] || item.status));
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
    if (item.refused && item.refusal_reason) {
      li.append(el("p", "refusal-reason", format(strings.refusal_reason,
        { reason: item.refusal_reason })));
    }
    li.append(el("p", "contribution-details", format(strings.supports,
      { n: item.supports, d: item.dots })));
    li.append(actionBar(li, item), el("div", "console-editor"));
    return li;
  }

  function listOf(item) {
    if (item.status === "pending") return document.getElementById("pending-list");
    return document.querySelector("#console-" + item.kind + " ul");
  }
  /** The pending count, and the "nothing pending" line when the queue is empty. */
  function recountPending() {
    const list = document.getElementById("pending-list");
    const count = list.querySelectorAll(".console-item").length;
    document.getElementById("pending-count").textContent = String(count);
    list.querySelectorAll(".console-empty").forEach((n) => n.remove());
    if (!count) list.append(el("li", "muted console-empty", strings.pending_empty));
  }
  /** Show an item's latest version in its list (it may move from the queue to a kind);
   * one its author withdrew leaves the console (nothing is left of it to moderate). */
  function upsert(item) {
    if (item.withdrawn) items.delete(item.id); else items.set(item.id, item);
    const old = Array.from(document.querySelectorAll('.console-item[data-id="' + item.id + '"]'));
    // Focus on a control of this item: it follows the item's new version (keepFocus);
    // when the item left its list (approved or refused from the queue), it goes to the
    // same action of the next item there, else the previous one, else the list's title.
    const focused = document.activeElement;
    const from = old.find((node) => node.contains(focused));
    const card = (node) => node && node.dataset.id !== undefined && node;
    const neighbour = from && (card(from.nextElementSibling) || card(from.previousElementSibling));
    const section = from && from.closest("section");
    keepFocus(() => {
      old.forEach((node) => node.remove());
      const list = item.withdrawn ? null : listOf(item);
      if (list) insertItem(list, render(item));
      recountPending();
    }, () => {
      const next = neighbour && document.contains(neighbour) && sameAction(neighbour, focused);
      if (next) { next.focus(); return; }
      const title = section && section.querySelector("h2");
      if (title) { title.tabIndex = -1; title.focus(); }
    });
  }
  function clear() {
    items.clear();
    document.querySelectorAll(".console-item").forEach((node) => node.remove());
  }

  return { upsert, clear, recountPending };
}
