// Apache httpd as a WebDAV server on 127.0.0.1 for tests: writes a config into a temp dir,
// starts Debian's /usr/sbin/apache2 in the foreground as a child of the test, stops it.
// mod_dav + mod_dav_fs serve <tmp>/dav; mod_headers adds CORS (ETag exposed) and mod_rewrite
// answers the OPTIONS preflight with 204 before auth. What Apache really does with
// If-None-Match / If-Match / PROPFIND / MKCOL / ETags is in docs/SYNC_FORMAT.md (Transports).
// As root (CI), Apache refuses to serve as root: the workers run as www-data, which then owns
// the DAV folder and the lock database.
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const APACHE = '/usr/sbin/apache2';
const MODULES = '/usr/lib/apache2/modules';

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
    srv.on('error', reject);
  });
}

export async function waitForPort(port, proc, name, ms = 15000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`${name} exited with ${proc.exitCode}`);
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} did not start listening on ${port}`);
}

function chownTree(dir, uid, gid) {
  chownSync(dir, uid, gid);
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) chownTree(p, uid, gid); else chownSync(p, uid, gid);
  }
}

// Starts Apache; returns { url (ends with '/'), dir (the DAV folder), errorLog(), stop() }.
// user/password: Basic auth required for everything but OPTIONS.
// fileEtag: the FileETag setting (Digest unless a test looks at another one).
export async function startWebdav({ user, password, fileEtag = 'Digest' } = {}) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'crm-webdav-'));
  const dav = path.join(tmp, 'dav');
  const lock = path.join(tmp, 'lock');
  mkdirSync(dav);
  mkdirSync(lock);
  const port = await freePort();
  const load = (m, f) => `LoadModule ${m}_module ${MODULES}/mod_${f || m}.so`;
  const auth = user
    ? `AuthType Basic
    AuthName "crm-sync"
    AuthBasicProvider file
    AuthUserFile ${tmp}/htpasswd
    <LimitExcept OPTIONS>
      Require valid-user
    </LimitExcept>`
    : 'Require all granted';
  if (user) {
    // {SHA} entries need no htpasswd binary.
    writeFileSync(path.join(tmp, 'htpasswd'), `${user}:{SHA}${createHash('sha1').update(password).digest('base64')}\n`);
  }
  const root = process.getuid && process.getuid() === 0;
  writeFileSync(path.join(tmp, 'httpd.conf'), `
ServerRoot "${tmp}"
ServerName 127.0.0.1
Listen 127.0.0.1:${port}
PidFile ${tmp}/httpd.pid
ErrorLog ${tmp}/error.log
LogLevel warn
${load('mpm_event')}
${load('authz_core')}
${load('authn_core')}
${load('authn_file')}
${load('auth_basic')}
${load('authz_user')}
${load('dav')}
${load('dav_fs')}
${load('headers')}
${load('rewrite')}
${root ? 'User www-data\nGroup www-data' : ''}
StartServers 1
ServerLimit 1
ThreadsPerChild 25
MaxRequestWorkers 25
MinSpareThreads 5
MaxSpareThreads 25
KeepAlive On
<Directory />
    AllowOverride None
    Require all denied
</Directory>
DocumentRoot "${dav}"
DavLockDB "${lock}/DavLock"
# Strong content ETags at once (the default MTime-based ones are weak for a second).
FileETag ${fileEtag}
<Directory "${dav}">
    Dav On
    Options None
    AllowOverride None
    ${auth}
</Directory>
Header always set Access-Control-Allow-Origin "*"
Header always set Access-Control-Allow-Methods "GET, PUT, DELETE, PROPFIND, MKCOL, LOCK, UNLOCK, HEAD, OPTIONS"
Header always set Access-Control-Allow-Headers "Authorization, Content-Type, Depth, If, If-Match, If-None-Match, Lock-Token, Timeout"
Header always set Access-Control-Expose-Headers "ETag, Lock-Token"
Header always set Access-Control-Max-Age "600"
RewriteEngine On
RewriteCond %{REQUEST_METHOD} =OPTIONS
RewriteRule ^ - [R=204,L]
`);
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'www-data']).toString());
    const gid = Number(execFileSync('id', ['-g', 'www-data']).toString());
    chmodSync(tmp, 0o755);  // mkdtemp makes it 0700: the workers must reach dav/ and lock/
    chownTree(dav, uid, gid);
    chownTree(lock, uid, gid);
  }
  const proc = spawn(APACHE, ['-f', path.join(tmp, 'httpd.conf'), '-DFOREGROUND'],
    { stdio: ['ignore', 'ignore', 'inherit'] });
  const errorLog = () => { try { return readFileSync(path.join(tmp, 'error.log'), 'utf8'); } catch { return ''; } };
  try {
    await waitForPort(port, proc, 'apache2');
  } catch (e) {
    const log = errorLog();
    proc.kill('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`${e.message}\n${log}`);
  }
  return {
    url: `http://127.0.0.1:${port}/`,
    dir: dav,
    errorLog,
    stop: () => new Promise((resolve) => {
      const done = () => { rmSync(tmp, { recursive: true, force: true }); resolve(); };
      if (proc.exitCode !== null) return done();
      proc.once('exit', done);
      proc.kill('SIGTERM');  // the parent stops its workers, then exits
    }),
  };
}
