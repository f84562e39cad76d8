package dsp

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/dsp/fourier"
)

// naiveDFT is the O(n²) definition, accumulated in float64 with exact
// twiddle indices, the yardstick for FFT accuracy.
func naiveDFT(x []float64) []complex128 {
	n := len(x)
	out := make([]complex128, n/2+1)
	for k := range out {
		var re, im float64
		for t, v := range x {
			s, c := math.Sincos(-2 * math.Pi * float64((k*t)%n) / float64(n))
			re += v * c
			im += v * s
		}
		out[k] = complex(re, im)
	}
	return out
}

func fillInput[T float](f *realFFT[T], x []float64) {
	re, im := f.input()
	for k := range re {
		re[k] = T(x[2*k])
		im[k] = T(x[2*k+1])
	}
}

// fftMaxErr returns max |X - ref| / max |ref| over bins.
func fftMaxErr(got, ref []complex128) float64 {
	var e, m float64
	for k := range ref {
		e = math.Max(e, cmplx.Abs(got[k]-ref[k]))
		m = math.Max(m, cmplx.Abs(ref[k]))
	}
	return e / m
}

func TestRealFFT(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048} {
		x := make([]float64, n)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		ref := naiveDFT(x)
		got := make([]complex128, n/2+1)

		f64 := newRealFFT[float64](n)
		fillInput(f64, x)
		f64.coefficients(got)
		if e := fftMaxErr(got, ref); e > 1e-13 {
			t.Errorf("float64 n=%d: relative error %g", n, e)
		}
		fillInput(f64, x)
		pw := make([]float64, n/2+1)
		f64.power(pw)
		for k := range pw {
			want := real(ref[k])*real(ref[k]) + imag(ref[k])*imag(ref[k])
			if math.Abs(pw[k]-want) > 1e-12*float64(n) {
				t.Errorf("float64 n=%d: power[%d] = %g, want %g", n, k, pw[k], want)
				break
			}
		}

		f32 := newRealFFT[float32](n)
		fillInput(f32, x)
		f32.coefficients(got)
		if e := fftMaxErr(got, ref); e > 2e-6 {
			t.Errorf("float32 n=%d: relative error %g", n, e)
		}
	}
}

// TestFFTAccuracy reports the accuracy that decided float64 for n = 1024
// (run with -v): relative to the largest bin, and in dB on bins 60-80 dB
// below the largest, where the log-STFT is most sensitive.
func TestFFTAccuracy(t *testing.T) {
	const n = 1024
	rng := rand.New(rand.NewPCG(3, 4))
	x := make([]float64, n)
	w := hann(n)
	for i := range x {
		// Speech-like: a strong low partial over weak noise.
		x[i] = w[i] * (0.5*math.Sin(2*math.Pi*150*float64(i)/16000) + 1e-4*rng.NormFloat64())
	}
	ref := naiveDFT(x)
	got := make([]complex128, n/2+1)
	dbErr := func(got []complex128) float64 {
		var m float64
		for k := range ref {
			m = math.Max(m, cmplx.Abs(ref[k]))
		}
		var e float64
		for k := range ref {
			r := cmplx.Abs(ref[k])
			if r > m*1e-4 {
				e = math.Max(e, math.Abs(20*math.Log10(cmplx.Abs(got[k])/r)))
			}
		}
		return e
	}
	f32 := newRealFFT[float32](n)
	fillInput(f32, x)
	f32.coefficients(got)
	t.Logf("own float32: rel err %.2g, worst dB err within 80 dB %.2g", fftMaxErr(got, ref), dbErr(got))
	f64 := newRealFFT[float64](n)
	fillInput(f64, x)
	f64.coefficients(got)
	t.Logf("own float64: rel err %.2g, worst dB err within 80 dB %.2g", fftMaxErr(got, ref), dbErr(got))
	g := fourier.NewFFT(n).Coefficients(nil, x)
	t.Logf("gonum:       rel err %.2g, worst dB err within 80 dB %.2g", fftMaxErr(g, ref), dbErr(g))
}

// BenchmarkFFT decided the FFT: gonum's real FFT (FFTPACK, float64,
// complex128 output) against this package's half-size complex Stockham
// FFT in float64 and float32, each producing the 513 coefficients or
// powers of a 1024-sample frame.
func BenchmarkFFT(b *testing.B) {
	const n = 1024
	rng := rand.New(rand.NewPCG(5, 6))
	x := make([]float64, n)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	b.Run("gonum", func(b *testing.B) {
		f := fourier.NewFFT(n)
		dst := make([]complex128, n/2+1)
		pw := make([]float64, n/2+1)
		b.ReportAllocs()
		for b.Loop() {
			gonumPower(f, dst, pw, x)
		}
	})
	b.Run("own", func(b *testing.B) {
		f := newRealFFT[float64](n)
		pw := make([]float64, n/2+1)
		b.ReportAllocs()
		for b.Loop() {
			ownPower(f, pw, x)
		}
	})
	b.Run("own32", func(b *testing.B) {
		f := newRealFFT[float32](n)
		pw := make([]float32, n/2+1)
		b.ReportAllocs()
		for b.Loop() {
			ownPower(f, pw, x)
		}
	})
}

// The benchmark bodies are not inlined so that WebAssembly engines, which
// optimise a function only between calls, run them optimised.

//go:noinline
func gonumPower(f *fourier.FFT, dst []complex128, pw, x []float64) {
	f.Coefficients(dst, x)
	for k, c := range dst {
		pw[k] = real(c)*real(c) + imag(c)*imag(c)
	}
}

//go:noinline
func ownPower[T float](f *realFFT[T], pw []T, x []float64) {
	fillInput(f, x)
	f.power(pw)
}
