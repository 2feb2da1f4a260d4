// A tiny HTTP proxy on 127.0.0.1 that misbehaves on demand, between a transport and a real
// server: proxy.mode = 'pass' | 'hang' (never answers) | 'slow:<ms>' (the request reaches the
// server at once, its answer only after ms: what a client that gave up meanwhile sees as a
// lost reply) | 'status:<n>' (that status, a short text) | 'html' (a captive portal's 200
// page) | 'json:<text>' (200 application/json with that body) | 'truncate' (the real answer,
// cut in half, connection closed) | 'redirect' (302 to a sign-in page).
// Only requests under the target's path (the sync API, e.g. /sync/) misbehave: the rest
// passes, so a browser test can load the app itself through the proxy (same origin as its
// sync API, as serve.py serves both). proxy.close() stops listening (the server is "down":
// connections are refused), proxy.open() listens again on the same port.
import http from 'node:http';

export async function startFaultProxy(target) {
  const upstream = new URL(target);
  const sockets = new Set();
  const timers = new Set();
  const proxy = { mode: 'pass', requests: 0 };
  const server = http.createServer((req, res) => {
    const mode = req.url.startsWith(upstream.pathname) ? proxy.mode : 'pass';
    proxy.requests++;
    if (mode === 'hang') return;  // the client's timeout must fire
    if (mode.startsWith('status:')) {
      req.resume();
      res.writeHead(Number(mode.slice(7)), { 'Content-Type': 'text/plain' });
      return res.end('injected failure\n');
    }
    if (mode === 'html') {
      req.resume();
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ETag: '"portal"' });
      return res.end('<!doctype html><html><body>Please sign in to the Wi-Fi</body></html>');
    }
    if (mode === 'redirect') {
      req.resume();
      res.writeHead(302, { Location: 'http://127.0.0.1:9/login' });
      return res.end();
    }
    if (mode.startsWith('json:')) {
      req.resume();
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end(mode.slice(5));
    }
    const out = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url,
      headers: req.headers }, (up) => {
      if (mode === 'truncate') {
        const chunks = [];
        up.on('data', (c) => chunks.push(c));
        up.on('end', () => {
          const body = Buffer.concat(chunks);
          res.writeHead(up.statusCode, { ...up.headers, 'content-length': String(body.length) });
          res.write(body.subarray(0, body.length >> 1));
          res.socket.destroy();  // the rest never comes
        });
        return;
      }
      if (mode.startsWith('slow:')) {
        const chunks = [];
        up.on('data', (c) => chunks.push(c));
        up.on('end', () => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            if (res.destroyed) return;  // the client gave up and closed the connection
            res.writeHead(up.statusCode, up.headers);
            res.end(Buffer.concat(chunks));
          }, Number(mode.slice(5)));
          timers.add(timer);
        });
        return;
      }
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
    });
    out.on('error', () => { if (!res.headersSent) res.writeHead(502); res.end(); });
    res.on('error', () => {});
    req.pipe(out);
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.address().port;
  proxy.url = `http://127.0.0.1:${port}${upstream.pathname}`;
  proxy.origin = `http://127.0.0.1:${port}`;
  proxy.close = () => new Promise((resolve) => {
    for (const t of timers) clearTimeout(t);
    timers.clear();
    for (const s of sockets) s.destroy();
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
  proxy.open = () => new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  proxy.stop = proxy.close;
  return proxy;
}
