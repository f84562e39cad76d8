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

// The kernels take pointers and counts like dsp/internal/avx2's; the dsp
// wrappers check lengths. Pointers are passed as unsafe.Pointer, which
// go:wasmimport lowers to an i32 offset into linear memory; Go's heap
// does not move, and every caller holds the slices across the call.

// Power is the whole real FFT of dsp.realFFT.power for m complex points
// (m ≥ 16): input in (ar, ai), scratch (br, bi), tw0 the first stage's
// twiddles as six arrays of m/4, tw every stage's twiddles back to back
// (the first block is skipped), sr and si the split twiddles; writes
// |X[k]|², k = 0…m, to dst.
func Power(ar, ai, br, bi, tw0, tw, sr, si, dst *float64, m int) {
	power(unsafe.Pointer(ar), unsafe.Pointer(ai), unsafe.Pointer(br), unsafe.Pointer(bi),
		unsafe.Pointer(tw0), unsafe.Pointer(tw), unsafe.Pointer(sr), unsafe.Pointer(si), unsafe.Pointer(dst), int32(m))
}

//go:wasmimport dspsimd power
func power(ar, ai, br, bi, tw0, tw, sr, si, dst unsafe.Pointer, m int32)

// Window de-interleaves 2n float32 samples into re (even) and im (odd),
// converted to float64 and multiplied by we and wo; n even.
func Window(re, im *float64, x *float32, we, wo *float64, n int) {
	window(unsafe.Pointer(re), unsafe.Pointer(im), unsafe.Pointer(x), unsafe.Pointer(we), unsafe.Pointer(wo), int32(n))
}

//go:wasmimport dspsimd window
func window(re, im, x, we, wo unsafe.Pointer, n int32)

// LogConsts is the constant table of the logarithm kernels: unused,
// 2^52+1023, -0.25, 1/3, -0.5, 1, log10(2), 1/ln(10), 10 (as float64
// bits), then the masks 2^52-1 and 1023<<52 and the bits of 2^52 (0x433<<52).
type LogConsts [12]uint64

// SqrtLog processes n power values (n even): mag[k] = float32(√v), db[k]
// = float32(10·log10(max(v, amin))) with dsp's table logarithm (tab: 128
// entries of c, 1/c, log10 c). It returns the largest v, or 0.
func SqrtLog(pw *float64, mag, db *float32, n int, amin float64, tab *float64, k *LogConsts) float64 {
	return sqrtLog(unsafe.Pointer(pw), unsafe.Pointer(mag), unsafe.Pointer(db), int32(n), amin, unsafe.Pointer(tab), unsafe.Pointer(k))
}

//go:wasmimport dspsimd sqrtLog
func sqrtLog(pw, mag, db unsafe.Pointer, n int32, amin float64, tab, k unsafe.Pointer) float64

// Log is SqrtLog with mag[k] = float32(v).
func Log(pw *float64, mag, db *float32, n int, amin float64, tab *float64, k *LogConsts) float64 {
	return log(unsafe.Pointer(pw), unsafe.Pointer(mag), unsafe.Pointer(db), int32(n), amin, unsafe.Pointer(tab), unsafe.Pointer(k))
}

//go:wasmimport dspsimd log
func log(pw, mag, db unsafe.Pointer, n int32, amin float64, tab, k unsafe.Pointer) float64

// Bank computes dsp's sparse filter-bank product: for each run j,
// dst[row[j]] += Σ w[off[j]+i]·x[start[j]+i], summed as dsp sums it.
// dst must be zeroed by the caller.
func Bank(dst, x, w *float64, row, start, off *int, runs int) {
	bank(unsafe.Pointer(dst), unsafe.Pointer(x), unsafe.Pointer(w), unsafe.Pointer(row), unsafe.Pointer(start), unsafe.Pointer(off), int32(runs))
}

//go:wasmimport dspsimd bank
func bank(dst, x, w, row, start, off unsafe.Pointer, runs int32)

// Image-pass kernels over rows of n values, n even.

// RelDB sets x = float32(max(float64(x) - ref, floor)).
func RelDB(x *float32, n int, ref, floor float64) { relDB(unsafe.Pointer(x), int32(n), ref, floor) }

//go:wasmimport dspsimd relDB
func relDB(x unsafe.Pointer, n int32, ref, floor float64)

// Affine sets out = float32(scale·float64(in) + shift), then clamps it to
// [0, 1] if clamp.
func Affine(out, in *float32, n int, scale, shift float64, clamp bool) {
	affine(unsafe.Pointer(out), unsafe.Pointer(in), int32(n), scale, shift, b2i(clamp))
}

//go:wasmimport dspsimd affine
func affine(out, in unsafe.Pointer, n int32, scale, shift float64, clamp int32)

// AccFirst sets acc = w·(scale·float64(in) + shift).
func AccFirst(acc *float64, in *float32, n int, w, scale, shift float64) {
	accFirst(unsafe.Pointer(acc), unsafe.Pointer(in), int32(n), w, scale, shift)
}

//go:wasmimport dspsimd accFirst
func accFirst(acc, in unsafe.Pointer, n int32, w, scale, shift float64)

// AccAdd adds w·(scale·float64(in) + shift) to acc.
func AccAdd(acc *float64, in *float32, n int, w, scale, shift float64) {
	accAdd(unsafe.Pointer(acc), unsafe.Pointer(in), int32(n), w, scale, shift)
}

//go:wasmimport dspsimd accAdd
func accAdd(acc, in unsafe.Pointer, n int32, w, scale, shift float64)

// AccOut sets out = float32(acc), then clamps it to [0, 1] if clamp.
func AccOut(out *float32, acc *float64, n int, clamp bool) {
	accOut(unsafe.Pointer(out), unsafe.Pointer(acc), int32(n), b2i(clamp))
}

//go:wasmimport dspsimd accOut
func accOut(out, acc unsafe.Pointer, n int32, clamp int32)

func b2i(b bool) int32 {
	if b {
		return 1
	}
	return 0
}
