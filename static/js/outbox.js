/* The phone's outbox: contributions wait in localStorage until the server acknowledges them.
 *
 * An item is stored BEFORE it is sent, with its client_id, so neither a lost connection, a
 * server restart nor a page reload loses it; the server stores each client_id once and
 * acknowledges a resend as success, so sending again is always safe. An item leaves the
 * outbox on {"ok": true}, or on a definitive refusal ({"ok": false} without retry_after:
 * invalid fields, closed workshop), which goes back to the person's form. No ack,
 * a dropped socket, a rate limit or a server error ({"ok": false, "retry_after": s})
 * keep it for a later try: on every (re)connection, periodically with backoff, and after
 * a reload (the outbox is read when the page loads). */
(function () {
  "use strict";

  const PREFIX = "diagnostic-outbox:";
  const TICK_MS = 2000;
  const MAX_BACKOFF_MS = 30000;

  /** A store of entries under one key: localStorage, or memory when it is unavailable. */
  function store(key) {
    let memory = [];
    let persistent = true;
    function read() {
      if (!persistent) return memory.slice();
      try {
        const list = JSON.parse(window.localStorage.getItem(key) || "[]");
        return Array.isArray(list) ? list.filter((e) => e && e.id && e.payload) : [];
      } catch (error) {
        persistent = false; // private mode, disabled storage, corrupt value
        return memory.slice();
      }
    }
    function write(list) {
      memory = list.slice();
      if (!persistent) return;
      try {
        if (list.length) window.localStorage.setItem(key, JSON.stringify(list));
        else window.localStorage.removeItem(key);
      } catch (error) {
        persistent = false; // quota: keep going in memory for this page
      }
    }
    /** Read, change, write back: other tabs of the same phone share the key. */
    function update(change) {
      const list = read();
      const changed = change(list) || list;
      write(changed);
      return changed;
    }
    return { read, update };
  }

  /** Wait before the next try: the server's retry_after, else exponential with jitter. */
  function backoff(attempts, ack) {
    if (ack && ack.retry_after) return ack.retry_after * 1000;
    const base = Math.min(MAX_BACKOFF_MS, 1000 * Math.pow(2, Math.min(attempts, 5)));
    return base * (0.75 + Math.random() * 0.5);
  }

  /**
   * Open the outbox of one workshop on a connected socket.io socket.
   * options: workshopId, socket, event ("submit_contribution"), ackTimeoutMs, and callbacks
   * onSent(entry, ack), onRefused(entry, ack), onRetry(entry, ack|null), onChange(entries).
   */
  function open(options) {
    const socket = options.socket;
    const event = options.event || "submit_contribution";
    const timeoutMs = options.ackTimeoutMs || 10000;
    const entries = store(PREFIX + options.workshopId);
    const call = (name, ...args) => { if (options[name]) options[name](...args); };
    let inFlight = null; // client_id awaiting its ack
    let generation = 0; // bumped on disconnect: acks of an older connection are stale

    function changed() { call("onChange", entries.read()); }

    function remove(id) {
      entries.update((list) => list.filter((e) => e.id !== id));
      changed();
    }

    function postpone(entry, ack) {
      entries.update((list) => {
        const found = list.find((e) => e.id === entry.id);
        if (found) {
          found.attempts = (found.attempts || 0) + 1;
          found.next_at = Date.now() + backoff(found.attempts, ack);
          found.limited = Boolean(ack && ack.retry_after);
        }
      });
      call("onRetry", entry, ack);
      changed();
    }

    /** Send the next due entry (one at a time, oldest first) if the socket is up. */
    function flush() {
      if (inFlight || !socket.connected) return;
      const now = Date.now();
      const entry = entries.read().find((e) => !e.next_at || e.next_at <= now);
      if (!entry) return;
      inFlight = entry.id;
      const sentIn = generation;
      socket.timeout(timeoutMs).emit(event, entry.payload, (error, ack) => {
        const current = sentIn === generation;
        if (current) inFlight = null;
        if (!error && ack && ack.ok) {
          remove(entry.id);
          call("onSent", entry, ack);
        } else if (!current) {
          return; // that connection is gone; the entry is resent on the new one
        } else if (error || !ack || ack.retry_after) {
          postpone(entry, error ? null : ack);
        } else {
          remove(entry.id); // a definitive refusal: nothing stored, back to the person
          call("onRefused", entry, ack);
        }
        if (current) flush();
      });
    }

    /** Keep a payload (it must carry its client_id), then try to send it. */
    function add(payload) {
      const entry = { id: payload.client_id, payload: payload, queued_at: Date.now(),
        attempts: 0 };
      entries.update((list) => {
        if (!list.some((e) => e.id === entry.id)) list.push(entry);
      });
      changed();
      flush();
      return entry;
    }

    socket.on("connect", () => {
      // A new connection: everything not held back by a rate limit is due now.
      entries.update((list) => list.forEach((e) => { if (!e.limited) e.next_at = 0; }));
      flush();
    });
    socket.on("disconnect", () => {
      generation += 1;
      inFlight = null;
    });
    window.addEventListener("online", flush);
    window.setInterval(flush, TICK_MS);
    changed();
    return { add, flush, entries: () => entries.read() };
  }

  window.Outbox = { open };
})();
