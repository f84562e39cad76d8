package dsp

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"
)

// This file freezes the per-frame implementation of Compute as it was when
// the CNN was trained (commit b4e5baf): referenceCompute is a
// straightforward copy of that code, FFT included, and TestBitIdentical
// requires Plan.Compute to reproduce every output bit for bit. Any speed-up
// must keep the arithmetic of every output value unchanged.

// refFFT is the frozen real FFT: Stockham radix-4 complex FFT of n/2 points
// (plus a radix-2 stage when log2(n/2) is odd) and the split step.
type refFFT struct {
	n, m           int
	tw             [][]float64
	sr, si         []float64
	ar, ai, br, bi []float64
}

func newRefFFT(n int) *refFFT {
	m := n / 2
	f := &refFFT{n: n, m: m,
		ar: make([]float64, m), ai: make([]float64, m), br: make([]float64, m), bi: make([]float64, m)}
	for l := m; l >= 4; l /= 4 {
		q := l / 4
		t := make([]float64, 6*q)
		for p := 0; p < q; p++ {
			for k := 1; k <= 3; k++ {
				s, c := math.Sincos(-2 * math.Pi * float64(k*p) / float64(l))
				t[6*p+2*(k-1)] = c
				t[6*p+2*(k-1)+1] = s
			}
		}
		f.tw = append(f.tw, t)
	}
	f.sr = make([]float64, m/2+1)
	f.si = make([]float64, m/2+1)
	for k := range f.sr {
		s, c := math.Sincos(-2 * math.Pi * float64(k) / float64(n))
		f.sr[k], f.si[k] = c, s
	}
	return f
}

func (f *refFFT) power(dst []float64) {
	xr, xi, yr, yi := f.ar, f.ai, f.br, f.bi
	s, l := 1, f.m
	for st := 0; l >= 4; st++ {
		tw := f.tw[st]
		q4 := l / 4
		for p := 0; p < q4; p++ {
			w1r, w1i, w2r, w2i, w3r, w3i := tw[6*p], tw[6*p+1], tw[6*p+2], tw[6*p+3], tw[6*p+4], tw[6*p+5]
			for q := 0; q < s; q++ {
				a0 := q + s*p
				ar, ai := xr[a0], xi[a0]
				br, bi := xr[a0+s*q4], xi[a0+s*q4]
				cr, ci := xr[a0+2*s*q4], xi[a0+2*s*q4]
				dr, di := xr[a0+3*s*q4], xi[a0+3*s*q4]
				apcr, apci := ar+cr, ai+ci
				amcr, amci := ar-cr, ai-ci
				bpdr, bpdi := br+dr, bi+di
				jbr, jbi := -(bi - di), br-dr
				o := q + 4*s*p
				yr[o], yi[o] = apcr+bpdr, apci+bpdi
				t1r, t1i := amcr-jbr, amci-jbi
				t2r, t2i := apcr-bpdr, apci-bpdi
				t3r, t3i := amcr+jbr, amci+jbi
				if s > 1 && p == 0 { // the frozen code skipped unit twiddles here
					yr[o+s], yi[o+s] = t1r, t1i
					yr[o+2*s], yi[o+2*s] = t2r, t2i
					yr[o+3*s], yi[o+3*s] = t3r, t3i
					continue
				}
				yr[o+s], yi[o+s] = t1r*w1r-t1i*w1i, t1r*w1i+t1i*w1r
				yr[o+2*s], yi[o+2*s] = t2r*w2r-t2i*w2i, t2r*w2i+t2i*w2r
				yr[o+3*s], yi[o+3*s] = t3r*w3r-t3i*w3i, t3r*w3i+t3i*w3r
			}
		}
		xr, xi, yr, yi = yr, yi, xr, xi
		l /= 4
		s *= 4
	}
	if l == 2 {
		for q := 0; q < s; q++ {
			yr[q], yi[q] = xr[q]+xr[q+s], xi[q]+xi[q+s]
			yr[q+s], yi[q+s] = xr[q]-xr[q+s], xi[q]-xi[q+s]
		}
		xr, xi = yr, yi
	}
	zr, zi, m := xr, xi, f.m
	dst[0] = (zr[0] + zi[0]) * (zr[0] + zi[0])
	dst[m] = (zr[0] - zi[0]) * (zr[0] - zi[0])
	for k := 1; k <= m/2; k++ {
		j := m - k
		er, ei := 0.5*(zr[k]+zr[j]), 0.5*(zi[k]-zi[j])
		or, oi := 0.5*(zi[k]+zi[j]), -0.5*(zr[k]-zr[j])
		tr := or*f.sr[k] - oi*f.si[k]
		ti := or*f.si[k] + oi*f.sr[k]
		xr, xi := er+tr, ei+ti
		dst[k] = xr*xr + xi*xi
		xr, xi = er-tr, ei-ti
		dst[j] = xr*xr + xi*xi
	}
}

// refBank is the frozen sparse filter bank product (runs of weights, four
// accumulators).
type refBank struct {
	rows            int
	row, start, off []int
	w               []float64
}

func newRefBank(dense []float32, rows, cols int, thr float64) refBank {
	const minGap = 4
	b := refBank{rows: rows, off: []int{0}}
	for r := 0; r < rows; r++ {
		row := dense[r*cols : (r+1)*cols]
		keep := func(k int) bool { return row[k] != 0 && math.Abs(float64(row[k])) > thr }
		for k := 0; k < cols; {
			if !keep(k) {
				k++
				continue
			}
			end, gap := k, 0
			for i := k + 1; i < cols && gap < minGap; i++ {
				if keep(i) {
					end, gap = i, 0
				} else {
					gap++
				}
			}
			b.row = append(b.row, r)
			b.start = append(b.start, k)
			for i := k; i <= end; i++ {
				v := float64(row[i])
				if !keep(i) {
					v = 0
				}
				b.w = append(b.w, v)
			}
			b.off = append(b.off, len(b.w))
			k = end + 1
		}
	}
	return b
}

func (b *refBank) apply(dst, x []float64) {
	clear(dst[:b.rows])
	for j, r := range b.row {
		w := b.w[b.off[j]:b.off[j+1]]
		xs := x[b.start[j]:]
		var a0, a1, a2, a3 float64
		i := 0
		for ; i+4 <= len(w); i += 4 {
			a0 += w[i] * xs[i]
			a1 += w[i+1] * xs[i+1]
			a2 += w[i+2] * xs[i+2]
			a3 += w[i+3] * xs[i+3]
		}
		for ; i < len(w); i++ {
			a0 += w[i] * xs[i]
		}
		dst[r] += (a0 + a1) + (a2 + a3)
	}
}

// refDB is the frozen powerDB: 10·log10(max(x, amin)) with the table log.
func refDB(x, amin float64) float64 {
	if !(x > amin) {
		x = amin
	}
	b := math.Float64bits(x)
	e := float64(int(b>>52&0x7ff) - 1023)
	i := b >> (52 - 7) & (1<<7 - 1)
	c := 1 + (float64(i)+0.5)/(1<<7)
	inv, l10c := 1/c, math.Log10(c)
	r := (math.Float64frombits(b&(1<<52-1)|1023<<52) - c) * inv
	p := r * (1 + r*(-0.5+r*(1.0/3+r*-0.25)))
	return 10 * (e*(math.Ln2/math.Ln10) + l10c + p*(1/math.Ln10))
}

func refRelDB(x []float32, refDB, topDB float64, silent bool) {
	for i, v := range x {
		if silent {
			x[i] = float32(-topDB)
			continue
		}
		d := float64(v) - refDB
		if d < -topDB {
			d = -topDB
		}
		x[i] = float32(d)
	}
}

// refRowMap applies the documented row mapping (see newRowMap) the frozen
// way: weighted sum in float64 of scale·v+shift, first weight assigned.
func refRowMap(out, in []float32, src, dst, frames int, scale, shift float64) {
	m := newRowMap(src, dst) // tables: pure integer arithmetic, checked by TestRowMapRule
	acc := make([]float64, frames)
	for r := 0; r < dst; r++ {
		w := m.w[m.off[r]:m.off[r+1]]
		s := m.start[r]
		for t := 0; t < frames; t++ {
			if len(w) == 1 {
				out[r*frames+t] = float32(scale*float64(in[s*frames+t]) + shift)
				continue
			}
			acc[t] = w[0] * (scale*float64(in[s*frames+t]) + shift)
			for j := 1; j < len(w); j++ {
				acc[t] += w[j] * (scale*float64(in[(s+j)*frames+t]) + shift)
			}
			out[r*frames+t] = float32(acc[t])
		}
	}
}

// referenceCompute is the frozen Compute.
func referenceCompute(c Config, x []float32) *Features {
	nb, nm, nc, h, n := c.Bins(), c.NMels, c.NChroma, c.Height, c.NFFT
	F := c.Frames(len(x))
	f := &Features{Frames: F,
		STFT: make([]float32, nb*F), LogSTFT: make([]float32, nb*F),
		Mel: make([]float32, nm*F), LogMel: make([]float32, nm*F),
		Chroma: make([]float32, nc*F), Image: make([]float32, 3*h*F)}
	win := make([]float64, n)
	for i := range win {
		win[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n))
	}
	fft := newRefFFT(n)
	mel := newRefBank(MelFilters(c), nm, nb, 0)
	dense := ChromaFilters(c)
	var mx float32
	for _, v := range dense {
		mx = max(mx, v)
	}
	chroma := newRefBank(dense, nc, nb, chromaTrim*float64(mx))
	pw, melv, chrv := make([]float64, nb), make([]float64, nm), make([]float64, nc)
	amp2 := c.AminAmp * c.AminAmp
	var maxP, maxMel float64
	for t := 0; t < F; t++ {
		start := t*c.Hop - n/2
		for k := 0; k < n/2; k++ {
			i := start + 2*k
			var a, b float64
			if i >= 0 && i < len(x) {
				a = float64(x[i])
			}
			if i+1 >= 0 && i+1 < len(x) {
				b = float64(x[i+1])
			}
			fft.ar[k] = win[2*k] * a
			fft.ai[k] = win[2*k+1] * b
		}
		fft.power(pw)
		for k, v := range pw {
			if v > maxP {
				maxP = v
			}
			f.STFT[k*F+t] = float32(math.Sqrt(v))
			f.LogSTFT[k*F+t] = float32(refDB(v, amp2))
		}
		mel.apply(melv, pw)
		for b, v := range melv {
			if v > maxMel {
				maxMel = v
			}
			f.Mel[b*F+t] = float32(v)
			f.LogMel[b*F+t] = float32(refDB(v, c.AminPower))
		}
		chroma.apply(chrv, pw)
		var cm float64
		for _, v := range chrv {
			if v > cm {
				cm = v
			}
		}
		if cm < 0x1p-126 {
			cm = 1
		}
		for k, v := range chrv {
			f.Chroma[k*F+t] = float32(v / cm)
		}
	}
	refRelDB(f.LogSTFT, 10*log10(max(maxP, amp2)), c.TopDB, maxP <= amp2)
	refRelDB(f.LogMel, 10*log10(max(maxMel, c.AminPower)), c.TopDB, maxMel <= c.AminPower)
	scale, shift := 1.0, 0.0
	if c.Norm == NormUnit {
		scale, shift = 1/c.TopDB, 1
	}
	ch := h * F
	refRowMap(f.Image[:ch], f.LogMel, nm, h, F, scale, shift)
	refRowMap(f.Image[ch:2*ch], f.Chroma, nc, h, F, 1, 0)
	refRowMap(f.Image[2*ch:], f.LogSTFT, nb, h, F, scale, shift)
	if c.Norm == NormUnit {
		for i, v := range f.Image {
			if v < 0 {
				f.Image[i] = 0
			} else if v > 1 {
				f.Image[i] = 1
			}
		}
	}
	return f
}

// identityInputs are the deterministic clips of TestBitIdentical: the
// golden WAVs (when present) and synthetic ones of awkward lengths.
func identityInputs(t *testing.T) map[string][]float32 {
	in := map[string][]float32{}
	if dir := goldenDir(t); dir != "" {
		for _, name := range goldenNames {
			in["golden/"+name] = readWAV(t, filepath.Join(dir, name+".wav"))
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	noise := func(n int, a float64) []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(a * rng.NormFloat64())
		}
		return x
	}
	sine := func(n int, hz, a float64) []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(a * math.Sin(2*math.Pi*hz*float64(i)/16000))
		}
		return x
	}
	in["noise3s"] = noise(48000, 0.1)
	in["noise30s"] = noise(480000, 0.3)
	in["sine3s"] = sine(48000, 440, 0.5)
	in["sine30s"] = sine(480000, 1234.5, 0.9)
	in["speech3s"] = speechLike(48000)
	in["speech30s"] = speechLike(480000)
	for _, n := range []int{1, 2, 255, 256, 257, 500, 511, 512, 513, 1023, 1024, 1025, 3200, 4097, 12345} {
		in["noise"+itoa(n)] = noise(n, 0.2)
	}
	in["tiny"] = noise(3000, 1e-9)
	in["silence4000"] = make([]float32, 4000)
	mixed := speechLike(40000)
	clear(mixed[10000:30000]) // silent stretch in the middle
	in["gap"] = mixed
	return in
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// TestBitIdentical runs with every kernel set this machine supports (the
// portable Go and, on amd64 with AVX2, the assembly).
func TestBitIdentical(t *testing.T) {
	for _, k := range kernelSets {
		t.Run(k.name, func(t *testing.T) {
			defer func(old kernelSet) { kern = old }(kern)
			kern = k
			testBitIdentical(t)
		})
	}
}

func testBitIdentical(t *testing.T) {
	ref := Reference()
	small := ref
	small.NFFT, small.Hop, small.NMels, small.Height = 256, 100, 40, 50 // m = 128: radix-4 stages then radix-2
	even := ref
	even.NFFT, even.Hop, even.Height, even.Norm = 512, 160, 300, NormNone // m = 256: radix-4 only; upsampled rows
	configs := map[string]Config{"reference": ref, "small": small, "even": even}
	inputs := identityInputs(t)
	for cname, c := range configs {
		p, err := NewPlan(c)
		if err != nil {
			t.Fatal(err)
		}
		var f, g Features // reused across inputs on purpose
		for name, x := range inputs {
			if cname != "reference" && len(x) > 100000 {
				continue
			}
			want := referenceCompute(c, x)
			if err := p.Compute(x, &f); err != nil {
				t.Fatal(err)
			}
			if f.Frames != want.Frames {
				t.Fatalf("%s/%s: %d frames, want %d", cname, name, f.Frames, want.Frames)
			}
			for _, q := range []struct {
				kind      string
				got, want []float32
			}{
				{"STFT", f.STFT, want.STFT}, {"Mel", f.Mel, want.Mel},
				{"LogMel", f.LogMel, want.LogMel}, {"Chroma", f.Chroma, want.Chroma},
				{"LogSTFT", f.LogSTFT, want.LogSTFT}, {"Image", f.Image, want.Image},
			} {
				if len(q.got) != len(q.want) {
					t.Errorf("%s/%s: %s has %d values, want %d", cname, name, q.kind, len(q.got), len(q.want))
					continue
				}
				bad := 0
				for i := range q.got {
					if math.Float32bits(q.got[i]) != math.Float32bits(q.want[i]) {
						if bad == 0 {
							t.Errorf("%s/%s: %s[%d] = %v (%#x), want %v (%#x)", cname, name, q.kind, i,
								q.got[i], math.Float32bits(q.got[i]), q.want[i], math.Float32bits(q.want[i]))
						}
						bad++
					}
				}
				if bad > 0 {
					t.Errorf("%s/%s: %s: %d of %d values differ", cname, name, q.kind, bad, len(q.got))
				}
			}
			// ComputeImage: the same image and dB matrices, no STFT or Mel.
			if err := p.ComputeImage(x, &g); err != nil {
				t.Fatal(err)
			}
			if g.Frames != want.Frames || len(g.STFT) != 0 || len(g.Mel) != 0 {
				t.Fatalf("%s/%s: ComputeImage: %d frames, %d STFT and %d Mel values, want %d, 0, 0",
					cname, name, g.Frames, len(g.STFT), len(g.Mel), want.Frames)
			}
			for _, q := range []struct {
				kind      string
				got, want []float32
			}{
				{"LogMel", g.LogMel, want.LogMel}, {"Chroma", g.Chroma, want.Chroma},
				{"LogSTFT", g.LogSTFT, want.LogSTFT}, {"Image", g.Image, want.Image},
			} {
				if len(q.got) != len(q.want) {
					t.Errorf("%s/%s: ComputeImage: %s has %d values, want %d", cname, name, q.kind, len(q.got), len(q.want))
					continue
				}
				for i := range q.got {
					if math.Float32bits(q.got[i]) != math.Float32bits(q.want[i]) {
						t.Errorf("%s/%s: ComputeImage: %s[%d] = %v, want %v", cname, name, q.kind, i, q.got[i], q.want[i])
						break
					}
				}
			}
		}
	}
}
