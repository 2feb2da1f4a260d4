// The contract every sync transport of web/sync_remote.js keeps (src/sync/remote.h), as
// cases that run in node (node:test) and in the browser (the folder kind, on OPFS). No node
// imports here: each case gets fresh(), which returns a new remote on an empty namespace
// (and may be called again for a second client on the same namespace).

function check(ok, message) { if (!ok) throw new Error(message); }
function same(a, b, message) {
  const sa = JSON.stringify(a); const sb = JSON.stringify(b);
  if (sa !== sb) throw new Error(`${message}: ${sa} !== ${sb}`);
}
async function rejects(promise, code, message) {
  try {
    await promise;
  } catch (e) {
    if (e && e.code === code) return e;
    throw new Error(`${message}: expected ${code}, got ${e && (e.code || e.message || e)}`);
  }
  throw new Error(`${message}: expected ${code}, but it succeeded`);
}
const bytes = (s) => new TextEncoder().encode(s);
const text = (b) => new TextDecoder().decode(b);

export const cases = {
  async 'list is sorted, holds every file under the prefix and nothing else'(fresh) {
    const r = await fresh();
    same(await r.list('t/'), [], 'empty namespace');
    const names = ['t/seg/b/0000000002', 't/seg/b/0000000001', 't/seg/a/0000000001', 't/heads/b',
      't/heads/a', 't/team', 'tx/team', 'u/heads/a'];
    const etags = {};
    for (const n of names) etags[n] = await r.putNew(n, bytes(n + '!'));
    const heads = await r.list('t/heads/');
    same(heads.map((f) => f.name), ['t/heads/a', 't/heads/b'], 'heads');
    same(heads.map((f) => f.size), [10, 10], 'sizes');
    same(heads.map((f) => f.etag), [etags['t/heads/a'], etags['t/heads/b']], 'etags are the ones put returned');
    same((await r.list('t/seg/')).map((f) => f.name),
      ['t/seg/a/0000000001', 't/seg/b/0000000001', 't/seg/b/0000000002'], 'nested');
    same((await r.list('t/seg/b/000')).map((f) => f.name),
      ['t/seg/b/0000000001', 't/seg/b/0000000002'], 'a prefix ending inside a name');
    same((await r.list('t/')).map((f) => f.name), names.filter((n) => n.startsWith('t/')).sort(), 'the team');
    same((await r.list('t/nothing/')), [], 'a prefix with no files');
  },

  async 'get returns the bytes and the ETag put gave'(fresh) {
    const r = await fresh();
    const etag = await r.putNew('t/heads/a', bytes('head one'));
    check(typeof etag === 'string' && etag.length > 0, 'an etag');
    const got = await r.get('t/heads/a');
    check(got.bytes instanceof Uint8Array, 'bytes are a Uint8Array');
    same(text(got.bytes), 'head one', 'bytes');
    same(got.etag, etag, 'etag');
    const e = await rejects(r.get('t/heads/missing'), 'err.sync.remote_missing', 'a missing file');
    check(String(e.detail).includes('t/heads/missing'), 'the error names the file');
  },

  async 'put_new twice: the second is remote_exists and the first stays'(fresh) {
    const r = await fresh();
    const etag = await r.putNew('t/seg/a/0000000001', bytes('first'));
    await rejects(r.putNew('t/seg/a/0000000001', bytes('second')), 'err.sync.remote_exists', 'second put_new');
    const got = await r.get('t/seg/a/0000000001');
    same([text(got.bytes), got.etag], ['first', etag], 'unchanged');
  },

  async 'put_if_match replaces only while the ETag is current'(fresh) {
    const r = await fresh();
    const e1 = await r.putNew('t/team', bytes('v1'));
    const e2 = await r.putIfMatch('t/team', bytes('v2'), e1);
    check(e2 !== e1, 'a new etag');
    await rejects(r.putIfMatch('t/team', bytes('v3'), e1), 'err.sync.remote_conflict', 'a stale etag');
    const got = await r.get('t/team');
    same([text(got.bytes), got.etag], ['v2', e2], 'the stale write changed nothing');
    // same size, right after: the ETag must still change (no ABA on quick rewrites)
    const e3 = await r.putIfMatch('t/team', bytes('v3'), e2);
    check(e3 !== e2, 'a same-size rewrite gets a new etag');
    await rejects(r.putIfMatch('t/team', bytes('v4'), e2), 'err.sync.remote_conflict', 'the previous etag is stale');
    same((await r.list('t/'))[0].etag, e3, 'listing shows the new etag');
    await rejects(r.putIfMatch('t/none', bytes('x'), e3), 'err.sync.remote_conflict', 'if-match on a missing file');
  },

  async 'two clients put_if_match the same ETag at once: exactly one wins'(fresh) {
    const a = await fresh();
    const b = await fresh(a);
    for (let round = 0; round < 6; round++) {
      const name = `t/heads/race${round}`;
      const e0 = await a.putNew(name, bytes('base'));
      const results = await Promise.allSettled([0, 1, 2, 3, 4, 5].map((i) =>
        (i % 2 ? b : a).putIfMatch(name, bytes(`from ${i}`), e0)));
      const won = results.filter((x) => x.status === 'fulfilled');
      same(won.length, 1, `round ${round}: winners`);
      for (const x of results.filter((y) => y.status === 'rejected')) same(x.reason.code, 'err.sync.remote_conflict', 'losers');
      const got = await b.get(name);
      same(got.etag, won[0].value, 'the winner\'s etag is current');
      const both = await Promise.allSettled([0, 1, 2, 3, 4, 5].map((i) => (i % 2 ? b : a).putNew(name + 'n', bytes(`new ${i}`))));
      same(both.filter((x) => x.status === 'fulfilled').length, 1, `round ${round}: one put_new wins`);
    }
  },

  async 'remove deletes one file; a missing one is done already; the name can be created again'(fresh) {
    const r = await fresh();
    const other = await fresh(r);
    await r.putNew('t/seg/a/0000000001', bytes('one'));
    const e2 = await r.putNew('t/seg/a/0000000002', bytes('two'));
    await r.putNew('t/snap/a/0000000001.0001', bytes('part'));
    await r.remove('t/seg/a/0000000001');
    await rejects(r.get('t/seg/a/0000000001'), 'err.sync.remote_missing', 'a removed file');
    await rejects(other.get('t/seg/a/0000000001'), 'err.sync.remote_missing', 'a removed file, seen by another client');
    same((await other.list('t/')).map((f) => f.name), ['t/seg/a/0000000002', 't/snap/a/0000000001.0001'], 'listing after remove');
    await r.remove('t/seg/a/0000000001');  // gone already: no error
    await other.remove('t/seg/b/0000000007');  // never there (and its folder neither)
    await other.remove('t/snap/a/0000000001.0001');
    same((await r.list('t/')).map((f) => f.name), ['t/seg/a/0000000002'], 'the other client removed the part');
    const got = await r.get('t/seg/a/0000000002');
    same([text(got.bytes), got.etag], ['two', e2], 'the neighbour is untouched');
    await r.putNew('t/seg/a/0000000001', bytes('again'));
    same(text((await other.get('t/seg/a/0000000001')).bytes), 'again', 'created again after remove');
    // a remove while others write in the same folder: both happen
    await Promise.all([r.remove('t/seg/a/0000000001'), other.putNew('t/seg/a/0000000003', bytes('three'))]);
    same((await r.list('t/seg/')).map((f) => f.name), ['t/seg/a/0000000002', 't/seg/a/0000000003'], 'after concurrent remove and put');
    for (const bad of ['../x', 't/../x', '/t/x', 't//x', '', 't/x/']) {
      await rejects(r.remove(bad), 'err.sync.remote_bad_name', `remove ${JSON.stringify(bad)}`);
    }
  },

  async 'a big file goes and comes back whole'(fresh) {
    const r = await fresh();
    const big = new Uint8Array(3 * 1024 * 1024 + 17);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919 + (i >> 11)) & 255;
    const etag = await r.putNew('t/seg/a/0000000009', big);
    const got = await r.get('t/seg/a/0000000009');
    same(got.bytes.length, big.length, 'size');
    check(got.bytes.every((v, i) => v === big[i]), 'same bytes');
    same(got.etag, etag, 'etag');
    same((await r.list('t/seg/a/'))[0].size, big.length, 'listed size');
  },

  async 'names outside the rules are refused before anything is sent'(fresh) {
    const r = await fresh();
    for (const bad of ['../x', 't/../x', '/t/x', 't//x', 't\\x', 't/x\0', 't/.hidden', '', 't/张', 't/a b', 't/x/']) {
      await rejects(r.putNew(bad, bytes('x')), 'err.sync.remote_bad_name', `put_new ${JSON.stringify(bad)}`);
      await rejects(r.get(bad), 'err.sync.remote_bad_name', `get ${JSON.stringify(bad)}`);
    }
    await rejects(r.list('../'), 'err.sync.remote_bad_name', 'list ../');
    same(await r.list(''), [], 'nothing was written');
  },
};
