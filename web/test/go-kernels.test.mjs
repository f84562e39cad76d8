// Units of web/lib/go-kernels.js, the SIMD kernels' imports of the Go wasm
// ("dspsimd", "sgemmsimd"), against a fake `go` and a small wasm module
// standing in for Go's: it exports its memory as "mem" and imports load
// and the kernels from "dspsimd", as Go's does (//go:wasmimport in
// dsp/internal/wasmsimd; model/internal/sgemm likewise from "sgemmsimd").
// The modules are assembled here with wabt (npm, pinned).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import initWabt from 'wabt';

import { KERNEL_MODULES, addKernelImports } from '../lib/go-kernels.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const wabt = await initWabt();
function wasm(name, text) {
  const mod = wabt.parseWat(name, text, { simd: true });
  try {
    mod.validate();
    return new Uint8Array(mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}

// The kernels: SIMD code over the imported memory env.mem, as kernels.wat.
const KERNELS = wasm('kernels.wat', `(module
  (import "env" "mem" (memory 0))
  ;; double4: the four float32 at p, doubled in place.
  (func (export "double4") (param $p i32)
    (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (v128.load (local.get $p)))))
  ;; sum: a + b + c.
  (func (export "sum") (param $a i32) (param $b f64) (param $c f64) (result f64)
    (f64.add (f64.add (f64.convert_i32_s (local.get $a)) (local.get $b)) (local.get $c)))
  ;; ten: a weighted sum of ten parameters (each one counts).
  (func (export "ten") (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)
    (local $s i32) (local $i i32)
    (local.set $s (i32.add (local.get 0) (i32.mul (local.get 1) (i32.const 10))))
    (local.set $s (i32.add (local.get $s) (i32.mul (local.get 2) (i32.const 100))))
    (local.set $s (i32.add (local.get $s) (i32.mul (local.get 3) (i32.const 1000))))
    (local.set $s (i32.add (local.get $s) (i32.mul (local.get 4) (i32.const 10000))))
    (local.set $s (i32.add (local.get $s) (i32.mul (local.get 5) (i32.const 100000))))
    (local.set $s (i32.add (local.get $s) (i32.mul (local.get 6) (i32.const 1000000))))
    (local.set $s (i32.add (local.get $s) (i32.mul (local.get 7) (i32.const 10000000))))
    (local.set $s (i32.add (local.get $s) (i32.mul (local.get 8) (i32.const 100000000))))
    (i32.add (local.get $s) (i32.mul (local.get 9) (i32.const 1000000000))))
)`);

// The stand-in for Go's module: its memory, and exports that call the
// "dspsimd" imports.
const HOST = wasm('host.wat', `(module
  (import "dspsimd" "load" (func $load (param i32 i32) (result i32)))
  (import "dspsimd" "double4" (func $double4 (param i32)))
  (import "dspsimd" "sum" (func $sum (param i32 f64 f64) (result f64)))
  (import "dspsimd" "ten" (func $ten (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (memory (export "mem") 16)
  (func (export "load") (param i32 i32) (result i32) (call $load (local.get 0) (local.get 1)))
  (func (export "double4") (param i32) (call $double4 (local.get 0)))
  (func (export "sum") (param i32 f64 f64) (result f64) (call $sum (local.get 0) (local.get 1) (local.get 2)))
  (func (export "ten") (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)
    (call $ten (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4)
      (local.get 5) (local.get 6) (local.get 7) (local.get 8) (local.get 9)))
)`);

// start instantiates the host as wasm_exec.js does (go.importObject, then
// go._inst = instance in go.run) and copies bytes into its memory at 4096,
// where Go's embedded kernels.wasm would be.
async function start(bytes) {
  const go = { importObject: { gojs: { 'runtime.wasmExit': () => {} } } };
  assert.equal(addKernelImports(go), go, 'addKernelImports returns its argument');
  const { instance } = await WebAssembly.instantiate(HOST, go.importObject);
  go._inst = instance;
  const mem = instance.exports.mem;
  new Uint8Array(mem.buffer, 4096, bytes.length).set(bytes);
  return { go, host: instance.exports, mem, at: 4096, len: bytes.length };
}

test('without the imports the Go wasm does not instantiate; with them it does, and Go\'s own imports stay', async () => {
  await assert.rejects(WebAssembly.instantiate(HOST, { gojs: {} }), /dspsimd/);
  const { go } = await start(KERNELS);
  assert.equal(typeof go.importObject.gojs['runtime.wasmExit'], 'function');
  assert.equal(typeof go.importObject.dspsimd.load, 'function');
});

test('load compiles SIMD kernels against Go\'s memory, returns 1, and the imports forward to them', async () => {
  const { host, mem, at, len } = await start(KERNELS);
  assert.equal(host.load(at, len), 1);
  // The kernel works on Go's memory itself, not a copy.
  const f = new Float32Array(mem.buffer, 64, 4);
  f.set([1, 2.5, -3, 1e30]);
  host.double4(64);
  assert.deepEqual([...f], [2, 5, -6, 2e30].map(Math.fround));
  // Parameters and results cross both ways, f64 included, up to ten parameters.
  assert.equal(host.sum(3, 0.5, 0.25), 3.75);
  assert.equal(host.ten(1, 2, 3, 4, 5, 6, 7, 8, 9, 1), 1987654321);
  // Memory that Go grows after load is still the kernels' memory.
  mem.grow(1);
  const g = new Float32Array(mem.buffer, 16 * 65536, 4);
  g.set([1, 2, 3, 4]);
  host.double4(16 * 65536);
  assert.deepEqual([...g], [2, 4, 6, 8]);
});

test('load copies the bytes: Go may reuse them after the call', async () => {
  const { host, mem, at, len } = await start(KERNELS);
  assert.equal(host.load(at, len), 1);
  new Uint8Array(mem.buffer, at, len).fill(0xff);
  assert.equal(host.sum(1, 1, 1), 3);
});

test('garbage bytes: load returns 0 without throwing, so Go uses its own kernels', async () => {
  const garbage = Uint8Array.from({ length: 300 }, (_, i) => (i * 37 + 11) & 0xff);
  for (const [what, bytes] of [
    ['garbage', garbage],
    ['a wasm header and nothing valid after it', Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0xff, 0xff])],
    ['nothing', new Uint8Array(0)],
  ]) {
    const { host, at, len } = await start(bytes);
    assert.equal(host.load(at, len), 0, what);
    // Go does not call the kernels then (wasmsimd.Supported is false); if
    // it did, the call would fail loudly, not compute garbage.
    assert.throws(() => host.sum(1, 1, 1), what);
  }
});

test('a valid module that cannot be instantiated against Go\'s memory, or bytes out of bounds: load returns 0', async () => {
  const other = wasm('other.wat', '(module (import "env" "other" (func)) (func (export "sum")))');
  let s = await start(other);
  assert.equal(s.host.load(s.at, s.len), 0, 'imports other than env.mem');
  s = await start(KERNELS);
  assert.equal(s.host.load(16 * 65536 - 10, 100), 0, 'past the end of memory');
  // A failed load leaves the next one free to succeed.
  assert.equal(s.host.load(s.at, s.len), 1);
  assert.equal(s.host.sum(2, 2, 2), 6);
});

test('each kernel module has its own load and instance', async () => {
  assert.ok(KERNEL_MODULES.includes('dspsimd') && KERNEL_MODULES.includes('sgemmsimd'), KERNEL_MODULES.join());
  // A Go-like module importing load and sum from two modules, as dsp and sgemm do.
  const two = wasm('two.wat', `(module
    (import "dspsimd" "load" (func $l1 (param i32 i32) (result i32)))
    (import "dspsimd" "sum" (func $s1 (param i32 f64 f64) (result f64)))
    (import "sgemmsimd" "load" (func $l2 (param i32 i32) (result i32)))
    (import "sgemmsimd" "sum" (func $s2 (param i32 f64 f64) (result f64)))
    (memory (export "mem") 1)
    (func (export "load1") (param i32 i32) (result i32) (call $l1 (local.get 0) (local.get 1)))
    (func (export "sum1") (param i32 f64 f64) (result f64) (call $s1 (local.get 0) (local.get 1) (local.get 2)))
    (func (export "load2") (param i32 i32) (result i32) (call $l2 (local.get 0) (local.get 1)))
    (func (export "sum2") (param i32 f64 f64) (result f64) (call $s2 (local.get 0) (local.get 1) (local.get 2))))`);
  // Same signature, another result: a - b - c.
  const minus = wasm('minus.wat', `(module (import "env" "mem" (memory 0))
    (func (export "sum") (param i32 f64 f64) (result f64)
      (f64.sub (f64.sub (f64.convert_i32_s (local.get 0)) (local.get 1)) (local.get 2))))`);
  const go = addKernelImports({ importObject: {} });
  for (const name of KERNEL_MODULES) assert.equal(typeof go.importObject[name].load, 'function', name);
  const { instance } = await WebAssembly.instantiate(two, go.importObject);
  go._inst = instance;
  const h = instance.exports;
  const u8 = new Uint8Array(h.mem.buffer);
  u8.set(KERNELS, 0);
  u8.set(minus, 32768);
  assert.equal(h.load1(0, KERNELS.length), 1);
  assert.throws(() => h.sum2(1, 1, 1), 'sgemmsimd is not loaded yet');
  assert.equal(h.load2(32768, minus.length), 1);
  assert.equal(h.sum1(8, 2, 1), 11);
  assert.equal(h.sum2(8, 2, 1), 5);
});

test('the committed kernels (dsp/internal/wasmsimd, model/internal/sgemm) load', async () => {
  for (const dir of ['dsp/internal/wasmsimd', 'model/internal/sgemm']) {
    const { host, at, len } = await start(readFileSync(join(root, dir, 'kernels.wasm')));
    assert.equal(host.load(at, len), 1, dir);
  }
});
