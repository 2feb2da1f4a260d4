// serve.py with its sync API on a free loopback port, over a temp data folder, for tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForPort } from './webdav.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// Returns { url (the /sync/ base), origin, dir, stop() }. root: the app folder served
// (web/ by default: serve.py only needs an index.html there).
export async function startServe({ token = 'test-token', maxFileMb, quotaMb, root = path.join(ROOT, 'web') } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crm-sync-data-'));
  const port = await freePort();
  const args = [path.join(ROOT, 'serve.py'), '--host', '127.0.0.1', '--port', String(port), '--quiet',
    '--root', root, '--sync-dir', dir, '--sync-token', token];
  if (maxFileMb !== undefined) args.push('--sync-max-file-mb', String(maxFileMb));
  if (quotaMb !== undefined) args.push('--sync-quota-mb', String(quotaMb));
  const proc = spawn('python3', args, { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForPort(port, proc, 'serve.py');
  return {
    origin: `http://127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/sync/`,
    dir,
    stop: () => new Promise((resolve) => {
      const done = () => { rmSync(dir, { recursive: true, force: true }); resolve(); };
      if (proc.exitCode !== null) return done();
      proc.once('exit', done);
      proc.kill('SIGTERM');
    }),
  };
}
