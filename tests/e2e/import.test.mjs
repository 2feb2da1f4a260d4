// Importing customers through the wizard by touch: a GBK-encoded CSV as Excel saves it in
// China, a column mapping fixed by hand, the preview (invalid rows with their reason), the
// import itself, the customers it added, and undo of the whole import.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, launchBrowser, openApp, press, typeInto, clearField, waitState, screenshot, reveal, ROOT } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

const FILE = path.join(ROOT, 'tests/core/data/customers_gbk.csv');
const STEP = { Choose: 0, Columns: 1, Preview: 2, Running: 3, Done: 4 };

test('import a GBK file by touch: fix a mapping, preview, import, undo', async () => {
  const app = await openApp(browser, server.url, { view: 'landscape', lang: 'en' });
  await waitState(app.page, (s) => s.save === 'saved' && s.customersTotal > 0, 30000);
  await press(app, 'Customers');
  const start = await waitState(app.page, (s) => s.route === '#/customers' && s.customersShown > 0);

  await press(app, 'Import…');
  await waitState(app.page, (s) => s.route === '#/import');
  const [chooser] = await Promise.all([app.page.waitForEvent('filechooser'), press(app, 'Choose a file…')]);
  await chooser.setFiles(FILE);
  await waitState(app.page, (s) => s.importStep === STEP.Columns);
  await screenshot(app, 'import-columns');

  // The 备注 (notes) column goes to Needs instead of Notes.
  const notes = await reveal(app, /^备注/);
  await press(app, notes.label);
  await press(app, 'Needs');
  await press(app, 'Next: preview');
  const preview = await waitState(app.page, (s) => s.importStep === STEP.Preview);
  assert.ok(preview.importCreate > 0, 'rows to import');
  assert.ok(preview.importInvalid > 0, 'the file has rows with problems (a ten-digit mobile, ...)');
  await screenshot(app, 'import-preview');

  await press(app, new RegExp(`^Import ${preview.importCreate} rows$`));
  const done = await waitState(app.page, (s) => s.importStep === STEP.Done, 30000);
  assert.equal(done.importCreated, preview.importCreate);
  await screenshot(app, 'import-done');

  // The derived data (search, duplicates, completeness) is written after the commit, a
  // slice per frame: once the queue is empty, search finds an imported customer.
  await waitState(app.page, (s) => s.indexQueued === 0, 30000);
  await press(app, 'Customers');
  await waitState(app.page, (s) => s.route === '#/customers' && s.customersTotal === start.customersTotal + done.importCreated);
  await typeInto(app, 'Search', '星河精密');
  await waitState(app.page, (s) => s.search === '星河精密' && !s.searching && s.customersShown === 1);
  await clearField(app, 'Search');
  await waitState(app.page, (s) => s.search === '' && !s.searching);

  // Back to the wizard, still on its result: undo the whole import.
  await press(app, 'Import…');
  await press(app, 'Undo this import');
  await waitState(app.page, (s) => /undone/.test(s.importUndone));
  await press(app, 'Customers');
  await waitState(app.page, (s) => s.route === '#/customers' && s.customersTotal === start.customersTotal);
  assert.deepEqual(app.errors, []);
  await app.context.close();
});

test('import follow-ups for customers already there, by mouse; unmatched rows are named; undo', async () => {
  const app = await openApp(browser, server.url, { view: 'desktop', lang: 'en' });
  await waitState(app.page, (s) => s.save === 'saved' && s.customersTotal > 0, 30000);
  const choose = async (file) => {
    const [chooser] = await Promise.all([app.page.waitForEvent('filechooser'), press(app, 'Choose a file…')]);
    await chooser.setFiles(path.join(ROOT, 'tests/core/data', file));
  };
  // The customers first (the GBK file), as they are.
  await press(app, 'Customers');
  await press(app, 'Import…');
  await choose('customers_gbk.csv');
  await press(app, 'Next: preview');
  let s = await waitState(app.page, (st) => st.importStep === STEP.Preview);
  await press(app, new RegExp(`^Import ${s.importCreate} rows$`));
  await waitState(app.page, (st) => st.importStep === STEP.Done, 30000);
  await press(app, 'Done');

  // Then their follow-ups: matched by customer number or name.
  await press(app, 'Import…');
  await press(app, 'Interactions (follow-ups)');
  await choose('interactions_utf8_bom.csv');
  await press(app, 'Next: preview');
  s = await waitState(app.page, (st) => st.importStep === STEP.Preview);
  assert.ok(s.importCreate >= 2, 'follow-ups of imported customers: ' + s.importCreate);
  assert.ok(s.importInvalid >= 1, 'a follow-up of a customer nobody has is refused');
  await screenshot(app, 'import-interactions-preview');
  await press(app, new RegExp(`^Import ${s.importCreate} rows$`));
  const done = await waitState(app.page, (st) => st.importStep === STEP.Done, 30000);
  assert.equal(done.importCreated, s.importCreate);
  await press(app, 'Undo this import');
  await waitState(app.page, (st) => /undone/.test(st.importUndone));
  assert.deepEqual(app.errors, []);
  await app.context.close();
});

test('export the customers the list shows as a CSV Excel opens and as .xlsx, phones masked, by touch', async () => {
  const app = await openApp(browser, server.url, { view: 'portrait', lang: 'zh-CN' });
  await waitState(app.page, (s) => s.save === 'saved' && s.customersTotal > 0, 30000);
  await press(app, '客户');
  await press(app, '状态');
  await press(app, '潜在');
  await press(app, '完成');
  const listed = await waitState(app.page, (s) => s.filters === 1 && s.customersShown > 0);
  await press(app, '导出…');
  await screenshot(app, 'export');
  const [download] = await Promise.all([app.page.waitForEvent('download'), press(app, '导出 CSV')]);
  assert.match(download.suggestedFilename(), /^customers-\d{4}-\d\d-\d\d\.csv$/);
  const file = path.join(os.tmpdir(), `crm-export-${process.pid}.csv`);
  await download.saveAs(file);
  const bytes = readFileSync(file);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with BOM, as Excel wants');
  const lines = bytes.toString('utf8').slice(1).split('\r\n').filter(Boolean);
  assert.equal(lines.length - 1, listed.customersShown, 'one row per customer the list shows');
  assert.match(lines[0], /名称/);
  assert.match(bytes.toString('utf8'), /1\d\d\*{4}\d{4}/, 'phones are masked');
  assert.doesNotMatch(bytes.toString('utf8'), /,1[3-9]\d{9}(,|\r)/, 'no full mobile number');
  await waitState(app.page, (s) => /已导出/.test(s.exportDone));

  // The same rows as an Excel workbook, opened as a zip the way a spreadsheet program does.
  const [xdownload] = await Promise.all([app.page.waitForEvent('download'), press(app, '导出 Excel (.xlsx)')]);
  assert.match(xdownload.suggestedFilename(), /^customers-\d{4}-\d\d-\d\d\.xlsx$/);
  const xfile = path.join(os.tmpdir(), `crm-export-${process.pid}.xlsx`);
  await xdownload.saveAs(xfile);
  const read = 'import sys, zipfile, json; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; ' +
    'print(json.dumps({n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}))';
  const parts = JSON.parse(execFileSync('python3', ['-c', read, xfile], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  const sheet = parts['xl/worksheets/sheet1.xml'];
  assert.ok(sheet, 'one worksheet');
  assert.match(parts['xl/workbook.xml'], /name="客户"/);
  assert.equal((sheet.match(/<row /g) || []).length - 1, listed.customersShown, 'one row per customer the list shows');
  assert.match(sheet + (parts['xl/sharedStrings.xml'] || ''), /名称/);
  assert.match(sheet + (parts['xl/sharedStrings.xml'] || ''), /1\d\d\*{4}\d{4}/, 'phones are masked');
  assert.doesNotMatch(Object.values(parts).join(''), />1[3-9]\d{9}</, 'no full mobile number');
  assert.doesNotMatch(sheet, /<f>/, 'no formula cells');
  await app.context.close();
});
