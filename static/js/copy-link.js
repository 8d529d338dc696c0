/* "Copier le lien" on the one-time account link page: the clipboard, else a selection. */

const button = document.getElementById("copy-link");
const input = button && document.getElementById(button.dataset.target);
const status = document.getElementById("copy-status");

async function copy() {
  input.focus();
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
    status.textContent = button.dataset.copied;
  } catch {
    // No clipboard access (plain HTTP, an old browser): the link stays selected.
    status.textContent = document.execCommand && document.execCommand("copy")
      ? button.dataset.copied : button.dataset.failed;
  }
  button.focus();
}

if (button && input && status) button.addEventListener("click", copy);
