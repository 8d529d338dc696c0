/* Contribution cards and the lists that hold them, newest (highest id) first.
 * Labels come translated from the server in the page's config (config.labels). */

import { element } from "./dom.js";

// Which serialized keys are shown under the description, per kind (mirrors
// templates/participant/_contribution.html). [key, label map or none]
const DETAILS = {
  initiative: [["ess_family"], ["activity_sector"], ["commune"], ["stage", "stage"]],
  need: [["need_category"], ["actor_type"], ["urgency", "urgency"]],
  recommendation: [["stake"], ["responsible_party"], ["horizon", "horizon"]],
};

/** A translated enum label from the page (its language), else the server's label. */
export function label(config, field, value, fallback) {
  const labels = (config.labels || {})[field] || {};
  return labels[value] || fallback || value || "";
}

/** The <li class="contribution"> of a serialized contribution. */
export function renderContribution(config, item, showKind) {
  const strings = config.strings || {};
  const li = element("li", "contribution kind-" + item.kind);
  li.dataset.id = String(item.id);
  li.dataset.kind = item.kind;
  const meta = element("p", "contribution-meta");
  if (showKind) {
    meta.append(element("span", "contribution-kind",
      label(config, "kind", item.kind, item.kind_label)));
  }
  if (item.author) {
    meta.append(element("span", "contribution-author",
      (strings.author_prefix || "") + " " + item.author));
  }
  if (item.paper) { // typed from a paper card and imported by staff
    meta.append(element("span", "contribution-scribe", strings.paper_entry || ""));
  } else if (item.scribe) { // entered by a facilitator for someone without a device
    meta.append(element("span", "contribution-scribe", item.on_behalf_of
      ? (strings.scribe_prefix || "") + " " + item.on_behalf_of : strings.scribe_anonymous));
  }
  li.append(meta);
  if (item.name) li.append(element("p", "contribution-name", item.name));
  li.append(element("p", "contribution-description", item.description));
  const details = (DETAILS[item.kind] || [])
    .map(([key, field]) => (field && item[key]
      ? label(config, field, item[key], item[key + "_label"]) : item[key]))
    .filter(Boolean);
  if (details.length) li.append(element("p", "contribution-details", details.join(" · ")));
  return li;
}

/** Where an item goes among `ids` (newest first): before the first older one. */
export function positionFor(ids, id) {
  const index = ids.findIndex((other) => other < id);
  return index === -1 ? ids.length : index;
}

/** The card of item `id` in `list`, or null. */
export function findItem(list, id) {
  return list.querySelector('[data-id="' + id + '"]');
}

/** Put `node` in `list` at its place in id order (after the notices, which have no id). */
export function insertItem(list, node) {
  const cards = Array.from(list.children).filter((li) => li.dataset.id !== undefined);
  const index = positionFor(cards.map((li) => Number(li.dataset.id)), Number(node.dataset.id));
  list.insertBefore(node, cards[index] || null);
}

/** Add a new item's card unless the list shows it already; true when added. */
export function addItem(list, node) {
  if (findItem(list, node.dataset.id)) return false;
  insertItem(list, node);
  return true;
}

/** Show an item's new version: replace its card, or insert it when the list lacked it. */
export function replaceItem(list, node) {
  const old = findItem(list, node.dataset.id);
  if (old) old.replaceWith(node);
  else insertItem(list, node);
}

/** Remove item `id`'s card from the list, if there. */
export function removeItem(list, id) {
  const old = findItem(list, id);
  if (old) old.remove();
}

/** Show a moderated item's new version, or take it out when the room may not see it. */
export function updateItem(list, item, render) {
  if (item.status === "published" && !item.merged_into_id) replaceItem(list, render(item));
  else removeItem(list, item.id);
}
