/* Contribution forms sent over the socket (the phone's and the console's scribe forms). */

/** A client-generated contribution id (crypto.randomUUID or a fallback). */
export function newClientId() {
  const crypto = window.crypto;
  if (crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  if (crypto && crypto.getRandomValues) {
    crypto.getRandomValues(bytes);
  } else {
    for (let i = 0; i < bytes.length; i += 1) bytes[i] = Math.floor(Math.random() * 256);
  }
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Empty the form's fields and give it a fresh client_id for the next contribution. */
export function clearForm(form) {
  form.querySelectorAll("input:not([type=hidden]), textarea").forEach((el) => {
    el.value = "";
    el.dispatchEvent(new Event("input")); // its character counter (counter.js) follows
  });
  form.querySelectorAll("select").forEach((el) => {
    Array.from(el.options).forEach((option) => { option.selected = false; });
    if (!el.multiple) el.selectedIndex = 0;
  });
  form.elements.client_id.value = newClientId();
}
