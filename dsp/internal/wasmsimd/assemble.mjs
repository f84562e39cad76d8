// Assembles the project's hand-written WebAssembly SIMD kernels with wabt
// (npm, pinned in the root package.json): each KERNELS directory's
// kernels.wat into the kernels.wasm beside it, which Go embeds (so it is
// committed). With --check, exits 1 if any kernels.wasm is not what its
// kernels.wat assembles to.
//
//   node dsp/internal/wasmsimd/assemble.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import initWabt from 'wabt';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const KERNELS = ['dsp/internal/wasmsimd', 'model/internal/sgemm'];

const wabt = await initWabt();
const check = process.argv.includes('--check');
let stale = 0;
for (const dir of KERNELS) {
  const wat = join(root, dir, 'kernels.wat'), out = join(root, dir, 'kernels.wasm');
  const mod = wabt.parseWat(relative(root, wat), readFileSync(wat, 'utf8'), { simd: true });
  mod.validate();
  const { buffer } = mod.toBinary({ write_debug_names: false });
  mod.destroy();
  if (check) {
    let have = Buffer.alloc(0);
    try { have = readFileSync(out); } catch { /* missing counts as stale */ }
    if (Buffer.compare(have, Buffer.from(buffer)) !== 0) {
      console.error(`${relative(root, out)} is stale: run node dsp/internal/wasmsimd/assemble.mjs and commit it`);
      stale++;
    } else {
      console.log(`${relative(root, out)} is current (${buffer.length} B)`);
    }
  } else {
    writeFileSync(out, buffer);
    console.log(`wrote ${relative(root, out)} (${buffer.length} B)`);
  }
}
process.exit(stale ? 1 : 0);
