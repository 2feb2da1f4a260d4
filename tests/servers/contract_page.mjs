// A blank page with web/sync_remote.js and the transport contract (tests/transport/contract.mjs)
// on a loopback origin of its own: what the in-browser transport tests load. Loopback is a
// secure context (OPFS needs one) and another origin than the sync servers (CORS is real).
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FILES = { '/sync_remote.js': 'web/sync_remote.js', '/contract.mjs': 'tests/transport/contract.mjs' };

// Returns { url, stop() }.
export async function startContractPage(title) {
  const server = http.createServer(async (req, res) => {
    if (req.url === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      return res.end(`<!doctype html><title>${title}</title>`);
    }
    const file = FILES[req.url];
    if (!file) { res.writeHead(404); return res.end(); }
    res.writeHead(200, { 'Content-Type': 'text/javascript' });
    res.end(await readFile(path.join(ROOT, file)));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, stop: () => new Promise((r) => server.close(r)) };
}
