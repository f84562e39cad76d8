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
