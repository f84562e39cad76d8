// Package wasmsimd is dsp's hot loops as a small hand-written WebAssembly
// module with SIMD (kernels.wat), for GOARCH=wasm, where Go emits no SIMD
// instructions. Each kernel computes the same IEEE operations in the same
// order as dsp's portable Go, two float64 lanes at a time, so results are
// bit-identical (dsp's TestKernelSets compares them).
//
// The Go module imports the kernels from the module "dspsimd"
// (//go:wasmimport); the JavaScript that instantiates Go's wasm must
// provide it (web/lib/go-kernels.js does). Supported is false, and dsp
// uses its Go kernels, when the host could not compile the kernels (no
// WebAssembly SIMD).
//
// kernels.wasm is assembled from kernels.wat by assemble.mjs (wabt, from
// npm) and committed, because go:embed needs it at build time; the test
// suite checks that it is current.
package wasmsimd
