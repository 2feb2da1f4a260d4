// The page's side of two sync places the C++ settings cannot hold as JSON (an ES module,
// loaded on first use like sync_remote.js):
//   'folder'  the FileSystemDirectoryHandle the user picked. Kept in IndexedDB (handles are
//             structured-cloneable); after a reload the browser forgets the permission, so
//             every sync first asks queryPermission, and "allow" asks requestPermission
//             inside the tap that wanted it.
//   'file'    the namespace this device keeps for the team's sync file: every file a round
//             or a loaded file wrote, one IndexedDB record per name, written before the put
//             is answered, so a reload loses nothing. "Send my changes" downloads it whole.
// Database 'crm-sync' (the workspace itself lives in 'crm', web/store.js).
import { makeRemote, syncError } from './sync_remote.js';

const DB = 'crm-sync';
let dbPromise = null;

function openDb() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore('place');  // 'folder' -> FileSystemDirectoryHandle
        req.result.createObjectStore('files');  // sync file name -> {etag, bytes}
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => { dbPromise = null; reject(req.error); };
    });
  }
  return dbPromise;
}

async function run(store, mode, fn) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const result = fn(tx.objectStore(store));
    tx.oncomplete = () => resolve(result && 'result' in result ? result.result : undefined);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error('aborted'));
  });
}

const storageError = (e) => syncError(e && e.name === 'QuotaExceededError' ? 'err.sync.remote_full' : 'err.sync.remote_unavailable',
  `this device's copy of the sync file: ${e && e.message ? e.message : e}`);

// ---- folder --------------------------------------------------------------------------------

export async function savedFolder() { return run('place', 'readonly', (s) => s.get('folder')); }

// The browser's folder picker (or, in tests only, window.crm.test.folderPicker); keeps the
// handle. Returns its name; throws {code: 'cancelled'} when the user closed the picker.
export async function pickFolder() {
  const testPicker = window.crm && window.crm.test && window.crm.test.folderPicker;
  const picker = testPicker || window.showDirectoryPicker;
  if (typeof picker !== 'function') throw syncError('err.sync.remote_settings', 'this browser cannot open a folder');
  let handle;
  try {
    handle = await picker.call(window, { id: 'crm-sync', mode: 'readwrite' });
  } catch (e) {
    if (e && e.name === 'AbortError') throw syncError('cancelled', 'the picker was closed');
    throw syncError('err.sync.remote_settings', String(e && e.message ? e.message : e));
  }
  await run('place', 'readwrite', (s) => s.put(handle, 'folder'));
  return handle.name;
}

// Asks for the folder's permission again (must run inside a user's tap).
export async function allowFolder() {
  const handle = await savedFolder();
  if (!handle) throw syncError('err.sync.folder_none', '');
  const state = handle.requestPermission ? await handle.requestPermission({ mode: 'readwrite' }) : 'granted';
  if (state !== 'granted') throw syncError('err.sync.folder_permission', handle.name);
}

// Throws in plain words when the folder may not be used (permission) or is not there.
async function checkFolder(handle) {
  const state = handle.queryPermission ? await handle.queryPermission({ mode: 'readwrite' }) : 'granted';
  if (state !== 'granted') throw syncError('err.sync.folder_permission', handle.name);
  try {
    for await (const _ of handle.keys()) break;  // eslint-disable-line no-unused-vars
  } catch (e) {
    if (e && (e.name === 'NotFoundError' || e.name === 'InvalidStateError')) throw syncError('err.sync.folder_gone', handle.name);
    throw syncError('err.sync.remote_unavailable', `${handle.name}: ${e && e.message ? e.message : e}`);
  }
}

// The folder remote, once the folder is there and may be used. A call that fails later
// (the folder deleted or its permission withdrawn since) says so rather than "file missing".
async function folderRemote() {
  const handle = await savedFolder();
  if (!handle) throw syncError('err.sync.folder_none', '');
  await checkFolder(handle);
  const remote = makeRemote({ kind: 'folder', handle });
  const guarded = { kind: 'folder' };
  for (const op of ['list', 'get', 'putNew', 'putIfMatch']) {
    guarded[op] = async (...args) => {
      try {
        return await remote[op](...args);
      } catch (e) {
        await checkFolder(handle);
        throw e;
      }
    };
  }
  return guarded;
}

// ---- file ----------------------------------------------------------------------------------

async function fileRemote() {
  let entries;
  try {
    entries = await new Promise((resolve, reject) => {
      openDb().then((db) => {
        const out = [];
        const req = db.transaction('files', 'readonly').objectStore('files').openCursor();
        req.onsuccess = () => {
          const c = req.result;
          if (!c) return resolve(out);
          out.push([c.key, c.value]);
          c.continue();
        };
        req.onerror = () => reject(req.error);
      }, reject);
    });
  } catch (e) {
    throw storageError(e);
  }
  const onWrite = async (name, entry) => {
    try {
      await run('files', 'readwrite', (s) => s.put(entry, name));
    } catch (e) {
      throw storageError(e);
    }
  };
  const onRemove = async (name) => {
    try {
      await run('files', 'readwrite', (s) => s.delete(name));
    } catch (e) {
      throw storageError(e);
    }
  };
  return makeRemote({ kind: 'file', entries, onWrite, onRemove });
}

// The remote for a sync location's settings (the JSON the app keeps in sync.remote).
export async function remoteFor(config) {
  if (config && config.kind === 'folder') return folderRemote();
  if (config && config.kind === 'file') return fileRemote();
  return makeRemote(config);
}

// "Send my changes": the kept namespace as one sync file, for a download.
export async function fileText() { return (await fileRemote()).toText(); }
