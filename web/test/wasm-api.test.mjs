// Runs the built static/emotion.wasm under node and checks the JS-facing API
// on a generated WAV, a non-audio file and a bad argument.
// Usage: node web/test/wasm-api.test.mjs static/
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { test } from 'node:test';

const site = process.argv[2] || 'static';
// wasm_exec.js defines globalThis.Go when evaluated.
new Function(readFileSync(join(site, 'wasm_exec.js'), 'utf8'))();

const go = new globalThis.Go();
const { instance } = await WebAssembly.instantiate(readFileSync(join(site, 'emotion.wasm')), go.importObject);
go.run(instance);
const api = globalThis.emotion;

// wav builds a 16-bit PCM mono WAV of n samples of a sine at rate Hz.
function wav(rate, n) {
  const b = Buffer.alloc(44 + 2 * n);
  b.write('RIFF', 0); b.writeUInt32LE(36 + 2 * n, 4); b.write('WAVE', 8);
  b.write('fmt ', 12); b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20); b.writeUInt16LE(1, 22);
  b.writeUInt32LE(rate, 24); b.writeUInt32LE(rate * 2, 28); b.writeUInt16LE(2, 32); b.writeUInt16LE(16, 34);
  b.write('data', 36); b.writeUInt32LE(2 * n, 40);
  for (let i = 0; i < n; i++) b.writeInt16LE(Math.round(8000 * Math.sin(2 * Math.PI * 440 * i / rate)), 44 + 2 * i);
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

test('info decodes a 48 kHz WAV to 16 kHz', () => {
  const r = JSON.parse(api.info(wav(48000, 48000)));
  assert.equal(r.error, undefined, r.error);
  assert.equal(r.container, 'wav');
  assert.equal(r.sample_rate, 48000);
  assert.equal(r.samples_16k, 16000);
  assert.equal(r.duration, 1);
});

test('info reports not-audio as a value', () => {
  const r = JSON.parse(api.info(new Uint8Array(Buffer.from('%PDF-1.7 hello'))));
  assert.equal(r.error_code, 'not_audio');
  assert.match(r.error, /PDF/);
});

test('info rejects a non-Uint8Array argument without throwing', () => {
  const r = JSON.parse(api.info('not bytes'));
  assert.equal(r.error_code, 'bad_argument');
});

test('the worker keeps working after errors', () => {
  JSON.parse(api.info(new Uint8Array(0)));
  const r = JSON.parse(api.info(wav(16000, 800)));
  assert.equal(r.samples_16k, 800);
});

// speechLike is n samples at 16 kHz of a vowel-like buzz with a gliding pitch.
function speechLike(n) {
  const b = Buffer.alloc(44 + 2 * n);
  b.write('RIFF', 0); b.writeUInt32LE(36 + 2 * n, 4); b.write('WAVE', 8);
  b.write('fmt ', 12); b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20); b.writeUInt16LE(1, 22);
  b.writeUInt32LE(16000, 24); b.writeUInt32LE(32000, 28); b.writeUInt16LE(2, 32); b.writeUInt16LE(16, 34);
  b.write('data', 36); b.writeUInt32LE(2 * n, 40);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    phase += 2 * Math.PI * (120 + 60 * Math.sin(i / 8000)) / 16000;
    let v = 0;
    for (let k = 1; k <= 10; k++) v += Math.sin(k * phase) / k;
    b.writeInt16LE(Math.round(4000 * v), 44 + 2 * i);
  }
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

test('classify returns a label and probabilities for every label', () => {
  assert.equal(api.loadError, undefined, api.loadError);
  const labels = JSON.parse(api.labels);
  assert.deepEqual(labels, ['neutral', 'calm', 'happy', 'sad', 'angry', 'fearful', 'disgust', 'surprised']);
  const r = JSON.parse(api.classify(speechLike(16000 * 3)));
  assert.equal(r.error, undefined, r.error);
  assert.ok(labels.includes(r.label));
  const sum = labels.reduce((s, l) => s + r.probabilities[l], 0);
  assert.ok(Math.abs(sum - 1) < 1e-5, `probabilities sum to ${sum}`);
  assert.equal(r.probabilities[r.label], r.confidence);
  assert.equal(r.duration, 3);
});

test('classify gives segments for a long clip and clear errors for silence', () => {
  const r = JSON.parse(api.classify(speechLike(16000 * 8)));
  assert.ok(r.segments.length >= 3, `${r.segments?.length} segments`);
  const s = JSON.parse(api.classify(wav(16000, 16000).fill(0, 44)));
  assert.equal(s.error_code, 'no_speech');
  const bad = JSON.parse(api.classify(new Uint8Array([1, 2, 3])));
  assert.equal(bad.error_code, 'not_audio');
});
