package dsp

import "math"

// log10 returns log10(x) for finite, normal x > 0 with an absolute error
// below 1e-12, without math.Log10: under WebAssembly math.Log10 is plain Go
// code with a division, and this is several times faster there and about
// as fast natively. Callers floor x at amin first, so x is never zero,
// negative or subnormal.
//
// x = 2^e · m, m in [1, 2). The top logBits bits of m pick a table entry
// c_i (the middle of m's interval), r = m/c_i - 1 has |r| < 2^-(logBits+1),
// and ln(1+r) is summed to r⁴ (the next term is below 2e-13).
func log10(x float64) float64 {
	b := math.Float64bits(x)
	e := float64(int(b>>52&0x7ff) - 1023)
	i := b >> (52 - logBits) & (1<<logBits - 1)
	m := math.Float64frombits(b&(1<<52-1) | 1023<<52)
	t := &logTab[i]
	r := (m - t.c) * t.inv
	p := r * (1 + r*(-0.5+r*(1.0/3+r*-0.25)))
	return e*(math.Ln2/math.Ln10) + t.log10c + p*(1/math.Ln10)
}

const logBits = 7

var logTab = func() (t [1 << logBits]struct{ c, inv, log10c float64 }) {
	for i := range t {
		c := 1 + (float64(i)+0.5)/(1<<logBits)
		t[i].c, t[i].inv, t[i].log10c = c, 1/c, math.Log10(c)
	}
	return t
}()

// powerDB is 10·log10(max(x, amin)) for x ≥ 0.
func powerDB(x, amin float64) float64 {
	return 10 * log10(max(x, amin))
}

// powerDBs sets dst[i] = powerDB(src[i], amin): log10 written out in the
// loop, since the compiler does not inline it and a call per cell costs
// as much as the logarithm. Comparisons replace the max builtin, which
// Go's WebAssembly backend compiles to a runtime call (NaN rules); the
// inputs here are never NaN.
func powerDBs(dst, src []float64, amin float64) {
	dst = dst[:len(src)]
	for i, x := range src {
		if !(x > amin) {
			x = amin
		}
		b := math.Float64bits(x)
		e := float64(int(b>>52&0x7ff) - 1023)
		t := &logTab[b>>(52-logBits)&(1<<logBits-1)]
		r := (math.Float64frombits(b&(1<<52-1)|1023<<52) - t.c) * t.inv
		p := r * (1 + r*(-0.5+r*(1.0/3+r*-0.25)))
		dst[i] = 10 * (e*(math.Ln2/math.Ln10) + t.log10c + p*(1/math.Ln10))
	}
}

// toRelDB turns absolute dB values in place into librosa's
// power_to_db(ref=np.max, top_db): x - refDB, floored at -topDB, where refDB
// is the absolute dB of the maximum (already floored at amin).
//
// Silence: when the maximum is at or below amin every cell equals the
// reference and librosa returns 0 dB everywhere (a fully "loud" image). We
// return -topDB instead, the quietest value, so silence maps to an image
// channel of zeros; silent is set by the caller in that case.
func toRelDB(x []float32, refDB, topDB float64, silent bool) {
	if silent {
		v := float32(-topDB)
		for i := range x {
			x[i] = v
		}
		return
	}
	kern.relDB(x, refDB, -topDB)
}
