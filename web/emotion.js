// The classifier for other people's code:
//
//   import { classify } from 'https://host/emotion.js';
//   const result = await classify(fileOrBlobOrArrayBuffer);
//   // {label, confidence, probabilities, duration, speech_start, speech_end, segments?, file?}
//
// result is the record `emotion classify -json` prints for the same file.
// A file that cannot be classified rejects with a ClassifyError whose code
// is the CLI's error_code ("not_audio", "truncated", ...).
//
// The Go WebAssembly runs in a module worker started on the first call
// (or by preload()). Its files are found next to this module
// (import.meta.url), or under the folder given to setAssets, so the
// module works when loaded from another origin. Browsers start workers
// only from the page's own origin; for another origin a one-line blob
// module imports the worker's bundle, which needs CORS on the asset server
// and, under a CSP, worker-src blob: plus script-src and connect-src for
// the asset origin (and 'wasm-unsafe-eval').
import { Client } from './lib/client.js';

/* global EMOTION_WORKER_URL */

export class ClassifyError extends Error {
  constructor(record) {
    super(record.error);
    this.name = 'ClassifyError';
    this.code = record.error_code;
    this.record = record;
  }
}

let base = null; // folder holding the assets; null: this module's own
let client = null;
const progressListeners = new Set();

// setAssets says where the built site's files live (a folder URL); it
// applies to workers started afterwards.
export function setAssets(url) {
  base = url ? new URL(url, document.baseURI) : null;
  if (base && !base.pathname.endsWith('/')) base.pathname += '/';
}

// workerURL is the worker bundle's URL under the asset folder.
export function workerURL() {
  return new URL(EMOTION_WORKER_URL, base || import.meta.url);
}

function startWorker(url) {
  if (url.origin === self.location.origin) return new Worker(url, { type: 'module' });
  const shim = URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)};`], { type: 'text/javascript' }));
  const w = new Worker(shim, { type: 'module' });
  const revoke = () => URL.revokeObjectURL(shim);
  w.addEventListener('message', revoke, { once: true });
  w.addEventListener('error', revoke, { once: true });
  return w;
}

function getClient() {
  if (!client) {
    const url = workerURL();
    client = new Client(() => startWorker(url), {
      progress: (m) => progressListeners.forEach((f) => f(m)),
    });
  }
  return client;
}

// onProgress(f): f hears the classifier's download, {loaded, total,
// encoded, done} (bytes; see worker.js), whenever a worker starts.
export function onProgress(f) {
  progressListeners.add(f);
}

// ready reports whether the classifier has loaded (false before the first
// call or preload).
export function ready() {
  return Boolean(client && client.labels);
}

// preload starts the worker (and the wasm download) before the first file.
export function preload() {
  getClient();
}

// bytesOf returns an ArrayBuffer the worker may take (it is transferred,
// so the caller's own buffer is copied, never detached).
async function bytesOf(input) {
  if (input instanceof ArrayBuffer) return input.slice(0);
  if (ArrayBuffer.isView(input)) return input.buffer.slice(input.byteOffset, input.byteOffset + input.byteLength);
  if (input && typeof input.arrayBuffer === 'function') return input.arrayBuffer(); // Blob, File, Response
  throw new TypeError('classify: want a File, Blob, ArrayBuffer or typed array');
}

// classify resolves with the CLI's classify record for the clip. options:
// {file: name echoed as the record's "file"} (default: a File's name).
export async function classify(input, options = {}) {
  const bytes = await bytesOf(input);
  const file = options.file ?? (typeof input?.name === 'string' ? input.name : undefined);
  const opts = { ...options };
  if (file !== undefined) opts.file = file;
  const record = await getClient().request('classify', bytes, opts);
  if (record.error) throw new ClassifyError(record);
  return record;
}
