// Creating a customer by touch (tablet) and by mouse (desktop): validation names the
// problem under the field and keeps Save disabled until it is fixed; a record that looks
// like an existing customer shows the candidate and why; the new customer is saved to the
// device and is still there after a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openApp, find, press, typeInto, waitState, screenshot, items, reload } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

async function choose(app, field, option) {
  await press(app, field);
  await press(app, option);
}

for (const view of ['landscape', 'desktop']) {
  test(`create a customer after fixing a validation error, and find it after a reload (${view})`, async () => {
    const app = await openApp(browser, server.url, { view, lang: 'zh-CN' });
    const start = await waitState(app.page, (s) => s.customersTotal > 0 && s.save === 'saved', 30000);
    await press(app, '客户');
    await press(app, '新建客户');
    await waitState(app.page, (s) => s.route === '#/customers/new');
    await typeInto(app, '名称', '温州远航泵阀制造有限公司');
    await choose(app, '所属行业', '制造业');
    await choose(app, '客户来源', '官网');
    await typeInto(app, '手机', '1391234567');   // ten digits: one short
    const invalid = await waitState(app.page, (s) => s.formErrors.includes('err.mobile.format field.contacts.mobile'));
    assert.equal(invalid.formErrors.length, 1, 'only the phone is wrong: ' + invalid.formErrors.join(', '));
    await screenshot(app, 'new-customer-invalid');
    await press(app, '保存');                      // disabled: nothing happens
    assert.equal((await waitState(app.page, () => true)).route, '#/customers/new');

    await typeInto(app, '手机', '9');              // the caret is at the end: 13912345679
    await waitState(app.page, (s) => s.formErrors.length === 0);
    await press(app, '保存');
    await waitState(app.page, (s) => /^#\/customers\/(?!new)/.test(s.route));   // its detail screen
    await waitState(app.page, (s) => s.save === 'saved');
    await screenshot(app, 'new-customer-saved');
    await press(app, '客户');
    await waitState(app.page, (s) => s.route === '#/customers' && s.customersTotal === start.customersTotal + 1);

    await reload(app);
    const after = await waitState(app.page, (s) => s.customersTotal > 0);
    assert.equal(after.created, false);
    assert.equal(after.customersTotal, start.customersTotal + 1, 'the new customer survived the reload');
    await press(app, '客户');
    await typeInto(app, '搜索', '远航泵阀');
    await waitState(app.page, (s) => s.search === '远航泵阀' && s.customersShown >= 1);
    const listed = (await items(app.page)).map((it) => it.label);
    assert.ok(listed.includes('温州远航泵阀制造有限公司'), 'listed: ' + listed.join(' | '));
    assert.deepEqual(app.errors, []);
    await app.context.close();
  });
}

test('a customer that looks like an existing one shows it and why before saving', async () => {
  const app = await openApp(browser, server.url, { view: 'desktop', lang: 'zh-CN' });
  await press(app, '客户');
  await waitState(app.page, (s) => s.customersShown > 0);
  // An existing enterprise customer's name, as listed.
  const existing = (await find(app.page, /有限公司$/)).label;
  await press(app, '新建客户');
  await typeInto(app, '名称', existing);
  const s = await waitState(app.page, (st) => st.formDuplicates >= 1);
  assert.ok(s.formDuplicates >= 1);
  await press(app, '仍然保存');                    // the button says what saving now means
  await press(app, '打开该客户');
  await waitState(app.page, (st) => /^#\/customers\/(?!new)/.test(st.route));
  assert.deepEqual(app.errors, []);
  await app.context.close();
});

for (const view of ['portrait', 'desktop']) {
  test(`a duplicate is saved anyway after the warning, then merged field by field (${view})`, async () => {
    const app = await openApp(browser, server.url, { view, lang: 'zh-CN' });
    await waitState(app.page, (s) => s.customersTotal > 0 && s.save === 'saved', 30000);
    await press(app, '客户');
    const start = await waitState(app.page, (s) => s.route === '#/customers' && s.customersShown > 0);
    const existing = (await find(app.page, /有限公司$/)).label;
    await press(app, '新建客户');
    await typeInto(app, '名称', existing);
    await choose(app, '所属行业', '制造业');
    await choose(app, '客户来源', '官网');
    await typeInto(app, '手机', '13700001111');
    await waitState(app.page, (s) => s.formDuplicates >= 1 && s.formErrors.length === 0);
    await press(app, '仍然保存');
    let s = await waitState(app.page, (st) => /^#\/customers\/(?!new)/.test(st.route) && st.detailDuplicates >= 1);
    const kept = s.route.split('/')[2];
    await screenshot(app, 'possible-duplicates');

    await press(app, '比较并合并…');
    s = await waitState(app.page, (st) => st.route.startsWith(`#/customers/${kept}/merge/`) && st.mergeFields > 0);
    // Keep the existing record's source instead of the new one's.
    const sourceButtons = (await items(app.page)).filter((it) => it.path.includes('merge_fields') && it.label !== '官网' && it.kind === 'button');
    assert.ok(sourceButtons.length > 0);
    await screenshot(app, 'merge');
    await press(app, `合并到 ${existing}`);
    s = await waitState(app.page, (st) => st.route === `#/customers/${kept}` && st.detailDuplicates === 0);
    await press(app, '客户');
    await waitState(app.page, (st) => st.route === '#/customers' && st.customersTotal === start.customersTotal,
      10000);   // one record in, one merged away
    assert.deepEqual(app.errors, []);
    await app.context.close();
  });
}

test('a draft survives moving around the app, and leaving the page with it asks first', async () => {
  const app = await openApp(browser, server.url, { view: 'landscape', lang: 'en' });
  await waitState(app.page, (s) => s.customersTotal > 0 && s.save === 'saved', 30000);
  await press(app, 'Customers');
  await press(app, 'New customer');
  await typeInto(app, 'Name', '温州远航泵阀制造有限公司');
  await waitState(app.page, (s) => s.unsaved);
  await press(app, 'Today');
  await waitState(app.page, (s) => s.route === '#/today');
  await app.page.goBack();                       // the browser's back button
  await waitState(app.page, (s) => s.route === '#/customers/new');
  const name = await find(app.page, 'Name', { kind: 'input' });
  assert.equal(name.value, '温州远航泵阀制造有限公司', 'the draft was kept');
  // Reloading would lose it: the browser asks, and staying keeps everything.
  const asked = new Promise((resolve) => app.page.once('dialog', async (d) => { resolve(d.type()); await d.dismiss(); }));
  await app.page.evaluate(() => { location.reload(); }).catch(() => {});
  assert.equal(await asked, 'beforeunload');
  const still = await waitState(app.page, (s) => s.route === '#/customers/new' && s.unsaved);
  assert.equal(still.unsaved, true);
  await press(app, 'Cancel');
  await waitState(app.page, (s) => !s.unsaved);
  await app.context.close();
});
