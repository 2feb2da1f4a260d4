// Every error code web/sync_remote.js and web/sync_place.js can throw has its text in both languages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test('sync_remote.js error codes are translated in en and zh-CN', () => {
  const src = readFileSync(path.join(ROOT, 'web/sync_remote.js'), 'utf8');
  const codes = new Set([...src.matchAll(/'(err\.sync\.[a-z_]+)'/g)].map((m) => m[1]));
  assert.ok(codes.size >= 11, [...codes].join());
  for (const lang of ['en', 'zh-CN']) {
    const table = JSON.parse(readFileSync(path.join(ROOT, `assets/i18n/${lang}/sync.json`), 'utf8'));
    for (const code of codes) {
      assert.ok(table[code], `${lang} lacks ${code}`);
      assert.match(table[code], /\{name\}/, `${lang} ${code} names the file`);
    }
  }
});

test('sync_place.js error codes (the shared folder, the kept sync file) are translated in en and zh-CN', () => {
  const src = readFileSync(path.join(ROOT, 'web/sync_place.js'), 'utf8');
  const codes = new Set([...src.matchAll(/'(err\.sync\.[a-z_]+)'/g)].map((m) => m[1]));
  assert.ok(codes.has('err.sync.folder_permission') && codes.has('err.sync.folder_gone'), [...codes].join());
  for (const lang of ['en', 'zh-CN']) {
    const table = JSON.parse(readFileSync(path.join(ROOT, `assets/i18n/${lang}/sync.json`), 'utf8'));
    for (const code of codes) assert.ok(table[code], `${lang} lacks ${code}`);
  }
});
