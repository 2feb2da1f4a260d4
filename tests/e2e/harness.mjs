// Shared by the browser tests: starts serve.py on a free loopback port, launches Debian's
// Chromium through playwright-core, and drives the canvas by widget label through the app's
// test contract (window.crm.test). Waits on app state, never on fixed sleeps.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(ROOT, 'build/_deps/node/node_modules/'));
const { chromium } = require('playwright-core');
export const SCREENSHOTS = path.join(ROOT, 'build/artifacts/screenshots');
mkdirSync(SCREENSHOTS, { recursive: true });

export const VIEWPORTS = {
  desktop: { viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, hasTouch: false },
  landscape: { viewport: { width: 1024, height: 768 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true },
  portrait: { viewport: { width: 768, height: 1024 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true },
};

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
    srv.on('error', reject);
  });
}

async function waitForPort(port, proc, ms = 15000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error('serve.py exited with ' + proc.exitCode);
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('serve.py did not start listening on ' + port);
}

// Starts serve.py over build/web; returns { url, stop() }. `port`: a fixed one (a kept browser
// profile's data belongs to its origin, port included); default a free one.
export async function startServer({ port: fixed } = {}) {
  const port = fixed || await freePort();
  const proc = spawn('python3', [path.join(ROOT, 'serve.py'), '--host', '127.0.0.1', '--port', String(port), '--quiet'],
    { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForPort(port, proc);
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: () => new Promise((resolve) => {
      if (proc.exitCode !== null) return resolve();
      proc.once('exit', resolve);
      proc.kill('SIGTERM');
    }),
  };
}

export { chromium };
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
  '--disable-quic', '--disable-gpu-sandbox'];

export async function launchBrowser(userDataDir) {
  const options = { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS };
  if (userDataDir) return chromium.launchPersistentContext(userDataDir, options);
  return chromium.launch(options);
}

// Opens the app in a new page; records console errors; resolves once crm.test.ready has.
// timezoneId: the browser's time zone (e.g. 'Asia/Shanghai'; the machine's when not given).
export async function openApp(browser, baseUrl, { view = 'desktop', lang = 'en', hash = '', timezoneId } = {}) {
  const context = await browser.newContext({ ...VIEWPORTS[view], locale: lang, ...(timezoneId ? { timezoneId } : {}) });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${baseUrl}?lang=${lang}${hash}`);
  await page.waitForFunction(() => window.crm && window.crm.test, null, { timeout: 30000 });
  await page.evaluate(() => window.crm.test.ready);
  return { page, context, errors, view, touch: VIEWPORTS[view].hasTouch };
}

// Reloads the page (same browser profile and storage) and waits until the app is ready.
export async function reload(app) {
  await app.page.reload();
  await app.page.waitForFunction(() => window.crm && window.crm.test, null, { timeout: 30000 });
  await app.page.evaluate(() => window.crm.test.ready);
}

export const items = (page) => page.evaluate(() => window.crm.test.items());
export const state = (page) => page.evaluate(() => window.crm.test.state());

// Waits until a widget with this label (exact, or a RegExp) is on screen; returns it.
export async function find(page, label, { kind, timeout = 10000 } = {}) {
  const until = Date.now() + timeout;
  let seen = [];
  while (Date.now() < until) {
    seen = await items(page);
    const hit = seen.find((it) => (label instanceof RegExp ? label.test(it.label) : it.label === label) &&
      (!kind || it.kind === kind));
    if (hit) return hit;
    await page.evaluate(() => window.crm.test.nextFrame());
  }
  throw new Error(`no widget labelled ${label} on screen; labels: ${seen.map((i) => i.label).filter(Boolean).slice(0, 60).join(' | ')}`);
}

// Waits until the app's state satisfies a predicate.
export async function waitState(page, predicate, timeout = 10000) {
  const until = Date.now() + timeout;
  let s;
  while (Date.now() < until) {
    s = await state(page);
    if (predicate(s)) return s;
    await page.evaluate(() => window.crm.test.nextFrame());
  }
  throw new Error('app state never matched; last: ' + JSON.stringify(s));
}

// A finger dragged from (x0, y0) to (x1, y1) through real touch events, a frame per step.
export async function swipe(app, x0, y0, x1, y1, steps = 8) {
  const cdp = await app.context.newCDPSession(app.page);
  const at = (i) => [{ x: x0 + ((x1 - x0) * i) / steps, y: y0 + ((y1 - y0) * i) / steps }];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0) });
  for (let i = 1; i <= steps; i++) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(i) });
    await app.page.evaluate(() => window.crm.test.nextFrame());
  }
  for (let i = 0; i < 3; i++) {          // the finger rests before lifting: no fling follows
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(steps) });
    await app.page.evaluate(() => window.crm.test.nextFrame());
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

// Finds a widget, scrolling the screen down (mouse wheel over its middle) while it is not
// in view, the way a person looks for a field further down a long form.
export async function reveal(app, label, opts = {}) {
  for (let scrolls = 0; ; scrolls++) {
    try {
      return await find(app.page, label, { ...opts, timeout: scrolls < 8 ? 1500 : 10000 });
    } catch (e) {
      if (scrolls >= 8) throw e;
      const size = app.page.viewportSize();
      const x = size.width * 0.6, y = size.height * 0.6;
      if (app.touch) {
        await swipe(app, x, y, x, y - 300);   // a finger drags the content up
      } else {
        await app.page.mouse.move(x, y);
        await app.page.mouse.wheel(0, 300);
      }
      await app.page.evaluate(() => window.crm.test.nextFrame());
    }
  }
}

// Taps (touch contexts) or clicks (mouse) the centre of the widget, through real input events.
export async function press(app, label, opts) {
  // Tap where the widget is once the layout has settled (typing may still move things).
  let it = await reveal(app, label, opts);
  for (let tries = 0; tries < 20; tries++) {
    await app.page.evaluate(() => window.crm.test.nextFrame());
    const again = await find(app.page, label, opts);
    const same = again.x === it.x && again.y === it.y && again.w === it.w && again.h === it.h;
    it = again;
    if (same) break;
  }
  const x = it.x + it.w / 2, y = it.y + it.h / 2;
  // ImGui takes the press and the release in two frames (its input queue trickles them):
  // the tap has acted once both were drawn.
  const settle = async () => {
    await app.page.evaluate(() => window.crm.test.nextFrame());
    await app.page.evaluate(() => window.crm.test.nextFrame());
  };
  if (!app.touch) {
    await app.page.mouse.click(x, y);
    await settle();
    return it;
  }
  // On a loaded machine the touchend can reach the page more than the long-press time
  // (450 ms) after the touchstart: the app then rightly saw a long press, not a tap. Such a
  // tap is made again (counted by the app: crm.test.state().longPresses).
  for (let taps = 1; ; taps++) {
    const before = (await state(app.page)).longPresses;
    await app.page.touchscreen.tap(x, y);
    await settle();
    if ((await state(app.page)).longPresses === before || taps === 3) return it;
    console.warn(`press(${label}): the tap arrived as a long press; tapping again`);
  }
}

// Focuses a text field by its label and types text as an IME commit (insertText).
export async function typeInto(app, label, text) {
  // The field takes focus a frame or two after the tap (the page's text input, and ImGui's
  // caret moving from the previous field): draw frames until both have. A tap that did not
  // take (on touch, a tap while the content still glides after a drag only stops it, as on
  // any tablet) is tapped again, as a person would.
  for (let taps = 1; ; taps++) {
    const field = await press(app, label, { kind: 'input' });
    const until = Date.now() + 4000;
    let ready = false;
    while (!ready && Date.now() < until) {
      ready = await app.page.evaluate((id) => document.activeElement && document.activeElement.id === 'text-input' &&
        window.crm.test.items().some((it) => it.id === id && it.active), field.id);
      if (!ready) await app.page.evaluate(() => window.crm.test.nextFrame());
    }
    if (ready) break;
    if (taps === 3) throw new Error(`the field ${label} never took the keyboard focus`);
  }
  await app.page.keyboard.insertText(text);
  await app.page.evaluate(() => window.crm.test.nextFrame());
}

// Flips one bit of a stored page's ciphertext from outside the app, as disk corruption or
// tampering would.
export function flipStoredByte(page, pageNo, offset) {
  return page.evaluate(([pageNo, offset]) => new Promise((resolve, reject) => {
    const req = indexedDB.open('crm');
    req.onsuccess = () => {
      const tx = req.result.transaction('pages', 'readwrite');
      const store = tx.objectStore('pages');
      const get = store.get(pageNo);
      get.onsuccess = () => { const b = new Uint8Array(get.result); b[offset] ^= 1; store.put(b, pageNo); };
      tx.oncomplete = () => { req.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  }), [pageNo, offset]);
}

// Empties a text field the way a person would: caret to the end, Backspace per character.
export async function clearField(app, label) {
  const field = await press(app, label, { kind: 'input' });
  await app.page.keyboard.press('End');
  for (let i = 0; i < [...(field.value || '')].length; i++) await app.page.keyboard.press('Backspace');
  await app.page.evaluate(() => window.crm.test.nextFrame());
}

export async function screenshot(app, name) {
  const file = path.join(SCREENSHOTS, `${name}-${app.view}.png`);
  await app.page.evaluate(() => window.crm.test.nextFrame());
  await app.page.screenshot({ path: file });
  return file;
}
