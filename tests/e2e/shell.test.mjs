// The app shell: loads cleanly at every size, text input (IME commit) by touch, idle = no frames,
// language switch, routes and the back button.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openApp, find, press, typeInto, state, waitState, screenshot, VIEWPORTS } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

for (const view of Object.keys(VIEWPORTS)) {
  test(`loads with no console errors and shows the demo customers (${view})`, async () => {
    for (const lang of ['en', 'zh-CN']) {
      const app = await openApp(browser, server.url, { view, lang });
      const s = await state(app.page);
      assert.equal(s.lang, lang);
      assert.ok(s.demo, 'first run opens the demo workspace');
      await press(app, lang === 'en' ? 'Customers' : '客户');
      const listed = await waitState(app.page, (st) => st.route === '#/customers' && st.customersShown > 0);
      assert.ok(listed.customersTotal >= 150, `demo set has ~200 customers, got ${listed.customersTotal}`);
      await screenshot(app, `customers-${lang}`);
      await press(app, lang === 'en' ? 'Today' : '今日');
      await waitState(app.page, (st) => st.route === '#/today');
      await screenshot(app, `today-${lang}`);
      assert.deepEqual(app.errors, [], 'console errors: ' + app.errors.join('\n'));
      await app.context.close();
    }
  });
}

test('tapping a text field by its label and committing 张三 through the IME types it (touch)', async () => {
  const app = await openApp(browser, server.url, { view: 'landscape', lang: 'zh-CN' });
  await press(app, '客户');
  await typeInto(app, '搜索', '张三');
  await waitState(app.page, (s) => s.search === '张三');
  const field = await find(app.page, '搜索', { kind: 'input' });
  assert.equal(field.value, '张三');
  await screenshot(app, 'ime-zhangsan');
  assert.deepEqual(app.errors, []);
  await app.context.close();
});

test('an idle app draws no frames', async () => {
  const app = await openApp(browser, server.url, { view: 'desktop', lang: 'en' });
  await press(app, 'Customers');
  // Wait until the app stops asking for frames, then check the counter stays put for 2 s.
  await app.page.waitForFunction(() => new Promise((resolve) => {
    const a = window.crm.test.frameCount();
    setTimeout(() => resolve(window.crm.test.frameCount() === a), 500);
  }), null, { timeout: 10000, polling: 100 });
  const before = await app.page.evaluate(() => window.crm.test.frameCount());
  await app.page.waitForTimeout(2000);   // the property under test is "nothing happens for 2 s"
  const afterIdle = await app.page.evaluate(() => window.crm.test.frameCount());
  assert.equal(afterIdle, before, 'frames were drawn while idle');
  // And input wakes it up again.
  await app.page.mouse.move(400, 300);
  await app.page.waitForFunction((n) => window.crm.test.frameCount() > n, afterIdle);
  await app.context.close();
});

test('language switch takes effect at once, and the back button returns to the previous screen', async () => {
  const app = await openApp(browser, server.url, { view: 'desktop', lang: 'en' });
  await press(app, 'Settings');
  await waitState(app.page, (s) => s.route === '#/settings');
  await press(app, '中文');
  await waitState(app.page, (s) => s.lang === 'zh-CN');
  await find(app.page, '设置');
  await press(app, '客户');
  await waitState(app.page, (s) => s.route === '#/customers');
  await app.page.goBack();
  await waitState(app.page, (s) => s.route === '#/settings');
  await app.context.close();
});

for (const view of ['portrait', 'desktop']) {
  test(`after the first visit the app opens offline, with its data (${view})`, async () => {
    const app = await openApp(browser, server.url, { view, lang: 'en' });
    const online = await waitState(app.page, (s) => s.save === 'saved' && s.customersTotal > 0, 30000);
    // The service worker has cached every app file once it controls the page.
    await app.page.evaluate(() => navigator.serviceWorker.ready);
    await app.page.reload();
    await app.page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });
    await app.context.setOffline(true);
    await app.page.reload();
    await app.page.waitForFunction(() => window.crm && window.crm.test, null, { timeout: 30000 });
    await app.page.evaluate(() => window.crm.test.ready);
    const offline = await waitState(app.page, (s) => s.customersTotal > 0);
    assert.equal(offline.customersTotal, online.customersTotal);
    assert.equal(offline.blocked, '');
    await press(app, 'Customers');
    await waitState(app.page, (s) => s.route === '#/customers' && s.customersShown > 0);
    await screenshot(app, 'offline');
    await app.context.setOffline(false);
    await app.context.close();
  });
}

// Every main screen at the three sizes, reached by deep link where it has one; the
// screenshots are for people to look at (clipped labels, overlaps, missing glyphs).
test('every main screen at 768x1024, 1024x768 and 1440x900, by deep link', async () => {
  for (const view of Object.keys(VIEWPORTS)) {
    const app = await openApp(browser, server.url, { view, lang: 'zh-CN' });
    await press(app, '客户');
    const listed = await waitState(app.page, (s) => s.route === '#/customers' && s.customersShown > 0);
    const row = await find(app.page, /有限公司$/);
    await press(app, row.label);
    const detail = await waitState(app.page, (s) => /^#\/customers\/[^/]+$/.test(s.route) && s.route !== '#/customers/new');
    const id = detail.route.split('/')[2];
    const screens = [['today', '#/today'], ['customers', '#/customers'], ['customer', `#/customers/${id}`],
      ['new-customer', '#/customers/new'], ['log', `#/customers/${id}/log`], ['log-pick', '#/log'], ['settings', '#/settings']];
    for (const [name, hash] of screens) {
      await app.page.evaluate((h) => { location.hash = h; }, hash);
      await waitState(app.page, (s) => s.route === hash);
      await screenshot(app, `screen-${name}`);
    }
    assert.ok(listed.customersTotal > 0);
    assert.deepEqual(app.errors, []);
    await app.context.close();
  }
});
