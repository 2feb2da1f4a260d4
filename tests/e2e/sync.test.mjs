// Team sync between two separate browsers (each its own profile and storage), through
// serve.py's sync API and through a real Apache WebDAV server, both on loopback. One
// browser is a desktop with a mouse and the demo data; the other a tablet by touch that
// starts from a new, empty encrypted workspace and joins with the invite code.
// An edit on one appears on the other; the same field edited on both ends the same on both
// (the later edit), and the device whose edit lost is shown what another device changed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launchBrowser, openApp, press, typeInto, find, waitState, screenshot, ROOT } from './harness.mjs';
import { syncJob, rename, nameOf, newEmptyWorkspace } from './sync_steps.mjs';
import { startServe } from '../servers/serve.mjs';
import { startWebdav } from '../servers/webdav.mjs';

let serve, webdav, desktopBrowser, tabletBrowser;
before(async () => {
  serve = await startServe({ root: path.join(ROOT, 'build/web'), token: 'team-token-42' });
  webdav = await startWebdav();
  desktopBrowser = await launchBrowser();
  tabletBrowser = await launchBrowser();
});
after(async () => {
  await desktopBrowser?.close();
  await tabletBrowser?.close();
  await serve?.stop();
  await webdav?.stop();
});

async function setLocation(app, location) {
  if (location.kind === 'webdav') await press(app, 'WebDAV');
  await typeInto(app, 'Address', location.url);
  if (location.kind === 'http') await typeInto(app, 'Team token', location.token);
}

for (const kind of ['http', 'webdav']) {
  test(`two browsers sync through ${kind === 'http' ? 'serve.py' : 'Apache WebDAV'}: edits cross, a conflict ends the same on both`, async () => {
    const location = kind === 'http' ? { kind, url: serve.url, token: 'team-token-42' } : { kind, url: webdav.url };
    const desk = await openApp(desktopBrowser, serve.origin + '/', { view: 'desktop', lang: 'en' });
    const tab = await openApp(tabletBrowser, serve.origin + '/', { view: 'portrait', lang: 'en' });
    const demo = await waitState(desk.page, (s) => s.save === 'saved' && s.customersTotal > 0, 30000);
    // Tall enough for Settings → Team sync without scrolling, as in sync_kinds and
    // sync_faults: wheel scrolls of Settings sometimes do not take on a loaded machine
    // (not root-caused; see the session notes).
    await desk.page.setViewportSize({ width: 1440, height: 2400 });

    // The desktop starts the team: its demo customers go out.
    await press(desk, 'Settings');
    await setLocation(desk, location);
    const started = await syncJob(desk, 'Start a team');
    assert.equal(started.syncError, '');
    assert.match(started.syncInvite, /^CRM1-/);
    assert.equal(started.syncUnsent, 0);
    await screenshot(desk, `sync-${kind}-team-started`);

    // The tablet joins from an empty encrypted workspace, typing the invite by touch.
    await newEmptyWorkspace(tab);
    await setLocation(tab, location);
    await typeInto(tab, 'Invite code', started.syncInvite);
    const joined = await syncJob(tab, 'Join the team');
    assert.equal(joined.syncError, '');
    assert.ok(joined.syncReceived > 0);
    await screenshot(tab, `sync-${kind}-joined`);
    await press(tab, 'Customers');
    await waitState(tab.page, (s) => s.route === '#/customers' && s.customersTotal === demo.customersTotal);

    // Manual sync for the exchanges below (the minute timer would otherwise sync in between).
    await press(desk, 'Sync automatically when online');
    await press(tab, 'Settings');
    await press(tab, 'Sync automatically when online');

    // An edit on the desktop appears on the tablet.
    await press(desk, 'Customers');
    await waitState(desk.page, (s) => s.route === '#/customers' && s.customersShown > 0);
    await press(desk, (await find(desk.page, /有限公司$/)).label);
    const id = (await waitState(desk.page, (s) => /^#\/customers\/[^/]+$/.test(s.route))).route.split('/')[2];
    await rename(desk, id, '甲方改名科技有限公司');
    await press(desk, 'Settings');
    assert.equal((await syncJob(desk, 'Sync now')).syncError, '');
    await press(tab, 'Settings');
    const pulled = await syncJob(tab, 'Sync now');
    assert.equal(pulled.syncError, '');
    assert.ok(pulled.syncOverwritten >= 1, 'the tablet is told a field changed');
    assert.equal(await nameOf(tab, id), '甲方改名科技有限公司');

    // The same field on both, the tablet's edit later: both end with the tablet's.
    await rename(desk, id, '桌面冲突有限公司');
    await rename(tab, id, '平板冲突有限公司');
    await press(desk, 'Settings');
    assert.equal((await syncJob(desk, 'Sync now')).syncError, '');
    await press(tab, 'Settings');
    assert.equal((await syncJob(tab, 'Sync now')).syncError, '');
    const settled = await syncJob(desk, 'Sync now');
    assert.equal(settled.syncError, '');
    assert.ok(settled.syncOverwritten >= 1);
    await screenshot(desk, `sync-${kind}-overwritten`);
    assert.equal(await nameOf(desk, id), '平板冲突有限公司');
    assert.equal(await nameOf(tab, id), '平板冲突有限公司');

    // Automatic sync: with it on again, coming back online sends an edit and fetches it.
    await press(desk, 'Settings');
    await press(desk, 'Sync automatically when online');
    await press(tab, 'Settings');
    await press(tab, 'Sync automatically when online');
    await rename(desk, id, '自动同步有限公司');
    for (const app of [desk, tab]) {
      const jobs = (await waitState(app.page, () => true)).syncJobs;
      await app.page.evaluate(() => window.dispatchEvent(new Event('online')));
      const s = await waitState(app.page, (st) => st.syncJobs > jobs && !st.syncRunning, 60000);
      assert.equal(s.syncError, '');
      assert.equal(s.syncUnsent, 0);
    }
    assert.equal(await nameOf(tab, id), '自动同步有限公司');

    // A device's first round asks for its own head before there is one (404), and WebDAV
    // answers 405 to creating a folder that exists: answers the protocol expects, which the
    // browser still logs as failed loads. Nothing else may be logged.
    const unexpected = (errors) => errors.filter((e) => !/status of (404|405)/.test(e));
    assert.deepEqual(unexpected(desk.errors), []);
    assert.deepEqual(unexpected(tab.errors), []);
    await desk.context.close();
    await tab.context.close();
  });
}
