/* Numbered room events, applied once and in order. Pure: no DOM, no socket, no timer.
 *
 * Every room event carries a `seq`. A page shows an event only if it is the next one: an
 * older or repeated seq is dropped. A jump (seq > last + 1) usually means the missing
 * event is still on its way (several server processes each publish what they commit, and
 * one may be a little behind): the page holds what comes next and *waits* for it, a
 * bounded time the page's script measures (`wait`: start the timer). If the missing
 * numbers come, everything is shown in order; if the wait runs out (`gapExpired`), the
 * page asks the server for the whole state (`sync`) and holds what comes until it arrives.
 * Until the first `workshop_state` (or the `events_replay` of a reconnection) arrives,
 * events are held too. Each function takes an ordering state and returns a new one with
 * the events to hand to the page, in order, whether to start a wait, and whether to ask
 * for a sync. */

/** The ordering of a page that has seen nothing yet: events wait for the first state. */
export function initialOrder() {
  return { lastSeq: null, held: [], gap: null };
}

/**
 * Take one frame from the socket (`workshop_state`, `events_replay`, `events_batch` or one
 * room event). Returns { order, deliver: [[name, payload], ...], wait, sync }: `wait` asks
 * the page to (re)start its wait for missing numbers, then call `gapExpired`.
 */
export function receive(order, name, payload) {
  const run = begin(order);
  if (name === "workshop_state") {
    run.deliver.push([name, payload]);
    if (seqOf(payload) !== null) run.lastSeq = payload.seq;
    release(run, []);
  } else if (name === "events_replay") {
    release(run, eventsOf(payload));
  } else if (name === "events_batch") {
    // Several room events in one frame (a busy room): each goes through the same path.
    eventsOf(payload).forEach(([event, data]) => apply(run, event, data));
  } else {
    apply(run, name, payload);
  }
  return end(run);
}

/**
 * The wait for missing numbers ran out: ask for the whole state, holding what came since
 * the gap. Nothing to do if the gap has closed meanwhile.
 */
export function gapExpired(order) {
  if (!order.gap) return { order, deliver: [], wait: false, sync: false };
  return { order: { lastSeq: order.lastSeq, held: order.gap.slice(), gap: null }, deliver: [],
    wait: false, sync: true };
}

/** A sync is on its way: hold what comes until its state (or its failure). */
export function awaitSync(order) {
  return { lastSeq: order.lastSeq, held: (order.held || []).concat(order.gap || []),
    gap: null };
}

/**
 * The sync brought no fresh state (refused, rate limited or timed out): show what was
 * held from its first numbered event on. Returns { order, deliver, wait, sync } like receive.
 */
export function syncFailed(order) {
  const run = begin(order);
  const queued = (run.held || []).concat(run.gap || []);
  run.held = null;
  run.gap = null;
  const first = queued.find(([, data]) => seqOf(data) !== null);
  if (first) run.lastSeq = first[1].seq - 1;
  queued.forEach(([event, data]) => apply(run, event, data));
  return end(run);
}

/** The socket dropped: the next connection starts with a state or a replay. */
export function disconnected(order) {
  return { lastSeq: order.lastSeq, held: [], gap: null };
}

function seqOf(payload) {
  return payload && typeof payload.seq === "number" ? payload.seq : null;
}

function eventsOf(payload) {
  return ((payload && payload.events) || []).map((e) => [e.name, e.payload]);
}

function begin(order) {
  return { lastSeq: order.lastSeq, held: order.held ? order.held.slice() : null,
    gap: order.gap ? order.gap.slice() : null, deliver: [], wait: false, sync: false };
}

function end(run) {
  return { order: { lastSeq: run.lastSeq, held: run.held, gap: run.gap },
    deliver: run.deliver, wait: run.wait && run.gap !== null, sync: run.sync };
}

function apply(run, name, payload) {
  if (run.held) {
    run.held.push([name, payload]);
    return;
  }
  const seq = seqOf(payload);
  if (run.gap) { // waiting for lastSeq + 1: hold everything else, in arrival order
    if (seq === run.lastSeq + 1) {
      show(run, name, payload);
      const queued = run.gap;
      run.gap = null;
      queued.forEach(([event, data]) => apply(run, event, data));
    } else if (seq === null || seq > run.lastSeq) {
      run.gap.push([name, payload]);
    }
    return;
  }
  if (seq !== null && run.lastSeq !== null) {
    if (seq <= run.lastSeq) return; // already shown (in the state, or a replay overlap)
    if (seq > run.lastSeq + 1) { // missing numbers: wait a little for them
      run.gap = [[name, payload]];
      run.wait = true;
      return;
    }
  }
  show(run, name, payload);
}

function show(run, name, payload) {
  const seq = seqOf(payload);
  if (seq !== null) run.lastSeq = seq;
  run.deliver.push([name, payload]);
}

function release(run, first) {
  const queued = (run.held || []).concat(run.gap || []);
  run.held = null;
  run.gap = null;
  first.forEach(([name, payload]) => apply(run, name, payload));
  queued.forEach(([name, payload]) => apply(run, name, payload));
}
