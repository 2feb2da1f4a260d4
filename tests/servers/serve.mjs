// serve.py with its sync API on a free loopback port, over a temp data folder, for tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForPort } from './webdav.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// Returns { url (the /sync/ base), origin, dir, restart(), stop() }. root: the app folder
// served (web/ by default: serve.py only needs an index.html there). restart({quotaMb, ...}):
// serve.py again on the same port and folder with other limits (a full server, then one
// with room again).
export async function startServe({ token = 'test-token', maxFileMb, quotaMb, root = path.join(ROOT, 'web') } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crm-sync-data-'));
  const port = await freePort();
  let proc = null;
  const launch = async (limits) => {
    const args = [path.join(ROOT, 'serve.py'), '--host', '127.0.0.1', '--port', String(port), '--quiet',
      '--root', root, '--sync-dir', dir, '--sync-token', token];
    if (limits.maxFileMb !== undefined) args.push('--sync-max-file-mb', String(limits.maxFileMb));
    if (limits.quotaMb !== undefined) args.push('--sync-quota-mb', String(limits.quotaMb));
    proc = spawn('python3', args, { stdio: ['ignore', 'ignore', 'inherit'] });
    await waitForPort(port, proc, 'serve.py');
  };
  const halt = () => new Promise((resolve) => {
    if (proc.exitCode !== null) return resolve();
    proc.once('exit', resolve);
    proc.kill('SIGTERM');
  });
  await launch({ maxFileMb, quotaMb });
  return {
    origin: `http://127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/sync/`,
    dir,
    restart: async (limits = {}) => { await halt(); await launch(limits); },
    stop: async () => { await halt(); rmSync(dir, { recursive: true, force: true }); },
  };
}
