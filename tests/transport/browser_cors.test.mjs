// The 'http' and 'webdav' kinds as the app uses them: inside headless Chromium, from a page
// of another origin, so CORS (preflights for PUT/PROPFIND/LOCK, ETag and Lock-Token exposed)
// is exercised for real against serve.py and Apache on loopback. Runs the shared contract.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser } from '../e2e/harness.mjs';
import { cases } from './contract.mjs';
import { startContractPage } from '../servers/contract_page.mjs';
import { startServe } from '../servers/serve.mjs';
import { startWebdav } from '../servers/webdav.mjs';


// Runs a contract case in the page; fresh() asks node (freshConfig) for a new empty place.
async function runCase(page, name, kind) {
  await page.evaluate(async ({ caseName, k }) => {
    const { makeRemote } = await import('/sync_remote.js');
    const { cases: all } = await import('/contract.mjs');
    let config = null;
    await all[caseName](async (other) => {
      if (!other) config = await window.freshConfig(k);
      return makeRemote(config);
    });
  }, { caseName: name, k: kind });
}

describe('http and webdav kinds in Chromium, cross-origin', () => {
  let web; let dav; let davAuth; let browser; let page;
  const serves = [];
  let n = 0;
  before(async () => {
    [web, dav, davAuth] = await Promise.all([startContractPage('transports'), startWebdav(), startWebdav({ user: 'team', password: 'secret' })]);
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.exposeFunction('freshConfig', async (kind) => {
      if (kind === 'http') {
        const s = await startServe();
        serves.push(s);
        return { kind: 'http', url: s.url, token: 'test-token' };
      }
      const url = `${dav.url}c${++n}/`;
      assert.equal((await fetch(url, { method: 'MKCOL' })).status, 201);
      return { kind: 'webdav', url };
    });
    await page.goto(web.url);
  });
  after(async () => {
    await browser.close();
    await Promise.all([web.stop(), dav.stop(), davAuth.stop(), ...serves.map((s) => s.stop())]);
  });

  for (const kind of ['http', 'webdav']) {
    for (const name of Object.keys(cases)) test(`${kind}: ${name}`, () => runCase(page, name, kind));
  }

  test('webdav with Basic auth: the preflight passes without credentials, a wrong password is refused', async () => {
    const out = await page.evaluate(async (url) => {
      const { makeRemote } = await import('/sync_remote.js');
      const good = makeRemote({ kind: 'webdav', url, user: 'team', password: 'secret' });
      const etag = await good.putNew('t/heads/a', new TextEncoder().encode('head'));
      const got = await good.get('t/heads/a');
      const listed = await good.list('t/');
      const bad = makeRemote({ kind: 'webdav', url, user: 'team', password: 'nope' });
      const refused = await bad.get('t/heads/a').then(() => 'read', (e) => e.code);
      return { same: got.etag === etag && listed[0].etag === etag, refused };
    }, davAuth.url);
    assert.deepEqual(out, { same: true, refused: 'err.sync.remote_unauthorized' });
  });
});
