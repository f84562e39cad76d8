// The page's script: UI only. The classifier (Go compiled to WebAssembly)
// runs in worker.js; files go there one at a time, in the order given.
import { Client } from './lib/client.js';
import { exportCSV, exportJSON } from './lib/export.js';
import { announcement, progressText } from './lib/format.js';
import { registerOffline } from './lib/offline.js';
import { Card } from './ui/card.js';
import { RecordPanel } from './ui/record.js';

/* global EMOTION_WORKER_URL */
const $ = (id) => document.getElementById(id);
const loader = $('loader');
const loaderLabel = $('loader-label');
const loaderBar = $('loader-bar');
const drop = $('drop');
const pick = $('pick');
const results = $('results');
const announce = $('announce');
const exportBar = $('export');
let offlineRegistered = false;

// Start the worker, hence the wasm download, before anything else.
const client = new Client(() => new Worker(new URL(EMOTION_WORKER_URL, import.meta.url), { type: 'module' }), {
  progress(m) {
    const { fraction, text } = progressText(m);
    loaderLabel.textContent = text;
    if (fraction === null) loaderBar.removeAttribute('value');
    else loaderBar.value = fraction;
  },
  ready({ timings, kernels }) {
    document.body.classList.add('is-ready');
    loader.classList.add('is-ready');
    loaderLabel.textContent = `Ready. The classifier loaded in ${(timings.total / 1000).toFixed(1)} s.`;
    loaderBar.value = 1;
    // For the browser tests' timing report: ms from worker start.
    loader.dataset.timings = JSON.stringify(Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])));
    // And which of dsp's kernel sets the wasm runs ("simd" or "go").
    if (kernels) loader.dataset.kernels = kernels;
    // Registered once the wasm is in the HTTP cache, so the precache finds it there.
    if (!offlineRegistered) {
      offlineRegistered = true;
      registerOffline({ onUpdate: showUpdate }).catch(() => {}); // offline use is a bonus, never an error
    }
  },
  failed(message, { restarting }) {
    if (restarting) {
      loaderLabel.textContent = 'The classifier stopped; restarting it…';
      loader.classList.remove('is-ready');
      loaderBar.removeAttribute('value');
      return;
    }
    loader.classList.add('is-error');
    loaderLabel.textContent = `The classifier could not load (${message}). Reload the page to try again.`;
    loaderBar.remove();
  },
});

// --- the queue: one file at a time, in order ---------------------------------

const queue = [];
let running = false;

function enqueue(files) {
  const cards = [...files].map((f) => new Card(f));
  if (!cards.length) return;
  // The newest batch goes on top, its files in the order given.
  const batch = document.createDocumentFragment();
  for (const c of cards) batch.append(c.root);
  results.prepend(batch);
  queue.push(...cards);
  pump();
}

async function pump() {
  if (running) return;
  running = true;
  while (queue.length) await analyse(queue.shift());
  running = false;
}

// read returns the file's bytes, or an error value like the wasm's.
async function read(file) {
  try {
    return await file.arrayBuffer();
  } catch (err) {
    return { error: `${err.message || err}`, error_code: 'read' };
  }
}

// Every finished record on the page, in the order they finished, for the
// export: classify records as the wasm returns them, or {file, error, error_code}.
const records = [];

function finish(card, r) {
  const labels = client.labels || Object.keys(r.probabilities || {});
  if (r.error) card.showError(r);
  else card.showResult(r, labels);
  announce.textContent = announcement(card.file.name, r, labels);
  records.push(r.error ? { file: card.file.name, error: r.error, error_code: r.error_code } : { ...r, file: card.file.name });
  // For the tests' memory bound: the wasm's memory (its peak) after this clip.
  if (client.memory) card.root.dataset.wasmMemory = String(client.memory);
  exportBar.hidden = false;
  exportBar.querySelector('.export-count').textContent = `${records.length} result${records.length === 1 ? '' : 's'}`;
}

// elapsed shows, on a card, how long the model has been at it and, as the
// worker reports each window, how far it is: a long clip's windows take
// seconds to minutes, and a number that moves says it is alive.
function elapsed(card, text) {
  const t0 = performance.now();
  let windows = '';
  const show = () => card.working(`${text} ${Math.round((performance.now() - t0) / 1000)} s${windows}`);
  card.working(text);
  const timer = setInterval(show, 1000);
  return {
    window({ done, total }) {
      if (total < 2) return;
      windows = `, window ${done} of ${total} (${Math.floor((100 * done) / total)} %)`;
      show();
    },
    stop: () => clearInterval(timer),
  };
}

async function analyse(card) {
  card.working(client.labels ? 'Decoding…' : 'Waiting for the classifier to load…');
  const data = await read(card.file);
  if (data.error) return finish(card, data);
  // One request: the worker sends the picture as soon as the features exist,
  // and it shows while the model works.
  const width = Math.min(4096, Math.max(256, Math.ceil(results.clientWidth * (window.devicePixelRatio || 1))));
  const progress = elapsed(card, 'Listening for emotion…');
  const r = await client.request('classify', data, { file: card.file.name, image_width: width, timings: true },
    (m) => progress.window(m),
    (img) => { card.setDuration(img.duration); card.showImage(img); });
  progress.stop();
  // For the benchmarks: where the wasm's time went (decode, image, picture,
  // model). It stays out of the record, which is the CLI's.
  const { timings, ...record } = r;
  if (timings) card.root.dataset.timings = JSON.stringify(timings);
  finish(card, record);
}

// --- recording -----------------------------------------------------------------

// A recording becomes a WAV file and joins the queue like a picked one.
new RecordPanel($('record'), (file) => enqueue([file]));

// --- export ----------------------------------------------------------------------

// download saves text as a file through a Blob URL: nothing leaves the page.
function download(text, name, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
const stamp = () => new Date().toISOString().slice(0, 19).replaceAll(':', '-');
$('export-csv').addEventListener('click', () =>
  download(exportCSV(records, client.labels || Object.keys(records.find((r) => r.probabilities)?.probabilities || {})), `emotion-results-${stamp()}.csv`, 'text/csv'));
$('export-json').addEventListener('click', () =>
  download(exportJSON(records), `emotion-results-${stamp()}.json`, 'application/json'));

// --- picking and dropping files ------------------------------------------------

drop.addEventListener('click', () => pick.click());
pick.addEventListener('change', () => {
  enqueue(pick.files);
  pick.value = ''; // choosing the same file again is a new change
});

// Files may be dropped anywhere on the page; the drop zone lights up.
let depth = 0;
const hasFiles = (e) => [...(e.dataTransfer?.types || [])].includes('Files');
window.addEventListener('dragenter', (e) => {
  if (!hasFiles(e)) return;
  e.preventDefault();
  depth++;
  document.body.classList.add('is-dragging');
});
window.addEventListener('dragover', (e) => {
  if (!hasFiles(e)) return;
  e.preventDefault();
  e.dataTransfer.dropEffect = 'copy';
});
window.addEventListener('dragleave', () => {
  if (--depth <= 0) { depth = 0; document.body.classList.remove('is-dragging'); }
});
window.addEventListener('drop', (e) => {
  if (!hasFiles(e)) return;
  e.preventDefault();
  depth = 0;
  document.body.classList.remove('is-dragging');
  enqueue(e.dataTransfer.files);
});

// --- offline -----------------------------------------------------------------------
// The service worker (sw.js) is registered from ready() above; a new version
// waits until the visitor chooses to reload.

function showUpdate(apply) {
  const bar = $('update');
  bar.hidden = false;
  $('update-apply').addEventListener('click', () => apply(), { once: true });
}
