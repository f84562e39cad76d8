package dsp

import (
	"math"

	"emotion/dsp/internal/avx2"
)

// avxKernels are the AVX2 assembly kernels; each falls back to the Go
// one for sizes it does not handle (lengths not a multiple of 4, FFTs
// under 16 complex points).
var avxKernels = kernelSet{
	name:    "avx2",
	power:   powerAVX2,
	window:  windowAVX2,
	sqrtLog: sqrtLogAVX2,
	log:     logAVX2,
	bank:    bankAVX2,
	bank2:   bank2AVX2,

	relDB:    relDBAVX2,
	affine:   affineAVX2,
	accFirst: accFirstAVX2,
	accAdd:   accAddAVX2,
	accOut:   accOutAVX2,
}

func init() {
	if avx2.Supported {
		kern = avxKernels
		kernelSets = append(kernelSets, avxKernels)
	}
}

func powerAVX2(f *realFFT[float64], dst []float64) {
	m := f.m
	if m < 16 || len(dst) < m+1 {
		f.power(dst)
		return
	}
	xr, xi, yr, yi := f.ar, f.ai, f.br, f.bi
	avx2.Radix4First(&xr[0], &xi[0], &yr[0], &yi[0], &f.tw0[0], m/4)
	xr, xi, yr, yi = yr, yi, xr, xi
	s, l := 4, m/4
	for st := 1; l >= 4; st++ {
		avx2.Radix4(&xr[0], &xi[0], &yr[0], &yi[0], &f.tw[st][0], l/4, s)
		xr, xi, yr, yi = yr, yi, xr, xi
		l /= 4
		s *= 4
	}
	if l == 2 {
		avx2.Radix2(&xr[0], &xi[0], &yr[0], &yi[0], s)
		xr, xi = yr, yi
	}
	zr, zi := xr, xi
	dst[0] = (zr[0] + zi[0]) * (zr[0] + zi[0])
	dst[m] = (zr[0] - zi[0]) * (zr[0] - zi[0])
	avx2.SplitPower(&dst[0], &zr[0], &zi[0], &f.sr[0], &f.si[0], m)
}

func windowAVX2(re, im []float64, x []float32, we, wo []float64) {
	n := len(we) &^ 3
	if n > 0 {
		re, im, wo, x = re[:len(we)], im[:len(we)], wo[:len(we)], x[:2*len(we)]
		avx2.Window(&re[0], &im[0], &x[0], &we[0], &wo[0], n)
	}
	if n < len(we) {
		windowGo(re[n:], im[n:], x[2*n:], we[n:], wo[n:])
	}
}

// logTemplate is the constant table of the logarithm kernels, amin
// aside: the same constant expressions as sqrtLogGo, rounded by the same
// compiler, so the assembly multiplies by the same float64 values.
var logTemplate = func() (k avx2.LogConst) {
	f := math.Float64bits
	vals := [...]uint64{
		0, f(0x1p52 + 1023), f(-0.25), f(1.0 / 3), f(-0.5), f(1),
		f(math.Ln2 / math.Ln10), f(1 / math.Ln10), f(10),
		1<<52 - 1, 1023 << 52, 1<<logBits - 1, 0x433 << 52,
	}
	for i, v := range vals {
		k[i] = [4]uint64{v, v, v, v}
	}
	return k
}()

func sqrtLogAVX2(pw []float64, mag, db []float32, amin float64) float64 {
	n := len(pw) &^ 3
	var mx float64
	if n > 0 {
		mag, db = mag[:len(pw)], db[:len(pw)]
		k := logTemplate
		a := math.Float64bits(amin)
		k[0] = [4]uint64{a, a, a, a}
		mx = avx2.SqrtLog(&pw[0], &mag[0], &db[0], n, &logTab[0].c, &k)
	}
	if n < len(pw) {
		if t := sqrtLogGo(pw[n:], mag[n:], db[n:], amin); t > mx {
			mx = t
		}
	}
	return mx
}

func logAVX2(pw []float64, mag, db []float32, amin float64) float64 {
	n := len(pw) &^ 3
	var mx float64
	if n > 0 {
		mag, db = mag[:len(pw)], db[:len(pw)]
		k := logTemplate
		a := math.Float64bits(amin)
		k[0] = [4]uint64{a, a, a, a}
		mx = avx2.Log(&pw[0], &mag[0], &db[0], n, &logTab[0].c, &k)
	}
	if n < len(pw) {
		if t := logGo(pw[n:], mag[n:], db[n:], amin); t > mx {
			mx = t
		}
	}
	return mx
}

func bankAVX2(b *sparseBank, dst, x []float64) {
	dst = dst[:b.rows]
	clear(dst)
	if len(b.row) == 0 {
		return
	}
	avx2.Bank(&dst[0], &x[0], &b.w[0], &b.row[0], &b.start[0], &b.off[0], len(b.row))
}

// The image-pass kernels run the assembly on the first len &^ 3 values
// and the Go on the rest.

func relDBAVX2(x []float32, ref, floor float64) {
	n := len(x) &^ 3
	if n > 0 {
		avx2.RelDB(&x[0], n, ref, floor)
	}
	relDBGo(x[n:], ref, floor)
}

func affineAVX2(out, in []float32, scale, shift float64, clamp bool) {
	out = out[:len(in)]
	n := len(in) &^ 3
	if n > 0 {
		avx2.Affine(&out[0], &in[0], n, scale, shift, clamp)
	}
	affineGo(out[n:], in[n:], scale, shift, clamp)
}

func accFirstAVX2(acc []float64, in []float32, w, scale, shift float64) {
	acc = acc[:len(in)]
	n := len(in) &^ 3
	if n > 0 {
		avx2.AccFirst(&acc[0], &in[0], n, w, scale, shift)
	}
	accFirstGo(acc[n:], in[n:], w, scale, shift)
}

func accAddAVX2(acc []float64, in []float32, w, scale, shift float64) {
	acc = acc[:len(in)]
	n := len(in) &^ 3
	if n > 0 {
		avx2.AccAdd(&acc[0], &in[0], n, w, scale, shift)
	}
	accAddGo(acc[n:], in[n:], w, scale, shift)
}

func accOutAVX2(out []float32, acc []float64, clamp bool) {
	out = out[:len(acc)]
	n := len(acc) &^ 3
	if n > 0 {
		avx2.AccOut(&out[0], &acc[0], n, clamp)
	}
	accOutGo(out[n:], acc[n:], clamp)
}

// bank2AVX2 is two Bank calls: the assembly has no loop overhead worth
// sharing.
func bank2AVX2(b *sparseBank, d0, d1, x0, x1 []float64) {
	bankAVX2(b, d0, x0)
	bankAVX2(b, d1, x1)
}
