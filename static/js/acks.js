/* Emitting with an acknowledgement: every action of the pages (a contribution, a vote, a
 * facilitator's move, a sync) is answered by the server with {ok: true, ...} or
 * {ok: false, error, fields?, retry_after?}; no answer within the timeout is a failure. */

export const ACK_TIMEOUT_MS = 10000;

/**
 * What an answer means: "ok"; "retry" when there was none (timeout, dropped socket) or the
 * server asks to come back later (retry_after: rate limit, server error); else "refused".
 */
export function ackOutcome(error, ack) {
  if (!error && ack && ack.ok) return "ok";
  if (error || !ack || ack.retry_after) return "retry";
  return "refused";
}

/**
 * Emit `event` and call `answered({outcome, ack})` once: `ack` is the server's answer, or
 * null when none came within `timeoutMs`.
 */
export function emitWithAck(socket, event, payload, answered, timeoutMs = ACK_TIMEOUT_MS) {
  socket.timeout(timeoutMs).emit(event, payload, (error, ack) => {
    answered({ outcome: ackOutcome(error, ack), ack: error ? null : ack || null });
  });
}
