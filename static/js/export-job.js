/* Export job page: while the document is being made, ask the page again every two
 * seconds and show the job's new state in place (the card is a polite live region), so
 * nothing reloads under the reader (no <meta http-equiv="refresh">: WCAG 2.2.1). Without
 * JavaScript the page has an "Actualiser" link. */

const INTERVAL_MS = 2000;

function statusOf(root) {
  const node = root.querySelector(".export-status");
  return node ? node.dataset.status : null;
}

async function poll() {
  const card = document.querySelector(".export-job");
  if (!card || statusOf(card) !== "running") return;
  try {
    const response = await fetch(window.location.href, { credentials: "same-origin" });
    if (response.ok) {
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.querySelector(".export-job");
      if (fresh && statusOf(fresh) !== statusOf(card)) {
        card.replaceChildren(...Array.from(fresh.childNodes, (n) => document.importNode(n, true)));
      }
    }
  } catch (error) {
    // The network is down for a moment: the next try will tell.
  }
  if (statusOf(card) === "running") setTimeout(poll, INTERVAL_MS);
}

setTimeout(poll, INTERVAL_MS);
