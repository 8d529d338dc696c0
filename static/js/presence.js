/* Live presence: fills every #presence-count (board, facilitator console) with the number
 * of participants connected, from the server's ephemeral `presence` event. */

/** The handlers of the presence figure. */
export const presenceHandlers = {
  presence(data) {
    if (!data || typeof data.participants !== "number") return;
    document.querySelectorAll("#presence-count, [data-presence-count]").forEach((node) => {
      node.textContent = String(data.participants);
    });
  },
};
