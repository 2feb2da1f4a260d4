// The device's copy of the workspace in IndexedDB (the C++ side is
// src/platform/web_page_store.cpp; what the bytes mean is src/store/vault.h).
// Database "crm", object stores "meta" (key "meta": the vault's JSON; key "writer": the
// token of the tab allowed to write) and "pages" (key: page number, value: a sealed
// page). Every commit of the app is one
// readwrite transaction holding its changed pages and the new meta record: IndexedDB
// applies all of it or none. Batches are written strictly in order; a failed batch
// (quota exceeded, storage error) stays first in the queue and is retried, so nothing
// after it can land before it and nothing is dropped.
'use strict';
window.crmStore = (function () {
  const DB_NAME = 'crm';
  let db = null;
  const queue = [];          // batches waiting: { meta, seq, pages: [[n, Uint8Array]], pageCount }
  let writing = false;
  let retryDelay = 1000;
  let retryTimer = 0;
  let lastError = '';
  let savedSeq = 0;          // the commit sequence of the last batch on disk
  let onStatus = () => {};   // (state: 'saved' | 'saving' | 'error', errorName, savedSeq)
  let stopped = false;       // another tab took over: this one must never write again
  let onLost = () => {};
  let token = '';            // this tab's claim to write (see claim())
  let storedPageCount = Infinity;  // pages beyond it are deleted by a commit that shrinks the file
  let idleWaiters = [];      // flushed() promises, resolved when the queue is empty

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

  // Everything stored, read before the app starts: { meta: string|null, pages: [[n, bytes]] },
  // in one readonly transaction, so meta and pages are one consistent copy. The pages come
  // in slices of PAGES_PER_READ, each request made from the last one's answer (which keeps
  // the transaction alive), with onProgress(read, total) after each: a 100k-customer
  // workspace has ~100k pages, and the page can repaint its progress bar between slices.
  const PAGES_PER_READ = 4000;
  async function load(onProgress = () => {}) {
    const d = await open();
    const tx = d.transaction(['meta', 'pages'], 'readonly');
    const store = tx.objectStore('pages');
    const [meta, total] = await Promise.all([request(tx.objectStore('meta').get('meta')), request(store.count())]);
    const pages = [];
    onProgress(0, total);
    for (let from = 0; ;) {
      const range = IDBKeyRange.lowerBound(from);
      const [keys, values] = await Promise.all([
        request(store.getAllKeys(range, PAGES_PER_READ)),
        request(store.getAll(range, PAGES_PER_READ)),
      ]);
      for (let i = 0; i < keys.length; i++) pages.push([keys[i], new Uint8Array(values[i])]);
      onProgress(pages.length, Math.max(total, pages.length));
      if (keys.length < PAGES_PER_READ) break;
      from = keys[keys.length - 1] + 1;
    }
    return { meta: meta === undefined ? null : meta, pages };
  }

  function report() {
    if (lastError) onStatus('error', lastError, savedSeq);
    else onStatus(queue.length || writing ? 'saving' : 'saved', '', savedSeq);
    if (!queue.length && !writing) { idleWaiters.forEach((w) => w()); idleWaiters = []; }
  }

  // This tab becomes the one that writes: its random token goes into the database, and
  // every later write checks it inside its own transaction. A tab that was taken over
  // finds another token there and stops, even when it has not heard about the takeover
  // yet: IndexedDB runs readwrite transactions on the same store one after another, so
  // no write of the old tab can land after the new tab's claim.
  async function claim() {
    const d = await open();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    token = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    await new Promise((resolve, reject) => {
      const tx = d.transaction('meta', 'readwrite', { durability: 'strict' });
      tx.objectStore('meta').put(token, 'writer');
      tx.oncomplete = () => resolve();
      tx.onabort = tx.onerror = () => reject(tx.error || new Error('transaction aborted'));
    });
  }

  function lost() {
    if (stopped) return;
    stopped = true;
    onLost();
  }

  function writeOne(batch) {
    return new Promise((resolve, reject) => {
      // Strict durability: "saved" then means on disk, not only in the browser's cache.
      const tx = db.transaction(['meta', 'pages'], 'readwrite', { durability: 'strict' });
      const meta = tx.objectStore('meta');
      let failure = null;  // an exception thrown by put() itself (quota, data clone)
      // The writer check and the writes go out together (no extra round trip): requests
      // run in order, and aborting from the check's callback undoes the writes after it.
      const writer = meta.get('writer');
      writer.onsuccess = () => { if (writer.result !== token) { lost(); tx.abort(); } };
      try {
        const pages = tx.objectStore('pages');
        for (const [n, bytes] of batch.pages) pages.put(bytes, n);
        if (batch.pageCount < storedPageCount) pages.delete(IDBKeyRange.lowerBound(batch.pageCount, true));
        meta.put(batch.meta, 'meta');
      } catch (e) {
        failure = e;
        tx.abort();
      }
      tx.oncomplete = () => { storedPageCount = batch.pageCount; resolve(); };
      tx.onabort = tx.onerror = () => reject(failure || tx.error || new Error('transaction aborted'));
    });
  }

  async function drain() {
    if (writing || stopped) return;
    writing = true;
    report();
    while (queue.length && !stopped) {
      try {
        await writeOne(queue[0]);
        savedSeq = queue.shift().seq;
        lastError = '';
        retryDelay = 1000;
      } catch (e) {
        if (stopped) break;
        lastError = (e && e.name) || 'UnknownError';
        console.warn('saving to IndexedDB failed, will retry:', lastError);
        writing = false;
        report();
        retryTimer = setTimeout(drain, retryDelay);
        retryDelay = Math.min(retryDelay * 2, 30000);
        return;
      }
      report();
      estimate();
    }
    writing = false;
    report();
  }

  // Called (through the C++ bridge) for every commit; copies the bytes out of wasm memory.
  function write(meta, pages, pageCount) {
    queue.push({ meta, seq: JSON.parse(meta).seq, pages, pageCount });
    drain();
  }

  // The user asked to retry a failed save now (e.g. after freeing space).
  function retryNow() {
    if (!lastError || writing) return;
    clearTimeout(retryTimer);
    retryDelay = 1000;
    drain();
  }

  // ---- storage: persistence, usage and quota ---------------------------------------------------
  let onEstimate = () => {};  // (usage, quota, persisted)
  let lastEstimate = 0;
  async function estimate(force) {
    if (!navigator.storage || !navigator.storage.estimate) return;
    if (!force && performance.now() - lastEstimate < 10000) return;  // cheap, but not per save
    lastEstimate = performance.now();
    const [e, persisted] = await Promise.all([navigator.storage.estimate(),
      navigator.storage.persisted ? navigator.storage.persisted() : false]);
    onEstimate(e.usage || 0, e.quota || 0, !!persisted);
  }
  // Asks the browser not to clear our data under storage pressure (granted silently by
  // Chromium for installed or often-used sites; Firefox asks the user).
  async function persist() {
    if (navigator.storage && navigator.storage.persist) {
      try { await navigator.storage.persist(); } catch (e) { /* not granted: backups matter more */ }
    }
    return estimate(true);
  }

  // ---- one writer across tabs (Web Locks) ----------------------------------------------------
  // Two tabs writing their own commits into one database would interleave pages of two
  // histories. The tab holding the lock "crm-writer" is the only one that starts the app;
  // another tab may take over, and the first then stops writing for good.
  function holdWriterLock(options, onLostLock) {
    onLost = onLostLock;
    if (!navigator.locks) return Promise.resolve(true);  // no Web Locks: the token still guards
    return new Promise((resolve) => {
      navigator.locks.request('crm-writer', options, (lock) => {
        if (!lock) { resolve(false); return undefined; }
        resolve(true);
        return new Promise(() => {});  // held for the page's life
      }).catch(lost);  // stolen by another tab
    });
  }

  // Resolves when every batch queued so far is on disk (tests, benchmarks, before a reload).
  function flushed() {
    if (!queue.length && !writing) return Promise.resolve();
    return new Promise((resolve) => idleWaiters.push(resolve));
  }

  return {
    load, write, flushed, claim, holdWriterLock, retryNow, persist, estimate,
    isStopped: () => stopped,
    pending: () => queue.length,
    setStatusListener(f) { onStatus = f; report(); },
    setEstimateListener(f) { onEstimate = f; },
  };
})();
