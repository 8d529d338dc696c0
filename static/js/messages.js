/* The phone's messages (a form's confirmation, a vote's refusal, news of one's own
 * contribution) and when they stop being true. Each message has a slot (its live region on
 * the page). A message is stale, and cleared, once the participant acts again, the phase
 * changes, or the workshop opens or closes; once it is closed, a message it makes
 * irrelevant (a vote refused, a form's confirmation) is not shown at all. messageStep() is
 * the rule, pure; phoneMessages() applies it to the page's regions. */

// Slots still worth showing in a closed workshop: what became of one's own contribution.
export const KEPT_WHEN_CLOSED = new Set(["notice"]);

/** The messages of a page that shows nothing yet, for `workshop` ({phase, status}). */
export function initialMessages(workshop) {
  return {
    phase: (workshop && workshop.phase) || null,
    status: (workshop && workshop.status) || null,
    shown: {},
  };
}

/**
 * Apply one event to the messages `state`:
 * - {type: "show", slot, text}: show `text` in `slot` ("" clears it);
 * - {type: "action"}: the participant acts again (a button, a form): everything clears;
 * - {type: "workshop", workshop}: news of the workshop; a new phase or status clears all.
 * Returns {state, changes: [[slot, text], ...]}, "" meaning "clear that slot".
 */
export function messageStep(state, event) {
  const shown = Object.assign({}, state.shown);
  const changes = [];
  const clearAll = () => {
    Object.keys(shown).forEach((slot) => { changes.push([slot, ""]); });
    Object.keys(shown).forEach((slot) => { delete shown[slot]; });
  };
  let { phase, status } = state;
  if (event.type === "show") {
    if (!event.text) {
      delete shown[event.slot];
      changes.push([event.slot, ""]);
    } else if (status !== "closed" || KEPT_WHEN_CLOSED.has(event.slot)) {
      shown[event.slot] = event.text;
      changes.push([event.slot, event.text]);
    }
  } else if (event.type === "action") {
    clearAll();
  } else if (event.type === "workshop" && event.workshop) {
    const next = event.workshop;
    const newPhase = next.phase || phase;
    const newStatus = next.status || status;
    if ((phase && newPhase !== phase) || (status && newStatus !== status)) clearAll();
    phase = newPhase;
    status = newStatus;
  }
  return { state: { phase, status, shown }, changes };
}

/**
 * The page's messages for `workshop` (its initial {phase, status}). register(slot,
 * render, current) names the function that draws a slot (`render(text, isError)`) and the
 * text it shows already (server-rendered); then show(slot, text, isError), action() and
 * workshop(data) follow messageStep's rules.
 */
export function phoneMessages(workshop) {
  let state = initialMessages(workshop);
  const renders = {};
  const errors = {};

  function run(event) {
    const step = messageStep(state, event);
    state = step.state;
    step.changes.forEach(([slot, text]) => {
      if (renders[slot]) renders[slot](text, Boolean(text) && Boolean(errors[slot]));
    });
  }

  return {
    register(slot, render, current) {
      renders[slot] = render;
      if (current) state.shown[slot] = current;
    },
    show(slot, text, isError) {
      errors[slot] = Boolean(isError);
      run({ type: "show", slot: slot, text: text || "" });
    },
    action: () => run({ type: "action" }),
    workshop: (data) => run({ type: "workshop", workshop: data }),
    closed: () => state.status === "closed",
  };
}
