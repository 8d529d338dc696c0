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
    if (item.scribe) { // entered by a facilitator for someone without a device
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

  /** Prepend an item to a list unless it is already there; true when added. */
  function prependOnce(list, node) {
    if (list.querySelector('[data-id="' + node.dataset.id + '"]')) return false;
    list.prepend(node);
    return true;
  }

  /* Other scripts of the page (votes.js, presence.js…) add handlers with Live.on and get
   * the socket with Live.onSocket; events go to the page's own handler, then to theirs. */
  const extraHandlers = {};
  const socketWatchers = [];
  function on(event, handler) { (extraHandlers[event] = extraHandlers[event] || []).push(handler); }
  function onSocket(watcher) { socketWatchers.push(watcher); }

  /**
   * Open the /live socket for this page; null when the socket.io client is missing.
   * Events that carry a `seq` are applied once and in order: the socket reconnects with
   * auth.last_seq and gets `events_replay` (the events it missed, applied through the same
   * handlers) instead of the whole `workshop_state`; an event after a gap (seq > last + 1)
   * asks the server for the whole state again (`sync`). A busy room sends several events
   * in one `events_batch` frame; they go through the same path one by one.
   */
  function connect(config, pageHandlers) {
    if (typeof window.io !== "function") return null;
    const strings = config.strings || {};
    const status = document.getElementById("live-status");
    const say = (text) => { if (status) status.textContent = text || ""; };
    let lastSeq = null; // seq of the last event shown; null until the first state
    let held = []; // events that wait for the state or replay they come after
    let connection = 0; // bumped on disconnect: a late sync answer is then stale
    const socket = window.io(config.namespace, {
      // A function: socket.io calls it again at each reconnection, with the current seq.
      auth: (send) => {
        const auth = { workshop_id: config.workshop_id };
        if (config.role && config.role !== "participant") auth.role = config.role;
        if (lastSeq !== null) auth.last_seq = lastSeq;
        send(auth);
      },
    });

    function dispatch(name, payload) {
      const own = pageHandlers[name];
      [own].concat(extraHandlers[name] || []).forEach((fn) => {
        if (!fn) return;
        try { fn(payload); } catch (error) { window.console.error(name, error); }
      });
    }
    function sync() {
      held = held || [];
      const asked = connection;
      socket.timeout(10000).emit("sync", null, (error, ack) => {
        if (asked !== connection || (!error && ack && ack.ok)) return; // state follows
        // No fresh state for now: show what came, and ask again a little later.
        const queued = held || [];
        held = null;
        if (queued.length) lastSeq = queued[0][1].seq - 1;
        queued.forEach(([name, payload]) => apply(name, payload));
        window.setTimeout(() => { if (socket.connected) sync(); },
          ((ack && ack.retry_after) || 5) * 1000);
      });
    }
    function apply(name, payload) {
      if (held) { held.push([name, payload]); return; }
      const seq = payload && typeof payload.seq === "number" ? payload.seq : null;
      if (seq !== null && lastSeq !== null) {
        if (seq <= lastSeq) return; // already shown (in the state, or a replay overlap)
        if (seq > lastSeq + 1) { // something was lost: redraw from a fresh state
          held = [[name, payload]];
          sync();
          return;
        }
      }
      if (seq !== null) lastSeq = seq;
      dispatch(name, payload);
    }
    function release(first) {
      const queued = held || [];
      held = null;
      first.forEach((e) => apply(e.name, e.payload));
      queued.forEach(([name, payload]) => apply(name, payload));
    }

    socket.onAny((name, payload) => {
      if (name === "workshop_state") {
        dispatch(name, payload);
        if (payload && typeof payload.seq === "number") lastSeq = payload.seq;
        release([]);
      } else if (name === "events_replay") {
        release((payload && payload.events) || []);
      } else if (name === "events_batch") {
        // Several room events in one frame (a busy room): each is applied in seq order.
        ((payload && payload.events) || []).forEach((e) => apply(e.name, e.payload));
      } else {
        apply(name, payload);
      }
    });
    socket.on("connect", () => say(strings.connected));
    socket.on("disconnect", () => {
      held = []; // the next connection starts with a state or a replay
      connection += 1;
      say(strings.offline);
    });
    socket.on("connect_error", (error) => {
      // Refused by the server (not a network failure): socket.io will not retry.
      say(socket.active ? strings.offline : (error && error.message) || strings.offline);
    });
    window.Live.socket = socket;
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
