// The "dspsimd" and "sgemmsimd" imports of the Go wasm: dsp's hot loops
// and the model's matrix product with WebAssembly SIMD. Go embeds each
// kernels' module and, while its package initialises, hands the bytes to
// that module's load(), which compiles them against Go's own memory;
// every other import forwards to that instance.
// If the host cannot compile them (no SIMD), load() returns 0 and Go runs
// its portable kernels, so a Go wasm given these imports works anywhere.
//
//   addKernelImports(go); // before WebAssembly.instantiate(bytes, go.importObject)
//
// The compile is synchronous (Go cannot wait for a promise in an
// import): fine in a worker and in node; on a page's main thread Chromium
// refuses synchronous compiles over a size limit (4 KB in older releases,
// 8 MB in Chromium 156), which also ends in the portable kernels.
export function addKernelImports(go) {
  for (const name of KERNEL_MODULES) go.importObject[name] = kernelModule(go);
  return go;
}

// The import modules of the Go wasm's SIMD kernels: dsp's hot loops
// (dsp/internal/wasmsimd) and the model's matrix product
// (model/internal/sgemm).
export const KERNEL_MODULES = ['dspsimd', 'sgemmsimd'];

function kernelModule(go) {
  let kernels = null;
  const load = (ptr, len) => {
    try {
      const mem = go._inst.exports.mem;
      const bytes = new Uint8Array(mem.buffer, ptr, len).slice();
      kernels = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { mem } }).exports;
      return 1;
    } catch {
      return 0;
    }
  };
  // One forwarding function per import name, made when the Go module is
  // instantiated; ten parameters cover every kernel (extra ones are
  // ignored by the callee).
  const forward = new Map();
  return new Proxy({}, {
    get(_, name) {
      if (name === 'load') return load;
      if (typeof name !== 'string') return undefined;
      if (!forward.has(name)) {
        forward.set(name, (a, b, c, d, e, f, g, h, i, j) => kernels[name](a, b, c, d, e, f, g, h, i, j));
      }
      return forward.get(name);
    },
  });
}
