// Page thread: UI only. Decoding runs in worker.js (Go compiled to WebAssembly).
'use strict';

const worker = new Worker('worker.js');
const statusEl = document.getElementById('status');
const results = document.getElementById('results');
const drop = document.getElementById('drop');
const pick = document.getElementById('pick');
const pending = new Map(); // request id -> card element
let nextId = 1;

worker.onmessage = (e) => {
  const m = e.data;
  if (m.type === 'ready') { statusEl.textContent = 'Ready. Drop a file.'; return; }
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
    detail.textContent = 'Could not read this file: ' + r.error;
    return;
  }
  const parts = [r.container.toUpperCase() + ' ' + r.codec, r.sample_rate + ' Hz', r.channels + ' ch'];
  if (r.bit_depth) parts.push(r.bit_depth + '-bit');
  if (r.bitrate_kbps) parts.push(r.bitrate_kbps + ' kbit/s' + (r.vbr ? ' VBR' : ''));
  parts.push(r.duration.toFixed(2) + ' s');
  detail.textContent = parts.join(' · ');
}

async function classify(files) {
  for (const file of files) {
    const card = document.createElement('li');
    const name = document.createElement('div');
    name.className = 'name';
    name.textContent = file.name;
    const detail = document.createElement('div');
    detail.className = 'detail';
    detail.textContent = 'Decoding…';
    card.append(name, detail);
    results.prepend(card);
    const id = nextId++;
    pending.set(id, card);
    statusEl.textContent = 'Working…';
    const bytes = new Uint8Array(await file.arrayBuffer());
    worker.postMessage({ type: 'info', id, bytes }, [bytes.buffer]);
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
