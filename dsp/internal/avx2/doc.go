// Package avx2 holds amd64 AVX2 assembly for the hot loops of package dsp:
// FFT stages, the real-FFT split step, windowing, the table logarithm and
// the sparse filter-bank product.
//
// Every kernel performs, lane by lane, exactly the IEEE operations of the
// portable Go code in dsp, in the same order and without fused
// multiply-add, so its results are bit-identical to that code (dsp's tests
// run both paths against a frozen reference). Callers check Supported
// before calling any kernel; on other architectures the package is empty.
package avx2
