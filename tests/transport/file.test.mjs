// web/sync_remote.js kind 'file' (the whole namespace as one JSON document the user carries):
// the shared contract, then the document: round trip, and files that must be refused.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeRemote, FILE_FORMAT } from '../../web/sync_remote.js';
import { cases } from './contract.mjs';

const bytes = (s) => new TextEncoder().encode(s);

describe('file transport: contract', () => {
  for (const [name, run] of Object.entries(cases)) {
    // fresh(other): the same document, as a second client would see it (same object).
    test(name, () => run(async (other) => other || makeRemote({ kind: 'file' })));
  }
});

describe('file transport: the sync file', () => {
  test('toText then load gives the same namespace, names sorted, ETags kept', async () => {
    const a = makeRemote({ kind: 'file', text: '' });
    const big = new Uint8Array(200000).map((_, i) => i * 31);
    const e1 = await a.putNew('t/seg/d/0000000002', big);
    const e2 = await a.putNew('t/heads/d', bytes('head'));
    const text = a.toText();
    const doc = JSON.parse(text);
    assert.equal(doc.format, FILE_FORMAT);
    assert.deepEqual(Object.keys(doc.files), ['t/heads/d', 't/seg/d/0000000002']);
    assert.equal(doc.files['t/heads/d'].data, Buffer.from('head').toString('base64'));
    const b = makeRemote({ kind: 'file', text });
    assert.deepEqual(await b.list('t/'), await a.list('t/'));
    assert.deepEqual((await b.get('t/seg/d/0000000002')).bytes, big);
    assert.equal((await b.get('t/seg/d/0000000002')).etag, e1);
    // a loaded file continues: If-Match with the ETag from before works, a stale one does not
    const e3 = await b.putIfMatch('t/heads/d', bytes('head 2'), e2);
    await assert.rejects(b.putIfMatch('t/heads/d', bytes('head 3'), e2), (e) => e.code === 'err.sync.remote_conflict');
    assert.equal(JSON.parse(b.toText()).files['t/heads/d'].etag, e3);
    assert.equal(b.toText(), makeRemote({ kind: 'file', text: b.toText() }).toText());
  });

  test('what is not a sync file is refused with file_invalid', async () => {
    const invalid = (e) => e.code === 'err.sync.file_invalid' && typeof e.detail === 'string';
    for (const text of ['not json', '[]', '{"format": "other", "files": {}}', `{"format": "${FILE_FORMAT}"}`,
      `{"format": "${FILE_FORMAT}", "files": []}`,
      `{"format": "${FILE_FORMAT}", "files": {"../x": {"etag": "\\"e\\"", "data": ""}}}`,
      `{"format": "${FILE_FORMAT}", "files": {"t/x": {"etag": 1, "data": ""}}}`,
      `{"format": "${FILE_FORMAT}", "files": {"t/x": {"etag": "\\"e\\"", "data": "***"}}}`]) {
      assert.throws(() => makeRemote({ kind: 'file', text }), invalid, text);
    }
    // bytes changed after writing (ETag no longer the content's): refused on first use
    const a = makeRemote({ kind: 'file' });
    await a.putNew('t/heads/d', bytes('head'));
    const doc = JSON.parse(a.toText());
    doc.files['t/heads/d'].data = Buffer.from('hexd').toString('base64');
    const changed = makeRemote({ kind: 'file', text: JSON.stringify(doc) });
    await assert.rejects(changed.list('t/'), invalid);
    await assert.rejects(changed.get('t/heads/d'), invalid);
  });

  test('remove drops the entry from the kept copy (onRemove) and from the text', async () => {
    const kept = new Map();
    const a = makeRemote({ kind: 'file', onWrite: async (n, e) => kept.set(n, e), onRemove: async (n) => kept.delete(n) });
    await a.putNew('t/seg/d/0000000001', bytes('one'));
    await a.putNew('t/seg/d/0000000002', bytes('two'));
    await a.remove('t/seg/d/0000000001');
    assert.deepEqual([...kept.keys()], ['t/seg/d/0000000002']);
    assert.deepEqual(Object.keys(JSON.parse(a.toText()).files), ['t/seg/d/0000000002']);
    await a.remove('t/seg/d/0000000001');  // gone already: nothing to tell the copy
    assert.deepEqual([...kept.keys()], ['t/seg/d/0000000002']);
  });

  test('what get returns is a copy: changing it changes nothing stored', async () => {
    const a = makeRemote({ kind: 'file' });
    const src = bytes('abc');
    await a.putNew('t/x', src);
    src[0] = 120;
    const got = await a.get('t/x');
    got.bytes[1] = 120;
    assert.equal(new TextDecoder().decode((await a.get('t/x')).bytes), 'abc');
  });
});
