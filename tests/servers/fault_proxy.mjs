// A tiny HTTP proxy on 127.0.0.1 that misbehaves on demand, between a transport and a real
// server: proxy.mode = 'pass' | 'hang' (never answers) | 'status:<n>' (that status, a short
// text) | 'html' (a captive portal's 200 page) | 'json:<text>' (200 application/json with
// that body) | 'truncate' (the real answer, cut in half, connection closed) | 'redirect'
// (302 to a sign-in page).
import http from 'node:http';

export async function startFaultProxy(target) {
  const upstream = new URL(target);
  const sockets = new Set();
  const proxy = { mode: 'pass', requests: 0 };
  const server = http.createServer((req, res) => {
    proxy.requests++;
    const mode = proxy.mode;
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
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
    });
    out.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(out);
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${server.address().port}${upstream.pathname}`;
  proxy.stop = () => new Promise((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });
  return proxy;
}
