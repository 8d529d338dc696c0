/* Lists kept in the browser's localStorage across reloads, in memory when it is unavailable
 * (private mode, disabled storage, quota, a corrupt value): the page then keeps working and
 * only loses the list when it is closed. */

/**
 * A list stored under `key`; `clean(value)` turns what was stored into a valid list.
 * `storage` is the backing Storage (localStorage unless given).
 */
export function listStore(key, clean = (list) => (Array.isArray(list) ? list : []), storage) {
  let memory = [];
  let persistent = true;
  const backend = () => storage || globalThis.localStorage;

  /** The stored list (a fresh copy). */
  function read() {
    if (!persistent) return memory.slice();
    try {
      return clean(JSON.parse(backend().getItem(key) || "[]"));
    } catch (error) {
      persistent = false;
      return memory.slice();
    }
  }

  /** Replace the stored list; an empty list removes the key. */
  function write(list) {
    memory = list.slice();
    if (!persistent) return;
    try {
      if (list.length) backend().setItem(key, JSON.stringify(list));
      else backend().removeItem(key);
    } catch (error) {
      persistent = false; // quota: keep going in memory for this page
    }
  }

  /** Read, change, write back (other tabs of the same phone share the key). */
  function update(change) {
    const changed = change(read());
    write(changed);
    return changed;
  }

  return { read, write, update };
}
