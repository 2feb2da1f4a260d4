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
