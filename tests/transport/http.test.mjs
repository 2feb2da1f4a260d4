// web/sync_remote.js kind 'http' against serve.py on loopback: the shared contract, then the
// failures a tablet meets (server down, slow, 5xx, a portal's page, a cut-off answer, wrong
// token, quota, too large), injected by a proxy in front of the real server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeRemote } from '../../web/sync_remote.js';
import { cases } from './contract.mjs';
import { startServe } from '../servers/serve.mjs';
import { startFaultProxy } from '../servers/fault_proxy.mjs';
import { freePort } from '../servers/webdav.mjs';

const bytes = (s) => new TextEncoder().encode(s);

describe('http transport: contract', () => {
  const servers = [];
  after(() => Promise.all(servers.map((s) => s.stop())));
  for (const [name, run] of Object.entries(cases)) {
    test(name, async () => {
      let server = null;
      // fresh(): a new serve.py on an empty folder; fresh(other): one more client of it.
      await run(async (other) => {
        if (!other) { server = await startServe(); servers.push(server); }
        return makeRemote({ kind: 'http', url: server.url, token: 'test-token' });
      });
    });
  }
});

describe('http transport: failures', () => {
  let server; let proxy; let remote;
  before(async () => {
    server = await startServe({ maxFileMb: 1, quotaMb: 2 });
    proxy = await startFaultProxy(server.url);
    remote = makeRemote({ kind: 'http', url: proxy.url, token: 'test-token', timeoutMs: 1500 });
    await remote.putNew('t/heads/a', bytes('head'));
  });
  after(async () => { await proxy.stop(); await server.stop(); });

  const expectCode = async (promise, code) => {
    const e = await promise.then(() => null, (err) => err);
    assert.ok(e, `expected ${code}, but it succeeded`);
    assert.equal(e.code, code, `${e.code}: ${e.detail}`);
    assert.equal(typeof e.detail, 'string');
    return e;
  };

  test('a server that is down: remote_unavailable', async () => {
    const port = await freePort();  // nothing listens there
    const down = makeRemote({ kind: 'http', url: `http://127.0.0.1:${port}/sync/`, token: 'x' });
    await expectCode(down.list('t/'), 'err.sync.remote_unavailable');
    await expectCode(down.putNew('t/x', bytes('x')), 'err.sync.remote_unavailable');
  });

  test('a server that does not answer: remote_timeout after the configured time', async () => {
    proxy.mode = 'hang';
    try {
      const started = Date.now();
      const e = await expectCode(remote.get('t/heads/a'), 'err.sync.remote_timeout');
      const waited = Date.now() - started;
      assert.ok(waited >= 1400 && waited < 5000, `waited ${waited} ms`);
      assert.match(e.detail, /t\/heads\/a/);
    } finally { proxy.mode = 'pass'; }
  });

  test('5xx and 429: remote_unavailable with the status', async () => {
    for (const status of [500, 502, 503, 429]) {
      proxy.mode = `status:${status}`;
      const e = await expectCode(remote.list('t/'), 'err.sync.remote_unavailable');
      assert.equal(e.status, status);
    }
    proxy.mode = 'pass';
    assert.equal((await remote.list('t/')).length, 1);
  });

  test('a captive portal page or a listing that is not one: remote_bad_answer', async () => {
    try {
      proxy.mode = 'html';
      await expectCode(remote.list('t/'), 'err.sync.remote_bad_answer');
      await expectCode(remote.get('t/heads/a'), 'err.sync.remote_bad_answer');
      for (const body of ['{"files": []}', '[{"name": "t/x"}]', '[{"name": "u/x", "etag": "\\"e\\"", "size": 1}]',
        '[{"name": "../x", "etag": "\\"e\\"", "size": 1}]', '[{"name": "t/x", "etag": "\\"e\\"", "size": -1}]', '[1,']) {
        proxy.mode = `json:${body}`;
        await expectCode(remote.list('t/'), 'err.sync.remote_bad_answer');
      }
    } finally { proxy.mode = 'pass'; }
  });

  test('a portal that answers writes too, or redirects: remote_bad_answer, never a success', async () => {
    try {
      proxy.mode = 'html';  // 200 with an ETag for anything, the PUT included
      await expectCode(remote.putNew('t/heads/b', bytes('x')), 'err.sync.remote_bad_answer');
      await expectCode(remote.putIfMatch('t/heads/a', bytes('x'), '"portal"'), 'err.sync.remote_bad_answer');
      proxy.mode = 'redirect';
      for (const op of [() => remote.list('t/'), () => remote.get('t/heads/a'), () => remote.putNew('t/heads/b', bytes('x'))]) {
        const e = await expectCode(op(), 'err.sync.remote_bad_answer');
        assert.match(e.detail, /elsewhere/);
      }
    } finally { proxy.mode = 'pass'; }
    assert.deepEqual((await remote.list('t/heads/')).map((f) => f.name), ['t/heads/a']);
  });

  test('an answer cut off half way: remote_unavailable, nothing returned', async () => {
    proxy.mode = 'truncate';
    try {
      await expectCode(remote.get('t/heads/a'), 'err.sync.remote_unavailable');
      await expectCode(remote.list('t/'), 'err.sync.remote_unavailable');
    } finally { proxy.mode = 'pass'; }
  });

  test('a wrong token: remote_unauthorized, nothing written', async () => {
    const wrong = makeRemote({ kind: 'http', url: server.url, token: 'not-the-token' });
    const e = await expectCode(wrong.putNew('t/heads/b', bytes('x')), 'err.sync.remote_unauthorized');
    assert.equal(e.status, 401);
    await expectCode(wrong.list('t/'), 'err.sync.remote_unauthorized');
    await expectCode(makeRemote({ kind: 'http', url: server.url }).get('t/heads/a'), 'err.sync.remote_unauthorized');
    assert.deepEqual((await remote.list('t/')).map((f) => f.name), ['t/heads/a']);
  });

  test('a file over the limit: remote_too_large; the quota reached: remote_full', async () => {
    const e = await expectCode(remote.putNew('t/seg/a/0000000001', new Uint8Array(1024 * 1024 + 1)), 'err.sync.remote_too_large');
    assert.equal(e.status, 413);
    await remote.putNew('t/seg/a/0000000002', new Uint8Array(1000 * 1024));
    await remote.putNew('t/seg/a/0000000003', new Uint8Array(1000 * 1024));
    const full = await expectCode(remote.putNew('t/seg/a/0000000004', new Uint8Array(200 * 1024)), 'err.sync.remote_full');
    assert.equal(full.status, 507);
    assert.match(full.detail, /quota/);
  });

  test('bad settings are refused at once', async () => {
    assert.throws(() => makeRemote({ kind: 'http', url: 'ftp://x' }), (e) => e.code === 'err.sync.remote_settings');
    assert.throws(() => makeRemote({ kind: 'nope' }), (e) => e.code === 'err.sync.remote_settings');
  });
});
