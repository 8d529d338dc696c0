// Lists kept in localStorage, in memory when it fails.
import assert from "node:assert/strict";
import { test } from "node:test";

import { listStore } from "../../static/js/storage.js";

/** A Storage-like object; `failing` makes setItem throw (quota) or getItem too (disabled). */
function fakeStorage(failing = "") {
  const data = new Map();
  return {
    data,
    getItem(key) {
      if (failing === "all") throw new Error("SecurityError");
      return data.has(key) ? data.get(key) : null;
    },
    setItem(key, value) {
      if (failing) throw new Error("QuotaExceededError");
      data.set(key, String(value));
    },
    removeItem(key) { data.delete(key); },
  };
}

test("a list is written under its key, read back, and the key goes when it is empty", () => {
  const storage = fakeStorage();
  const store = listStore("k", undefined, storage);
  store.write([{ id: 1 }]);
  assert.equal(storage.data.get("k"), '[{"id":1}]');
  assert.deepEqual(listStore("k", undefined, storage).read(), [{ id: 1 }]);
  assert.deepEqual(store.update((list) => list.concat([{ id: 2 }])), [{ id: 1 }, { id: 2 }]);
  store.write([]);
  assert.equal(storage.data.has("k"), false);
});

test("what was stored goes through the clean function; corrupt JSON falls back to memory", () => {
  const storage = fakeStorage();
  storage.data.set("k", '[{"id":1},null]');
  assert.deepEqual(listStore("k", (list) => list.filter(Boolean), storage).read(), [{ id: 1 }]);
  storage.data.set("bad", "{not json");
  const store = listStore("bad", undefined, storage);
  assert.deepEqual(store.read(), []);
  store.write([{ id: 2 }]);
  assert.deepEqual(store.read(), [{ id: 2 }]);
  assert.equal(storage.data.get("bad"), "{not json");
});

test("a full storage keeps the list in memory for the page", () => {
  const storage = fakeStorage("quota");
  const store = listStore("k", undefined, storage);
  store.write([{ id: 1 }]);
  assert.deepEqual(store.read(), [{ id: 1 }]);
  assert.deepEqual(store.update((list) => list.concat([{ id: 2 }])), [{ id: 1 }, { id: 2 }]);
});

test("no storage at all (private mode, or none like here in Node) works in memory", () => {
  const store = listStore("k", undefined, fakeStorage("all"));
  store.write([{ id: 1 }]);
  assert.deepEqual(store.read(), [{ id: 1 }]);
  const none = listStore("k"); // globalThis.localStorage is undefined in Node
  none.update(() => [{ id: 3 }]);
  assert.deepEqual(none.read(), [{ id: 3 }]);
});
