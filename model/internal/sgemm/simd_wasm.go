package sgemm

import (
	_ "embed"
	"unsafe"
)

// Under WebAssembly the micro-kernel can run as hand-written SIMD
// (kernels.wat, assembled into the committed kernels.wasm): four rows of
// C by eight columns per step, in 128-bit vectors, against the scalar
// 4×2 kernel Go compiles. The host compiles the module against Go's
// memory when Go loads it (import module "sgemmsimd", provided by
// web/lib/go-kernels.js); without WebAssembly SIMD the load fails and
// the Go kernel runs.

//go:embed kernels.wasm
var simdModule []byte

//go:wasmimport sgemmsimd load
func simdLoad(p unsafe.Pointer, n int32) int32

//go:wasmimport sgemmsimd gemm
func simdGemm(a unsafe.Pointer, lda, m int32, bp unsafe.Pointer, k, n int32, c unsafe.Pointer, ldc, acc int32)

func init() {
	if simdLoad(unsafe.Pointer(unsafe.SliceData(simdModule)), int32(len(simdModule))) != 0 {
		simdRows = rowsSIMD
	}
}

// simdWidth is the number of columns of C per SIMD panel.
const simdWidth = 8

// rowsSIMD computes rows [i0, i1) of C with the SIMD kernel when the
// product has the shape it handles (A read in place, whole blocks of 4
// rows and 8 columns, alpha 1 and beta 0, as in every gorgonia product of
// the model) and reports whether it did. Depth blocks of kc are summed
// exactly as rows sums them, so C is bit-identical to the Go kernel's.
func rowsSIMD(p *product, i0, i1 int) bool {
	if p.aTrans || p.alpha != 1 || p.beta != 0 || (i1-i0)%mr != 0 || p.n%simdWidth != 0 {
		return false
	}
	buf := scratch.Get().(*buffers)
	defer scratch.Put(buf)
	for pc := 0; pc < p.k; pc += kc {
		kb := min(kc, p.k-pc)
		buf.b = p.packB(buf.b, pc, kb, 0, p.n, simdWidth)
		acc := int32(0)
		if pc > 0 {
			acc = 1 // later depth blocks accumulate into C
		}
		simdGemm(unsafe.Pointer(&p.a[i0*p.lda+pc]), int32(p.lda), int32(i1-i0),
			unsafe.Pointer(&buf.b[0]), int32(kb), int32(p.n),
			unsafe.Pointer(&p.c[i0*p.ldc]), int32(p.ldc), acc)
	}
	return true
}
