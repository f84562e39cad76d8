// Units of web/lib/format.js: the words and numbers the page shows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { announcement, bytes, capitalise, describeError, percent, progressText, ranked, seconds } from '../lib/format.js';

test('percent keeps tiny probabilities apart from zero', () => {
  assert.equal(percent(0), '0 %');
  assert.equal(percent(0.004), '<1 %');
  assert.equal(percent(0.005), '1 %');
  assert.equal(percent(0.726), '73 %');
  assert.equal(percent(1), '100 %');
  assert.equal(percent(Number.NaN), '0 %');
});

test('seconds and bytes', () => {
  assert.equal(seconds(0.8412), '0.84 s');
  assert.equal(seconds(12.34), '12.3 s');
  assert.equal(seconds(245.9), '4:05');
  assert.equal(seconds(-1), '');
  assert.equal(bytes(37), '37 B');
  assert.equal(bytes(1234), '1.2 kB');
  assert.equal(bytes(117450), '117 kB');
  assert.equal(bytes(3_100_000), '3.1 MB');
  assert.equal(bytes(30_623_123), '31 MB');
});

test('ranked orders by probability, ties in label order', () => {
  const r = ranked(['a', 'b', 'c', 'd'], { a: 0.1, b: 0.4, c: 0.4, d: 0.1 });
  assert.deepEqual(r.map((x) => x.label), ['b', 'c', 'a', 'd']);
  assert.equal(ranked(['x'], {})[0].p, 0);
  assert.equal(capitalise('surprised'), 'Surprised');
});

test('describeError names the problem and keeps the detail', () => {
  const e = describeError({ error: 'not a WAV or MP3 file: a PNG image', error_code: 'not_audio' });
  assert.equal(e.headline, 'This is not a WAV or MP3 file.');
  assert.match(e.detail, /PNG/);
  assert.match(describeError({ error: 'boom', error_code: 'nope' }).headline, /went wrong/);
  assert.equal(describeError({}).detail, 'unknown error');
});

test('progressText gives numbers only when Content-Length counts the bytes read', () => {
  assert.deepEqual(progressText({ loaded: 500, total: 1000, encoded: false }),
    { fraction: 0.5, text: 'Downloading the classifier… 50 % of 1.0 kB' });
  assert.deepEqual(progressText({ loaded: 5_000_000, total: 1000, encoded: true }),
    { fraction: null, text: 'Downloading the classifier…' });
  assert.deepEqual(progressText({ loaded: 2500, total: 0, encoded: false }),
    { fraction: null, text: 'Downloading the classifier… 2.5 kB' });
  assert.deepEqual(progressText({ loaded: 10, total: 10, done: true }), { fraction: null, text: 'Preparing the model…' });
});

test('announcement says the verdict and the runner-up, or the error', () => {
  const labels = ['calm', 'sad', 'angry'];
  const r = { label: 'sad', confidence: 0.61, probabilities: { calm: 0.3, sad: 0.61, angry: 0.09 } };
  assert.equal(announcement('a.wav', r, labels), 'a.wav: sad, 61 % confidence, then calm 30 %.');
  assert.equal(announcement('b.wav', { error: 'x', error_code: 'no_speech' }, labels), 'b.wav: No speech found: the recording is silent.');
});
