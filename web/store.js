// The device's copy of the workspace in IndexedDB (the C++ side is
// src/platform/web_page_store.cpp; what the bytes mean is src/store/vault.h).
// Database "crm", object stores "meta" (one record, key "meta": the vault's JSON) and
// "pages" (key: page number, value: a sealed page). Every commit of the app is one
// readwrite transaction holding its changed pages and the new meta record: IndexedDB
// applies all of it or none. Batches are written strictly in order; a failed batch
// (quota exceeded, storage error) stays first in the queue and is retried, so nothing
// after it can land before it and nothing is dropped.
'use strict';
window.crmStore = (function () {
  const DB_NAME = 'crm';
  let db = null;
  const queue = [];          // batches waiting: { meta, pages: [[n, Uint8Array]], pageCount }
  let writing = false;
  let retryDelay = 1000;
  let lastError = '';
  let onStatus = () => {};   // (state: 'saved' | 'saving' | 'error', errorName)
  let stopped = false;       // another tab took over: this one must never write again

  function request(req) {
    return new Promise((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  async function open() {
    if (db) return db;
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      req.result.createObjectStore('meta');
      req.result.createObjectStore('pages');
    };
    db = await request(req);
    return db;
  }

  // Everything stored, read before the app starts: { meta: string|null, pages: [[n, bytes]] }.
  async function load() {
    const d = await open();
    const tx = d.transaction(['meta', 'pages'], 'readonly');
    const [meta, keys, values] = await Promise.all([
      request(tx.objectStore('meta').get('meta')),
      request(tx.objectStore('pages').getAllKeys()),
      request(tx.objectStore('pages').getAll()),
    ]);
    return { meta: meta === undefined ? null : meta, pages: keys.map((k, i) => [k, new Uint8Array(values[i])]) };
  }

  function report() {
    if (lastError) onStatus('error', lastError);
    else onStatus(queue.length || writing ? 'saving' : 'saved', '');
  }

  function writeOne(batch) {
    return new Promise((resolve, reject) => {
      // Strict durability: "saved" then means on disk, not only in the browser's cache.
      const tx = db.transaction(['meta', 'pages'], 'readwrite', { durability: 'strict' });
      const pages = tx.objectStore('pages');
      for (const [n, bytes] of batch.pages) pages.put(bytes, n);
      pages.delete(IDBKeyRange.lowerBound(batch.pageCount, true));  // truncated away
      tx.objectStore('meta').put(batch.meta, 'meta');
      tx.oncomplete = () => resolve();
      tx.onabort = tx.onerror = () => reject(tx.error || new Error('transaction aborted'));
    });
  }

  async function drain() {
    if (writing || stopped) return;
    writing = true;
    report();
    while (queue.length && !stopped) {
      try {
        await writeOne(queue[0]);
        queue.shift();
        lastError = '';
        retryDelay = 1000;
      } catch (e) {
        lastError = (e && e.name) || 'UnknownError';
        console.warn('saving to IndexedDB failed, will retry:', lastError);
        writing = false;
        report();
        setTimeout(drain, retryDelay);
        retryDelay = Math.min(retryDelay * 2, 30000);
        return;
      }
      report();
    }
    writing = false;
    report();
  }

  // Called (through the C++ bridge) for every commit; copies the bytes out of wasm memory.
  function write(meta, pages, pageCount) {
    queue.push({ meta, pages, pageCount });
    drain();
  }

  // ---- one writer across tabs (Web Locks) ----------------------------------------------------
  // Two tabs writing their own commits into one database would interleave pages of two
  // histories. The tab holding the lock "crm-writer" is the only one that starts the app;
  // another tab may take over, and the first then stops writing for good.
  function holdWriterLock(options, onLost) {
    if (!navigator.locks) return Promise.resolve(true);  // no Web Locks: nothing to coordinate
    return new Promise((resolve) => {
      navigator.locks.request('crm-writer', options, (lock) => {
        if (!lock) { resolve(false); return undefined; }
        resolve(true);
        return new Promise(() => {});  // held for the page's life
      }).catch(() => { stopped = true; onLost(); });  // stolen by another tab
    });
  }

  // Resolves when every batch queued so far is on disk (tests, and before a reload).
  async function flushed() {
    while (queue.length || writing) await new Promise((r) => setTimeout(r, 20));
  }

  return { load, write, flushed, holdWriterLock, isStopped: () => stopped, setStatusListener(f) { onStatus = f; report(); }, pending: () => queue.length };
})();
