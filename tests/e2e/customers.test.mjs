// The customers list over the data core: search finds a customer by a two-character Chinese
// substring typed through the IME, by touch (tablet) and by mouse (desktop).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openApp, items, press, typeInto, waitState, screenshot } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

// Customer rows are the buttons inside the customers table; their label is the name.
async function customerNames(page) {
  return (await items(page)).filter((it) => it.path.includes("/customers_") && it.kind === "button" && it.label && !it.label.includes("/"))
    .map((it) => it.label);
}

for (const view of ['landscape', 'desktop']) {
  test(`search finds a customer by a two-character Chinese substring (${view})`, async () => {
    const app = await openApp(browser, server.url, { view, lang: 'zh-CN' });
    await press(app, '客户');
    const all = await waitState(app.page, (s) => s.route === '#/customers' && s.customersShown > 0);
    const names = await customerNames(app.page);
    assert.ok(names.length > 3, 'rows on screen: ' + names.join(' | '));
    // Two characters from the middle of a company name (past a region prefix like 深圳市).
    const target = names.find((n) => [...n].length >= 8) ?? names[0];
    const query = [...target].slice(3, 5).join('');
    await typeInto(app, '搜索', query);
    const found = await waitState(app.page, (s) => s.search === query && s.customersShown < all.customersTotal);
    assert.ok(found.customersShown >= 1);
    const shown = await customerNames(app.page);
    assert.ok(shown.includes(target), `"${query}" should list ${target}; listed: ${shown.join(' | ')}`);
    await screenshot(app, 'search-2char');
    assert.deepEqual(app.errors, []);
    await app.context.close();
  });
}

for (const view of ['portrait', 'desktop']) {
  test(`filter chips narrow the list, and a saved view brings them back (${view})`, async () => {
    const app = await openApp(browser, server.url, { view, lang: 'en' });
    await press(app, 'Customers');
    const all = await waitState(app.page, (s) => s.route === '#/customers' && s.customersShown > 0);
    await press(app, 'Status');
    await press(app, 'Interested');
    const byStatus = await waitState(app.page, (s) => s.filters === 1 && s.customersShown < all.customersTotal);
    assert.ok(byStatus.customersShown > 0, 'the demo has interested customers');
    await screenshot(app, 'filter-status');
    await press(app, 'Done');
    await press(app, /^Status: Interested$/);   // the chip says what it holds
    await press(app, 'Done');
    await press(app, 'Intent');
    await press(app, 'High');
    await press(app, 'Done');
    const both = await waitState(app.page, (s) => s.filters === 2);
    assert.ok(both.customersShown <= byStatus.customersShown);

    await press(app, 'Views');
    await typeInto(app, 'View name', '高意向客户');
    await press(app, 'Save view');
    await waitState(app.page, (s) => s.activeView === '高意向客户');
    await screenshot(app, 'filter-chips');
    await press(app, 'Clear filters');
    await waitState(app.page, (s) => s.filters === 0 && s.customersShown === all.customersTotal);

    await press(app, 'Views');
    await press(app, '高意向客户');
    const back = await waitState(app.page, (s) => s.filters === 2);
    assert.equal(back.customersShown, both.customersShown, 'the view gives the same customers');
    assert.deepEqual(app.errors, []);
    await app.context.close();
  });
}
