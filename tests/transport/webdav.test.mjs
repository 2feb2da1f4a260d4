// web/sync_remote.js kind 'webdav' against Apache httpd (mod_dav_fs) on loopback: the shared
// contract, Basic auth, the CORS preflight, and what Apache does that the transport relies on.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeRemote } from '../../web/sync_remote.js';
import { cases } from './contract.mjs';
import { startWebdav } from '../servers/webdav.mjs';

const bytes = (s) => new TextEncoder().encode(s);

describe('webdav transport: contract (Apache)', () => {
  let dav;
  let n = 0;
  before(async () => { dav = await startWebdav(); });
  after(() => dav.stop());
  for (const [name, run] of Object.entries(cases)) {
    test(name, async () => {
      // Each case gets its own empty collection under the server's root.
      let url = null;
      await run(async (other) => {
        if (!other) {
          url = `${dav.url}case${++n}/`;
          const r = await fetch(url, { method: 'MKCOL' });
          assert.equal(r.status, 201);
        }
        return makeRemote({ kind: 'webdav', url });
      });
    });
  }
});

describe('webdav transport: Apache specifics', () => {
  let dav;
  before(async () => { dav = await startWebdav({ user: 'team', password: 'pässword 1' }); });
  after(() => dav.stop());

  test('Basic auth: the right password works, a wrong one is remote_unauthorized', async () => {
    const good = makeRemote({ kind: 'webdav', url: dav.url, user: 'team', password: 'pässword 1' });
    const etag = await good.putNew('t/heads/a', bytes('head'));
    assert.equal((await good.get('t/heads/a')).etag, etag);
    const bad = makeRemote({ kind: 'webdav', url: dav.url, user: 'team', password: 'wrong' });
    for (const op of [() => bad.list('t/'), () => bad.get('t/heads/a'), () => bad.putNew('t/heads/b', bytes('x'))]) {
      const e = await op().then(() => null, (x) => x);
      assert.equal(e && e.code, 'err.sync.remote_unauthorized');
      assert.equal(e.status, 401);
    }
  });

  test('the CORS preflight is answered without credentials and exposes ETag', async () => {
    const r = await fetch(dav.url + 't/heads/a', { method: 'OPTIONS', headers: {
      Origin: 'http://app.example', 'Access-Control-Request-Method': 'PUT',
      'Access-Control-Request-Headers': 'authorization,if-match' } });
    assert.equal(r.status, 204);
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
    for (const h of ['Authorization', 'Depth', 'If', 'If-Match', 'If-None-Match', 'Lock-Token', 'Timeout']) {
      assert.ok(r.headers.get('access-control-allow-headers').split(/,\s*/).includes(h), h);
    }
    for (const m of ['PROPFIND', 'MKCOL', 'LOCK', 'UNLOCK', 'PUT', 'HEAD']) {
      assert.ok(r.headers.get('access-control-allow-methods').split(/,\s*/).includes(m), m);
    }
    const auth = { Authorization: 'Basic ' + Buffer.from('team:pässword 1').toString('base64') };
    const g = await fetch(dav.url + 't/heads/a', { headers: auth });
    assert.equal(g.headers.get('access-control-expose-headers'), 'ETag, Lock-Token');
  });

  test('Apache: PUT answers no ETag, MKCOL on an existing collection is 405, a missing parent is 409, ETags are content digests', async () => {
    const auth = { Authorization: 'Basic ' + Buffer.from('team:pässword 1').toString('base64') };
    let r = await fetch(dav.url + 'p/q/r', { method: 'PUT', body: 'x', headers: { ...auth, 'If-None-Match': '*' } });
    assert.equal(r.status, 409);
    r = await fetch(dav.url + 'p/', { method: 'MKCOL', headers: auth });
    assert.equal(r.status, 201);
    r = await fetch(dav.url + 'p/', { method: 'MKCOL', headers: auth });
    assert.equal(r.status, 405);
    r = await fetch(dav.url + 'p/f', { method: 'PUT', body: 'abc', headers: { ...auth, 'If-None-Match': '*' } });
    assert.equal(r.status, 201);
    assert.equal(r.headers.get('etag'), null);
    r = await fetch(dav.url + 'p/f', { headers: auth });
    // FileETag Digest: base64 SHA-1 of the content, strong at once (no W/ in the first second)
    const { createHash } = await import('node:crypto');
    assert.equal(r.headers.get('etag'), `"${createHash('sha1').update('abc').digest('base64')}"`);
  });
});

describe('webdav transport: why FileETag Digest', () => {
  test('Apache\'s default MTime ETags are weak for a second, so If-Match right after a write fails', async () => {
    const dav = await startWebdav({ fileEtag: 'MTime Size' });
    try {
      const put = (body, pre) => fetch(dav.url + 'f', { method: 'PUT', body, headers: pre });
      assert.equal((await put('aaaa', { 'If-None-Match': '*' })).status, 201);
      const etag = (await fetch(dav.url + 'f')).headers.get('etag');
      assert.match(etag, /^W\//);
      assert.equal((await put('bbbb', { 'If-Match': etag })).status, 412);
      assert.equal(await (await fetch(dav.url + 'f')).text(), 'aaaa');
    } finally { await dav.stop(); }
  });

  test('with FileETag Digest, two quick same-size writes get two strong, different ETags', async () => {
    const dav = await startWebdav();
    try {
      const r = makeRemote({ kind: 'webdav', url: dav.url });
      const e1 = await r.putNew('t/x', bytes('aaaa'));
      const e2 = await r.putIfMatch('t/x', bytes('bbbb'), e1);
      const e3 = await r.putIfMatch('t/x', bytes('cccc'), e2);
      assert.equal(new Set([e1, e2, e3]).size, 3);
      for (const e of [e1, e2, e3]) assert.doesNotMatch(e, /^W\//);
      assert.equal((await r.get('t/x')).etag, e3);
    } finally { await dav.stop(); }
  });
});
