/* Small DOM helpers. User text only ever goes through textContent, never innerHTML. */

/** The JSON configuration the server wrote in <script type="application/json" id=...>. */
export function readJson(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

/** createElement + className + textContent. */
export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}
