// The workspace lives on the device, encrypted, in IndexedDB: the first visit creates the
// demo workspace and saves it; a reload opens it from storage (not re-created); a stored
// page changed behind the app's back blocks the app with a clear message, and nothing is
// shown or saved over it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openApp, press, waitState, screenshot, reload, find, flipStoredByte } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

// Reads or rewrites IndexedDB from the page, as something outside the app would.
function storedPages(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const req = indexedDB.open('crm');
    req.onsuccess = () => {
      const tx = req.result.transaction(['meta', 'pages'], 'readonly');
      const keys = tx.objectStore('pages').getAllKeys();
      const meta = tx.objectStore('meta').get('meta');
      tx.oncomplete = () => { resolve({ pages: keys.result, meta: meta.result }); req.result.close(); };
      tx.onerror = () => reject(tx.error);
    };
    req.onerror = () => reject(req.error);
  }));
}

test('the first visit saves the demo workspace; a reload opens it from the device', async () => {
  const app = await openApp(browser, server.url, { view: 'desktop', lang: 'en' });
  const first = await waitState(app.page, (s) => s.save === 'saved' && s.customersTotal > 0, 30000);
  assert.equal(first.created, true, 'first visit creates the demo workspace');
  assert.equal(first.demo, true);
  await app.page.evaluate(() => window.crmStore.flushed());
  const stored = await storedPages(app.page);
  assert.ok(stored.pages.length > 50, `pages stored: ${stored.pages.length}`);
  const meta = JSON.parse(stored.meta);
  assert.ok(meta.seq >= 1 && meta.device_key, 'meta record: ' + stored.meta.slice(0, 120));
  assert.ok(!stored.meta.includes('有限公司'), 'no clear text in the meta record');

  await reload(app);
  const again = await waitState(app.page, (s) => s.save === 'saved' && s.customersTotal > 0);
  assert.equal(again.created, false, 'opened from storage, not created again');
  assert.equal(again.customersTotal, first.customersTotal);
  await press(app, 'Customers');
  await waitState(app.page, (s) => s.route === '#/customers' && s.customersShown === first.customersTotal);
  await screenshot(app, 'reopened');
  assert.deepEqual(app.errors, []);
  await app.context.close();
});

test('a stored page changed outside the app blocks it with a clear message and changes nothing', async () => {
  const app = await openApp(browser, server.url, { view: 'landscape', lang: 'zh-CN' });
  await waitState(app.page, (s) => s.save === 'saved' && s.customersTotal > 0, 30000);
  await app.page.evaluate(() => window.crmStore.flushed());
  // Flip one byte of page 3's ciphertext, as disk corruption or tampering would.
  await flipStoredByte(app.page, 3, 100);
  const before = await storedPages(app.page);
  await reload(app);
  const s = await waitState(app.page, (st) => st.blocked !== '');
  assert.equal(s.blocked, 'err.vault.tampered');
  assert.match(s.blockedMessage, /已损坏或被外部修改（page 3）/);
  await screenshot(app, 'tampered');
  const after = await storedPages(app.page);
  assert.equal(after.meta, before.meta, 'nothing was saved over the damaged workspace');
  assert.deepEqual(after.pages, before.pages);
  await app.context.close();
});

test('two tabs: one writer at a time; the second offers to take over and the first stops saving', async () => {
  const first = await openApp(browser, server.url, { view: 'desktop', lang: 'en' });
  await waitState(first.page, (s) => s.save === 'saved' && s.customersTotal > 0, 30000);
  const second = await first.context.newPage();   // same profile, same IndexedDB
  await second.goto(`${server.url}?lang=en`);
  const offer = second.locator('#other-tab button');
  await offer.waitFor({ state: 'visible' });
  assert.equal(await second.evaluate(() => window.crmStore.pending()), 0);
  await offer.click();                              // "Use it here"
  await second.waitForFunction(() => window.crm && window.crm.test, null, { timeout: 30000 });
  await second.evaluate(() => window.crm.test.ready);
  await first.page.locator('#taken-over').waitFor({ state: 'visible' });
  assert.equal(await first.page.evaluate(() => window.crmStore.isStopped()), true);
  const s = await second.evaluate(() => window.crm.test.state());
  assert.equal(s.created, false, 'the second tab opened the saved workspace');
  await first.page.screenshot({ path: 'build/artifacts/screenshots/taken-over-desktop.png' });
  await first.context.close();
});

// Puts one stored record back as it was earlier (a rollback), from outside the app.
function putRecord(page, store, key, value) {
  return page.evaluate(([store, key, value]) => new Promise((resolve, reject) => {
    const req = indexedDB.open('crm');
    req.onsuccess = () => {
      const tx = req.result.transaction(store, 'readwrite');
      tx.objectStore(store).put(store === 'pages' ? new Uint8Array(value) : value, key);
      tx.oncomplete = () => { req.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  }), [store, key, value]);
}
function getRecord(page, store, key) {
  return page.evaluate(([store, key]) => new Promise((resolve, reject) => {
    const req = indexedDB.open('crm');
    req.onsuccess = () => {
      const tx = req.result.transaction(store, 'readonly');
      const get = tx.objectStore(store).get(key);
      tx.oncomplete = () => { req.result.close(); resolve(store === 'pages' ? Array.from(new Uint8Array(get.result)) : get.result); };
      tx.onerror = () => reject(tx.error);
    };
  }), [store, key]);
}

test('a stored page rolled back to an earlier save is detected', async () => {
  const app = await openApp(browser, server.url, { view: 'desktop', lang: 'en' });
  await waitState(app.page, (s) => s.save === 'saved' && s.customersTotal > 0, 30000);
  await app.page.evaluate(() => window.crmStore.flushed());
  const earlier = await getRecord(app.page, 'pages', 1);   // page 1 changes with every commit
  await app.page.evaluate(() => window.crm.test.burst(1));
  await app.page.evaluate(() => window.crmStore.flushed());
  assert.notDeepEqual(await getRecord(app.page, 'pages', 1), earlier);
  await putRecord(app.page, 'pages', 1, earlier);
  const meta = await getRecord(app.page, 'meta', 'meta');
  await reload(app);
  const s = await waitState(app.page, (st) => st.blocked !== '');
  assert.equal(s.blocked, 'err.vault.rolled_back');
  assert.match(s.blockedMessage, /older than its last save/);
  await screenshot(app, 'rolled-back');
  assert.equal(await getRecord(app.page, 'meta', 'meta'), meta, 'nothing was saved over it');
  await app.context.close();
});

test('storage full: the user is told, the commits wait in order, and after Retry nothing is lost', async () => {
  const app = await openApp(browser, server.url, { view: 'landscape', lang: 'en' });
  await waitState(app.page, (s) => s.save === 'saved' && s.customersTotal > 0, 30000);
  await app.page.evaluate(() => window.crmStore.flushed());
  // The disk is full: every write of a page fails as Chromium fails it, QuotaExceededError.
  await app.page.evaluate(() => {
    window.realPut = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (value, key) {
      if (this.name === 'pages') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return window.realPut.call(this, value, key);
    };
  });
  await app.page.evaluate(() => window.crm.test.burst(3));
  const full = await waitState(app.page, (s) => s.save === 'error');
  assert.equal(full.saveError, 'QuotaExceededError');
  assert.equal(full.committedSeq - full.savedSeq, 3, 'three commits wait');
  await find(app.page, 'Retry now');
  await screenshot(app, 'storage-full');
  // Space comes back; the user taps Retry; every waiting commit lands, in order.
  await app.page.evaluate(() => { IDBObjectStore.prototype.put = window.realPut; });
  await press(app, 'Retry now');
  const saved = await waitState(app.page, (s) => s.save === 'saved' && s.savedSeq === full.committedSeq);
  await reload(app);
  const again = await waitState(app.page, (s) => s.save === 'saved' && s.customersTotal > 0);
  assert.equal(again.committedSeq, saved.committedSeq, 'every commit is on the device');
  assert.equal(await app.page.evaluate(() => window.crm.test.integrity()), 'ok');
  await app.context.close();
});

test('a tab that was taken over cannot write, even before it hears about the takeover', async () => {
  const app = await openApp(browser, server.url, { view: 'desktop', lang: 'en' });
  await waitState(app.page, (s) => s.save === 'saved' && s.customersTotal > 0, 30000);
  await app.page.evaluate(() => window.crmStore.flushed());
  // Another tab has claimed the database (its token is stored) but this tab's lock has
  // not been stolen yet: the moment a takeover races with a save.
  await putRecord(app.page, 'meta', 'writer', 'another-tab');
  const meta = await getRecord(app.page, 'meta', 'meta');
  const page1 = await getRecord(app.page, 'pages', 1);
  await app.page.evaluate(() => window.crm.test.burst(1));
  await app.page.locator('#taken-over').waitFor({ state: 'visible' });
  assert.equal(await app.page.evaluate(() => window.crmStore.isStopped()), true);
  assert.equal(await getRecord(app.page, 'meta', 'meta'), meta, 'the meta record was not written');
  assert.deepEqual(await getRecord(app.page, 'pages', 1), page1, 'no page was written');
  await app.context.close();
});

test('nearly full storage is said above every screen before it runs out; persistence is asked for', async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true });
  // What the browser would report on a nearly full tablet.
  await context.addInitScript(() => {
    navigator.storage.estimate = async () => ({ usage: 9.1e9, quota: 1e10 });
    navigator.storage.persist = async () => { window.persistAsked = true; return true; };
    navigator.storage.persisted = async () => window.persistAsked === true;
  });
  const page = await context.newPage();
  await page.goto(`${server.url}?lang=en`);
  await page.waitForFunction(() => window.crm && window.crm.test, null, { timeout: 30000 });
  await page.evaluate(() => window.crm.test.ready);
  const app = { page, context, errors: [], view: 'landscape', touch: true };
  const s = await waitState(page, (st) => st.storageQuota === 1e10 && st.persisted, 30000);
  assert.equal(s.storageWarning, 91);
  assert.equal(await page.evaluate(() => window.persistAsked), true);
  await screenshot(app, 'storage-nearly-full');
  await press(app, 'Settings');
  await waitState(page, (st) => st.route === '#/settings');
  await screenshot(app, 'storage-settings');
  await context.close();
});
