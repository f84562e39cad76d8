package dsp

import (
	"math"

	"emotion/dsp/internal/wasmsimd"
)

// simdKernels are the WebAssembly SIMD kernels (dsp/internal/wasmsimd),
// used when the host provides them; each falls back to the Go one for
// sizes it does not handle (odd lengths, FFTs under 16 complex points).
var simdKernels = kernelSet{
	name:    "simd",
	power:   powerSIMD,
	window:  windowSIMD,
	sqrtLog: sqrtLogSIMD,
	log:     logSIMD,
	bank:    bankSIMD,
	bank2:   bank2SIMD,

	relDB:    relDBSIMD,
	affine:   affineSIMD,
	accFirst: accFirstSIMD,
	accAdd:   accAddSIMD,
	accOut:   accOutSIMD,
}

func init() {
	if wasmsimd.Supported {
		kern = simdKernels
		kernelSets = append(kernelSets, simdKernels)
	}
}

func powerSIMD(f *realFFT[float64], dst []float64) {
	m := f.m
	if m < 16 || len(dst) < m+1 {
		f.power(dst)
		return
	}
	wasmsimd.Power(&f.ar[0], &f.ai[0], &f.br[0], &f.bi[0], &f.tw0[0], &f.tw[0][0], &f.sr[0], &f.si[0], &dst[0], m)
}

func windowSIMD(re, im []float64, x []float32, we, wo []float64) {
	n := len(we) &^ 1
	if n > 0 {
		re, im, wo, x = re[:len(we)], im[:len(we)], wo[:len(we)], x[:2*len(we)]
		wasmsimd.Window(&re[0], &im[0], &x[0], &we[0], &wo[0], n)
	}
	if n < len(we) {
		windowGo(re[n:], im[n:], x[2*n:], we[n:], wo[n:])
	}
}

// logConsts is the constant table of the logarithm kernels:
// the same constant expressions as sqrtLogGo, rounded by the same
// compiler, so the kernels multiply by the same float64 values.
var logConsts = func() wasmsimd.LogConsts {
	f := math.Float64bits
	return wasmsimd.LogConsts{
		0, f(0x1p52 + 1023), f(-0.25), f(1.0 / 3), f(-0.5), f(1),
		f(math.Ln2 / math.Ln10), f(1 / math.Ln10), f(10),
		1<<52 - 1, 1023 << 52, 0x433 << 52,
	}
}()

func logsSIMD(pw []float64, mag, db []float32, amin float64, sqrt bool) float64 {
	n := len(pw) &^ 1
	var mx float64
	if n > 0 {
		mag, db = mag[:len(pw)], db[:len(pw)]
		if sqrt {
			mx = wasmsimd.SqrtLog(&pw[0], &mag[0], &db[0], n, amin, &logTab[0].c, &logConsts)
		} else {
			mx = wasmsimd.Log(&pw[0], &mag[0], &db[0], n, amin, &logTab[0].c, &logConsts)
		}
	}
	if n < len(pw) {
		var t float64
		if sqrt {
			t = sqrtLogGo(pw[n:], mag[n:], db[n:], amin)
		} else {
			t = logGo(pw[n:], mag[n:], db[n:], amin)
		}
		if t > mx {
			mx = t
		}
	}
	return mx
}

func sqrtLogSIMD(pw []float64, mag, db []float32, amin float64) float64 {
	return logsSIMD(pw, mag, db, amin, true)
}

func logSIMD(pw []float64, mag, db []float32, amin float64) float64 {
	return logsSIMD(pw, mag, db, amin, false)
}

func bankSIMD(b *sparseBank, dst, x []float64) {
	dst = dst[:b.rows]
	clear(dst)
	if len(b.row) == 0 {
		return
	}
	wasmsimd.Bank(&dst[0], &x[0], &b.w[0], &b.row[0], &b.start[0], &b.off[0], len(b.row))
}

// bank2SIMD is two Bank calls: the kernel has no loop overhead worth
// sharing.
func bank2SIMD(b *sparseBank, d0, d1, x0, x1 []float64) {
	bankSIMD(b, d0, x0)
	bankSIMD(b, d1, x1)
}

// The image-pass kernels run the SIMD on the first len &^ 1 values and
// the Go on the rest.

func relDBSIMD(x []float32, ref, floor float64) {
	n := len(x) &^ 1
	if n > 0 {
		wasmsimd.RelDB(&x[0], n, ref, floor)
	}
	relDBGo(x[n:], ref, floor)
}

func affineSIMD(out, in []float32, scale, shift float64, clamp bool) {
	out = out[:len(in)]
	n := len(in) &^ 1
	if n > 0 {
		wasmsimd.Affine(&out[0], &in[0], n, scale, shift, clamp)
	}
	affineGo(out[n:], in[n:], scale, shift, clamp)
}

func accFirstSIMD(acc []float64, in []float32, w, scale, shift float64) {
	acc = acc[:len(in)]
	n := len(in) &^ 1
	if n > 0 {
		wasmsimd.AccFirst(&acc[0], &in[0], n, w, scale, shift)
	}
	accFirstGo(acc[n:], in[n:], w, scale, shift)
}

func accAddSIMD(acc []float64, in []float32, w, scale, shift float64) {
	acc = acc[:len(in)]
	n := len(in) &^ 1
	if n > 0 {
		wasmsimd.AccAdd(&acc[0], &in[0], n, w, scale, shift)
	}
	accAddGo(acc[n:], in[n:], w, scale, shift)
}

func accOutSIMD(out []float32, acc []float64, clamp bool) {
	out = out[:len(acc)]
	n := len(acc) &^ 1
	if n > 0 {
		wasmsimd.AccOut(&out[0], &acc[0], n, clamp)
	}
	accOutGo(out[n:], acc[n:], clamp)
}
