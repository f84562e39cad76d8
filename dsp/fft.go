package dsp

import "math"

// float is the element type of the FFT. The plan uses float64 (see
// doc.go for the measurements behind that); float32 is kept so the
// benchmark and accuracy test that decided it can be rerun.
type float interface{ ~float32 | ~float64 }

// realFFT computes the forward DFT of n real samples through one complex
// FFT of n/2 points and a split step, the usual trick that halves the work.
// The complex FFT is a Stockham autosort radix-4 (plus one radix-2 stage
// when log2(n/2) is odd) on split real/imaginary arrays, so no bit reversal
// is needed and all twiddles are precomputed.
//
// A realFFT holds scratch space: it is not safe for concurrent use.
type realFFT[T float] struct {
	n, m int // real length, complex length m = n/2

	// Per radix-4 stage s (length l = m/4^s, quarter q = l/4), twiddles
	// w^p, w^2p, w^3p for p < q with w = exp(-2πi/l), stored as
	// consecutive triples of (re, im); the stages are consecutive slices
	// of one array.
	tw [][]T
	// The stage-0 twiddles again as six arrays of m/4 (all w1 real
	// parts, all w1 imaginary parts, …), the layout of the vectorised
	// first stage (kernels_amd64.go).
	tw0 []T
	// Split step twiddles exp(-2πik/n) for k <= m/2.
	sr, si []T

	// Ping-pong buffers of m complex values.
	ar, ai, br, bi []T
}

func newRealFFT[T float](n int) *realFFT[T] {
	if n < 4 || n&(n-1) != 0 {
		panic("dsp: FFT length must be a power of two >= 4")
	}
	m := n / 2
	f := &realFFT[T]{n: n, m: m,
		ar: make([]T, m), ai: make([]T, m), br: make([]T, m), bi: make([]T, m),
	}
	// One allocation for every stage's twiddles, so that a kernel can walk
	// them from &tw[0][0] (kernels_wasm.go).
	total := 0
	for l := m; l >= 4; l /= 4 {
		total += 6 * (l / 4)
	}
	all := make([]T, total)
	for l := m; l >= 4; l /= 4 {
		q := l / 4
		t := all[: 6*q : 6*q]
		all = all[6*q:]
		for p := 0; p < q; p++ {
			for k := 1; k <= 3; k++ {
				s, c := math.Sincos(-2 * math.Pi * float64(k*p) / float64(l))
				t[6*p+2*(k-1)] = T(c)
				t[6*p+2*(k-1)+1] = T(s)
			}
		}
		f.tw = append(f.tw, t)
	}
	if q4 := m / 4; q4 > 0 {
		f.tw0 = make([]T, 6*q4)
		for p := 0; p < q4; p++ {
			for i := 0; i < 6; i++ {
				f.tw0[i*q4+p] = f.tw[0][6*p+i]
			}
		}
	}
	f.sr = make([]T, m/2+1)
	f.si = make([]T, m/2+1)
	for k := range f.sr {
		s, c := math.Sincos(-2 * math.Pi * float64(k) / float64(n))
		f.sr[k], f.si[k] = T(c), T(s)
	}
	return f
}

// input returns the arrays into which the caller writes the n real
// samples: sample 2k goes to re[k] and sample 2k+1 to im[k].
func (f *realFFT[T]) input() (re, im []T) { return f.ar, f.ai }

// transform runs the complex FFT on the input arrays and returns the
// arrays holding its result Z[k], k < m.
func (f *realFFT[T]) transform() (zr, zi []T) {
	xr, xi, yr, yi := f.ar, f.ai, f.br, f.bi
	s := 1
	l := f.m
	for st := 0; l >= 4; st++ {
		radix4(l, s, xr, xi, yr, yi, f.tw[st])
		xr, xi, yr, yi = yr, yi, xr, xi
		l /= 4
		s *= 4
	}
	if l == 2 {
		radix2(s, xr, xi, yr, yi)
		xr, xi = yr, yi
	}
	return xr, xi
}

// radix4 is one Stockham decimation-in-frequency stage of length l and
// stride s: x[q + s(p + j l/4)] -> y[q + s(4p + j)].
func radix4[T float](l, s int, xr, xi, yr, yi []T, tw []T) {
	q4 := l / 4
	if s == 1 {
		// First stage: the inner loop has one iteration; unroll it away.
		x0r, x1r, x2r, x3r := xr[:q4], xr[q4:2*q4], xr[2*q4:3*q4], xr[3*q4:4*q4]
		x0i, x1i, x2i, x3i := xi[:q4], xi[q4:2*q4], xi[2*q4:3*q4], xi[3*q4:4*q4]
		yr, yi = yr[:4*q4], yi[:4*q4]
		tw = tw[:6*q4]
		for p := range x0r {
			ar, ai := x0r[p], x0i[p]
			br, bi := x1r[p], x1i[p]
			cr, ci := x2r[p], x2i[p]
			dr, di := x3r[p], x3i[p]
			apcr, apci := ar+cr, ai+ci
			amcr, amci := ar-cr, ai-ci
			bpdr, bpdi := br+dr, bi+di
			// j(b-d)
			jbr, jbi := -(bi - di), br-dr
			w := tw[6*p : 6*p+6 : 6*p+6]
			y := yr[4*p : 4*p+4 : 4*p+4]
			z := yi[4*p : 4*p+4 : 4*p+4]
			y[0], z[0] = apcr+bpdr, apci+bpdi
			t1r, t1i := amcr-jbr, amci-jbi
			y[1], z[1] = t1r*w[0]-t1i*w[1], t1r*w[1]+t1i*w[0]
			t2r, t2i := apcr-bpdr, apci-bpdi
			y[2], z[2] = t2r*w[2]-t2i*w[3], t2r*w[3]+t2i*w[2]
			t3r, t3i := amcr+jbr, amci+jbi
			y[3], z[3] = t3r*w[4]-t3i*w[5], t3r*w[5]+t3i*w[4]
		}
		return
	}
	for p := 0; p < q4; p++ {
		w := tw[6*p : 6*p+6 : 6*p+6]
		w1r, w1i, w2r, w2i, w3r, w3i := w[0], w[1], w[2], w[3], w[4], w[5]
		a0 := s * p
		x0r, x0i := xr[a0:a0+s], xi[a0:a0+s]
		x1r, x1i := xr[a0+s*q4:a0+s*q4+s], xi[a0+s*q4:a0+s*q4+s]
		x2r, x2i := xr[a0+2*s*q4:a0+2*s*q4+s], xi[a0+2*s*q4:a0+2*s*q4+s]
		x3r, x3i := xr[a0+3*s*q4:a0+3*s*q4+s], xi[a0+3*s*q4:a0+3*s*q4+s]
		o := 4 * s * p
		y0r, y0i := yr[o:o+s], yi[o:o+s]
		y1r, y1i := yr[o+s:o+2*s], yi[o+s:o+2*s]
		y2r, y2i := yr[o+2*s:o+3*s], yi[o+2*s:o+3*s]
		y3r, y3i := yr[o+3*s:o+4*s], yi[o+3*s:o+4*s]
		x0i, x1r, x1i, x2r, x2i, x3r, x3i = x0i[:len(x0r)], x1r[:len(x0r)], x1i[:len(x0r)], x2r[:len(x0r)], x2i[:len(x0r)], x3r[:len(x0r)], x3i[:len(x0r)]
		y0r, y0i, y1r, y1i = y0r[:len(x0r)], y0i[:len(x0r)], y1r[:len(x0r)], y1i[:len(x0r)]
		y2r, y2i, y3r, y3i = y2r[:len(x0r)], y2i[:len(x0r)], y3r[:len(x0r)], y3i[:len(x0r)]
		if p == 0 {
			// Twiddles are all 1.
			for q := range x0r {
				ar, ai := x0r[q], x0i[q]
				br, bi := x1r[q], x1i[q]
				cr, ci := x2r[q], x2i[q]
				dr, di := x3r[q], x3i[q]
				apcr, apci := ar+cr, ai+ci
				amcr, amci := ar-cr, ai-ci
				bpdr, bpdi := br+dr, bi+di
				jbr, jbi := -(bi - di), br-dr
				y0r[q], y0i[q] = apcr+bpdr, apci+bpdi
				y1r[q], y1i[q] = amcr-jbr, amci-jbi
				y2r[q], y2i[q] = apcr-bpdr, apci-bpdi
				y3r[q], y3i[q] = amcr+jbr, amci+jbi
			}
			continue
		}
		for q := range x0r {
			ar, ai := x0r[q], x0i[q]
			br, bi := x1r[q], x1i[q]
			cr, ci := x2r[q], x2i[q]
			dr, di := x3r[q], x3i[q]
			apcr, apci := ar+cr, ai+ci
			amcr, amci := ar-cr, ai-ci
			bpdr, bpdi := br+dr, bi+di
			jbr, jbi := -(bi - di), br-dr
			y0r[q], y0i[q] = apcr+bpdr, apci+bpdi
			t1r, t1i := amcr-jbr, amci-jbi
			y1r[q], y1i[q] = t1r*w1r-t1i*w1i, t1r*w1i+t1i*w1r
			t2r, t2i := apcr-bpdr, apci-bpdi
			y2r[q], y2i[q] = t2r*w2r-t2i*w2i, t2r*w2i+t2i*w2r
			t3r, t3i := amcr+jbr, amci+jbi
			y3r[q], y3i[q] = t3r*w3r-t3i*w3i, t3r*w3i+t3i*w3r
		}
	}
}

// radix2 is the last Stockham stage when log2(m) is odd: length 2,
// stride s, x[q], x[q+s] -> y[q], y[q+s].
func radix2[T float](s int, xr, xi, yr, yi []T) {
	ar, ai, br, bi := xr[:s], xi[:s], xr[s:2*s], xi[s:2*s]
	y0r, y0i, y1r, y1i := yr[:s], yi[:s], yr[s:2*s], yi[s:2*s]
	for q := range ar {
		y0r[q], y0i[q] = ar[q]+br[q], ai[q]+bi[q]
		y1r[q], y1i[q] = ar[q]-br[q], ai[q]-bi[q]
	}
}

// power runs the FFT on the input arrays and writes |X[k]|² for
// k = 0..n/2 into dst (len n/2+1). The split step recovers the spectrum of
// the real sequence from Z, the FFT of z[k] = x[2k] + i x[2k+1]:
//
//	X[k] = (Z[k] + conj(Z[m-k]))/2 - i/2 exp(-2πik/n) (Z[k] - conj(Z[m-k]))
//
// computed for k and m-k together.
func (f *realFFT[T]) power(dst []T) {
	zr, zi := f.transform()
	m := f.m
	dst = dst[:m+1]
	zr, zi = zr[:m], zi[:m]
	dst[0] = (zr[0] + zi[0]) * (zr[0] + zi[0])
	dst[m] = (zr[0] - zi[0]) * (zr[0] - zi[0])
	sr, si := f.sr[:m/2+1], f.si[:m/2+1]
	for k := 1; k <= m/2; k++ {
		j := m - k
		// E = (Z[k] + conj Z[j])/2, O = (Z[k] - conj Z[j])/(2i).
		er, ei := 0.5*(zr[k]+zr[j]), 0.5*(zi[k]-zi[j])
		or, oi := 0.5*(zi[k]+zi[j]), -0.5*(zr[k]-zr[j])
		// X[k] = E + w^k O; X[j] = conj(E - w^k O) with w^k = sr+i si.
		tr := or*sr[k] - oi*si[k]
		ti := or*si[k] + oi*sr[k]
		xr, xi := er+tr, ei+ti
		dst[k] = xr*xr + xi*xi
		xr, xi = er-tr, ei-ti
		dst[j] = xr*xr + xi*xi
	}
}

// coefficients is power's complex counterpart, used by tests: it writes
// X[k] for k = 0..n/2 into dst.
func (f *realFFT[T]) coefficients(dst []complex128) {
	zr, zi := f.transform()
	m := f.m
	dst[0] = complex(float64(zr[0]+zi[0]), 0)
	dst[m] = complex(float64(zr[0]-zi[0]), 0)
	for k := 1; k <= m/2; k++ {
		j := m - k
		er, ei := 0.5*(zr[k]+zr[j]), 0.5*(zi[k]-zi[j])
		or, oi := 0.5*(zi[k]+zi[j]), -0.5*(zr[k]-zr[j])
		tr := or*f.sr[k] - oi*f.si[k]
		ti := or*f.si[k] + oi*f.sr[k]
		dst[k] = complex(float64(er+tr), float64(ei+ti))
		dst[j] = complex(float64(er-tr), -float64(ei-ti))
	}
}
