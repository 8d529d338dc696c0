/* The rules of the phone's outbox, as pure functions over its list of entries (no DOM, no
 * socket, no storage): an entry is {id: client_id, payload, queued_at, attempts, next_at?,
 * limited?}. static/js/outbox.js keeps the list in storage and sends it. */

export const MAX_BACKOFF_MS = 30000;

/** Entries read back from storage that can still be sent (a corrupt value is dropped). */
export function validEntries(list) {
  return Array.isArray(list) ? list.filter((e) => e && e.id && e.payload) : [];
}

/** The list with `payload` queued at the end, unless its client_id already waits. */
export function enqueue(entries, payload, now) {
  if (entries.some((e) => e.id === payload.client_id)) return entries;
  return entries.concat([{ id: payload.client_id, payload: payload, queued_at: now,
    attempts: 0 }]);
}

/** The entry to send now: the oldest one whose retry time has come, else undefined. */
export function nextDue(entries, now) {
  return entries.find((e) => !e.next_at || e.next_at <= now);
}

/** Wait before the next try: the server's retry_after, else exponential with jitter. */
export function backoff(attempts, ack, random = Math.random) {
  if (ack && ack.retry_after) return ack.retry_after * 1000;
  const base = Math.min(MAX_BACKOFF_MS, 1000 * Math.pow(2, Math.min(attempts, 5)));
  return base * (0.75 + random() * 0.5);
}

/**
 * The list after the answer to entry `id` (outcome from acks.ackOutcome): it leaves on
 * "ok" and on a definitive refusal (back to the person's form); on "retry" it stays, due
 * again after a backoff, and marked `limited` when the server set the delay.
 */
export function settle(entries, id, outcome, ack, now, random = Math.random) {
  if (outcome !== "retry") return entries.filter((e) => e.id !== id);
  return entries.map((e) => {
    if (e.id !== id) return e;
    const attempts = (e.attempts || 0) + 1;
    return { ...e, attempts: attempts, next_at: now + backoff(attempts, ack, random),
      limited: Boolean(ack && ack.retry_after) };
  });
}

/** A new connection: every entry not held back by a rate limit is due at once. */
export function dueOnReconnect(entries) {
  return entries.map((e) => (e.limited ? e : { ...e, next_at: 0 }));
}
