// Backups through the UI: download one (a real browser download), restore one through the
// file picker after a preview of what it holds, with the passphrase that was current when
// it was made; another kind of file or a damaged backup is refused and changes nothing;
// the reminder shows until a backup is made; a workspace blocked by damaged storage is
// brought back from a backup.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, launchBrowser, openApp, press, typeInto, waitState, screenshot, reload, find, flipStoredByte } from './harness.mjs';

let server, browser;
const dir = mkdtempSync(path.join(os.tmpdir(), 'crm-backup-'));
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

// Taps the widget that makes a download and keeps the file; returns its path.
async function download(app, label, name) {
  const [dl] = await Promise.all([app.page.waitForEvent('download'), press(app, label)]);
  assert.match(dl.suggestedFilename(), /^crm-backup-\d{4}-\d\d-\d\d\.crmbackup$/);
  const file = path.join(dir, name);
  await dl.saveAs(file);
  return file;
}

// Taps the widget that opens the file picker and chooses `file`.
async function choose(app, label, file) {
  const [chooser] = await Promise.all([app.page.waitForEvent('filechooser'), press(app, label)]);
  await chooser.setFiles(file);
}

test('download a backup, restore it after a preview; wrong files and passphrases change nothing', async () => {
  const app = await openApp(browser, server.url, { view: 'desktop', lang: 'en' });
  const demo = await waitState(app.page, (s) => s.save === 'saved' && s.demo && s.customersTotal > 0, 30000);
  await press(app, 'Settings');
  const demoFile = await download(app, 'Download a backup', 'demo.crmbackup');
  assert.ok(readFileSync(demoFile).subarray(0, 10).toString() === 'CRMBACKUP\n');

  // An encrypted workspace in place of the demo; it reminds of backups until one is made.
  const passphrase = 'west-hill 备份 2026';
  await typeInto(app, 'New passphrase', passphrase);
  await typeInto(app, 'Passphrase again', passphrase);
  await press(app, 'Replace the demo data on this device');
  await press(app, 'Create encrypted workspace');
  await waitState(app.page, (s) => s.recoveryKey.length === 39, 20000);
  await press(app, 'I have written it down');
  await press(app, 'Today');
  await find(app.page, 'Back up now');
  await screenshot(app, 'backup-reminder');
  const ownFile = await download(app, 'Back up now', 'own.crmbackup');
  const backedUp = await waitState(app.page, (s) => s.lastBackupAt !== '' && s.save === 'saved');
  assert.equal(backedUp.customersTotal, 0);
  await app.page.evaluate(() => window.crm.test.nextFrame());   // the items of a frame drawn since
  await assert.rejects(find(app.page, 'Back up now', { timeout: 1000 }), /no widget labelled/, 'the reminder is gone');

  // Not a backup, and a damaged backup: refused before anything is asked or replaced.
  await press(app, 'Settings');
  const csv = path.join(dir, 'customers.csv');
  writeFileSync(csv, '客户名称,手机\n杭州云帆,13812345678\n');
  await choose(app, 'Restore from a backup…', csv);
  let s = await waitState(app.page, (st) => st.backupError !== '');
  assert.match(s.backupError, /not a CRM backup/);
  const cut = path.join(dir, 'cut.crmbackup');
  const bytes = readFileSync(demoFile);
  writeFileSync(cut, bytes.subarray(0, bytes.length - 100));
  await choose(app, 'Restore from a backup…', cut);
  s = await waitState(app.page, (st) => /damaged or incomplete/.test(st.backupError));
  await screenshot(app, 'backup-damaged');

  // The demo's backup: previewed without a secret, then replaces this workspace.
  await choose(app, 'Restore from a backup…', demoFile);
  s = await waitState(app.page, (st) => st.backupCustomers >= 0);
  assert.equal(s.backupKind, 'demo');
  assert.equal(s.backupCustomers, demo.customersTotal);
  await screenshot(app, 'backup-preview');
  await press(app, 'I understand: replace the workspace on this device');
  await press(app, 'Replace with the backup');
  s = await waitState(app.page, (st) => st.demo && st.customersTotal === demo.customersTotal && st.save === 'saved', 20000);
  assert.match(s.backupDone, /Restored the backup/);

  // Our own encrypted backup: the wrong passphrase is refused, the right one previews it.
  await press(app, 'Settings');
  await choose(app, 'Restore from a backup…', ownFile);
  s = await waitState(app.page, (st) => st.backupKind === 'passphrase');
  assert.equal(s.backupCustomers, -1, 'nothing is shown before the passphrase');
  await typeInto(app, 'Passphrase or recovery key', 'west-hill 备份 2025');
  await press(app, 'Open the backup');
  s = await waitState(app.page, (st) => st.backupError !== '', 20000);
  assert.match(s.backupError, /passphrase is not right/);
  assert.equal(s.customersTotal, demo.customersTotal, 'nothing replaced');
  await typeInto(app, 'Passphrase or recovery key', passphrase);
  await press(app, 'Open the backup');
  s = await waitState(app.page, (st) => st.backupCustomers === 0, 20000);
  await press(app, 'I understand: replace the workspace on this device');
  await press(app, 'Replace with the backup');
  await waitState(app.page, (st) => !st.demo && st.customersTotal === 0 && st.save === 'saved', 20000);
  await app.page.evaluate(() => window.crmStore.flushed());

  // What was restored is what the device holds: locked after a reload, opens with the passphrase.
  await reload(app);
  await waitState(app.page, (st) => st.locked);
  await typeInto(app, 'Passphrase or recovery key', passphrase);
  await press(app, 'Unlock');
  s = await waitState(app.page, (st) => !st.locked, 20000);
  assert.equal(s.demo, false);
  assert.notEqual(s.lastBackupAt, '', 'the restored workspace remembers its backup');
  assert.deepEqual(app.errors, []);
  await app.context.close();
});

test('a workspace blocked by damaged storage is restored from a backup, by touch', async () => {
  const app = await openApp(browser, server.url, { view: 'portrait', lang: 'zh-CN' });
  const demo = await waitState(app.page, (s) => s.save === 'saved' && s.customersTotal > 0, 30000);
  await press(app, '设置');
  const file = await download(app, '下载备份', 'before-damage.crmbackup');
  await app.page.evaluate(() => window.crmStore.flushed());
  await flipStoredByte(app.page, 2, 60);
  await reload(app);
  await waitState(app.page, (s) => s.blocked === 'err.vault.tampered');
  await choose(app, '从备份恢复…', file);
  await waitState(app.page, (s) => s.backupCustomers === demo.customersTotal);
  await screenshot(app, 'blocked-restore');
  await press(app, '我已了解：替换本设备上的工作区');
  await press(app, '用备份替换');
  const s = await waitState(app.page, (st) => st.blocked === '' && st.customersTotal === demo.customersTotal && st.save === 'saved', 20000);
  assert.equal(s.demo, true);
  await app.page.evaluate(() => window.crmStore.flushed());
  await reload(app);
  await waitState(app.page, (st) => st.blocked === '' && st.customersTotal === demo.customersTotal);
  assert.equal(await app.page.evaluate(() => window.crm.test.integrity()), 'ok');
  await app.context.close();
});
