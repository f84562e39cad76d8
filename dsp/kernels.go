package dsp

import "math"

// kernelSet is the set of hot loops of the per-frame stage. They are
// function values so that amd64 can substitute AVX2 assembly computing
// bit-identical results (kernels_amd64.go), and so that the tests can run
// the portable Go on any machine and compare the two.
type kernelSet struct {
	name string
	// power runs the FFT on f's input arrays and writes |X[k]|², k ≤ n/2.
	power func(f *realFFT[float64], dst []float64)
	// window sets re[k] = we[k]·x[2k] and im[k] = wo[k]·x[2k+1].
	window func(re, im []float64, x []float32, we, wo []float64)
	// sqrtLog sets mag[k] = √pw[k] and db[k] = powerDB(pw[k], amin), both
	// as float32, and returns max(0, max pw).
	sqrtLog func(pw []float64, mag, db []float32, amin float64) float64
	// log is sqrtLog with mag[k] = float32(pw[k]).
	log func(pw []float64, mag, db []float32, amin float64) float64
	// bank sets dst = b·x; bank2 sets d0 = b·x0 and d1 = b·x1.
	bank  func(b *sparseBank, dst, x []float64)
	bank2 func(b *sparseBank, d0, d1, x0, x1 []float64)

	// The image pass, over rows of frames (see rowMap.apply).
	// relDB sets x = float32(max(float64(x) - ref, floor)).
	relDB func(x []float32, ref, floor float64)
	// affine sets out = float32(scale·float64(in) + shift), then clamps
	// to [0, 1] if clamp.
	affine func(out, in []float32, scale, shift float64, clamp bool)
	// accFirst sets acc = w·(scale·float64(in) + shift); accAdd adds it.
	accFirst, accAdd func(acc []float64, in []float32, w, scale, shift float64)
	// accOut sets out = float32(acc), then clamps to [0, 1] if clamp.
	accOut func(out []float32, acc []float64, clamp bool)
}

// goKernels is the portable Go, the only set under WebAssembly.
var goKernels = kernelSet{
	name:    "go",
	power:   (*realFFT[float64]).power,
	window:  windowGo,
	sqrtLog: sqrtLogGo,
	log:     logGo,
	bank:    (*sparseBank).apply,
	bank2:   (*sparseBank).apply2,

	relDB:    relDBGo,
	affine:   affineGo,
	accFirst: accFirstGo,
	accAdd:   accAddGo,
	accOut:   accOutGo,
}

// kern is the set Compute uses: the fastest this machine supports.
var kern = goKernels

// Kernels names the set of hot loops Compute runs on this machine: "go"
// (portable), "avx2" (amd64 assembly) or "simd" (WebAssembly SIMD). All
// give bit-identical features; only the speed differs.
func Kernels() string { return kern.name }

// kernelSets lists every set this machine can run, goKernels first; the
// tests run each of them.
var kernelSets = []kernelSet{goKernels}

func windowGo(re, im []float64, x []float32, we, wo []float64) {
	re, im = re[:len(we)], im[:len(we)]
	wo, x = wo[:len(we)], x[:2*len(we)]
	for k := range re {
		s := x[2*k : 2*k+2 : 2*k+2] // one bounds check per pair instead of four
		re[k] = we[k] * float64(s[0])
		im[k] = wo[k] * float64(s[1])
	}
}

// sqrtLogGo is powerDBs' loop body written out, fused with the
// magnitude and the maximum into one pass over the spectrum.
func sqrtLogGo(pw []float64, mag, db []float32, amin float64) (mx float64) {
	mag, db = mag[:len(pw)], db[:len(pw)]
	for k, v := range pw {
		if v > mx { // not max(): a runtime call under WebAssembly
			mx = v
		}
		mag[k] = float32(math.Sqrt(v))
		if !(v > amin) {
			v = amin
		}
		bits := math.Float64bits(v)
		e := float64(int(bits>>52&0x7ff) - 1023)
		lt := &logTab[bits>>(52-logBits)&(1<<logBits-1)]
		r := (math.Float64frombits(bits&(1<<52-1)|1023<<52) - lt.c) * lt.inv
		q := r * (1 + r*(-0.5+r*(1.0/3+r*-0.25)))
		db[k] = float32(10 * (e*(math.Ln2/math.Ln10) + lt.log10c + q*(1/math.Ln10)))
	}
	return mx
}

// logGo is sqrtLogGo for mel power, stored as is.
func logGo(pw []float64, mag, db []float32, amin float64) (mx float64) {
	mag, db = mag[:len(pw)], db[:len(pw)]
	for k, v := range pw {
		if v > mx {
			mx = v
		}
		mag[k] = float32(v)
		if !(v > amin) {
			v = amin
		}
		bits := math.Float64bits(v)
		e := float64(int(bits>>52&0x7ff) - 1023)
		lt := &logTab[bits>>(52-logBits)&(1<<logBits-1)]
		r := (math.Float64frombits(bits&(1<<52-1)|1023<<52) - lt.c) * lt.inv
		q := r * (1 + r*(-0.5+r*(1.0/3+r*-0.25)))
		db[k] = float32(10 * (e*(math.Ln2/math.Ln10) + lt.log10c + q*(1/math.Ln10)))
	}
	return mx
}

func relDBGo(x []float32, ref, floor float64) {
	for i, v := range x {
		d := float64(v) - ref
		if d < floor {
			d = floor
		}
		x[i] = float32(d)
	}
}

func affineGo(out, in []float32, scale, shift float64, clamp bool) {
	out = out[:len(in)]
	if clamp {
		for t, v := range in {
			x := float32(scale*float64(v) + shift)
			if x < 0 {
				x = 0
			} else if x > 1 {
				x = 1
			}
			out[t] = x
		}
		return
	}
	for t, v := range in {
		out[t] = float32(scale*float64(v) + shift)
	}
}

func accFirstGo(acc []float64, in []float32, w, scale, shift float64) {
	acc = acc[:len(in)]
	for t, v := range in {
		acc[t] = w * (scale*float64(v) + shift)
	}
}

func accAddGo(acc []float64, in []float32, w, scale, shift float64) {
	acc = acc[:len(in)]
	for t, v := range in {
		acc[t] += w * (scale*float64(v) + shift)
	}
}

func accOutGo(out []float32, acc []float64, clamp bool) {
	out = out[:len(acc)]
	if clamp {
		for t, v := range acc {
			x := float32(v)
			if x < 0 {
				x = 0
			} else if x > 1 {
				x = 1
			}
			out[t] = x
		}
		return
	}
	for t, v := range acc {
		out[t] = float32(v)
	}
}
