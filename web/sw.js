// Service worker: the app opens without a network after the first visit.
// Network first (so a new build is picked up at once), falling back to the cached copy when
// the network is down or slower than 3 s (flaky tablet connections). Every app file is
// cached together at install, so app.js and app.wasm always come from the same build.
'use strict';
const CACHE = 'crm-app-v2';
const APP_FILES = ['./', 'index.html', 'crm.js', 'store.js', 'sync_remote.js', 'sync_place.js', 'app.js', 'app.wasm', 'manifest.webmanifest',
  'icon.svg', 'icon-192.png', 'icon-512.png', 'fonts/ui-latin.ttf', 'fonts/ui-cjk.ttf', 'fonts/ui-cjk.txt'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(APP_FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then((v) => { clearTimeout(timer); resolve(v); }, (e) => { clearTimeout(timer); reject(e); });
  });
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // Only the app's own static files; sync traffic (/sync/) must never be served from a cache.
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.includes('/sync/')) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const response = await withTimeout(fetch(request), 3000);
      if (response.ok) cache.put(request, response.clone());
      return response;
    } catch (e) {
      const cached = await cache.match(request, { ignoreSearch: true });
      if (cached) return cached;
      throw e;
    }
  })());
});
