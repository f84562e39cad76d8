package wasmsimd

import (
	_ "embed"
	"unsafe"
)

//go:embed kernels.wasm
var module []byte

// Supported reports whether the host compiled and instantiated the
// kernels (it needs WebAssembly SIMD). The kernels must not be called
// otherwise: their imports would throw.
var Supported = load(unsafe.Pointer(unsafe.SliceData(module)), int32(len(module))) != 0

// load asks the host to compile module against Go's memory and bind the
// other dspsimd imports to it; it returns 0 if it could not.
//
//go:wasmimport dspsimd load
func load(p unsafe.Pointer, n int32) int32

// RelDB sets x[i] = float32(max(float64(x[i]) - ref, floor)) for i < n, n a
// multiple of 4.
func RelDB(x *float32, n int, ref, floor float64) { relDB(x, int32(n), ref, floor) }

//go:wasmimport dspsimd relDB
func relDB(x *float32, n int32, ref, floor float64)
