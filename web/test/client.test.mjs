// Units of web/lib/client.js against a fake worker: requests resolve by id,
// bytes are transferred, and a failed classifier is replaced.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client } from '../lib/client.js';

class FakeWorker {
  constructor() { this.sent = []; this.terminated = false; }
  postMessage(m, transfer) { this.sent.push({ m, transfer }); }
  terminate() { this.terminated = true; }
  reply(m) { this.onmessage({ data: m }); }
}

function setup() {
  const workers = [];
  const events = [];
  const client = new Client(() => { const w = new FakeWorker(); workers.push(w); return w; }, {
    progress: (m) => events.push(['progress', m.loaded]),
    ready: (m) => events.push(['ready', m.labels.length]),
    failed: (msg, { restarting }) => events.push(['failed', msg, restarting]),
  });
  return { client, workers, events };
}

test('answers resolve the request with the same id, in any order', async () => {
  const { client, workers, events } = setup();
  const w = workers[0];
  w.reply({ type: 'progress', loaded: 10, total: 100 });
  w.reply({ type: 'ready', labels: ['a', 'b'], timings: {} });
  const buf1 = new ArrayBuffer(4);
  const p1 = client.request('image', buf1, { max_width: 10 });
  const p2 = client.request('classify', new ArrayBuffer(2));
  assert.equal(w.sent[0].m.type, 'image');
  assert.deepEqual(w.sent[0].m.options, { max_width: 10 });
  assert.deepEqual(w.sent[0].transfer, [buf1]);
  w.reply({ type: 'result', id: w.sent[1].m.id, result: { label: 'b' } });
  w.reply({ type: 'result', id: w.sent[0].m.id, result: { width: 3 } });
  assert.deepEqual(await p1, { width: 3 });
  assert.deepEqual(await p2, { label: 'b' });
  assert.deepEqual(client.labels, ['a', 'b']);
  assert.deepEqual(events, [['progress', 10], ['ready', 2]]);
});

test('a classifier that stops after ready is replaced; pending requests get an error', async () => {
  const { client, workers, events } = setup();
  workers[0].reply({ type: 'ready', labels: ['a'], timings: {} });
  const p = client.request('classify', new ArrayBuffer(1));
  workers[0].reply({ type: 'fatal', message: 'out of memory' });
  assert.deepEqual(await p, { error: 'out of memory', error_code: 'internal' });
  assert.ok(workers[0].terminated);
  assert.equal(workers.length, 2);
  assert.deepEqual(events.at(-1), ['failed', 'out of memory', true]);
  // The old worker's late messages are ignored; the new one answers.
  workers[0].reply({ type: 'ready', labels: ['stale'], timings: {} });
  assert.equal(client.labels, null);
  workers[1].reply({ type: 'ready', labels: ['a'], timings: {} });
  const q = client.request('classify', new ArrayBuffer(1));
  workers[1].reply({ type: 'result', id: workers[1].sent[0].m.id, result: { label: 'a' } });
  assert.deepEqual(await q, { label: 'a' });
});

test('a classifier that never loads is not restarted, and requests fail at once', async () => {
  const { client, workers, events } = setup();
  const p = client.request('image', new ArrayBuffer(1));
  workers[0].onerror({ message: 'SyntaxError', preventDefault() {} });
  assert.equal((await p).error_code, 'internal');
  assert.equal(workers.length, 1);
  assert.deepEqual(events, [['failed', "the classifier's worker failed: SyntaxError", false]]);
  const r = await client.request('classify', new ArrayBuffer(1));
  assert.equal(r.error_code, 'unavailable');
  assert.match(r.error, /SyntaxError/);
});

test("a classify's image and window messages reach their own request's callbacks, before its result", async () => {
  const { client, workers } = setup();
  const w = workers[0];
  w.reply({ type: 'ready', labels: ['a'], timings: {} });
  const seen = [];
  const p1 = client.request('classify', new ArrayBuffer(1), { image_width: 300 },
    (m) => seen.push(['window1', m.done]), (img) => seen.push(['image1', img.width]));
  const p2 = client.request('classify', new ArrayBuffer(1), {}, (m) => seen.push(['window2', m.done]), (img) => seen.push(['image2', img.width]));
  const [id1, id2] = [w.sent[0].m.id, w.sent[1].m.id];
  assert.deepEqual(w.sent[0].m.options, { image_width: 300 });
  w.reply({ type: 'image', id: id1, image: { width: 300 } });
  w.reply({ type: 'window', id: id1, done: 1, total: 2, segment: null });
  w.reply({ type: 'result', id: id1, result: { label: 'a' } });
  // Late or stray messages for a finished request go nowhere.
  w.reply({ type: 'image', id: id1, image: { width: 1 } });
  w.reply({ type: 'window', id: id2, done: 1, total: 1, segment: null });
  w.reply({ type: 'result', id: id2, result: { label: 'a' } });
  assert.deepEqual(await p1, { label: 'a' });
  assert.deepEqual(await p2, { label: 'a' });
  assert.deepEqual(seen, [['image1', 300], ['window1', 1], ['window2', 1]]);
});
