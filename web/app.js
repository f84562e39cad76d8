// Page thread: UI only. Decoding runs in worker.js (Go compiled to WebAssembly).
'use strict';

const worker = new Worker('worker.js');
const statusEl = document.getElementById('status');
const results = document.getElementById('results');
const drop = document.getElementById('drop');
const pick = document.getElementById('pick');
const pending = new Map(); // request id -> card element
let nextId = 1;
let labels = [];

worker.onmessage = (e) => {
  const m = e.data;
  if (m.type === 'ready') { labels = m.labels; statusEl.textContent = 'Ready. Drop a file.'; return; }
  if (m.type === 'fatal') { statusEl.textContent = 'The decoder failed to load: ' + m.message; return; }
  const card = pending.get(m.id);
  if (!card) return;
  pending.delete(m.id);
  render(card, m.result);
  if (pending.size === 0) statusEl.textContent = 'Done.';
};

function render(card, r) {
  const detail = card.querySelector('.detail');
  if (r.error) {
    detail.className = 'detail error';
    detail.textContent = 'Could not classify this file: ' + r.error;
    return;
  }
  detail.textContent = '';
  const top = document.createElement('p');
  top.className = 'top';
  top.textContent = `${r.label} · ${Math.round(100 * r.confidence)} %`;
  const meta = document.createElement('p');
  meta.className = 'meta';
  meta.textContent = `${r.duration.toFixed(2)} s` +
    (r.segments ? ` · ${r.segments.length} overlapping 2-second windows` : '');
  const bars = document.createElement('dl');
  bars.className = 'bars';
  for (const label of labels) {
    const p = r.probabilities[label];
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    const bar = document.createElement('span');
    bar.style.width = `${(100 * p).toFixed(1)}%`;
    dd.append(bar, document.createTextNode(` ${Math.round(100 * p)} %`));
    bars.append(dt, dd);
  }
  detail.append(top, meta, bars);
}

async function classify(files) {
  for (const file of files) {
    const card = document.createElement('li');
    const name = document.createElement('div');
    name.className = 'name';
    name.textContent = file.name;
    const detail = document.createElement('div');
    detail.className = 'detail';
    detail.textContent = 'Listening…';
    card.append(name, detail);
    results.prepend(card);
    const id = nextId++;
    pending.set(id, card);
    statusEl.textContent = 'Working…';
    const bytes = new Uint8Array(await file.arrayBuffer());
    worker.postMessage({ type: 'classify', id, bytes }, [bytes.buffer]);
  }
}

pick.addEventListener('change', () => { classify([...pick.files]); pick.value = ''; });
for (const ev of ['dragenter', 'dragover']) {
  drop.addEventListener(ev, (e) => { e.preventDefault(); drop.classList.add('over'); });
}
for (const ev of ['dragleave', 'drop']) {
  drop.addEventListener(ev, () => drop.classList.remove('over'));
}
drop.addEventListener('drop', (e) => { e.preventDefault(); classify([...e.dataTransfer.files]); });
drop.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); pick.click(); }
});
