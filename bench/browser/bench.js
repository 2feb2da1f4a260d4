// Runs in the benchmark page: for each database, restore it into IndexedDB, time reading
// it back + unlocking + opening, then time single edits until IndexedDB says "complete",
// then the whole-database approach on the same data. Prints RESULT lines on the console.
'use strict';
window.runBench = async function (cases) {
  const M = await createBenchModule();
  const cstr = (s) => { const n = M.lengthBytesUTF8(s) + 1; const p = M._malloc(n); M.stringToUTF8(s, p, n); return p; };
  M.crmHost = { storeWrite: (meta, pages, pageCount) => window.crmStore.write(meta, pages, pageCount) };
  await window.crmStore.claim();
  const result = (metric, value, unit) => console.log(`RESULT vault ${metric} ${value.toFixed(3)} ${unit}`);
  const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p / 100 * s.length) - 1))]; };
  const whole = await new Promise((resolve, reject) => {
    const req = indexedDB.open('crm-bench-whole', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('whole');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });

  for (const c of cases) {
    const bytes = new Uint8Array(await (await fetch(c.file)).arrayBuffer());
    const ptr = M._malloc(bytes.length);
    M.HEAPU8.set(bytes, ptr);
    if (M._bench_restore(ptr, bytes.length) !== 0) throw new Error('restore failed: ' + c.file);
    await window.crmStore.flushed();

    // Open: read every record from IndexedDB, hand it over, unlock (Argon2id for a
    // passphrase), check and decrypt every page, open SQLite and the workspace.
    const opens = [];
    for (let i = 0; i < (c.opens || 1); i++) {
      await window.crmStore.flushed();  // an earlier open may have migrated and saved the database
      const t = performance.now();
      const stored = await window.crmStore.load();
      M._crm_store_preload_meta(cstr(stored.meta));
      for (const [n, page] of stored.pages) {
        const p = M._malloc(page.length);
        M.HEAPU8.set(page, p);
        M._crm_store_preload_page(n, p, page.length);
      }
      if (M._bench_open(cstr(c.secret)) !== 0) throw new Error('open failed: ' + c.file);
      opens.push(performance.now() - t);
    }
    // With a passphrase this is the "unlock and open" figure bench_vault measures natively.
    result(c.secret ? 'unlock_open_p50' : `open_${c.label}_p50`, pct(opens, 50), 'ms');
    result(c.secret ? 'unlock_open_db_size' : `db_size_${c.label}`, bytes.length / 1048576, 'MiB');
    if (!c.edits) continue;

    // One edit at a time, each timed until its IndexedDB transaction completed.
    // Also the part spent in wasm (SQLite commit, sealing, handing the pages to store.js).
    const saves = [], cpu = [];
    for (let i = 0; i < c.edits; i++) {
      const t = performance.now();
      if (M._bench_edit(i) !== 0) throw new Error('edit failed');
      cpu.push(performance.now() - t);
      await window.crmStore.flushed();
      saves.push(performance.now() - t);
    }
    result(`save_edit_${c.label}_p50`, pct(saves, 50), 'ms');
    result(`save_edit_${c.label}_p99`, pct(saves, 99), 'ms');
    result(`save_edit_${c.label}_wasm_p50`, pct(cpu, 50), 'ms');

    // The same save the sql.js way: serialize, encrypt, write the whole image. Chromium
    // refuses one value over ~128 MB, so a big image goes in 64 MB parts, one transaction.
    const wholes = [];
    try {
      const PART = 64 * 1048576;
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        const size = M._bench_whole_export();
        const at = M._bench_whole_data();
        await new Promise((resolve, reject) => {
          const tx = whole.transaction('whole', 'readwrite', { durability: 'strict' });
          for (let p = 0; p * PART < size; p++)
            tx.objectStore('whole').put(M.HEAPU8.slice(at + p * PART, at + Math.min(size, (p + 1) * PART)), p);
          tx.oncomplete = resolve;
          tx.onabort = tx.onerror = () => reject(tx.error);
        });
        wholes.push(performance.now() - t);
      }
      result(`whole_export_${c.label}_p50`, pct(wholes, 50), 'ms');
    } catch (e) {
      // Reported, not fatal: that the approach cannot cope at this size is the finding.
      console.error(`whole-database save at ${c.label} failed: ${e.name} ${e.message}`);
      continue;
    }
    result(`whole_vs_edit_${c.label}`, pct(wholes, 50) / pct(saves, 50), 'x');
  }
  return 'done';
};
