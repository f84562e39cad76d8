// Runs the built site's wasm under node and checks the JS-facing API
// (wasm/main.go) on generated WAVs, a non-audio file and bad arguments.
// Usage: node --test web/test/wasm-api.test.mjs, or node web/test/wasm-api.test.mjs SITE
// (SITE: $EMOTION_SITE, else the repository's static/).
// The wasm is found through SITE/manifest.json (hashed name) when the build
// wrote one, else SITE/emotion.wasm; wasm_exec.js comes from the Go toolchain
// that built it, the SIMD kernels' imports from web/lib/go-kernels.js.
// EXPECT_SIMD=1: require emotion.kernels to be "simd" (node has WebAssembly
// SIMD, so once dsp uses its SIMD kernels that is what should run).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { addKernelImports } from '../lib/go-kernels.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const site = process.argv[2] || process.env.EMOTION_SITE || join(root, 'static');
const manifest = join(site, 'manifest.json');
const wasmFile = join(site, existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8'))['emotion.wasm'] : 'emotion.wasm');
const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
// wasm_exec.js defines globalThis.Go when evaluated.
new Function(readFileSync(join(goroot, 'lib/wasm/wasm_exec.js'), 'utf8'))();

const go = addKernelImports(new globalThis.Go());
const { instance } = await WebAssembly.instantiate(readFileSync(wasmFile), go.importObject);
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

test('kernels names the set of dsp kernels in use', () => {
  assert.ok(['simd', 'go'].includes(api.kernels), `emotion.kernels = ${api.kernels}`);
  if (process.env.EXPECT_SIMD === '1') assert.equal(api.kernels, 'simd', 'EXPECT_SIMD=1');
});

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

test('classify echoes options.file and honours the limits', () => {
  const r = JSON.parse(api.classify(speechLike(16000 * 3), { file: 'clip.wav' }));
  assert.equal(r.file, 'clip.wav');
  assert.equal(JSON.parse(api.classify(speechLike(16000 * 3))).file, undefined);
  assert.deepEqual(JSON.parse(api.classify(new Uint8Array(0), { file: 'empty.wav' })),
    { file: 'empty.wav', error: 'empty file', error_code: 'empty' });
  const long = JSON.parse(api.classify(speechLike(16000 * 3), { max_seconds: 2 }));
  assert.equal(long.error_code, 'too_long');
  const big = JSON.parse(api.classify(speechLike(16000), { max_bytes: 1000 }));
  assert.equal(big.error_code, 'too_large');
});

test('bad arguments are values, not exceptions', () => {
  for (const args of [[], ['x'], [new Uint8Array(4), 'opts'], [new Uint8Array(4), { max_width: -1 }],
    [new Uint8Array(4), { file: 3 }], [new Uint8Array(4), {}, 'extra']]) {
    const r = JSON.parse(api.classify(...args));
    assert.equal(r.error_code, 'bad_argument', JSON.stringify(r));
    assert.equal(api.image(...args).error_code, 'bad_argument');
  }
});

test('image draws the trimmed clip as RGBA, low frequencies at the bottom', () => {
  // 0.5 s of silence on each side of 2 s of buzz.
  const clip = speechLike(16000 * 3);
  clip.fill(0, 44, 44 + 16000);
  clip.fill(0, clip.length - 16000);
  const img = api.image(clip);
  assert.equal(img.error, undefined, img.error);
  assert.deepEqual(img.channels, ['log-mel', 'chroma', 'log-STFT']);
  assert.equal(img.height, 64);
  assert.equal(img.duration, 3);
  assert.ok(img.speech_start > 0.3 && img.speech_start < 0.5, `starts at ${img.speech_start} s`);
  assert.ok(img.speech_end > 2.5 && img.speech_end < 2.7, `ends at ${img.speech_end} s`);
  assert.equal(img.width, 1 + Math.floor(Math.round((img.speech_end - img.speech_start) * 16000) / 256));
  assert.ok(img.rgba instanceof Uint8Array);
  assert.equal(img.rgba.length, 4 * img.width * img.height);
  // A harmonic buzz under 1.3 kHz: the log-mel channel (red) is brighter in
  // the bottom rows than in the top ones.
  const red = (row) => {
    let s = 0;
    for (let x = 0; x < img.width; x++) s += img.rgba[4 * (row * img.width + x)];
    return s / img.width;
  };
  assert.ok(red(img.height - 4) > red(2) + 50, `red bottom ${red(img.height - 4)}, top ${red(2)}`);
  for (let i = 3; i < img.rgba.length; i += 4) assert.equal(img.rgba[i], 255);
});

test('image averages long clips down to max_width and reports errors as objects', () => {
  const img = api.image(speechLike(16000 * 8), { max_width: 100 });
  assert.equal(img.width, 100);
  assert.equal(img.rgba.length, 4 * 100 * img.height);
  assert.equal(api.image(wav(16000, 16000).fill(0, 44)).error_code, 'no_speech');
  const bad = api.image(new Uint8Array(Buffer.from('%PDF-1.7 hello')));
  assert.equal(bad.error_code, 'not_audio');
  assert.match(bad.error, /PDF/);
});

test('classify hands on_image the picture image() draws, before the first window, and reports timings', () => {
  const clip = speechLike(16000 * 8);
  const events = [];
  let pic;
  const r = JSON.parse(api.classify(clip, {
    max_width: 120,
    timings: true,
    on_image: (img) => { events.push('image'); pic = img; },
    on_window: () => events.push('window'),
  }));
  assert.equal(r.error, undefined, r.error);
  assert.equal(events[0], 'image');
  assert.equal(events.filter((e) => e === 'image').length, 1);
  assert.equal(events.filter((e) => e === 'window').length, r.segments.length);
  const alone = api.image(clip, { max_width: 120 });
  for (const k of ['width', 'height', 'duration', 'speech_start', 'speech_end']) assert.equal(pic[k], alone[k], k);
  assert.deepEqual(pic.channels, alone.channels);
  assert.ok(Buffer.from(pic.rgba).equals(Buffer.from(alone.rgba)), 'the pixels differ from image()');
  assert.equal(pic.speech_start, r.speech_start);
  const t = r.timings;
  for (const k of ['decode_ms', 'image_ms', 'picture_ms', 'model_ms', 'total_ms']) assert.ok(t[k] >= 0, `${k} = ${t[k]}`);
  assert.equal(t.kernels, api.kernels);
  assert.ok(t.model_ms > 0 && t.total_ms >= t.decode_ms + t.image_ms + t.picture_ms + t.model_ms - 0.01, JSON.stringify(t));
  // Without the options: no picture, no timings, and the same result.
  const plain = JSON.parse(api.classify(clip));
  assert.equal(plain.timings, undefined);
  delete r.timings;
  assert.deepEqual(plain, r);
  for (const bad of [{ on_image: 1 }, { timings: 'yes' }]) {
    assert.equal(JSON.parse(api.classify(clip, bad)).error_code, 'bad_argument', JSON.stringify(bad));
  }
});

// RAVDESS clip, when the shared data is there: the same label as the CLI.
const shared = process.env.EMOTION_SHARED || join(root, '../shared');
const ravdess = join(shared, 'data/ravdess-16k/Actor_02/03-01-04-01-02-02-02.wav');
test('a RAVDESS clip gets the label the command-line tool gives', { skip: !existsSync(ravdess) && 'no RAVDESS (EMOTION_SHARED)' }, () => {
  const r = JSON.parse(api.classify(new Uint8Array(readFileSync(ravdess))));
  assert.equal(r.error, undefined, r.error);
  const cli = JSON.parse(execFileSync('go', ['run', './cmd/emotion', 'classify', '-json', ravdess], { encoding: 'utf8', cwd: root }));
  assert.equal(r.label, cli.label);
  for (const [l, p] of Object.entries(cli.probabilities)) assert.ok(Math.abs(r.probabilities[l] - p) < 1e-6, l);
});
