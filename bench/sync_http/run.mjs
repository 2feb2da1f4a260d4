// One full sync of 1,000 changes between two devices through serve.py (issue 6's benchmark),
// on the page's path: the app's sync jobs in wasm (bench_sync_http.cpp: devices A and B),
// each remote call performed by web/sync_remote.js's 'http' transport with fetch, exactly
// as web/crm.js's syncCall does. A starts a team and B joins it (both empty), A makes the
// changes and syncs (push), then B syncs (pull and apply). Prints RESULT lines for
// scripts/bench.sh; for throughput goals, <metric>_vs_goal is measured / goal (>= 1 meets it).
// Fails (exit 1) unless B ends with exactly A's data (counts and a hash of every table).
//   node bench/sync_http/run.mjs [changes]     (default 1000; needs build/wasm/bench_sync_http.js)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeRemote, performCall } from '../../web/sync_remote.js';
import { startServe } from '../../tests/servers/serve.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHANGES = Number(process.argv[2]) || 1000;
const APPLY_GOAL = 20000;  // field messages applied per second, in wasm (issue 6)
const A = 0, B = 1;
const START = 0, JOIN = 1, SYNC = 2;

const result = (metric, value, unit) => console.log(`RESULT sync_http ${metric} ${value.toFixed(3)} ${unit}`);
const fail = (why) => { console.error(`bench_sync_http: ${why}`); process.exitCode = 1; };

// Every request the transport makes, and the bytes of the bodies each way.
const net = { requests: 0, up: 0, down: 0 };
const realFetch = globalThis.fetch;
globalThis.fetch = async (url, init = {}) => {
  net.requests++;
  if (init.body) net.up += init.body.byteLength;
  const response = await realFetch(url, init);
  const length = response.headers.get('content-length');
  net.down += length !== null ? Number(length) : (await response.clone().arrayBuffer()).byteLength;
  return response;
};

const wasmDir = path.join(ROOT, 'build/wasm');
const createBenchModule = createRequire(import.meta.url)(path.join(wasmDir, 'bench_sync_http.js'));
// wasmBinary: emscripten 3.1.6's loader would otherwise fetch() the .wasm path under node.
const M = await createBenchModule({ wasmBinary: readFileSync(path.join(wasmDir, 'bench_sync_http.wasm')) });

function cstr(s) {
  const n = M.lengthBytesUTF8(s) + 1;
  const p = M._malloc(n);
  M.stringToUTF8(s, p, n);
  return p;
}
const text = (ptr) => M.UTF8ToString(ptr);

const server = await startServe({ token: 'bench-token' });
const remote = makeRemote({ kind: 'http', url: server.url, token: 'bench-token' });

// Runs one job of `device` to its end. Returns its outcome, the wall time, the time spent
// in wasm (the sync code between calls: sealing, opening, applying) and the calls made.
async function drive(device, kind) {
  const t0 = performance.now();
  let wasmMs = 0, calls = 0;
  let t = performance.now();
  if (M._bench_start(device, kind) !== 0) throw new Error(`device ${device}: the job did not start`);
  wasmMs += performance.now() - t;
  for (;;) {
    const pending = text(M._bench_call(device));
    if (!pending) break;
    calls++;
    const { op, name, etag, size } = JSON.parse(pending);
    const at = M._bench_call_bytes(device);
    const bytes = M.HEAPU8.slice(at, at + size);  // as web_bridge.js's crm_js_sync_call
    // as web/crm.js's syncCall:
    const { answer, bytes: out } = await performCall(remote, op, name, etag, bytes);
    const ptr = M._malloc(out && out.length ? out.length : 1);
    if (out) M.HEAPU8.set(out, ptr);
    const json = cstr(JSON.stringify(answer));
    t = performance.now();
    M._bench_answer(device, json, ptr, out ? out.length : 0);  // frees ptr
    wasmMs += performance.now() - t;
    M._free(json);
  }
  const outcome = JSON.parse(text(M._bench_outcome(device)) || '{}');
  if (!outcome.ok) throw new Error(`device ${device}: ${outcome.error || 'no outcome'}`);
  return { outcome, ms: performance.now() - t0, wasmMs, calls };
}

const state = (device) => JSON.parse(text(M._bench_state(device)) || '{}');

try {
  if (M._bench_open() !== 0) throw new Error('the workspaces did not open');
  const setupStart = performance.now();
  await drive(A, START);
  await drive(B, JOIN);
  const setupMs = performance.now() - setupStart;

  let t = performance.now();
  if (M._bench_make_changes(CHANGES) !== 0) throw new Error('the changes were not made');
  const editMs = performance.now() - t;

  net.requests = net.up = net.down = 0;
  const push = await drive(A, SYNC);
  const pushNet = { ...net };
  net.requests = net.up = net.down = 0;
  const pull = await drive(B, SYNC);
  const pullNet = { ...net };

  // B receives every message A sent: written (applied), or ignored because a newer stamp for
  // the same field came in the same segment (stale: a created field edited again later).
  const sent = push.outcome.messages_sent, applied = pull.outcome.messages_applied;
  const received = applied + pull.outcome.messages_stale;
  result('changes', CHANGES, 'changes');
  result('messages', sent, 'messages');
  result('messages_applied', applied, 'messages');
  result('messages_stale', pull.outcome.messages_stale, 'messages');
  result('segments', push.outcome.segments_sent, 'segments');
  result('team_setup_ms', setupMs, 'ms');
  result('local_edits_ms', editMs, 'ms');
  result('push_ms', push.ms, 'ms');
  result('push_wasm_ms', push.wasmMs, 'ms');
  result('push_requests', pushNet.requests, 'requests');
  result('push_bytes_up', pushNet.up, 'bytes');
  result('pull_apply_ms', pull.ms, 'ms');
  result('pull_wasm_ms', pull.wasmMs, 'ms');
  result('pull_requests', pullNet.requests, 'requests');
  result('pull_bytes_down', pullNet.down, 'bytes');
  result('full_sync_ms', push.ms + pull.ms, 'ms');
  result('full_sync_requests', pushNet.requests + pullNet.requests, 'requests');
  result('full_sync_bytes', pushNet.up + pushNet.down + pullNet.up + pullNet.down, 'bytes');
  result('bytes_per_message', (pushNet.up + pushNet.down + pullNet.up + pullNet.down) / sent, 'bytes');
  // Received messages per second: over B's whole round (network included), and over its time
  // in wasm only (opening the segment, apply_remote).
  const endToEnd = received / (pull.ms / 1000), inWasm = received / (pull.wasmMs / 1000);
  result('pull_msg_per_s', endToEnd, 'msg/s');
  result('pull_msg_per_s_vs_goal', endToEnd / APPLY_GOAL, 'x');
  result('apply_wasm_msg_per_s', inWasm, 'msg/s');
  result('apply_wasm_msg_per_s_vs_goal', inWasm / APPLY_GOAL, 'x');

  // B now holds exactly A's data.
  const a = state(A), b = state(B);
  console.error(`  A: ${JSON.stringify(a)}\n  B: ${JSON.stringify(b)}`);
  if (received !== sent) fail(`B received ${received} of the ${sent} messages A sent`);
  if (pull.outcome.segments_received !== push.outcome.segments_sent) fail('B did not receive every segment A sent');
  if (a.customers !== Math.floor(CHANGES / 5)) fail(`A has ${a.customers} customers, not ${Math.floor(CHANGES / 5)}`);
  if (!a.hash || a.customers !== b.customers || a.contacts !== b.contacts || a.hash !== b.hash) {
    fail('B does not hold the same data as A');
  }
} catch (e) {
  fail(e && e.stack ? e.stack : String(e));
} finally {
  await server.stop();
}
