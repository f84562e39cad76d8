// Module worker: downloads, compiles and starts the Go WebAssembly
// classifier (wasm/main.go), then answers the page's requests. The page's
// thread never runs Go, so the UI stays responsive while a clip is analysed.
//
// Messages to the page:
//   {type: 'progress', loaded, total, encoded, done}  while the wasm downloads
//        (bytes; total is Content-Length, 0 if unknown; encoded: the body is
//        compressed, so total counts compressed bytes and loaded decoded ones;
//        done: the download is complete and the model is being prepared)
//   {type: 'ready', labels, timings, kernels}    model loaded and warmed up; kernels:
//        dsp's hot loops in use, "simd" (WebAssembly SIMD) or "go" (emotion.kernels)
//   {type: 'fatal', message}                     the classifier cannot start or has
//        stopped; the page may start a new worker
//   {type: 'image', id, image}                   during a classify with options.image_width:
//        the clip's picture (as the 'image' request returns it, rgba transferred),
//        sent as soon as the features exist, before the model runs
//   {type: 'window', id, done, total, segment}   during a classify, after every model window
//   {type: 'result', id, result, memory}         the answer to a request; memory is
//        the size in bytes of the wasm's linear memory afterwards (it only grows,
//        so it is the peak so far of the Go heap and everything else in it)
// Requests from the page: {type: 'classify' | 'image', id, bytes: ArrayBuffer, options}.
// A classify's options are the wasm API's (file, max_bytes, max_seconds,
// timings) plus image_width: draw the picture at most this wide and post it.
// One classify request then does what an image and a classify request did,
// decoding and analysing the clip once.
// Results are the wasm API's values: errors are {error, error_code}, never
// exceptions, so one bad file leaves the worker working.
import 'go-wasm-exec';
import { addKernelImports } from './lib/go-kernels.js';

/* global EMOTION_WASM_URL */
const wasmURL = new URL(EMOTION_WASM_URL, import.meta.url);
const PROGRESS_EVERY_MS = 100;

let go; // the running Go program
let memory; // its WebAssembly.Memory
const started = performance.now();

// countProgress reads a clone of the wasm response, reporting how many
// bytes have arrived. The original response goes to instantiateStreaming
// untouched: Chromium keys its compiled-code cache by the response's URL,
// and a wrapped Response has none (measured: no cache entry, and a revisit
// twice as expensive; docs/PERFORMANCE.md "In the browser").
async function countProgress(res) {
  const total = Number(res.headers.get('Content-Length')) || 0;
  const encoding = res.headers.get('Content-Encoding');
  const encoded = Boolean(encoding) && encoding !== 'identity';
  let loaded = 0;
  let last = 0;
  const report = (done = false) => postMessage({ type: 'progress', loaded, total, encoded, done });
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    loaded += value.byteLength;
    const now = performance.now();
    if (now - last >= PROGRESS_EVERY_MS) { last = now; report(); }
  }
  report(true);
}

async function start() {
  const res = await fetch(wasmURL);
  if (!res.ok) throw new Error(`downloading the classifier failed: HTTP ${res.status}`);
  const t0 = performance.now();
  // The Go wasm imports its SIMD kernels ("dspsimd", "sgemmsimd"):
  // without them it does not instantiate. Their compile is synchronous, which a worker
  // allows at any size (a page's main thread only below a limit: 4 KB in
  // older Chromium, 8 MB in Chromium 156).
  go = addKernelImports(new globalThis.Go());
  const [{ instance }] = await Promise.all([
    WebAssembly.instantiateStreaming(res, go.importObject),
    countProgress(res.clone()).catch(() => {}), // progress is cosmetic; the compile decides
  ]);
  const t1 = performance.now();
  memory = instance.exports.mem;
  // run executes main until it parks: by then the model is loaded, warmed
  // up and globalThis.emotion is set. The promise settles if Go exits.
  go.run(instance).finally(() => postMessage({ type: 'fatal', message: 'the classifier stopped' }));
  const api = globalThis.emotion;
  if (!api) throw new Error('the classifier did not start');
  if (api.loadError) throw new Error(`the model did not load: ${api.loadError}`);
  const t2 = performance.now();
  return {
    labels: JSON.parse(api.labels),
    kernels: api.kernels,
    // response: until the wasm's headers; compile: download and compile,
    // which overlap (streaming); model: Go's main, loading and warming the model.
    timings: { response: t0 - started, compile: t1 - t0, model: t2 - t1, total: t2 - started },
  };
}

const ready = start();
ready.then(({ labels, timings, kernels }) => postMessage({ type: 'ready', labels, timings, kernels }),
  (err) => postMessage({ type: 'fatal', message: err.message || String(err) }));

// answer runs one request against the wasm API and returns the message to
// post and what to transfer with it.
function answer({ type, id, bytes, options }) {
  const api = globalThis.emotion;
  const data = new Uint8Array(bytes);
  if (type === 'classify') {
    // Go calls these synchronously, during the classify; the messages
    // reach the page while the classification goes on.
    const on_window = (done, total, segment) =>
      postMessage({ type: 'window', id, done, total, segment: segment === null ? null : JSON.parse(segment) });
    const { image_width: width, ...rest } = options || {};
    const opts = { ...rest, on_window };
    if (width) {
      opts.max_width = width;
      opts.on_image = (image) => postMessage({ type: 'image', id, image }, [image.rgba.buffer]);
    }
    return [JSON.parse(api.classify(data, opts)), []];
  }
  if (type === 'image') {
    const img = api.image(data, options);
    // Transfer the pixels instead of copying them to the page.
    return img.rgba ? [img, [img.rgba.buffer]] : [img, []];
  }
  return [{ error: `unknown request ${type}`, error_code: 'bad_argument' }, []];
}

onmessage = async (e) => {
  const { id } = e.data;
  try {
    await ready;
  } catch (err) {
    postMessage({ type: 'result', id, result: { error: `the classifier is not available: ${err.message}`, error_code: 'unavailable' } });
    return;
  }
  let result;
  let transfer = [];
  try {
    [result, transfer] = answer(e.data);
  } catch (err) {
    // The Go side turns errors and panics into values, so this is the
    // runtime itself failing (out of memory, or Go has exited).
    result = { error: `the classifier failed: ${err.message || err}`, error_code: 'internal' };
    postMessage({ type: 'result', id, result });
    postMessage({ type: 'fatal', message: result.error });
    return;
  }
  postMessage({ type: 'result', id, result, memory: memory?.buffer.byteLength }, transfer);
};
