/* The board's full-screen button (Fullscreen API): a plain button, so the keyboard can use
 * it; its label says what it does ("Plein écran" / "Quitter le plein écran"). Browsers
 * without the API, or a page that may not go full screen, keep it hidden. */

/** Wire #fullscreen-button; strings: {enter, exit}. */
export function startFullscreen(strings) {
  const button = document.getElementById("fullscreen-button");
  if (!button || !document.fullscreenEnabled) return;
  const label = () => {
    const full = Boolean(document.fullscreenElement);
    button.textContent = full ? strings.exit : strings.enter;
    document.body.classList.toggle("is-fullscreen", full);
  };
  button.addEventListener("click", () => {
    const done = document.fullscreenElement ? document.exitFullscreen()
      : document.documentElement.requestFullscreen();
    done.catch(() => {}); // refused (no user gesture, a policy): nothing changes
  });
  document.addEventListener("fullscreenchange", label);
  label();
  button.hidden = false;
}
