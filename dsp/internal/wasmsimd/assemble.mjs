// Assembles kernels.wat into kernels.wasm with wabt (npm, pinned in the
// root package.json). With --check, exits 1 if kernels.wasm is not what
// kernels.wat assembles to.
//
//   node dsp/internal/wasmsimd/assemble.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import initWabt from 'wabt';

const dir = dirname(fileURLToPath(import.meta.url));
const wat = join(dir, 'kernels.wat'), out = join(dir, 'kernels.wasm');
const wabt = await initWabt();
const mod = wabt.parseWat('kernels.wat', readFileSync(wat, 'utf8'), { simd: true });
mod.validate();
const { buffer } = mod.toBinary({ write_debug_names: false });
mod.destroy();
if (process.argv.includes('--check')) {
  const have = readFileSync(out);
  if (Buffer.compare(have, Buffer.from(buffer)) !== 0) {
    console.error(`${out} is stale: run node dsp/internal/wasmsimd/assemble.mjs and commit it`);
    process.exit(1);
  }
  console.log(`${out} is current (${buffer.length} B)`);
} else {
  writeFileSync(out, buffer);
  console.log(`wrote ${out} (${buffer.length} B)`);
}
