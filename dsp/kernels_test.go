package dsp

import (
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"testing"
)

// TestKernelsAgree runs every kernel of every set on the same random
// inputs, at sizes each kernel handles and sizes it must pass on to the
// Go fallback, and requires bit-identical results. TestBitIdentical checks
// the sets end to end on real clips; this covers value ranges clips may
// not reach (powers spanning 10^-30…10^6, amin boundaries, long runs).
func TestKernelsAgree(t *testing.T) {
	if len(kernelSets) < 2 {
		if runtime.GOARCH == "wasm" && os.Getenv("EXPECT_SIMD") == "1" {
			t.Fatal("EXPECT_SIMD=1 but the SIMD kernels did not load (run under web/tools/go_js_wasm_exec)")
		}
		t.Skip("only the Go kernels run on this machine")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	want, others := kernelSets[0], kernelSets[1:]
	same64 := func(t *testing.T, what string, got, exp []float64) {
		t.Helper()
		for i := range exp {
			if math.Float64bits(got[i]) != math.Float64bits(exp[i]) {
				t.Fatalf("%s[%d] = %v, want %v", what, i, got[i], exp[i])
			}
		}
	}
	same32 := func(t *testing.T, what string, got, exp []float32) {
		t.Helper()
		for i := range exp {
			if math.Float32bits(got[i]) != math.Float32bits(exp[i]) {
				t.Fatalf("%s[%d] = %v, want %v", what, i, got[i], exp[i])
			}
		}
	}
	for _, k := range others {
		t.Run(k.name, func(t *testing.T) {
			for _, n := range []int{4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096} {
				fa, fb := newRealFFT[float64](n), newRealFFT[float64](n)
				for i := range fa.ar {
					fa.ar[i], fa.ai[i] = rng.NormFloat64(), rng.NormFloat64()
				}
				copy(fb.ar, fa.ar)
				copy(fb.ai, fa.ai)
				pa, pb := make([]float64, n/2+1), make([]float64, n/2+1)
				want.power(fa, pa)
				k.power(fb, pb)
				same64(t, "power/"+itoa(n), pb, pa)

				x := make([]float32, n)
				for i := range x {
					x[i] = float32(rng.NormFloat64())
				}
				we, wo := hann(n)[:n/2], hann(n)[n/2:]
				ra, ia, rb, ib := make([]float64, n/2), make([]float64, n/2), make([]float64, n/2), make([]float64, n/2)
				want.window(ra, ia, x, we, wo)
				k.window(rb, ib, x, we, wo)
				same64(t, "window re/"+itoa(n), rb, ra)
				same64(t, "window im/"+itoa(n), ib, ia)
			}
			for _, n := range []int{1, 3, 4, 5, 129, 513, 1000} {
				pw := make([]float64, n)
				for i := range pw {
					pw[i] = math.Pow(10, -30+36*rng.Float64())
				}
				pw[0] = 1e-10 // at amin
				if n > 2 {
					pw[1], pw[2] = 0, math.Nextafter(1e-10, 1)
				}
				for _, amin := range []float64{1e-10, 1e-20, 0x1p-1000} {
					ma, da, mb, db := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
					xa, xb := want.sqrtLog(pw, ma, da, amin), k.sqrtLog(pw, mb, db, amin)
					same64(t, "sqrtLog max", []float64{xb}, []float64{xa})
					same32(t, "sqrtLog mag", mb, ma)
					same32(t, "sqrtLog db", db, da)
					xa, xb = want.log(pw, ma, da, amin), k.log(pw, mb, db, amin)
					same64(t, "log max", []float64{xb}, []float64{xa})
					same32(t, "log mag", mb, ma)
					same32(t, "log db", db, da)
				}
			}
			for _, cols := range []int{7, 33, 513} {
				rows := 9
				dense := make([]float32, rows*cols)
				for i := range dense {
					if rng.IntN(3) > 0 {
						dense[i] = float32(rng.NormFloat64())
					}
				}
				b := newSparseBank(dense, rows, cols, 0.3)
				x := make([]float64, cols)
				for i := range x {
					x[i] = rng.NormFloat64()
				}
				da, db := make([]float64, rows), make([]float64, rows)
				want.bank(&b, da, x)
				k.bank(&b, db, x)
				same64(t, "bank/"+itoa(cols), db, da)
			}
			for _, n := range []int{1, 3, 4, 7, 188, 1875} {
				in := make([]float32, n)
				for i := range in {
					in[i] = float32(-90 + 95*rng.Float64()) // dB, a few cells above 0 and below -80
				}
				in[0] = -80
				ra, rb := append([]float32(nil), in...), append([]float32(nil), in...)
				want.relDB(ra, 3.25, -80)
				k.relDB(rb, 3.25, -80)
				same32(t, "relDB/"+itoa(n), rb, ra)
				for _, clamp := range []bool{false, true} {
					for _, aff := range [][2]float64{{1.0 / 80, 1}, {1, 0}, {0.02, 0.9}} {
						oa, ob := make([]float32, n), make([]float32, n)
						want.affine(oa, in, aff[0], aff[1], clamp)
						k.affine(ob, in, aff[0], aff[1], clamp)
						same32(t, "affine/"+itoa(n), ob, oa)
						aa, ab := make([]float64, n), make([]float64, n)
						want.accFirst(aa, in, 0.3, aff[0], aff[1])
						k.accFirst(ab, in, 0.3, aff[0], aff[1])
						same64(t, "accFirst/"+itoa(n), ab, aa)
						want.accAdd(aa, ra, 0.7, aff[0], aff[1])
						k.accAdd(ab, ra, 0.7, aff[0], aff[1])
						same64(t, "accAdd/"+itoa(n), ab, aa)
						want.accOut(oa, aa, clamp)
						k.accOut(ob, aa, clamp)
						same32(t, "accOut/"+itoa(n), ob, oa)
					}
				}
			}
		})
	}
}
