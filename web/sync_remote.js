// Where a team's sync files live, seen from the page: the JS side of src/sync/remote.h.
// One interface over four places, chosen by makeRemote(config):
//   {kind: 'http', url, token}              serve.py's /sync/ API (Bearer token)
//   {kind: 'webdav', url, user?, password?} any WebDAV server (names with "/" = collections)
//   {kind: 'folder', handle}                a FileSystemDirectoryHandle (picked folder, OPFS)
//   {kind: 'file', text?, entries?, onWrite?, onRemove?} one JSON sync file the user carries
//                                           (toText()); entries/onWrite/onRemove: the page's
//                                           kept copy (web/sync_place.js)
// Every remote: list(prefix) -> [{name, etag, size}] sorted by name; get(name) -> {bytes, etag};
// putNew(name, bytes) -> etag (create only); putIfMatch(name, bytes, etag) -> etag;
// remove(name): the file is gone afterwards (a name that is not there is done already).
// Failures are thrown as {code, detail, status?} with the err.sync.remote_* codes of
// assets/i18n/*/sync.json. Contents are sealed already: a remote only moves bytes.
// Protocol details and what each kind can promise: docs/SYNC_FORMAT.md, "Transports".

export const DEFAULT_TIMEOUT_MS = 20000;
export const FILE_FORMAT = 'crm-sync-file-1';

// Same rule as serve_sync.py: 1-16 parts of [A-Za-z0-9._-], none starting with ".".
const PART = '[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}';
const NAME_RE = new RegExp(`^(?:${PART}/){0,15}${PART}$`);
const PREFIX_RE = new RegExp(`^(?:${PART}/){0,15}(?:${PART})?$`);

export function syncError(code, detail, status) {
  const e = new Error(`${code}: ${detail}`);
  e.code = code;
  e.detail = detail;
  if (status !== undefined) e.status = status;
  return e;
}

function checkName(name) {
  if (typeof name !== 'string' || name.length > 512 || !NAME_RE.test(name)) {
    throw syncError('err.sync.remote_bad_name', `not a sync file name: ${JSON.stringify(name)}`);
  }
}

function checkPrefix(prefix) {
  if (typeof prefix !== 'string' || prefix.length > 512 || !PREFIX_RE.test(prefix)) {
    throw syncError('err.sync.remote_bad_name', `not a sync name prefix: ${JSON.stringify(prefix)}`);
  }
}

function byName(a, b) { return a.name < b.name ? -1 : a.name > b.name ? 1 : 0; }

function toBytes(bytes) {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  throw syncError('err.sync.remote_bad_name', 'the file contents must be a Uint8Array');
}

// crypto.subtle exists only in a secure context (https, or http on localhost).
const canDigest = () => typeof crypto !== 'undefined' && !!crypto.subtle;

async function digest(algo, bytes) {
  if (!canDigest()) throw syncError('err.sync.remote_settings', 'this page is not served over https (or localhost): it cannot check sync files');
  return new Uint8Array(await crypto.subtle.digest(algo, bytes));
}

function hex(bytes) { return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(''); }

export function base64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function unbase64(text) {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

// The content ETag serve.py and the file kind give: the first 128 bits of SHA-256, quoted.
export async function contentEtag(bytes) { return `"${hex(await digest('SHA-256', bytes)).slice(0, 32)}"`; }

// ---- HTTP plumbing shared by 'http' and 'webdav' -----------------------------------------

// fetch with a timeout covering the whole exchange (headers and body). Returns
// {status, headers, bytes}; network failures become err.sync.remote_unavailable/_timeout.
async function exchange(url, init, timeoutMs, name) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; controller.abort(); }, timeoutMs);
  try {
    // No redirects: a sync place never moves its files; a redirect is a sign-in portal or a
    // wrong address, and a followed PUT would turn into a GET that "succeeds".
    const response = await fetch(url, { ...init, signal: controller.signal, cache: 'no-store', redirect: 'manual' });
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      throw syncError('err.sync.remote_bad_answer', `${name}: the server sent the request elsewhere (a sign-in page, or http instead of https?)`, response.status || undefined);
    }
    return { status: response.status, headers: response.headers, bytes };
  } catch (e) {
    if (e && e.code === 'err.sync.remote_bad_answer') throw e;
    if (timedOut) throw syncError('err.sync.remote_timeout', `no answer within ${Math.round(timeoutMs / 1000)} s: ${name}`);
    // A browser does not say whether the server is down, the network is, the answer was cut
    // off or CORS refused it: all are "could not reach", said with the browser's reason.
    throw syncError('err.sync.remote_unavailable', `${name}: ${e && e.message ? e.message : e}`);
  } finally {
    clearTimeout(timer);
  }
}

// The errors every status means the same for, whatever the operation.
function statusError(status, name, bytes) {
  const said = new TextDecoder().decode(bytes.subarray(0, 200)).trim();
  const detail = `${name}: HTTP ${status}${said && !said.startsWith('<') ? ' ' + said : ''}`;
  if (status === 401 || status === 403) return syncError('err.sync.remote_unauthorized', detail, status);
  if (status === 413) return syncError('err.sync.remote_too_large', detail, status);
  if (status === 507) return syncError('err.sync.remote_full', detail, status);
  if (status === 408 || status === 429 || status >= 500) return syncError('err.sync.remote_unavailable', detail, status);
  return syncError('err.sync.remote_bad_answer', detail, status);
}

function looksLikeHtml(headers, bytes) {
  const type = (headers.get('content-type') || '').toLowerCase();
  if (type.includes('text/html')) return true;
  const head = new TextDecoder().decode(bytes.subarray(0, 64)).trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html');
}

function needEtag(headers, name, crossOrigin) {
  const etag = headers.get('etag');
  if (!etag) {
    throw syncError('err.sync.remote_bad_answer', crossOrigin
      ? `${name}: the answer has no ETag the page may read (the server must send Access-Control-Expose-Headers: ETag)`
      : `${name}: the answer has no ETag`);
  }
  return etag;
}

function baseUrl(url) {
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) {
    throw syncError('err.sync.remote_settings', `not an http(s) address: ${JSON.stringify(url)}`);
  }
  return url.endsWith('/') ? url : url + '/';
}

function isCrossOrigin(url) {
  return typeof location !== 'undefined' && new URL(url).origin !== location.origin;
}

// ---- kind 'http': serve.py's /sync/ API ----------------------------------------------------

function httpRemote({ url, token, timeoutMs = DEFAULT_TIMEOUT_MS }) {
  const base = baseUrl(url);
  const cross = isCrossOrigin(base);
  const auth = token ? { Authorization: `Bearer ${token}` } : {};
  const call = (method, path, name, init = {}) =>
    exchange(base + path, { method, ...init, headers: { ...auth, ...(init.headers || {}) } }, timeoutMs, name);

  async function put(name, bytes, precondition, onPrecondition) {
    checkName(name);
    const r = await call('PUT', name, name, {
      body: toBytes(bytes), headers: { 'Content-Type': 'application/octet-stream', ...precondition } });
    if (r.status === 200 || r.status === 201 || r.status === 204) {
      // serve.py's ETag is the hash of what it stored: anything else did not store our bytes.
      const etag = needEtag(r.headers, name, cross);
      if (canDigest() && etag !== await contentEtag(bytes)) throw syncError('err.sync.remote_bad_answer', `${name}: the server did not confirm the bytes it stored`, r.status);
      return etag;
    }
    if (r.status === 412) throw onPrecondition;
    throw statusError(r.status, name, r.bytes);
  }

  return {
    kind: 'http',
    async list(prefix) {
      checkPrefix(prefix);
      const r = await call('GET', `${prefix}?list`, prefix || '/');
      if (r.status !== 200) throw statusError(r.status, prefix || '/', r.bytes);
      return parseListing(r.bytes, prefix);
    },
    async remove(name) {
      checkName(name);
      const r = await call('DELETE', name, name);
      if (r.status !== 200 && r.status !== 204 && r.status !== 404) throw statusError(r.status, name, r.bytes);
    },
    ...fileOperations(call, put, cross),
  };
}

// get, putNew and putIfMatch are the same over serve.py and WebDAV: a plain GET, and PUTs
// made conditional with If-None-Match / If-Match (each kind's own `put` does the rest).
function fileOperations(call, put, cross) {
  return {
    async get(name) {
      checkName(name);
      const r = await call('GET', name, name);
      if (r.status === 404) throw syncError('err.sync.remote_missing', name, 404);
      if (r.status !== 200) throw statusError(r.status, name, r.bytes);
      if (looksLikeHtml(r.headers, r.bytes)) throw syncError('err.sync.remote_bad_answer', `${name}: a web page came instead of the file`);
      return { bytes: r.bytes, etag: needEtag(r.headers, name, cross) };
    },
    async putNew(name, bytes) {
      return put(name, bytes, { 'If-None-Match': '*' }, syncError('err.sync.remote_exists', name, 412));
    },
    async putIfMatch(name, bytes, etag) {
      return put(name, bytes, { 'If-Match': etag }, syncError('err.sync.remote_conflict', name, 412));
    },
  };
}

// A listing must be exactly what the protocol says: JSON [{name, etag, size}], every name
// under the prefix. Anything else (a portal's HTML page, a cut-off body) is a bad answer.
function parseListing(bytes, prefix) {
  let files;
  try {
    files = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw syncError('err.sync.remote_bad_answer', `${prefix || '/'}: the listing is not JSON`);
  }
  const ok = Array.isArray(files) && files.every((f) => f && typeof f.name === 'string' && NAME_RE.test(f.name) &&
    f.name.startsWith(prefix) && typeof f.etag === 'string' && f.etag.length > 0 &&
    Number.isSafeInteger(f.size) && f.size >= 0);
  if (!ok) throw syncError('err.sync.remote_bad_answer', `${prefix || '/'}: the listing is not a list of files`);
  return files.map((f) => ({ name: f.name, etag: f.etag, size: f.size })).sort(byName);
}

// ---- kind 'webdav' -------------------------------------------------------------------------

function webdavRemote({ url, user, password, timeoutMs = DEFAULT_TIMEOUT_MS, lockWaitMs = 10000 }) {
  const base = baseUrl(url);
  const basePath = decodeURIComponent(new URL(base).pathname);
  const cross = isCrossOrigin(base);
  const auth = user ? { Authorization: 'Basic ' + base64(new TextEncoder().encode(`${user}:${password || ''}`)) } : {};
  const made = new Set();  // collections known to exist: MKCOL once per session
  const call = (method, path, name, init = {}) =>
    exchange(base + path, { method, ...init, headers: { ...auth, ...(init.headers || {}) } }, timeoutMs, name);

  async function mkcols(name) {
    const parts = name.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const dir = parts.slice(0, i).join('/') + '/';
      if (made.has(dir)) continue;
      const r = await call('MKCOL', dir, name);
      // 405: it exists already (Apache); 301: exists, redirected to the slash form.
      if (r.status !== 201 && r.status !== 405 && r.status !== 301) throw statusError(r.status, name, r.bytes);
      made.add(dir);
    }
  }

  // Apache answers a PUT without an ETag: read it back with HEAD. When the server's ETags
  // are content digests (FileETag Digest: base64 SHA-1), ours is known without a race.
  async function etagAfterPut(r, name, bytes) {
    const given = r.headers.get('etag');
    if (given) return given;
    const mine = canDigest() ? `"${base64(await digest('SHA-1', bytes))}"` : null;
    const head = await call('HEAD', name, name);
    if (head.status !== 200) throw statusError(head.status, name, head.bytes);
    const seen = needEtag(head.headers, name, cross);
    // A digest of other bytes: another device wrote since; ours is still the true tag.
    return mine && (seen === mine || /^"[A-Za-z0-9+/]{27}="$/.test(seen)) ? mine : seen;
  }

  // Apache's If-Match / If-None-Match alone are not atomic (two writers can both pass the
  // check): a write holds an exclusive Depth-infinity LOCK on the file's collection, so
  // writers to one collection take turns. Servers without LOCK get the plain conditional PUT.
  let lockable = true;
  const LOCK_BODY = '<?xml version="1.0" encoding="utf-8"?><lockinfo xmlns="DAV:"><lockscope><exclusive/></lockscope>' +
    '<locktype><write/></locktype><owner>crm sync</owner></lockinfo>';

  async function lock(dir, name) {  // the lock token, or null when the server cannot lock
    const until = Date.now() + lockWaitMs;
    for (let wait = 10; ; wait = Math.min(wait * 2, 400)) {
      const r = await call('LOCK', dir, name, { headers: { Depth: 'infinity', Timeout: 'Second-60', 'Content-Type': 'application/xml; charset=utf-8' }, body: LOCK_BODY });
      const token = r.headers.get('lock-token');
      if ((r.status === 200 || r.status === 201) && token) return token;
      if (r.status === 405 || r.status === 501) return null;
      if (r.status === 200 || r.status === 201) {
        throw syncError('err.sync.remote_bad_answer', `${name}: the lock token cannot be read${cross ? ' (the server must send Access-Control-Expose-Headers: Lock-Token)' : ''}`, r.status);
      }
      // 423: another writer holds it; 500: Apache's lock database is busy (seen under load).
      if ((r.status !== 423 && r.status !== 500) || Date.now() > until) {
        if (r.status === 423 || r.status === 500) throw syncError('err.sync.remote_unavailable', `${name}: the folder stayed locked by another device`, r.status);
        throw statusError(r.status, name, r.bytes);
      }
      await new Promise((res) => setTimeout(res, wait * (0.5 + Math.random())));
    }
  }

  // Sends one request under a lock on the file's folder (when the server has locks).
  // 423, or a 412 that `retry412()` finds spurious: Apache's lock database lost our lock under
  // load (seen in tests); sending again under a new lock lets the request's own condition
  // decide, as if we had come second.
  async function underLock(name, send, retry412) {
    const dir = name.slice(0, name.lastIndexOf('/') + 1);
    for (let tries = 0; ; tries++) {
      const token = lockable ? await lock(dir, name) : null;
      if (lockable && token === null) lockable = false;
      let r;
      try {
        r = await send(token ? { If: `<${base}${dir}> (${token})` } : {});
      } finally {
        if (token) await call('UNLOCK', dir, name, { headers: { 'Lock-Token': token } }).catch(() => {});  // it times out anyway
      }
      if (!lockable || tries >= 5) return r;
      if (r.status !== 423 && !(r.status === 412 && await retry412())) return r;
    }
  }

  async function put(name, bytes, precondition, onPrecondition) {
    checkName(name);
    bytes = toBytes(bytes);
    const headers = { 'Content-Type': 'application/octet-stream', ...precondition };
    if (name.includes('/')) await mkcols(name);
    const holds = async () => {  // the precondition still holds: the 412 was the lock's
      const h = await call('HEAD', name, name);
      return precondition['If-None-Match'] ? h.status === 404 : h.status === 200 && h.headers.get('etag') === precondition['If-Match'];
    };
    const r = await underLock(name, (lockHeaders) => call('PUT', name, name, { body: bytes, headers: { ...headers, ...lockHeaders } }), holds);
    if (r.status === 200 || r.status === 201 || r.status === 204) return etagAfterPut(r, name, bytes);
    if (r.status === 412) throw onPrecondition;
    throw statusError(r.status, name, r.bytes);
  }

  async function propfind(dir) {
    const r = await call('PROPFIND', dir, dir || '/', {
      headers: { Depth: '1', 'Content-Type': 'application/xml; charset=utf-8' },
      body: '<?xml version="1.0" encoding="utf-8"?><propfind xmlns="DAV:"><prop><resourcetype/><getetag/><getcontentlength/></prop></propfind>',
    });
    if (r.status === 404) return [];
    if (r.status !== 207) throw statusError(r.status, dir || '/', r.bytes);
    return parseMultistatus(new TextDecoder().decode(r.bytes), basePath, dir);
  }

  return {
    kind: 'webdav',
    // PROPFIND Depth 1 of the prefix's collection, and of sub-collections the prefix covers
    // (Depth: infinity is off on most servers).
    async list(prefix) {
      checkPrefix(prefix);
      const out = [];
      const walk = async (dir) => {
        for (const entry of await propfind(dir)) {
          if (entry.collection) {
            if (entry.name.startsWith(prefix) || prefix.startsWith(entry.name)) await walk(entry.name);
          } else if (entry.name.startsWith(prefix)) {
            out.push({ name: entry.name, etag: entry.etag, size: entry.size });
          }
        }
      };
      await walk(prefix.slice(0, prefix.lastIndexOf('/') + 1));
      return out.sort(byName);
    },
    // Under the collection's lock like a write (a DELETE while another device's write holds
    // it is 423); 404 means gone already.
    async remove(name) {
      checkName(name);
      const r = await underLock(name, (lockHeaders) => call('DELETE', name, name, { headers: lockHeaders }), async () => true);
      if (r.status !== 200 && r.status !== 204 && r.status !== 404) throw statusError(r.status, name, r.bytes);
    },
    ...fileOperations(call, put, cross),
  };
}

function xmlText(s) {
  return s.replace(/&(lt|gt|quot|apos|amp|#x[0-9a-f]+|#[0-9]+);/gi, (m, e) => {
    const named = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' }[e.toLowerCase()];
    if (named) return named;
    return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

// The members of collection dir in a PROPFIND multistatus, as names of our namespace. A
// small reader for the few elements needed (no DOMParser in workers or node), namespace
// prefixes ignored.
export function parseMultistatus(xml, basePath, dir) {
  const bad = (why) => syncError('err.sync.remote_bad_answer', `${dir || '/'}: ${why}`);
  if (!/<([\w.-]+:)?multistatus[\s>]/.test(xml)) throw bad('the folder listing is not WebDAV');
  const el = (block, tag) => {
    const m = block.match(new RegExp(`<(?:[\\w.-]+:)?${tag}(?:\\s[^>]*)?(?:/>|>([\\s\\S]*?)</(?:[\\w.-]+:)?${tag}>)`));
    return m ? (m[1] === undefined ? '' : m[1]) : null;
  };
  const out = [];
  for (const block of xml.split(/<(?:[\w.-]+:)?response[\s>]/).slice(1)) {
    const href = el(block, 'href');
    if (href === null) throw bad('a listing entry has no address');
    let path;
    try {
      path = decodeURIComponent(new URL(xmlText(href.trim()), 'http://x').pathname);
    } catch (e) {
      throw bad('a listing entry has a bad address');
    }
    if (!path.startsWith(basePath)) continue;
    let name = path.slice(basePath.length);
    const collection = /<(?:[\w.-]+:)?collection\s*\/?>/.test(el(block, 'resourcetype') || '');
    if (collection) name = name.endsWith('/') ? name : name + '/';
    if (name === dir || name === '' || name.replace(/\/$/, '') === dir.replace(/\/$/, '')) continue;  // the collection itself
    // Only the propstat with 200 holds the values.
    const ok = block.split(/<(?:[\w.-]+:)?propstat[\s>]/).slice(1).find((p) => /HTTP\/\d(?:\.\d)?\s+200/.test(el(p, 'status') || '')) || '';
    if (collection) { out.push({ name, collection: true }); continue; }
    if (!NAME_RE.test(name)) continue;  // not one of ours (e.g. a desktop client's ._ file)
    const etag = xmlText((el(ok, 'getetag') || '').trim());
    const size = Number((el(ok, 'getcontentlength') || '').trim());
    if (!etag || !Number.isSafeInteger(size)) throw bad(`no ETag or size for ${name}`);
    out.push({ name, etag, size, collection: false });
  }
  return out;
}

// ---- kind 'folder': a FileSystemDirectoryHandle --------------------------------------------
// ETag = lastModified + size. A write goes to createWritable()'s swap file and replaces the
// file on close(), so no reader sees part of it; the check-then-write of putNew/putIfMatch
// holds a Web Lock, so it is atomic between this origin's tabs, not across machines sharing
// the folder (see docs/SYNC_FORMAT.md).

function folderRemote({ handle }) {
  if (!handle || handle.kind !== 'directory') throw syncError('err.sync.remote_settings', 'no folder was chosen');
  const LOCK = 'crm-sync-folder';
  const locked = (fn) => (typeof navigator !== 'undefined' && navigator.locks)
    ? navigator.locks.request(LOCK, fn) : fn();

  const fsError = (e, name) => {
    const n = e && e.name;
    if (n === 'NotFoundError') return syncError('err.sync.remote_missing', name);
    if (n === 'NotAllowedError' || n === 'SecurityError') return syncError('err.sync.remote_unauthorized', `${name}: ${e.message}`);
    if (n === 'QuotaExceededError') return syncError('err.sync.remote_full', `${name}: ${e.message}`);
    if (n === 'TypeMismatchError') return syncError('err.sync.remote_bad_answer', `${name}: a folder and a file have the same name`);
    if (e && e.code && String(e.code).startsWith('err.')) return e;
    return syncError('err.sync.remote_unavailable', `${name}: ${e && e.message ? e.message : e}`);
  };

  async function dirOf(name, create) {
    let dir = handle;
    const parts = name.split('/');
    for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part, { create });
    return { dir, leaf: parts[parts.length - 1] };
  }

  const etagOf = (file) => `"${file.lastModified}-${file.size}"`;

  async function current(name) {  // the file, or null
    try {
      const { dir, leaf } = await dirOf(name, false);
      return await (await dir.getFileHandle(leaf)).getFile();
    } catch (e) {
      if (e && (e.name === 'NotFoundError' || e.name === 'TypeMismatchError')) return null;
      throw e;
    }
  }

  async function write(name, bytes, before) {
    const { dir, leaf } = await dirOf(name, true);
    const fh = await dir.getFileHandle(leaf, { create: true });
    for (;;) {
      const w = await fh.createWritable();
      await w.write(bytes);
      await w.close();
      const file = await fh.getFile();
      // Same size within the same millisecond would keep the tag: write again, later.
      if (!before || etagOf(file) !== before) return etagOf(file);
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  return {
    kind: 'folder',
    async list(prefix) {
      checkPrefix(prefix);
      const out = [];
      const start = prefix.slice(0, prefix.lastIndexOf('/') + 1);
      let top;
      try {
        top = start ? (await dirOf(start + 'x', false)).dir : handle;
      } catch (e) {
        if (e && (e.name === 'NotFoundError' || e.name === 'TypeMismatchError')) return [];
        throw fsError(e, prefix);
      }
      const walk = async (dir, path) => {
        for await (const [entryName, entry] of dir.entries()) {
          const name = path + entryName;
          if (entry.kind === 'directory') {
            if ((name + '/').startsWith(prefix) || prefix.startsWith(name + '/')) await walk(entry, name + '/');
          } else if (name.startsWith(prefix) && NAME_RE.test(name)) {
            const file = await entry.getFile();
            out.push({ name, etag: etagOf(file), size: file.size });
          }
        }
      };
      try {
        await walk(top, start);
      } catch (e) {
        throw fsError(e, prefix);
      }
      return out.sort(byName);
    },
    async get(name) {
      checkName(name);
      try {
        const file = await current(name);
        if (!file) throw syncError('err.sync.remote_missing', name);
        return { bytes: new Uint8Array(await file.arrayBuffer()), etag: etagOf(file) };
      } catch (e) {
        throw fsError(e, name);
      }
    },
    async putNew(name, bytes) {
      checkName(name);
      bytes = toBytes(bytes);
      return locked(async () => {
        try {
          if (await current(name)) throw syncError('err.sync.remote_exists', name);
          return await write(name, bytes, null);
        } catch (e) {
          throw fsError(e, name);
        }
      });
    },
    async putIfMatch(name, bytes, etag) {
      checkName(name);
      bytes = toBytes(bytes);
      return locked(async () => {
        try {
          const file = await current(name);
          if (!file || etagOf(file) !== etag) throw syncError('err.sync.remote_conflict', name);
          return await write(name, bytes, etag);
        } catch (e) {
          throw fsError(e, name);
        }
      });
    },
    async remove(name) {
      checkName(name);
      return locked(async () => {
        try {
          const { dir, leaf } = await dirOf(name, false);
          if ((await current(name)) === null) return;  // gone already (or a folder: not ours)
          await dir.removeEntry(leaf);
        } catch (e) {
          if (e && e.name === 'NotFoundError') return;
          throw fsError(e, name);
        }
      });
    },
  };
}

// ---- kind 'file': the namespace as one JSON document ---------------------------------------
// {"format": "crm-sync-file-1", "files": {"<name>": {"etag": "\"...\"", "data": "<base64>"}}}

// `entries` ([name, {etag, bytes}], written by this page earlier) instead of a text; onWrite(name,
// {etag, bytes}) is awaited after every write, so a put is answered once the page has kept it.
function fileRemote({ text, entries, onWrite, onRemove }) {
  const files = new Map(entries || []);  // name -> {etag, bytes}
  const bad = (why) => syncError('err.sync.file_invalid', why);
  if (text !== undefined && text !== null && String(text).trim() !== '') {
    let doc;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw bad('the file is not JSON');
    }
    if (!doc || doc.format !== FILE_FORMAT || typeof doc.files !== 'object' || doc.files === null || Array.isArray(doc.files)) {
      throw bad(`the file is not a sync file (format ${JSON.stringify(doc && doc.format)})`);
    }
    for (const [name, f] of Object.entries(doc.files)) {
      if (!NAME_RE.test(name) || !f || typeof f.etag !== 'string' || typeof f.data !== 'string') throw bad(`bad entry ${JSON.stringify(name)}`);
      let bytes;
      try {
        bytes = unbase64(f.data);
      } catch (e) {
        throw bad(`bad data for ${name}`);
      }
      files.set(name, { etag: f.etag, bytes });
    }
  }
  // ETags of loaded entries are checked lazily (hashing needs await): see verified().
  let checked = files.size === 0 || !!entries;
  async function verified() {
    if (checked) return;
    for (const [name, f] of files) {
      if (await contentEtag(f.bytes) !== f.etag) throw bad(`${name} was changed after the file was written`);
    }
    checked = true;
  }

  return {
    kind: 'file',
    async list(prefix) {
      checkPrefix(prefix);
      await verified();
      return [...files].filter(([name]) => name.startsWith(prefix))
        .map(([name, f]) => ({ name, etag: f.etag, size: f.bytes.length })).sort(byName);
    },
    async get(name) {
      checkName(name);
      await verified();
      const f = files.get(name);
      if (!f) throw syncError('err.sync.remote_missing', name);
      return { bytes: f.bytes.slice(), etag: f.etag };
    },
    async putNew(name, bytes) {
      checkName(name);
      await verified();
      bytes = toBytes(bytes).slice();
      const etag = await contentEtag(bytes);
      if (files.has(name)) throw syncError('err.sync.remote_exists', name);
      files.set(name, { etag, bytes });
      if (onWrite) await onWrite(name, { etag, bytes });
      return etag;
    },
    async putIfMatch(name, bytes, etag) {
      checkName(name);
      await verified();
      bytes = toBytes(bytes).slice();
      const next = await contentEtag(bytes);
      const f = files.get(name);
      if (!f || f.etag !== etag) throw syncError('err.sync.remote_conflict', name);
      files.set(name, { etag: next, bytes });
      if (onWrite) await onWrite(name, { etag: next, bytes });
      return next;
    },
    // (The app never prunes a sync file: a loaded file only adds, so a removed segment would
    // come back with the next one; see docs/SYNC_FORMAT.md "Pruning".)
    async remove(name) {
      checkName(name);
      await verified();
      if (!files.delete(name)) return;
      if (onRemove) await onRemove(name);
    },
    // The whole namespace, names sorted, for "send my changes" (a download).
    toText() {
      const out = {};
      for (const name of [...files.keys()].sort()) out[name] = { etag: files.get(name).etag, data: base64(files.get(name).bytes) };
      return JSON.stringify({ format: FILE_FORMAT, files: out });
    },
  };
}

// One remote call of a sync job, as the app's C++ asks for it (op: list, get, put_new,
// put_if_match, remove): never throws; returns { answer, bytes } where answer is the JSON the app
// reads (crm_sync_answered: {files} / {etag} / {error, detail}) and bytes what a get returned.
export async function performCall(remote, op, name, etag, bytes) {
  const answer = {};
  try {
    if (op === 'list') answer.files = await remote.list(name);
    else if (op === 'get') {
      const got = await remote.get(name);
      answer.etag = got.etag;
      return { answer, bytes: got.bytes };
    } else if (op === 'put_new') answer.etag = await remote.putNew(name, bytes);
    else if (op === 'remove') await remote.remove(name);
    else answer.etag = await remote.putIfMatch(name, bytes, etag);
    return { answer, bytes: null };
  } catch (e) {
    return { answer: { error: (e && e.code) || 'err.sync.remote_unavailable', detail: String((e && e.detail) || e) },
             bytes: null };
  }
}

export function makeRemote(config) {
  switch (config && config.kind) {
    case 'http': return httpRemote(config);
    case 'webdav': return webdavRemote(config);
    case 'folder': return folderRemote(config);
    case 'file': return fileRemote(config);
    default: throw syncError('err.sync.remote_settings', `unknown kind of sync location: ${JSON.stringify(config && config.kind)}`);
  }
}
