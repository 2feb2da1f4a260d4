// The IndexedDB benchmark in headless Chromium: serves bench.html, web/store.js, the
// bench_browser module and the databases bench_vault wrote as backup files from a small
// loopback server, and prints the page's RESULT lines.
//   node bench/browser/run.mjs <folder with vault-1k/-100k/-50mb.crmbackup>
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { launchBrowser, ROOT } from '../../tests/e2e/harness.mjs';

const data = process.argv[2] || path.join(ROOT, 'build/bench-data');
const files = {
  'bench.html': path.join(ROOT, 'bench/browser/bench.html'),
  'bench.js': path.join(ROOT, 'bench/browser/bench.js'),
  'store.js': path.join(ROOT, 'web/store.js'),
  'bench_browser.js': path.join(ROOT, 'build/wasm/bench_browser.js'),
  'bench_browser.wasm': path.join(ROOT, 'build/wasm/bench_browser.wasm'),
};
const cases = [
  { label: '1k', file: 'vault-1k.crmbackup', secret: '', edits: 200 },
  { label: '100k', file: 'vault-100k.crmbackup', secret: '', edits: 200 },
  { label: '50mb', file: 'vault-50mb.crmbackup', secret: 'bench passphrase', opens: 3 },
].filter((c) => existsSync(path.join(data, c.file)));
for (const c of cases) files[c.file] = path.join(data, c.file);
if (!cases.length) { console.error('no databases in ' + data + ': run bench_vault --backups first'); process.exit(1); }

// Streams the files above (a 100k-customer database is about 450 MB).
const server = http.createServer((req, res) => {
  const name = decodeURIComponent(new URL(req.url, 'http://x').pathname.slice(1));
  if (!files[name]) { res.writeHead(404).end(); return; }
  const type = name.endsWith('.html') ? 'text/html' : name.endsWith('.js') ? 'text/javascript'
    : name.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream';
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': statSync(files[name]).size });
  createReadStream(files[name]).pipe(res);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

const browser = await launchBrowser();
const page = await browser.newPage();
page.on('console', (m) => { if (m.text().startsWith('RESULT ')) console.log(m.text()); else console.error(m.text()); });
page.on('pageerror', (e) => console.error('page error:', e.message));
await page.goto(`http://127.0.0.1:${server.address().port}/bench.html`);
const status = await page.evaluate((c) => window.runBench(c).catch((e) => 'failed: ' + e.name + ' ' + e.message + ' ' + e.stack), cases);
await browser.close();
server.close();
if (status !== 'done') { console.error(status); process.exit(1); }
