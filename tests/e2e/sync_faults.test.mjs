// Team sync when things go wrong, through the app as a person uses it: two separate browsers
// (a desktop in English with the demo data, a tablet in Chinese that joined the team from an
// empty workspace) sync through serve.py behind a fault-injecting proxy on loopback
// (tests/servers/fault_proxy.mjs, the one the transport tests use). The app itself is loaded
// through the proxy too, as serve.py serves the app and its sync API from one origin.
// For each fault: Settings → Team sync says in the user's language what happened (never a
// raw code), the edits made before are still there, nothing of a bad segment is applied,
// and once the fault is gone the next sync completes and the edit reaches the other device.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { launchBrowser, openApp, press, typeInto, clearField, find, items, waitState, screenshot, tr, ROOT } from './harness.mjs';
import { syncJob, rename, nameOf, newEmptyWorkspace, goTo } from './sync_steps.mjs';
import { startServe } from '../servers/serve.mjs';
import { startFaultProxy } from '../servers/fault_proxy.mjs';

const TOKEN = 'team-token-faults';
let serve, proxy, deskBrowser, tabBrowser, desk, tab, invite;
const ids = {};  // three demo customers: x, y, z

const t = (app, key) => tr(app.lang, key);

// Sync now; returns the state once the job ended.
const syncNow = (app) => syncJob(app, t(app, 'sync.now'));

async function syncOk(app) {
  await goTo(app, 'nav.settings', '#/settings');
  const s = await syncNow(app);
  assert.equal(s.syncError, '', `${app.view}: the sync after the fault completes`);
  assert.equal(s.syncUnsent, 0);
  return s;
}

// Sync now under a fault: it fails with `code`, and the message shown is that code's text
// in the app's language, saying `what` (a RegExp), with no raw code or HTTP status in it.
async function syncFails(app, code, what) {
  await goTo(app, 'nav.settings', '#/settings');
  const s = await syncNow(app);
  assert.equal(s.syncErrorCode, code, `${app.view}: ${s.syncError}`);
  assert.match(s.syncError, what);
  assert.ok(s.syncError.startsWith(t(app, code).split('{')[0]), `the ${app.lang} text of ${code}: ${s.syncError}`);
  assert.doesNotMatch(s.syncError, /err\.|HTTP|\b[45]\d\d\b/);
  return s;
}

// Every sealed segment file in serve.py's sync folder, as paths relative to it.
function segmentFiles() {
  const out = [];
  const walk = (rel) => {
    for (const e of readdirSync(path.join(serve.dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (/^[0-9a-f]{32}\/seg\/[0-9a-f]{16}\/\d{10}$/.test(r)) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

// Renames a customer on a device and syncs it out; returns the segment file that carried it.
async function renameAndSend(app, id, name) {
  const was = new Set(segmentFiles());
  await rename(app, id, name);
  await syncOk(app);
  const added = segmentFiles().filter((f) => !was.has(f));
  assert.equal(added.length, 1, 'one new segment');
  return added[0];
}

// The same team id with another key, and check bytes that fit it: an invite that passes
// parse_invite (no typo) but whose key opens none of the team's files. Keyed BLAKE2b for the
// check bytes comes from Python's hashlib (node's crypto has no keyed BLAKE2b).
function inviteWithOtherKey(code) {
  return execFileSync('python3', ['-c', `
import base64, hashlib, sys
p = bytearray(base64.b32decode(sys.argv[1].replace('-', '')[4:]))
for i in range(16, 48): p[i] ^= 0x5a
p[48:50] = hashlib.blake2b(bytes(p[:48]), digest_size=2, key=b'crm team invite').digest()
s = base64.b32encode(bytes(p)).decode()
print('CRM1-' + '-'.join(s[i:i + 4] for i in range(0, 80, 4)))`, code], { encoding: 'utf8' }).trim();
}

async function setLocation(app) {
  await typeInto(app, t(app, 'sync.url'), proxy.url);
  await typeInto(app, t(app, 'sync.token'), TOKEN);
}

before(async () => {
  serve = await startServe({ root: path.join(ROOT, 'build/web'), token: TOKEN });
  proxy = await startFaultProxy(serve.url);
  deskBrowser = await launchBrowser();
  tabBrowser = await launchBrowser();
  desk = await openApp(deskBrowser, proxy.origin + '/', { view: 'desktop', lang: 'en' });
  tab = await openApp(tabBrowser, proxy.origin + '/', { view: 'portrait', lang: 'zh-CN' });
  const demo = await waitState(desk.page, (s) => s.save === 'saved' && s.customersTotal > 0, 30000);
  // Settings → Team sync without scrolling on the desktop, as in sync_kinds.test.mjs: under
  // load the mouse wheel sometimes does not scroll the canvas (not understood yet).
  await desk.page.setViewportSize({ width: 1440, height: 2400 });

  // Three demo customers the cases below edit.
  await goTo(desk, 'nav.customers', '#/customers');
  await waitState(desk.page, (s) => s.customersShown > 0);
  const labels = [...new Set((await items(desk.page)).map((it) => it.label).filter((l) => /有限公司$/.test(l)))];
  assert.ok(labels.length >= 3, 'three customers on screen');
  for (const [key, label] of [['x', labels[0]], ['y', labels[1]], ['z', labels[2]]]) {
    await goTo(desk, 'nav.customers', '#/customers');
    await waitState(desk.page, (s) => s.customersShown > 0);
    await press(desk, label);
    ids[key] = (await waitState(desk.page, (s) => /^#\/customers\/[^/]+$/.test(s.route))).route.split('/')[2];
  }
  assert.equal(new Set(Object.values(ids)).size, 3);

  // The desktop starts the team; the tablet joins it from an empty workspace.
  await goTo(desk, 'nav.settings', '#/settings');
  await setLocation(desk);
  const started = await syncJob(desk, 'Start a team');
  assert.equal(started.syncError, '');
  invite = started.syncInvite;
  await newEmptyWorkspace(tab);
  await setLocation(tab);
  await typeInto(tab, t(tab, 'sync.invite'), invite);
  const joined = await syncJob(tab, t(tab, 'sync.join'));
  assert.equal(joined.syncError, '');
  await goTo(tab, 'nav.customers', '#/customers');
  await waitState(tab.page, (s) => s.customersTotal === demo.customersTotal);
  // Sync only when told to: the minute timer would sync between a fault and its check.
  await press(desk, 'Sync automatically when online');
  await goTo(tab, 'nav.settings', '#/settings');
  await press(tab, t(tab, 'sync.auto'));
});

after(async () => {
  await deskBrowser?.close();
  await tabBrowser?.close();
  await proxy?.stop();
  await serve?.stop();
});

test('the sync location is down: "could not be reached", the edit waits and goes out once it is back', async () => {
  await rename(desk, ids.x, '断网改名科技有限公司');
  await proxy.close();
  try {
    const s = await syncFails(desk, 'err.sync.remote_unavailable', /could not be reached.*nothing was lost/);
    assert.equal(s.syncUnsent > 0, true, 'the edit still waits to go out');
    await screenshot(desk, 'sync-fault-down');
  } finally {
    await proxy.open();
  }
  assert.equal(await nameOf(desk, ids.x), '断网改名科技有限公司');
  await syncOk(desk);
  await syncOk(tab);
  assert.equal(await nameOf(tab, ids.x), '断网改名科技有限公司');
});

test('the sync location answers too late (zh-CN): "did not answer in time", the stored segment is adopted next time', async () => {
  await rename(tab, ids.y, '慢速改名科技有限公司');
  proxy.mode = 'slow:25000';  // beyond the page's 20 s: the segment is stored, the reply comes too late
  try {
    const s = await syncFails(tab, 'err.sync.remote_timeout', /同步位置未能及时响应.*没有丢失任何内容/);
    assert.ok(s.syncUnsent > 0);
    await screenshot(tab, 'sync-fault-slow-zh');
  } finally {
    proxy.mode = 'pass';
  }
  assert.equal(await nameOf(tab, ids.y), '慢速改名科技有限公司');
  await syncOk(tab);
  await syncOk(desk);
  assert.equal(await nameOf(desk, ids.y), '慢速改名科技有限公司');
});

test('the sync location answers 503: a plain message, nothing lost, the next sync completes', async () => {
  await rename(desk, ids.x, '故障改名科技有限公司');
  proxy.mode = 'status:503';
  try {
    const s = await syncFails(desk, 'err.sync.remote_unavailable', /not working right now.*nothing was lost/);
    assert.ok(s.syncUnsent > 0);
    await screenshot(desk, 'sync-fault-503');
  } finally {
    proxy.mode = 'pass';
  }
  assert.equal(await nameOf(desk, ids.x), '故障改名科技有限公司');
  await syncOk(desk);
  await syncOk(tab);
  assert.equal(await nameOf(tab, ids.x), '故障改名科技有限公司');
});

test('a Wi-Fi sign-in page answers instead (zh-CN): "not sync data", nothing applied or lost', async () => {
  await rename(tab, ids.y, '门户改名科技有限公司');
  proxy.mode = 'html';
  try {
    const s = await syncFails(tab, 'err.sync.remote_bad_answer', /不是同步数据.*登录页面/);
    assert.ok(s.syncUnsent > 0);
    await screenshot(tab, 'sync-fault-portal-zh');
  } finally {
    proxy.mode = 'pass';
  }
  assert.equal(await nameOf(tab, ids.y), '门户改名科技有限公司');
  await syncOk(tab);
  await syncOk(desk);
  assert.equal(await nameOf(desk, ids.y), '门户改名科技有限公司');
});

test('the server\'s quota is full (507), in both languages: "is full", then room again and the edits cross', async () => {
  await rename(desk, ids.x, '满盘改名科技有限公司');
  await rename(tab, ids.y, '满盘平板改名有限公司');
  await serve.restart({ quotaMb: 0.001 });  // far less than the team's files already take
  try {
    assert.ok((await syncFails(desk, 'err.sync.remote_full', /sync location is full.*free space/)).syncUnsent > 0);
    await screenshot(desk, 'sync-fault-full');
    assert.ok((await syncFails(tab, 'err.sync.remote_full', /同步位置已满/)).syncUnsent > 0);
    await screenshot(tab, 'sync-fault-full-zh');
  } finally {
    await serve.restart({});
  }
  assert.equal(await nameOf(desk, ids.x), '满盘改名科技有限公司');
  assert.equal(await nameOf(tab, ids.y), '满盘平板改名有限公司');
  await syncOk(desk);
  await syncOk(tab);
  await syncOk(desk);
  assert.equal(await nameOf(tab, ids.x), '满盘改名科技有限公司');
  assert.equal(await nameOf(desk, ids.y), '满盘平板改名有限公司');
});

// Three segments from one device, the middle one damaged on the server's disk: the receiver
// applies the first, nothing of the damaged one, and not the third either (segments of a
// device apply in order); its own edit made before stays. Restored, everything arrives.
async function damagedSegment(from, to, damage, what, shot) {
  const before = { x: await nameOf(to, ids.x), y: await nameOf(to, ids.y) };
  await rename(to, ids.z, `${shot}本机改名有限公司`);
  await renameAndSend(from, ids.x, `${shot}第一段有限公司`);
  const bad = await renameAndSend(from, ids.y, `${shot}第二段有限公司`);
  await renameAndSend(from, ids.x, `${shot}第三段有限公司`);
  const file = path.join(serve.dir, bad);
  const good = readFileSync(file);
  writeFileSync(file, damage(good));
  try {
    await syncFails(to, 'err.sync.tampered', what);
    await screenshot(to, `sync-fault-${shot}`);
  } finally {
    writeFileSync(file, good);
  }
  assert.equal(await nameOf(to, ids.x), `${shot}第一段有限公司`, 'the segment before the damaged one applied');
  assert.equal(await nameOf(to, ids.y), before.y, 'nothing of the damaged segment');
  assert.equal(await nameOf(to, ids.z), `${shot}本机改名有限公司`, 'the local edit stays');
  await syncOk(to);
  assert.equal(await nameOf(to, ids.x), `${shot}第三段有限公司`);
  assert.equal(await nameOf(to, ids.y), `${shot}第二段有限公司`);
  await syncOk(from);
  assert.equal(await nameOf(from, ids.z), `${shot}本机改名有限公司`);
}

test('a truncated segment on the server (zh-CN receiver): refused whole, the rest waits, restored it all arrives', async () => {
  await damagedSegment(desk, tab, (b) => b.subarray(0, b.length >> 1), /无法用团队密钥打开.*均未应用/, 'truncated-zh');
});

test('a tampered segment on the server: refused whole, the rest waits, restored it all arrives', async () => {
  await damagedSegment(tab, desk, (b) => { const c = Buffer.from(b); c[c.length >> 1] ^= 0x01; return c; },
    /does not open with the team key.*nothing of it was applied/, 'tampered');
});

test('an invite code with another key: the join is refused in plain words, the right code joins', async () => {
  const other = await openApp(deskBrowser, proxy.origin + '/', { view: 'landscape', lang: 'en' });
  try {
    await newEmptyWorkspace(other);
    await setLocation(other);
    const wrong = inviteWithOtherKey(invite);
    assert.notEqual(wrong, invite);
    await typeInto(other, 'Invite code', wrong);
    const s = await syncJob(other, 'Join the team');
    assert.equal(s.syncErrorCode, 'err.sync.wrong_key', s.syncError);
    assert.match(s.syncError, /invite code.*ask .*again/i);
    assert.doesNotMatch(s.syncError, /err\.|HTTP/);
    assert.equal(s.syncInvite, '', 'not in the team');

    await screenshot(other, 'sync-fault-wrong-key');
    await clearField(other, 'Invite code');
    await typeInto(other, 'Invite code', invite);
    const joined = await syncJob(other, 'Join the team');
    assert.equal(joined.syncError, '');
    assert.equal(joined.syncInvite, invite);
    assert.ok(joined.syncReceived > 0);
    assert.equal(await nameOf(other, ids.z), await nameOf(desk, ids.z), 'the team\'s latest edits arrived');
  } finally {
    await other.context.close();
  }
});

test('two devices press Sync now at the same moment: both complete, and their edits cross', async () => {
  await rename(desk, ids.x, '同时桌面改名有限公司');
  await rename(tab, ids.y, '同时平板改名有限公司');
  await rename(desk, ids.z, '同时桌面同字段有限公司');
  await rename(tab, ids.z, '同时平板同字段有限公司');  // the later edit of the same field wins everywhere
  await goTo(desk, 'nav.settings', '#/settings');
  await goTo(tab, 'nav.settings', '#/settings');
  const [a, b] = await Promise.all([syncNow(desk), syncNow(tab)]);
  assert.equal(a.syncError, '');
  assert.equal(b.syncError, '');
  assert.equal(a.syncUnsent + b.syncUnsent, 0);
  await syncOk(desk);
  await syncOk(tab);
  assert.equal(await nameOf(desk, ids.y), '同时平板改名有限公司');
  assert.equal(await nameOf(tab, ids.x), '同时桌面改名有限公司');
  assert.equal(await nameOf(desk, ids.z), '同时平板同字段有限公司');
  assert.equal(await nameOf(tab, ids.z), '同时平板同字段有限公司');
});
