// Team sync without a server: the invite's QR code, the sync file carried by hand, and a
// shared folder.
//  - QR: the code drawn in Settings is cut out of a screenshot and read by a real decoder
//    (zbarimg, Debian's zbar-tools): it must give the invite back, in the dark theme too.
//  - File: two separate Chromium processes (each its own profile) exchange edits only
//    through downloaded files loaded with the file picker, both ways; a file that is not a
//    sync file, a tampered one and another team's are refused in plain words.
//  - Folder: two separate browsers each "pick" a folder in their own origin-private file
//    system through the test-only window.crm.test.folderPicker (headless Chromium cannot
//    answer showDirectoryPicker). Two pages of one browser context cannot be two devices
//    here: they share the origin's IndexedDB workspace and its writer lock, and OPFS
//    cannot be shared across origins or profiles. So this test plays the desktop sync
//    client that shares the folder (it copies new and changed files between the two OPFS
//    folders, newer wins), which is what Nextcloud or OneDrive do between two machines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, openApp, press, reload, typeInto, find, reveal, swipe, waitState, screenshot, startServer, SCREENSHOTS } from './harness.mjs';
import { syncJob, rename, nameOf, newEmptyWorkspace } from './sync_steps.mjs';

let server, desktopBrowser, tabletBrowser, tmp;
before(async () => {
  server = await startServer();
  desktopBrowser = await launchBrowser();
  tabletBrowser = await launchBrowser();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'crm-sync-kinds-'));
});
after(async () => {
  await desktopBrowser?.close();
  await tabletBrowser?.close();
  await server?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// The invite's QR code as drawn: a screenshot of just its rectangle, read by zbarimg.
async function readQr(app, name) {
  let it = await reveal(app, 'Invite QR code');
  const height = app.page.viewportSize().height;
  // The registry reports the visible part: a square code shown whole has h == w.
  for (let tries = 0; tries < 6 && it.h < it.w - 1; tries++) {
    const x = app.page.viewportSize().width * 0.6, y = height * 0.7, by = Math.min(300, it.w - it.h + 40);
    if (app.touch) {
      await swipe(app, x, y, x, y - by);
    } else {
      await app.page.mouse.move(x, y);
      await app.page.mouse.wheel(0, by);
    }
    await app.page.evaluate(() => window.crm.test.nextFrame());
    it = await find(app.page, 'Invite QR code');
  }
  await app.page.evaluate(() => window.crm.test.nextFrame());
  const file = path.join(SCREENSHOTS, `${name}-${app.view}.png`);
  await app.page.screenshot({ path: file, clip: { x: it.x, y: it.y, width: it.w, height: it.h } });
  return execFileSync('zbarimg', ['--raw', '-q', file], { encoding: 'utf8' }).trim();
}

// "Send my changes": the round, then the browser's download; returns the saved file.
async function sendChanges(app, name) {
  const download = app.page.waitForEvent('download', { timeout: 60000 });
  const s = await syncJob(app, 'Send my changes');
  assert.equal(s.syncError, '');
  const file = path.join(tmp, name);
  await (await download).saveAs(file);
  return file;
}

// Presses a button that opens the file picker, chooses `file` there; waits for what follows
// (a merge and a round, or the file refused at once).
async function chooseSyncFile(app, button, file) {
  const was = await waitState(app.page, () => true);
  const [chooser] = await Promise.all([app.page.waitForEvent('filechooser'), press(app, button)]);
  await chooser.setFiles(file);
  await waitState(app.page, (s) => s.syncFilesPicked > was.syncFilesPicked);
  return waitState(app.page, (s) => !s.syncRunning && (s.syncJobs > was.syncJobs || s.syncError !== ''), 60000);
}

// A desktop screen tall enough for Settings → Team sync without scrolling: under load the
// mouse wheel after a reload sometimes did not scroll the canvas (not understood yet).
const tall = (app) => app.page.setViewportSize({ width: 1440, height: 2400 });

async function firstCompany(app) {
  await press(app, 'Customers');
  await waitState(app.page, (s) => s.route === '#/customers' && s.customersShown > 0);
  await press(app, (await find(app.page, /有限公司$/)).label);
  return (await waitState(app.page, (s) => /^#\/customers\/[^/]+$/.test(s.route))).route.split('/')[2];
}

test('the sync file: two browsers exchange edits through downloaded files, both ways; bad files are refused', async () => {
  const desk = await openApp(desktopBrowser, server.url, { view: 'desktop', lang: 'en' });
  const tab = await openApp(tabletBrowser, server.url, { view: 'portrait', lang: 'en' });
  const demo = await waitState(desk.page, (s) => s.save === 'saved' && s.customersTotal > 0, 30000);
  await tall(desk);

  // The desktop starts a team kept in a file, shows the invite as text and QR code.
  await press(desk, 'Settings');
  await press(desk, 'Sync file');
  const started = await syncJob(desk, 'Start a team');
  assert.equal(started.syncError, '');
  assert.match(started.syncInvite, /^CRM1-/);
  assert.equal(started.syncQrSize, 37);
  assert.equal(await readQr(desk, 'sync-invite-qr'), started.syncInvite);
  await screenshot(desk, 'sync-file-team-started');
  const fromDesk = await sendChanges(desk, 'desk-1.json');
  const sent = JSON.parse(readFileSync(fromDesk, 'utf8'));
  assert.equal(sent.format, 'crm-sync-file-1');
  assert.ok(Object.keys(sent.files).some((n) => n.includes('/seg/')), 'the demo customers went into the file');

  // The tablet joins from an empty workspace with the invite and the desktop's file.
  await newEmptyWorkspace(tab);
  await press(tab, 'Sync file');
  await typeInto(tab, 'Invite code', started.syncInvite);
  const joined = await chooseSyncFile(tab, 'Join the team', fromDesk);
  assert.equal(joined.syncError, '');
  assert.ok(joined.syncReceived > 0);
  assert.match(joined.syncNotice, /new sync files/);
  await screenshot(tab, 'sync-file-joined');
  await press(tab, 'Customers');
  await waitState(tab.page, (s) => s.route === '#/customers' && s.customersTotal === demo.customersTotal);

  // The tablet's answer (the registry with it in) goes back; then an edit each way.
  await press(tab, 'Settings');
  const fromTab = await sendChanges(tab, 'tab-1.json');
  await press(desk, 'Settings');
  assert.equal((await chooseSyncFile(desk, 'Load changes', fromTab)).syncError, '');

  const id = await firstCompany(desk);
  await rename(desk, id, '文件同步改名有限公司');
  await press(desk, 'Settings');
  const fromDesk2 = await sendChanges(desk, 'desk-2.json');
  await press(tab, 'Settings');
  const got = await chooseSyncFile(tab, 'Load changes', fromDesk2);
  assert.equal(got.syncError, '');
  assert.ok(got.syncOverwritten >= 1);
  assert.equal(await nameOf(tab, id), '文件同步改名有限公司');

  await rename(tab, id, '平板文件改名有限公司');
  await press(tab, 'Settings');
  const fromTab2 = await sendChanges(tab, 'tab-2.json');
  await press(desk, 'Settings');
  assert.equal((await chooseSyncFile(desk, 'Load changes', fromTab2)).syncError, '');
  assert.equal(await nameOf(desk, id), '平板文件改名有限公司');

  // An older file loaded again changes nothing (it only adds, and adds nothing new).
  await press(desk, 'Settings');
  const again = await chooseSyncFile(desk, 'Load changes', fromTab);
  assert.equal(again.syncError, '');
  assert.equal(await nameOf(desk, id), '平板文件改名有限公司');

  // What this device keeps survives a reload: the next file still holds everything.
  await reload(desk);
  await press(desk, 'Settings');
  const afterReload = JSON.parse(readFileSync(await sendChanges(desk, 'desk-3.json'), 'utf8'));
  for (const name of Object.keys(JSON.parse(readFileSync(fromTab2, 'utf8')).files)) {
    assert.ok(name in afterReload.files, `${name} kept across the reload`);
  }

  // Refused in plain words, nothing loaded: not a sync file, a tampered one, another team's.
  const notSync = path.join(tmp, 'contacts.json');
  writeFileSync(notSync, JSON.stringify({ customers: [] }));
  let refused = await chooseSyncFile(desk, 'Load changes', notSync);
  assert.match(refused.syncError, /not a sync file of this app/);

  const doc = JSON.parse(readFileSync(fromTab2, 'utf8'));
  const seg = Object.keys(doc.files).find((n) => n.includes('/seg/') && !(n in sent.files));
  const tampered = structuredClone(doc);
  const data = Buffer.from(tampered.files[seg].data, 'base64');
  data[40] ^= 1;
  tampered.files[seg].data = data.toString('base64');
  const tamperedFile = path.join(tmp, 'tampered.json');
  writeFileSync(tamperedFile, JSON.stringify(tampered));
  refused = await chooseSyncFile(desk, 'Load changes', tamperedFile);
  assert.equal(refused.syncErrorCode, 'err.sync.tampered');
  assert.match(refused.syncError, /does not open with the team key/);

  const team = Object.keys(doc.files)[0].split('/')[0];
  const other = { format: doc.format, files: {} };
  for (const [n, f] of Object.entries(doc.files)) other.files[n.replace(team, 'f'.repeat(32))] = f;
  const otherFile = path.join(tmp, 'other-team.json');
  writeFileSync(otherFile, JSON.stringify(other));
  refused = await chooseSyncFile(desk, 'Load changes', otherFile);
  assert.equal(refused.syncErrorCode, 'err.sync.file_other_team');
  assert.match(refused.syncError, /belongs to another team/);
  await screenshot(desk, 'sync-file-refused');
  assert.equal(await nameOf(desk, id), '平板文件改名有限公司');

  // The same refusals in Chinese, on a device of another team.
  const zh = await openApp(tabletBrowser, server.url, { view: 'landscape', lang: 'zh-CN' });
  await press(zh, '设置');
  await press(zh, '同步文件');
  assert.equal((await syncJob(zh, '创建团队')).syncError, '');
  assert.match((await chooseSyncFile(zh, '载入更改', notSync)).syncError, /不是本应用的同步文件/);
  assert.match((await chooseSyncFile(zh, '载入更改', fromTab2)).syncError, /属于其他团队/);
  await screenshot(zh, 'sync-file-refused-zh');
  await zh.context.close();

  assert.deepEqual(desk.errors, []);
  assert.deepEqual(tab.errors, []);
  await desk.context.close();
  await tab.context.close();
});

test('the invite QR code reads back in the dark theme on a tablet', async () => {
  const tab = await openApp(tabletBrowser, server.url, { view: 'portrait', lang: 'en' });
  await press(tab, 'Settings');
  await press(tab, 'Dark');
  await press(tab, 'Sync file');
  const started = await syncJob(tab, 'Start a team');
  assert.equal(started.syncError, '');
  assert.equal(await readQr(tab, 'sync-invite-qr-dark'), started.syncInvite);
  await screenshot(tab, 'sync-invite-dark');
  await tab.context.close();
});

// ---- the shared folder ---------------------------------------------------------------------

const SHARE = 'team-share';
const pickShare = (app) => app.page.evaluate((share) => {
  window.crm.test.folderPicker = async () => (await navigator.storage.getDirectory()).getDirectoryHandle(share, { create: true });
}, SHARE);

// Every file under the OPFS folder: {path: {data (base64), modified}}.
const readShare = (app) => app.page.evaluate(async (share) => {
  const out = {};
  let dir;
  try {
    dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(share);
  } catch (e) {
    return out;
  }
  const walk = async (d, prefix) => {
    for await (const [name, h] of d.entries()) {
      if (h.kind === 'directory') await walk(h, prefix + name + '/');
      else {
        const f = await h.getFile();
        const bytes = new Uint8Array(await f.arrayBuffer());
        let s = '';
        for (const b of bytes) s += String.fromCharCode(b);
        out[prefix + name] = { data: btoa(s), modified: f.lastModified };
      }
    }
  };
  await walk(dir, '');
  return out;
}, SHARE);

const writeShare = (app, files) => app.page.evaluate(async ([share, files]) => {
  const root = await (await navigator.storage.getDirectory()).getDirectoryHandle(share, { create: true });
  for (const [p, data] of Object.entries(files)) {
    const parts = p.split('/');
    let d = root;
    for (const part of parts.slice(0, -1)) d = await d.getDirectoryHandle(part, { create: true });
    const w = await (await d.getFileHandle(parts[parts.length - 1], { create: true })).createWritable();
    await w.write(Uint8Array.from(atob(data), (c) => c.charCodeAt(0)));
    await w.close();
  }
}, [SHARE, files]);

// The desktop sync client: new files and newer versions go across, both ways.
async function shareClient(a, b) {
  const [fa, fb] = [await readShare(a), await readShare(b)];
  const toB = {}, toA = {};
  for (const [p, f] of Object.entries(fa)) if (!fb[p] || (fb[p].data !== f.data && f.modified > fb[p].modified)) toB[p] = f.data;
  for (const [p, f] of Object.entries(fb)) if (!fa[p] || (fa[p].data !== f.data && f.modified > fa[p].modified)) toA[p] = f.data;
  await writeShare(b, toB);
  await writeShare(a, toA);
}

test('a shared folder: chosen once, kept across a reload, edits cross; a missing folder is said plainly and chosen again', async () => {
  const desk = await openApp(desktopBrowser, server.url, { view: 'desktop', lang: 'en' });
  const tab = await openApp(tabletBrowser, server.url, { view: 'landscape', lang: 'en' });
  const demo = await waitState(desk.page, (s) => s.save === 'saved' && s.customersTotal > 0, 30000);
  assert.equal(demo.syncFolderPicker, true);
  await tall(desk);

  await press(desk, 'Settings');
  await press(desk, 'Shared folder');
  await pickShare(desk);
  await press(desk, 'Choose folder');
  await waitState(desk.page, (s) => s.syncFolder === SHARE);
  await screenshot(desk, 'sync-folder-chosen');
  const started = await syncJob(desk, 'Start a team');
  assert.equal(started.syncError, '');
  await screenshot(desk, 'sync-folder-team-started');
  await shareClient(desk, tab);

  await newEmptyWorkspace(tab);
  await press(tab, 'Shared folder');
  await pickShare(tab);
  await press(tab, 'Choose folder');
  await waitState(tab.page, (s) => s.syncFolder === SHARE);
  await typeInto(tab, 'Invite code', started.syncInvite);
  const joined = await syncJob(tab, 'Join the team');
  assert.equal(joined.syncError, '');
  await press(tab, 'Customers');
  await waitState(tab.page, (s) => s.route === '#/customers' && s.customersTotal === demo.customersTotal);
  await press(tab, 'Settings');
  await press(tab, 'Sync automatically when online');
  await press(desk, 'Sync automatically when online');
  await shareClient(desk, tab);

  // An edit on the desktop reaches the tablet through the folder, after a reload of the
  // desktop: its folder comes back from IndexedDB, nothing is chosen again.
  const id = await firstCompany(desk);
  await rename(desk, id, '文件夹同步有限公司');
  await reload(desk);
  await press(desk, 'Settings');
  assert.equal((await waitState(desk.page, () => true)).syncFolder, SHARE);
  assert.equal((await syncJob(desk, 'Sync now')).syncError, '');
  await shareClient(desk, tab);
  await press(tab, 'Settings');
  assert.equal((await syncJob(tab, 'Sync now')).syncError, '');
  assert.equal(await nameOf(tab, id), '文件夹同步有限公司');

  await rename(tab, id, '平板文件夹有限公司');
  await press(tab, 'Settings');
  assert.equal((await syncJob(tab, 'Sync now')).syncError, '');
  await shareClient(desk, tab);
  await press(desk, 'Settings');
  assert.equal((await syncJob(desk, 'Sync now')).syncError, '');
  assert.equal(await nameOf(desk, id), '平板文件夹有限公司');

  // The folder deleted behind the app's back: said plainly; choosing it again mends it.
  await desk.page.evaluate(async (share) => (await navigator.storage.getDirectory()).removeEntry(share, { recursive: true }), SHARE);
  await press(desk, 'Settings');
  const gone = await syncJob(desk, 'Sync now');
  assert.equal(gone.syncErrorCode, 'err.sync.folder_gone');
  assert.match(gone.syncError, /shared folder team-share is gone/);
  await screenshot(desk, 'sync-folder-gone');
  await pickShare(desk);  // the page was reloaded since: the test's picker is set again
  await press(desk, 'Choose folder');
  await waitState(desk.page, (s) => s.syncErrorCode === '');
  assert.equal((await syncJob(desk, 'Sync now')).syncError, '');

  assert.deepEqual(desk.errors.filter((e) => !/status of 404/.test(e)), []);
  assert.deepEqual(tab.errors.filter((e) => !/status of 404/.test(e)), []);
  await desk.context.close();
  await tab.context.close();
});

test('no folder chip where the browser cannot open a folder', async () => {
  const app = await openApp(desktopBrowser, server.url, { view: 'desktop', lang: 'en' });
  await press(app, 'Settings');
  await reveal(app, 'Shared folder');
  await app.context.close();
  const context = await desktopBrowser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript(() => Object.defineProperty(window, 'showDirectoryPicker', { value: undefined }));
  const page = await context.newPage();
  await page.goto(`${server.url}?lang=en`);
  await page.waitForFunction(() => window.crm && window.crm.test, null, { timeout: 30000 });
  await page.evaluate(() => window.crm.test.ready);
  const bare = { page, context, errors: [], view: 'desktop', touch: false };
  await press(bare, 'Settings');
  await reveal(bare, 'Sync file');
  const s = await waitState(page, () => true);
  assert.equal(s.syncFolderPicker, false);
  assert.ok(!(await page.evaluate(() => window.crm.test.items())).some((it) => it.label === 'Shared folder'));
  await context.close();
});
