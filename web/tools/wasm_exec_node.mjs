// Runs a GOOS=js GOARCH=wasm binary under node, like the Go toolchain's
// lib/wasm/wasm_exec_node.js, but with the "dspsimd" imports that dsp's
// SIMD kernels need (web/lib/go-kernels.js). go test uses it through
// web/tools/go_js_wasm_exec.
//
//   node web/tools/wasm_exec_node.mjs BINARY.wasm [ARG...]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { addKernelImports } from '../lib/go-kernels.js';

if (process.argv.length < 3) {
  console.error('usage: wasm_exec_node.mjs [wasm binary] [arguments]');
  process.exit(1);
}
const require = createRequire(import.meta.url);
globalThis.require = require;
globalThis.fs = require('fs');
globalThis.path = require('path');
const goroot = process.env.GOROOT_WASM_EXEC ||
  execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
// wasm_exec.js defines globalThis.Go when evaluated.
new Function(readFileSync(join(goroot, 'lib/wasm/wasm_exec.js'), 'utf8'))();

const go = addKernelImports(new Go());
go.argv = process.argv.slice(2);
go.env = Object.assign({ TMPDIR: tmpdir() }, process.env);
go.exit = process.exit;
try {
  const { instance } = await WebAssembly.instantiate(readFileSync(process.argv[2]), go.importObject);
  process.on('exit', (code) => { // node exits if no event handler is pending
    if (code === 0 && !go.exited) {
      // deadlock: make Go print the error and stack traces
      go._pendingEvent = { id: 0 };
      go._resume();
    }
  });
  await go.run(instance);
} catch (err) {
  console.error(err);
  process.exit(1);
}
