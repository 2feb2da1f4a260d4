// The page side of the browser seam (the C++ side is src/platform/web_host.cpp).
// 1. Loading: downloads app.wasm and the fonts with a progress bar, then starts the app.
// 2. Input: turns mouse, touch, keyboard, IME and clipboard events into crm_* calls.
// 3. Frames on demand: draws only after an event, while the app asks for frames (battery).
// 4. Routes: #/customers/<id> deep links, pushState and the back button.
// 5. window.crm.test: the contract browser tests rely on (ready, items, frameCount, state).
'use strict';
(function () {
  const canvas = document.getElementById('canvas');
  const textInput = document.getElementById('text-input');
  const loading = document.getElementById('loading');
  const fill = loading.querySelector('.fill');
  const statusLine = loading.querySelector('.status');
  let M = null;               // the emscripten module once started
  let frameScheduled = false;
  let unsavedEdits = false;   // the app says a form holds a draft (see setUnsaved)
  let resolveReady, rejectReady;
  const ready = new Promise((res, rej) => { resolveReady = res; rejectReady = rej; });

  // ---- 1. Loading -------------------------------------------------------------------------
  const files = [
    { url: 'app.wasm', weight: 0.6 },
    { url: 'fonts/ui-latin.ttf', weight: 0.02 },
    { url: 'fonts/ui-cjk.ttf', weight: 0.35 },
    { url: 'fonts/ui-cjk.txt', weight: 0.03 },
  ];

  function setProgress(fraction, text) {
    fill.style.width = Math.round(fraction * 100) + '%';
    loading.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
    if (text) statusLine.textContent = text;
  }

  function fail(message) {
    loading.classList.remove('hidden');
    loading.classList.add('failed');
    statusLine.textContent = message;
    rejectReady(new Error(message));
  }

  async function download(file, onBytes) {
    const response = await fetch(file.url);
    if (!response.ok) throw new Error(file.url + ': HTTP ' + response.status);
    const total = Number(response.headers.get('Content-Length')) || 0;
    const reader = response.body.getReader();
    const chunks = [];
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      onBytes(total ? Math.min(received / total, 1) : 0.5);
    }
    const bytes = new Uint8Array(received);
    let offset = 0;
    for (const c of chunks) { bytes.set(c, offset); offset += c.length; }
    onBytes(1);
    return bytes;
  }

  // Another tab has the app open: say so, and offer to continue here instead.
  async function becomeWriter() {
    const lost = () => {
      const overlay = document.getElementById('taken-over');
      overlay.classList.remove('hidden');
      overlay.querySelector('button').onclick = () => location.reload();
    };
    if (!await window.crmStore.holdWriterLock({ ifAvailable: true }, lost)) {
      const other = document.getElementById('other-tab');
      other.classList.remove('hidden');
      await new Promise((resolve) => { other.querySelector('button').onclick = resolve; });
      other.classList.add('hidden');
      await window.crmStore.holdWriterLock({ steal: true }, lost);
    }
    await window.crmStore.claim();   // from now on the other tab's writes are refused
  }

  async function load() {
    await becomeWriter();
    // One bar for both: the downloads, and reading the workspace's pages from IndexedDB
    // (seconds for a big workspace; weighted by its size, so a small one barely counts).
    const done = files.map(() => 0);
    let pagesRead = 0, pagesTotal = 0;
    const update = () => {
      const pageWeight = Math.min(1, pagesTotal / 20000);
      const downloads = files.reduce((s, f, i) => s + f.weight * done[i], 0);
      const fraction = (downloads + pageWeight * (pagesTotal ? pagesRead / pagesTotal : 0)) / (1 + pageWeight);
      const opening = pageWeight > 0.1 && pagesRead < pagesTotal && downloads >= 1;
      setProgress(fraction, opening ? `正在打开工作区… Opening the workspace… ${Math.round(100 * pagesRead / pagesTotal)}%`
                                    : '正在加载… Loading…');
    };
    const [blobs, stored] = await Promise.all([
      Promise.all(files.map((f, i) => download(f, (x) => { done[i] = x; update(); }))),
      // the encrypted workspace on this device, read in parallel
      window.crmStore.load((n, total) => { pagesRead = n; pagesTotal = total; update(); }),
    ]);
    setProgress(1, '正在启动… Starting…');
    M = await createCrmModule({ wasmBinary: blobs[0].buffer, canvas: canvas,
                                print: (t) => console.log(t), printErr: (t) => console.warn(t) });
    M.crmHost = host;
    blobs.slice(1).forEach((bytes, i) => {
      const ptr = malloc(bytes.length);
      M.HEAPU8.set(bytes, ptr);
      M._crm_set_font(i, ptr, bytes.length);   // the app owns and frees the buffer
    });
    if (stored.meta !== null) M._crm_store_preload_meta(cstr(stored.meta));
    // Opening a big workspace takes seconds: the handover and the reading (decrypting and
    // checking every page) go in slices, the page free to repaint its bar between them.
    const opening = (f) => setProgress(f, `正在打开工作区… Opening the workspace… ${Math.round(100 * f)}%`);
    const big = stored.pages.length > 20000;
    for (let i = 0; i < stored.pages.length; i++) {
      const [n, bytes] = stored.pages[i];
      const ptr = malloc(bytes.length);
      M.HEAPU8.set(bytes, ptr);
      M._crm_store_preload_page(n, ptr, bytes.length);   // the app frees the buffer
      stored.pages[i] = null;                            // the copy in wasm memory is enough
      if (big && i % 5000 === 4999) { opening(0.2 * i / stored.pages.length); await yieldToPage(); }
    }
    for (let f = M._crm_read_ahead(); f < 1; f = M._crm_read_ahead()) {
      if (big) opening(0.2 + 0.8 * f);
      await yieldToPage();
    }
    window.crmStore.setStatusListener((state, error, savedSeq) => {
      M._crm_store_status(state === 'saved' ? 0 : state === 'saving' ? 1 : 2, cstr(error), savedSeq);
      requestFrame();
    });
    window.crmStore.setEstimateListener((usage, quota, persisted) => {
      M._crm_store_estimate(usage, quota, persisted ? 1 : 0);
      requestFrame();
    });
    // ?demo=N: a first visit's demo workspace gets N sample customers (benchmarks).
    const demo = Number(new URLSearchParams(location.search).get('demo')) || 0;
    if (demo > 0) M._crm_set_demo_customers(Math.min(demo, 1000000));
    const size = cssSize();
    const started = performance.now();
    performance.mark('crm-start');
    const code = M._crm_start(size.w, size.h, size.dpr, cstr(pickLanguage()), cstr(location.hash));
    startMs = performance.now() - started;
    if (code !== 0) throw new Error('the app could not start (code ' + code + '): WebGL 2 is required');
    // Team sync offers a shared folder only where the browser can open one.
    M._crm_sync_place_done(cstr(JSON.stringify({ folder_picker: typeof window.showDirectoryPicker === 'function' })));
    loading.classList.add('hidden');
    installInput();
    setInterval(() => M._crm_idle_check(performance.now()), 15000);  // auto-lock
    setInterval(() => M._crm_sync_tick(0), 60000);                   // automatic team sync
    window.addEventListener('online', () => M._crm_sync_tick(1));
    window.crmStore.persist();
    requestFrame();
    // The first screen is interactive once a frame has laid it out and published its widgets.
    waitFrames(2).then(() => resolveReady());
  }

  // Lets the page handle events and repaint before going on (a message, unlike a timer, is
  // not throttled in a background tab).
  function yieldToPage() {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(0);
    });
  }

  function pickLanguage() {
    const param = new URLSearchParams(location.search).get('lang');
    if (param === 'en' || param === 'zh-CN') return param;
    const stored = localStorage.getItem('crm.lang');
    if (stored === 'en' || stored === 'zh-CN') return stored;
    return (navigator.languages || [navigator.language || 'en']).some((l) => /^zh/i.test(l)) ? 'zh-CN' : 'en';
  }

  // Wasm memory may pass 2 GB (a 100k-customer workspace): a pointer read back as a signed
  // 32-bit number would be negative, so every address the page uses goes through >>> 0.
  function malloc(n) { return M._malloc(n) >>> 0; }

  // Strings passed to C++ live on the wasm stack-free heap just for the call.
  const cstrings = [];
  function cstr(s) {
    const n = M.lengthBytesUTF8(s) + 1;
    const p = malloc(n);
    M.stringToUTF8(s, p, n);
    cstrings.push(p);
    if (cstrings.length > 8) M._free(cstrings.shift());
    return p;
  }

  // ---- 3. Frames on demand ------------------------------------------------------------------
  let frameWaiters = [];
  function requestFrame() {
    if (frameScheduled || !M) return;
    frameScheduled = true;
    requestAnimationFrame(onFrame);
  }
  // CPU time of each drawn frame (ms in the frame callback), for the frame benchmark.
  let frameTimes = [];
  let startMs = 0;   // time in crm_start: opening (or seeding) the workspace, the first screen
  function onFrame(now) {
    frameScheduled = false;
    const t0 = performance.now();
    const more = M._crm_frame(now);
    frameTimes.push(performance.now() - t0);
    if (frameTimes.length > 10000) frameTimes = frameTimes.slice(-5000);
    const waiters = frameWaiters; frameWaiters = [];
    waiters.forEach((w) => w());
    if (more > 0 || frameWaiters.length) requestFrame();
  }
  function waitFrames(n) {
    return new Promise((resolve) => {
      const step = () => (--n <= 0 ? resolve() : frameWaiters.push(step));
      frameWaiters.push(step);
      requestFrame();
    });
  }

  function cssSize() {
    const vv = window.visualViewport;
    return { w: vv ? vv.width : window.innerWidth, h: window.innerHeight, dpr: window.devicePixelRatio || 1 };
  }

  // ---- 2. Input -----------------------------------------------------------------------------
  const host = {
    requestFrame,
    storeWrite(meta, pages, pageCount) { window.crmStore.write(meta, pages, pageCount); },
    setTextInput(active) {
      if (active && document.activeElement !== textInput) textInput.focus({ preventScroll: true });
      if (!active && document.activeElement === textInput) textInput.blur();
    },
    clipboardWrite(text) {
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).catch(() => {});
    },
    pushRoute(route, replace) {
      if (location.hash === route) return;
      if (replace) history.replaceState(null, '', route); else history.pushState(null, '', route);
    },
    openUrl(url) { window.open(url, '_blank', 'noopener'); },
    savePreference(key, value) { try { localStorage.setItem(key, value); } catch (e) { /* private mode */ } },
    storeRetry() { window.crmStore.retryNow(); },
    // A form holds a draft: reloading or closing the tab asks first.
    setUnsaved(unsaved) { unsavedEdits = unsaved; },
    download(name, bytes) {
      const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
    },
    // The tap that asked for the picker was a moment ago (ImGui acts on the next frame),
    // still within the browser's user-activation window.
    pickFile(accept) {
      const input = document.createElement('input');
      input.type = 'file';
      input.accept = accept;
      input.hidden = true;
      document.body.appendChild(input);
      input.onchange = async () => {
        input.remove();
        const file = input.files && input.files[0];
        if (!file) return;
        const bytes = new Uint8Array(await file.arrayBuffer());
        const ptr = malloc(bytes.length || 1);
        M.HEAPU8.set(bytes, ptr);
        M._crm_file_picked(cstr(file.name), ptr, bytes.length);  // the app frees the buffer
        requestFrame();
      };
      input.click();
    },
    // What only the page can do for a sync place (web/sync_place.js): pick the shared folder,
    // ask for its permission again (both inside the tap that asked, a frame ago), download
    // the sync file. The outcome goes back to the app as JSON.
    async syncPlace(action, remoteText) {
      const done = (o) => { M._crm_sync_place_done(cstr(JSON.stringify({ action, ...o }))); requestFrame(); };
      try {
        const place = await import('./sync_place.js');
        if (action === 'pick_folder') {
          const folder = await place.pickFolder();
          syncRemoteCache = { text: null, remote: null };
          done({ folder });
        } else if (action === 'allow_folder') {
          await place.allowFolder();
          syncRemoteCache = { text: null, remote: null };
          done({});
        } else if (action === 'send_file') {
          const text = await place.fileText();
          const stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
          host.download(`crm-sync-${stamp}.json`, new TextEncoder().encode(text));
          done({});
        }
      } catch (e) {
        done({ error: (e && e.code) || 'err.sync.remote_settings', detail: String((e && e.detail) || (e && e.message) || e) });
      }
    },
    // One remote call of a sync job (src/platform/web_bridge.js), performed by the transport
    // of web/sync_remote.js for the team's location; the answer goes back to the app.
    async syncCall(remoteText, op, name, etag, bytes) {
      const { performCall } = await import('./sync_remote.js');
      let result;
      try {
        result = await performCall(await syncRemote(remoteText), op, name, etag, bytes);
      } catch (e) {  // settings the transport cannot use, a folder without permission
        syncRemoteCache = { text: null, remote: null };
        result = { answer: { error: (e && e.code) || 'err.sync.remote_settings', detail: String((e && e.detail) || e) }, bytes: null };
      }
      const out = result.bytes;
      const ptr = malloc(out && out.length ? out.length : 1);
      if (out) M.HEAPU8.set(out, ptr);
      M._crm_sync_answered(cstr(JSON.stringify(result.answer)), ptr, out ? out.length : 0);  // the app frees it
      requestFrame();
    },
  };

  // The transport for a sync location, kept while its settings stay the same (a folder's or
  // the sync file's comes from web/sync_place.js, which keeps them in IndexedDB).
  let syncRemoteCache = { text: null, remote: null };
  async function syncRemote(text) {
    if (syncRemoteCache.text !== text) {
      const { remoteFor } = await import('./sync_place.js');
      syncRemoteCache = { text, remote: remoteFor(JSON.parse(text)) };
    }
    return syncRemoteCache.remote;
  }

  function point(e) {
    const r = canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  // iOS opens the keyboard only when focus() runs inside the touch handler, but ImGui learns
  // about the tapped field a frame later: so check last frame's text-field rectangles here.
  function focusIfTextField(p) {
    const fields = JSON.parse(M.UTF8ToString(M._crm_test_items(1)));
    const f = fields.find((r) => p.x >= r.x && p.x < r.x + r.w && p.y >= r.y && p.y < r.y + r.h);
    if (f) {
      // inputmode picks the on-screen keyboard (tel, email, numeric, ...); a textarea has
      // no writable `type`.
      textInput.inputMode = f.mode === 'text' || f.mode === 'password' ? '' : f.mode;
      if (document.activeElement !== textInput) textInput.focus({ preventScroll: true });
    }
  }

  let longPressTimer = 0;
  let activeTouch = null;
  const LONG_PRESS_MS = 450;

  function installInput() {
    // Mouse (desktop). Touch input arrives through the touch handlers below.
    canvas.addEventListener('mousedown', (e) => {
      const p = point(e);
      focusIfTextField(p);
      M._crm_pointer(1, e.button === 2 ? 1 : e.button === 1 ? 2 : 0, p.x, p.y, 0, e.timeStamp);
      // Never let the canvas take the focus: moving from one text field to the next keeps
      // the hidden textarea (and a tablet's keyboard) focused throughout.
      e.preventDefault();
    });
    window.addEventListener('mousemove', (e) => { const p = point(e); M._crm_pointer(0, 0, p.x, p.y, 0, e.timeStamp); });
    window.addEventListener('mouseup', (e) => {
      const p = point(e);
      M._crm_pointer(2, e.button === 2 ? 1 : e.button === 1 ? 2 : 0, p.x, p.y, 0, e.timeStamp);
    });
    canvas.addEventListener('contextmenu', (e) => e.preventDefault());
    canvas.addEventListener('wheel', (e) => {
      e.preventDefault();
      const unit = e.deltaMode === 1 ? 1 : e.deltaMode === 2 ? 10 : 1 / 40;   // px -> lines
      M._crm_wheel(-e.deltaX * unit, -e.deltaY * unit);
    }, { passive: false });

    // Touch: our own handlers (returning no default) so the browser sends no emulated mouse
    // events, and taps land where the finger is (emscripten#20804, imgui#8373).
    const touchStart = (e) => {
      e.preventDefault();
      const t = e.changedTouches[0];
      if (activeTouch !== null) return;           // one finger drives the UI
      activeTouch = t.identifier;
      const p = point(t);
      focusIfTextField(p);
      M._crm_pointer(1, 0, p.x, p.y, 1, e.timeStamp);
      clearTimeout(longPressTimer);
      longPressTimer = setTimeout(() => { M._crm_long_press(p.x, p.y); }, LONG_PRESS_MS);
      startPoint = p;
    };
    let startPoint = null;
    const touchMove = (e) => {
      e.preventDefault();
      for (const t of e.changedTouches) {
        if (t.identifier !== activeTouch) continue;
        const p = point(t);
        if (startPoint && Math.hypot(p.x - startPoint.x, p.y - startPoint.y) > 10) clearTimeout(longPressTimer);
        M._crm_pointer(0, 0, p.x, p.y, 1, e.timeStamp);
      }
    };
    const touchEnd = (e) => {
      e.preventDefault();
      for (const t of e.changedTouches) {
        if (t.identifier !== activeTouch) continue;
        clearTimeout(longPressTimer);
        const p = point(t);
        M._crm_pointer(e.type === 'touchcancel' ? 3 : 2, 0, p.x, p.y, 1, e.timeStamp);
        activeTouch = null;
      }
    };
    canvas.addEventListener('touchstart', touchStart, { passive: false });
    canvas.addEventListener('touchmove', touchMove, { passive: false });
    canvas.addEventListener('touchend', touchEnd, { passive: false });
    canvas.addEventListener('touchcancel', touchEnd, { passive: false });

    // Keys: editing and navigation keys and shortcuts go to ImGui; text comes from `input`.
    const SPECIAL = new Set(['Backspace', 'Delete', 'Enter', 'Tab', 'Escape', 'ArrowLeft', 'ArrowRight',
      'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown', 'Insert']);
    const mods = (e) => (e.ctrlKey ? 1 : 0) | (e.shiftKey ? 2 : 0) | (e.altKey ? 4 : 0) | (e.metaKey ? 8 : 0);
    const onKey = (down) => (e) => {
      if (e.isComposing || e.keyCode === 229) return;      // the IME owns this key
      const shortcut = (e.ctrlKey || e.metaKey) && e.key.length === 1;
      if (shortcut && e.key.toLowerCase() === 'v') return;   // handled by the paste event
      if (SPECIAL.has(e.key) || shortcut) {
        M._crm_key(cstr(e.key), down ? 1 : 0, mods(e));
        if (!(shortcut && (e.key.toLowerCase() === 'c' || e.key.toLowerCase() === 'x'))) e.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey(true));
    window.addEventListener('keyup', onKey(false));

    // Text and IME: commits only; the composition itself is shown by the IME's own window.
    let composing = false;
    textInput.addEventListener('compositionstart', () => { composing = true; });
    textInput.addEventListener('compositionend', (e) => {
      composing = false;
      if (e.data) M._crm_text(cstr(e.data));
      textInput.value = '';
    });
    textInput.addEventListener('beforeinput', (e) => {
      // Android keyboards send keyCode 229 for everything: map the edit intents to keys.
      const key = e.inputType === 'deleteContentBackward' ? 'Backspace'
        : e.inputType === 'deleteContentForward' ? 'Delete'
        : (e.inputType === 'insertLineBreak' || e.inputType === 'insertParagraph') ? 'Enter' : null;
      if (key && !composing) {
        e.preventDefault();
        M._crm_key(cstr(key), 1, 0);
        M._crm_key(cstr(key), 0, 0);
      }
    });
    textInput.addEventListener('input', (e) => {
      if (composing || e.isComposing) return;
      if (e.data) M._crm_text(cstr(e.data));
      textInput.value = '';
    });
    document.addEventListener('paste', (e) => {
      const text = e.clipboardData ? e.clipboardData.getData('text/plain') : '';
      e.preventDefault();
      M._crm_set_clipboard(cstr(text));
      M._crm_key(cstr('v'), 1, 1);
      M._crm_key(cstr('v'), 0, 1);
    });

    // Layout: window size, visual viewport (on-screen keyboard), orientation, DPR changes.
    const resize = () => { const s = cssSize(); M._crm_resize(s.w, s.h, s.dpr); };
    window.addEventListener('resize', resize);
    if (window.visualViewport) window.visualViewport.addEventListener('resize', resize);
    window.addEventListener('orientationchange', resize);
    const watchDpr = () => matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`)
      .addEventListener('change', () => { resize(); watchDpr(); }, { once: true });
    watchDpr();
    window.addEventListener('beforeunload', (e) => {
      if (!unsavedEdits) return;
      e.preventDefault();
      e.returnValue = '';   // the browser shows its own "leave site?" question
    });
    window.addEventListener('focus', () => M._crm_focus(1));
    window.addEventListener('blur', () => M._crm_focus(0));
    document.addEventListener('visibilitychange', () => { if (!document.hidden) requestFrame(); });

    // Routes: the back button and edited hashes come back into the app.
    window.addEventListener('popstate', () => M._crm_navigate(cstr(location.hash)));
    window.addEventListener('hashchange', () => M._crm_navigate(cstr(location.hash)));
  }

  // ---- 5. Test contract -----------------------------------------------------------------------
  window.crm = {
    test: {
      ready,
      items: () => (M ? JSON.parse(M.UTF8ToString(M._crm_test_items(0))) : []),
      frameCount: () => (M ? M._crm_test_frame_count() : 0),
      // The wall-clock ms of each frame drawn since the last call (bench/browser/frames.mjs;
      // the frames' CPU time comes from Chromium's trace).
      takeFrameTimes: () => { const t = frameTimes; frameTimes = []; return t; },
      // Bytes of wasm memory: it only grows, so this is the most the app has held so far.
      wasmMemory: () => (M ? M.HEAP8.length : 0),
      startMs: () => startMs,
      state: () => (M ? JSON.parse(M.UTF8ToString(M._crm_test_state())) : {}),
      nextFrame: () => waitFrames(1),
      // Tells the app that `ms` passed without input (auto-lock) without waiting for it.
      idleFor: (ms) => { M._crm_idle_check(performance.now() + ms); return waitFrames(1); },
      integrity: () => M.UTF8ToString(M._crm_test_integrity()),
      // Test-only: headless Chromium cannot answer showDirectoryPicker, so a test may set
      // an async function returning a directory handle (an OPFS folder) to stand for the
      // folder the user picked. Everything after the pick is the real path.
      folderPicker: null,
      // n small edits, one commit each, a macrotask apart so saves are in flight meanwhile.
      burst: async (n) => {
        for (let i = 0; i < n; i++) {
          if (M._crm_test_edit() !== 0) throw new Error('test edit failed');
          await new Promise((r) => setTimeout(r, 0));
        }
      },
    },
  };

  // Offline: the service worker caches the app after the first visit.
  if ('serviceWorker' in navigator && location.protocol !== 'file:') {
    navigator.serviceWorker.register('sw.js').catch((e) => console.warn('offline cache unavailable:', e.message));
  }

  if (typeof WebGL2RenderingContext === 'undefined') {
    fail('This browser has no WebGL 2. Please use a current Chrome, Edge, Firefox or Safari. 此浏览器不支持 WebGL 2，请使用新版浏览器。');
  } else {
    load().catch((e) => fail('Could not start: ' + e.message + ' — reload the page to try again. 启动失败，请刷新页面重试。'));
  }
})();
