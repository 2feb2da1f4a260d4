// web/sync_remote.js kind 'folder' in headless Chromium, on the origin private file system
// (navigator.storage.getDirectory() is a real FileSystemDirectoryHandle): the shared contract
// run inside the page, two tabs writing at once, and the folder layout a person would see.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser } from '../e2e/harness.mjs';
import { cases } from './contract.mjs';
import { startContractPage } from '../servers/contract_page.mjs';


// Runs one contract case in the page, each fresh() on a new empty OPFS folder.
async function runCase(page, name) {
  await page.evaluate(async (caseName) => {
    const { makeRemote } = await import('/sync_remote.js');
    const { cases: all } = await import('/contract.mjs');
    const root = await navigator.storage.getDirectory();
    let handle = null;
    await all[caseName](async (other) => {
      if (!other) handle = await root.getDirectoryHandle(`case-${crypto.randomUUID()}`, { create: true });
      return makeRemote({ kind: 'folder', handle });
    });
  }, name);
}

describe('folder transport (OPFS in Chromium)', () => {
  let web; let browser; let context; let page;
  before(async () => {
    web = await startContractPage('folder transport');
    browser = await launchBrowser();
    context = await browser.newContext();
    page = await context.newPage();
    await page.goto(web.url);
  });
  after(async () => { await browser.close(); await web.stop(); });

  for (const name of Object.keys(cases)) test(name, () => runCase(page, name));

  test('two tabs put_if_match the same file at once: exactly one wins (Web Locks)', async () => {
    const other = await context.newPage();
    await other.goto(web.url);
    const setup = await page.evaluate(async () => {
      const { makeRemote } = await import('/sync_remote.js');
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('tabs', { create: true });
      return makeRemote({ kind: 'folder', handle: dir }).putNew('t/team', new TextEncoder().encode('v0'));
    });
    const race = (p, who) => p.evaluate(async ({ etag, who: w }) => {
      const { makeRemote } = await import('/sync_remote.js');
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('tabs');
      const r = makeRemote({ kind: 'folder', handle: dir });
      const out = await Promise.allSettled([1, 2, 3].map((i) => r.putIfMatch('t/team', new TextEncoder().encode(`${w}${i}`), etag)));
      return out.map((x) => (x.status === 'fulfilled' ? 'won' : x.reason.code));
    }, { etag: setup, who });
    const results = (await Promise.all([race(page, 'a'), race(other, 'b')])).flat();
    assert.deepEqual(results.filter((x) => x === 'won').length, 1, results.join());
    assert.deepEqual(results.filter((x) => x !== 'won'), Array(5).fill('err.sync.remote_conflict'));
    await other.close();
  });

  test('names are nested folders, as a person sees them; a missing file is remote_missing', async () => {
    const seen = await page.evaluate(async () => {
      const { makeRemote } = await import('/sync_remote.js');
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('layout', { create: true });
      const r = makeRemote({ kind: 'folder', handle: dir });
      await r.putNew('team1/seg/dev1/0000000001', new Uint8Array([1, 2, 3]));
      const seg = await (await (await dir.getDirectoryHandle('team1')).getDirectoryHandle('seg')).getDirectoryHandle('dev1');
      const file = await (await seg.getFileHandle('0000000001')).getFile();
      const missing = await r.get('team1/heads/dev1').then(() => 'found', (e) => e.code);
      const none = await r.list('team2/');
      return { size: file.size, missing, none };
    });
    assert.deepEqual(seen, { size: 3, missing: 'err.sync.remote_missing', none: [] });
  });
});
