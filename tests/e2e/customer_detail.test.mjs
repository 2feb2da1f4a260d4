// The customer page beyond the basics, by touch on a tablet and by mouse on a desktop: edit a
// contact and remove one (with a confirmation); the key dates, consents and history of
// changes sections (screenshots at the three sizes); a list row's context menu by long
// press (touch) and by right click (mouse).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openApp, press, typeInto, waitState, screenshot, find, items } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

// Customer rows are the buttons inside the customers table; their label is the name.
async function customerRows(page) {
  return (await items(page)).filter((it) => it.path.includes('/customers_') && it.kind === 'button' && it.label &&
    !it.label.includes('/'));
}

// Waits until no widget has this label any more.
async function gone(page, label) {
  for (let i = 0; i < 100; i++) {
    if (!(await items(page)).some((it) => it.label === label)) return;
    await page.evaluate(() => window.crm.test.nextFrame());
  }
  throw new Error(label + ' is still on screen');
}

async function openList(app, nav = 'Customers') {
  await waitState(app.page, (s) => s.save === 'saved' && s.customersTotal > 0, 30000);
  await press(app, nav);
  await waitState(app.page, (s) => s.route === '#/customers' && s.customersShown > 0);
}

for (const view of ['portrait', 'desktop']) {
  test(`edit a contact, then remove one after confirming (${view})`, async () => {
    const app = await openApp(browser, server.url, { view, lang: 'en' });
    await openList(app);
    const [row] = await customerRows(app.page);
    await press(app, row.label);
    let s = await waitState(app.page, (st) => /^#\/customers\/[^/]+$/.test(st.route) && st.detailContacts > 0);
    const id = s.route.split('/')[2];
    const contacts = s.detailContacts;
    const history = s.detailHistory;

    // A new contact first, so that removing one never leaves the customer unreachable.
    await press(app, 'Add contact');
    await typeInto(app, 'Name', '赵敏');
    await typeInto(app, 'Mobile', '13700001111');
    await press(app, 'Save');
    s = await waitState(app.page, (st) => st.route === `#/customers/${id}` && st.detailContacts === contacts + 1);
    assert.ok(s.detailContactList.includes('赵敏|'));

    // Edit: the form holds the stored values; Save writes the changed field only.
    await press(app, 'Edit 赵敏');
    s = await waitState(app.page, (st) => st.route.startsWith(`#/customers/${id}/contact/`) && !st.route.endsWith('/new'));
    assert.equal(s.unsaved, false, 'an untouched stored contact is not a draft');
    await typeInto(app, 'Job title', '采购经理');
    await waitState(app.page, (st) => st.unsaved === true);
    await screenshot(app, 'edit-contact');
    await press(app, 'Save');
    s = await waitState(app.page, (st) => st.route === `#/customers/${id}` && st.detailContactList.includes('赵敏|采购经理'));
    assert.equal(s.detailContacts, contacts + 1);
    assert.ok(s.detailHistory >= history + 2, 'the creation and the change are in the history');

    // Remove asks first; Cancel keeps the contact, Remove takes it off the page.
    await press(app, 'Edit 赵敏');
    await press(app, 'Remove contact');
    await find(app.page, 'Remove');
    await screenshot(app, 'remove-contact');
    // The dialog's Cancel (the form has one too, under the dialog).
    const cancel = (await items(app.page)).find((it) => it.label === 'Cancel' && it.path.includes('remove_contact'));
    assert.ok(cancel, 'the dialog has a Cancel button');
    if (app.touch) await app.page.touchscreen.tap(cancel.x + cancel.w / 2, cancel.y + cancel.h / 2);
    else await app.page.mouse.click(cancel.x + cancel.w / 2, cancel.y + cancel.h / 2);
    await waitState(app.page, (st) => st.route.includes('/contact/') && st.detailContacts === contacts + 1);
    await gone(app.page, 'Remove');   // the dialog closed
    await press(app, 'Remove contact');
    await press(app, 'Remove');
    s = await waitState(app.page, (st) => st.route === `#/customers/${id}` && st.detailContacts === contacts);
    assert.ok(!s.detailContactList.some((c) => c.startsWith('赵敏|')));
    assert.equal(s.contactError, '');
  });
}

test('key dates, consents and history render on the customer page (three sizes)', async () => {
  for (const view of ['portrait', 'landscape', 'desktop']) {
    const app = await openApp(browser, server.url, { view, lang: 'zh-CN' });
    await openList(app, '客户');
    // Every 5th demo customer has key dates and a consent: look through the rows on screen.
    let found = null;
    for (const row of await customerRows(app.page)) {
      await press(app, row.label);
      const s = await waitState(app.page, (st) => /^#\/customers\/[^/]+$/.test(st.route) && st.detailHistory > 0);
      if (s.detailKeyDates > 0 && s.detailConsents > 0) { found = s; break; }
      await press(app, '返回列表');
      await waitState(app.page, (st) => st.route === '#/customers');
    }
    assert.ok(found, 'a customer on the first screen has key dates and consents');
    for (const key of ['customer.key_dates', 'customer.consents', 'customer.history'])
      assert.ok(found.detailSections.includes(key), `${key} is drawn`);
    // The page is read once, not on every frame: frames without changes read nothing.
    const reads = found.detailReads;
    for (let i = 0; i < 5; i++) await app.page.evaluate(() => window.crm.test.nextFrame());
    assert.equal((await waitState(app.page, () => true)).detailReads, reads);
    // Scroll down to the history (the newest change first).
    const size = app.page.viewportSize();
    if (app.touch) {
      const cdp = await app.context.newCDPSession(app.page);
      const at = (y) => [{ x: size.width * 0.6, y }];
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(size.height * 0.8) });
      for (let y = size.height * 0.8; y > size.height * 0.3; y -= 40) {
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(y) });
        await app.page.evaluate(() => window.crm.test.nextFrame());
      }
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      await cdp.detach();
    } else {
      await app.page.mouse.move(size.width * 0.6, size.height * 0.6);
      await app.page.mouse.wheel(0, 600);
    }
    for (let i = 0; i < 30; i++) await app.page.evaluate(() => window.crm.test.nextFrame());
    await screenshot(app, 'customer-details');
    await app.context.close();
  }
});

test('long press on a list row opens its actions (touch)', async () => {
  const app = await openApp(browser, server.url, { view: 'landscape', lang: 'en' });
  await app.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openList(app);
  const cdp = await app.context.newCDPSession(app.page);
  const longPress = async (row) => {
    const at = [{ x: row.x + row.w / 2, y: row.y + row.h / 2 }];
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at });
    await find(app.page, 'Open', { timeout: 5000 });   // the menu appears while the finger rests
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    return waitState(app.page, (s) => s.rowMenu !== '');
  };
  let [row] = await customerRows(app.page);
  let s = await longPress(row);
  assert.equal(s.route, '#/customers', 'a long press does not open the row');
  await screenshot(app, 'row-menu');
  await press(app, 'Log interaction');
  s = await waitState(app.page, (st) => st.route === `#/customers/${s.rowMenu}/log`);

  await press(app, 'Customers');
  await waitState(app.page, (st) => st.route === '#/customers');
  [row] = await customerRows(app.page);
  s = await longPress(row);
  await press(app, 'Change status');
  await waitState(app.page, (st) => st.route === `#/customers/${s.rowMenu}` && st.statusDialog === true);
  await press(app, 'Cancel');
  await waitState(app.page, (st) => st.statusDialog === false);

  await press(app, 'Customers');
  await waitState(app.page, (st) => st.route === '#/customers');
  [row] = await customerRows(app.page);
  s = await longPress(row);
  await press(app, 'Copy phone');
  // The browser's clipboard is written asynchronously: read it until the number is there.
  let copied = '';
  for (let i = 0; i < 50 && !/^[0-9-]{7,}$/.test(copied); i++) {
    copied = await app.page.evaluate(() => navigator.clipboard.readText().catch((e) => 'error: ' + e.message));
    await app.page.evaluate(() => window.crm.test.nextFrame());
  }
  assert.match(copied, /^[0-9-]{7,}$/, 'a phone number was copied');
  await waitState(app.page, (st) => st.rowMenu === '' && st.route === '#/customers');
  await app.context.close();
});

test('right click on a list row opens the same actions (mouse)', async () => {
  const app = await openApp(browser, server.url, { view: 'desktop', lang: 'en' });
  await openList(app);
  const [row] = await customerRows(app.page);
  await app.page.mouse.click(row.x + row.w / 2, row.y + row.h / 2, { button: 'right' });
  const s = await waitState(app.page, (st) => st.rowMenu !== '');
  assert.equal(s.route, '#/customers');
  await press(app, 'Open');
  await waitState(app.page, (st) => st.route === `#/customers/${s.rowMenu}`);
  await app.context.close();
});
