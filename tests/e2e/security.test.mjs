// An encrypted workspace in place of the demo: passphrase twice, the recovery key shown
// once; after a reload the app is locked; a wrong passphrase says so and opens nothing;
// the passphrase and the recovery key each unlock it, with the data saved before.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openApp, press, typeInto, waitState, screenshot, reload } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('create an encrypted workspace, lock by reloading, refuse a wrong passphrase, unlock', async () => {
  const app = await openApp(browser, server.url, { view: 'desktop', lang: 'en' });
  await waitState(app.page, (s) => s.save === 'saved' && s.demo === true, 30000);
  await press(app, 'Settings');
  const passphrase = 'north-river 客户 2024';
  await typeInto(app, 'New passphrase', passphrase);
  await typeInto(app, 'Passphrase again', passphrase);
  await press(app, 'Replace the demo data on this device');
  await press(app, 'Create encrypted workspace');
  const created = await waitState(app.page, (s) => s.recoveryKey.length === 39, 20000);
  assert.equal(created.demo, false);
  await screenshot(app, 'recovery-key');
  const recovery = created.recoveryKey;
  await press(app, 'I have written it down');
  const empty = await waitState(app.page, (s) => s.recoveryKey === '' && s.save === 'saved');
  assert.equal(empty.customersTotal, 0, 'a new workspace starts empty');

  // One customer, so there is data to find after unlocking.
  await press(app, 'Customers');
  await press(app, 'New customer');
  await typeInto(app, 'Name', '宁波海川贸易有限公司');
  await press(app, 'Industry'); await press(app, 'Wholesale and retail trade');
  await press(app, 'Source'); await press(app, 'Referral');
  await typeInto(app, 'Mobile', '13712345678');
  await waitState(app.page, (s) => s.formErrors.length === 0);
  await press(app, 'Save');
  await waitState(app.page, (s) => /^#\/customers\/(?!new)/.test(s.route) && s.save === 'saved');
  await app.page.evaluate(() => window.crmStore.flushed());

  await reload(app);
  assert.equal((await waitState(app.page, (s) => s.locked)).customersTotal, 0);
  await screenshot(app, 'locked');
  await typeInto(app, 'Passphrase or recovery key', 'north-river 客户 2023');
  await press(app, 'Unlock');
  const refused = await waitState(app.page, (s) => s.securityError !== '', 20000);
  assert.equal(refused.locked, true);
  assert.match(refused.securityError, /passphrase is not right/);
  await typeInto(app, 'Passphrase or recovery key', passphrase);
  await press(app, 'Unlock');
  await waitState(app.page, (s) => !s.locked, 20000);
  await press(app, 'Customers');
  await waitState(app.page, (s) => s.route === '#/customers' && s.customersTotal === 1);

  // Change the passphrase in Settings: the old one stops working, the new one and the
  // recovery key open the same data.
  await press(app, 'Settings');
  await typeInto(app, 'New passphrase', 'east-lake 2025 客户');
  await typeInto(app, 'Passphrase again', 'east-lake 2025 客户');
  await press(app, 'Change passphrase', { kind: 'button' });
  await waitState(app.page, (s) => s.securityDone !== '');
  await app.page.evaluate(() => window.crmStore.flushed());
  await reload(app);
  await waitState(app.page, (s) => s.locked);
  await typeInto(app, 'Passphrase or recovery key', passphrase);
  await press(app, 'Unlock');
  assert.match((await waitState(app.page, (s) => s.securityError !== '', 20000)).securityError, /not right/);
  await typeInto(app, 'Passphrase or recovery key', 'east-lake 2025 客户');
  await press(app, 'Unlock');
  await waitState(app.page, (s) => !s.locked, 20000);

  await reload(app);
  await waitState(app.page, (s) => s.locked);
  await typeInto(app, 'Passphrase or recovery key', recovery.toLowerCase());
  await press(app, 'Unlock');
  await waitState(app.page, (s) => !s.locked, 20000);
  await press(app, 'Customers');
  await waitState(app.page, (s) => s.route === '#/customers' && s.customersTotal === 1);

  // Auto-lock: 14 idle minutes keep it open, 15 (the default) lock it; 5 after choosing 5.
  assert.equal((await waitState(app.page, () => true)).autolock, 15);
  await app.page.evaluate(() => window.crm.test.idleFor(14 * 60000));
  assert.equal((await waitState(app.page, () => true)).locked, false);
  await app.page.evaluate(() => window.crm.test.idleFor(15 * 60000 + 1000));
  await waitState(app.page, (s) => s.locked);
  await typeInto(app, 'Passphrase or recovery key', 'east-lake 2025 客户');
  await press(app, 'Unlock');
  await waitState(app.page, (s) => !s.locked, 20000);
  await press(app, 'Settings');
  await press(app, '5 minutes');
  await waitState(app.page, (s) => s.autolock === 5);
  await app.page.evaluate(() => window.crm.test.idleFor(5 * 60000 + 1000));
  await waitState(app.page, (s) => s.locked);
  assert.deepEqual(app.errors, []);
  await app.context.close();
});
