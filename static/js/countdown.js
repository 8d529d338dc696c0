/* The phase timer shown on phones, the board and the console. */

const timers = new WeakMap();

/** "12:05" from a number of seconds (never negative). */
export function clock(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(s / 60);
  return minutes + ":" + String(s % 60).padStart(2, "0");
}

/**
 * Show in `element` the time left until `endsAt` (ISO), every second; with no end, show
 * labels.no_timer (or hide the element when it has data-hide-when-idle).
 * labels: {time_left, time_up, no_timer}.
 */
export function startCountdown(element, endsAt, labels) {
  if (!element) return;
  window.clearInterval(timers.get(element));
  if (!endsAt) {
    element.hidden = Boolean(element.dataset.hideWhenIdle);
    element.textContent = labels.no_timer || "";
    element.classList.remove("running", "over");
    return;
  }
  const end = Date.parse(endsAt);
  const tick = () => {
    const left = (end - Date.now()) / 1000;
    element.textContent = left > 0 ? (labels.time_left || "") + " " + clock(left)
      : labels.time_up || clock(0);
    element.classList.toggle("running", left > 0);
    element.classList.toggle("over", left <= 0);
    if (left <= 0) window.clearInterval(timers.get(element));
  };
  element.hidden = false;
  tick();
  timers.set(element, window.setInterval(tick, 1000));
}
