/* Shared live helpers for the participant page and the board.
 * User text only ever goes through textContent: never innerHTML with data.
 * Strings and labels come translated from the server in <script id="live-config">. */
(function () {
  "use strict";

  // Which serialized keys are shown under the description, per kind (mirrors
  // templates/participant/_contribution.html). [key, label map or null]
  const DETAILS = {
    initiative: [["ess_family"], ["activity_sector"], ["commune"], ["stage", "stage"]],
    need: [["need_category"], ["actor_type"], ["urgency", "urgency"]],
    recommendation: [["stake"], ["responsible_party"], ["horizon", "horizon"]],
  };

  /** The page's JSON configuration, or null when the page has none. */
  function readConfig() {
    const element = document.getElementById("live-config");
    return element ? JSON.parse(element.textContent) : null;
  }

  /** A translated enum label from the page (its language), else the server's label. */
  function label(config, field, value, fallback) {
    const labels = (config.labels || {})[field] || {};
    return labels[value] || fallback || value || "";
  }

  /** createElement + className + textContent. */
  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /** The <li class="contribution"> of a serialized contribution. */
  function renderContribution(config, item, showKind) {
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

  /** Prepend an item to a list unless it is already there; true when added. */
  function prependOnce(list, node) {
    if (list.querySelector('[data-id="' + node.dataset.id + '"]')) return false;
    list.prepend(node);
    return true;
  }

  /* Other scripts of the page (votes.js, presence.js…) add handlers with Live.on and get
   * the socket with Live.onSocket; connect() merges them with the page's own handlers. */
  const extraHandlers = {};
  const socketWatchers = [];
  function on(event, handler) { (extraHandlers[event] = extraHandlers[event] || []).push(handler); }
  function onSocket(watcher) { socketWatchers.push(watcher); }
  function withExtras(handlers) {
    const merged = Object.assign({}, handlers);
    Object.entries(extraHandlers).forEach(([event, list]) => {
      const own = handlers[event];
      merged[event] = (data) => { if (own) own(data); list.forEach((fn) => fn(data)); };
    });
    return merged;
  }

  /** Open the /live socket for this page; null when the socket.io client is missing. */
  function connect(config, pageHandlers) {
    if (typeof window.io !== "function") return null;
    const handlers = withExtras(pageHandlers);
    const auth = { workshop_id: config.workshop_id };
    if (config.role === "board") auth.role = "board";
    const socket = window.io(config.namespace, { auth: auth });
    const status = document.getElementById("live-status");
    const strings = config.strings || {};
    const say = (text) => { if (status) status.textContent = text || ""; };
    socket.on("connect", () => say(strings.connected));
    socket.on("disconnect", () => say(strings.offline));
    socket.on("connect_error", (error) => {
      // Refused by the server (not a network failure): socket.io will not retry.
      say(socket.active ? strings.offline : (error && error.message) || strings.offline);
    });
    Object.keys(handlers).forEach((event) => socket.on(event, handlers[event]));
    socketWatchers.forEach((watcher) => watcher(socket, config));
    return socket;
  }

  /** A client-generated contribution id (crypto.randomUUID or a fallback). */
  function newClientId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    const bytes = new Uint8Array(16);
    if (window.crypto && window.crypto.getRandomValues) {
      window.crypto.getRandomValues(bytes);
    } else {
      for (let i = 0; i < bytes.length; i += 1) bytes[i] = Math.floor(Math.random() * 256);
    }
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  window.Live = {
    readConfig, renderContribution, prependOnce, connect, newClientId, element, on, onSocket,
  };
})();
