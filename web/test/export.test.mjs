// The page's pure helpers for recording and export, under node's test
// runner: the WAV a recording becomes, and the CSV/JSON of the results.
//
//   node --test web/test/export.test.mjs
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exportCSV, exportJSON } from '../lib/export.js';
import { wavFloat32 } from '../lib/wav.js';

test('wavFloat32: a 32-bit float mono WAV at the capture rate, chunks in order', () => {
  const buf = wavFloat32([new Float32Array([0.5, -0.25]), new Float32Array([1, 0, -1])], 44100);
  const v = new DataView(buf);
  const text = (o, n) => String.fromCharCode(...new Uint8Array(buf, o, n));
  assert.equal(buf.byteLength, 44 + 5 * 4);
  assert.equal(text(0, 4), 'RIFF');
  assert.equal(v.getUint32(4, true), buf.byteLength - 8);
  assert.equal(text(8, 8), 'WAVEfmt ');
  assert.equal(v.getUint16(20, true), 3); // IEEE float
  assert.equal(v.getUint16(22, true), 1); // mono
  assert.equal(v.getUint32(24, true), 44100);
  assert.equal(v.getUint32(28, true), 44100 * 4);
  assert.equal(v.getUint16(32, true), 4);
  assert.equal(v.getUint16(34, true), 32);
  assert.equal(text(36, 4), 'data');
  assert.equal(v.getUint32(40, true), 20);
  assert.deepEqual([0, 1, 2, 3, 4].map((i) => v.getFloat32(44 + 4 * i, true)), [0.5, -0.25, 1, 0, -1]);
  assert.equal(wavFloat32([], 48000).byteLength, 44);
});

const labels = ['calm', 'sad'];
const records = [
  { file: 'a.wav', label: 'sad', confidence: 0.75, probabilities: { calm: 0.25, sad: 0.75 }, duration: 3, speech_start: 0.5, speech_end: 2.5 },
  { file: 'long, "quoted".wav', label: 'calm', confidence: 0.6, probabilities: { calm: 0.6, sad: 0.4 }, duration: 9, speech_start: 0, speech_end: 9,
    segments: [
      { start: 0, end: 2, label: 'calm', probabilities: { calm: 0.9, sad: 0.1 } },
      { start: 1, end: 3, label: 'sad', probabilities: { calm: 0.3, sad: 0.7 } },
    ] },
  { file: '=cmd.wav', error: 'not a WAV or MP3 file', error_code: 'not_audio' },
];

test('exportCSV: a clip row, its segment rows, error rows; quoting and formula text defused', () => {
  const lines = exportCSV(records, labels).split('\r\n');
  assert.equal(lines.at(-1), '');
  assert.deepEqual(lines.slice(0, -1), [
    'file,kind,start,end,label,confidence,error_code,error,p_calm,p_sad',
    'a.wav,clip,0.5,2.5,sad,0.75,,,0.25,0.75',
    '"long, ""quoted"".wav",clip,0,9,calm,0.6,,,0.6,0.4',
    '"long, ""quoted"".wav",segment,0,2,calm,0.9,,,0.9,0.1',
    '"long, ""quoted"".wav",segment,1,3,sad,0.7,,,0.3,0.7',
    "'=cmd.wav,error,,,,,not_audio,not a WAV or MP3 file,,",
  ]);
});

test('exportJSON: the records as given', () => {
  assert.deepEqual(JSON.parse(exportJSON(records)), records);
});
