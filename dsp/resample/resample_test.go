package resample

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// tone returns n samples of amp·sin(2π·freq·t) at rate, computed in float64.
func tone(rate, freq float64, n int, amp float64) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(amp * math.Sin(2*math.Pi*freq*float64(i)/rate))
	}
	return s
}

// edge returns how many output samples at each end see the zero padding.
func edge(r *Resampler) int {
	if r.b == nil {
		return 0
	}
	return r.b.half*r.to/r.from + 2
}

// snr returns the signal-to-noise ratio in dB of y against the ideal tone
// amp·sin(2π·freq·k/rate), over y[skip:len(y)-skip].
func snr(y []float32, rate, freq, amp float64, skip int) float64 {
	var sig, noise float64
	for k := skip; k < len(y)-skip; k++ {
		ref := amp * math.Sin(2*math.Pi*freq*float64(k)/rate)
		d := float64(y[k]) - ref
		sig += ref * ref
		noise += d * d
	}
	return 10 * math.Log10(sig/noise)
}

// fit returns the amplitude of the least-squares sinusoid at freq in
// y[skip:len(y)-skip].
func fit(y []float32, rate, freq float64, skip int) float64 {
	var cc, cs, ss, yc, ys float64
	for k := skip; k < len(y)-skip; k++ {
		w := 2 * math.Pi * freq * float64(k) / rate
		c, s := math.Cos(w), math.Sin(w)
		v := float64(y[k])
		cc += c * c
		cs += c * s
		ss += s * s
		yc += v * c
		ys += v * s
	}
	det := cc*ss - cs*cs
	a := (yc*ss - ys*cs) / det
	b := (ys*cc - yc*cs) / det
	return math.Hypot(a, b)
}

// rms returns the RMS of y[skip:len(y)-skip].
func rms(y []float32, skip int) float64 {
	var e float64
	for _, v := range y[skip : len(y)-skip] {
		e += float64(v) * float64(v)
	}
	return math.Sqrt(e / float64(len(y)-2*skip))
}

func mustNew(t testing.TB, from, to int) *Resampler {
	t.Helper()
	r, err := New(from, to)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var inputRates = []int{8000, 11025, 16000, 22050, 32000, 37800, 44056, 44100, 48000, 88200, 96000, 192000}

// TestSNR checks that a 1 kHz sine comes out as the ideal, zero-phase
// 1 kHz sine at 16 kHz to within 80 dB.
func TestSNR(t *testing.T) {
	const amp = 0.5
	for _, from := range inputRates {
		r := mustNew(t, from, 16000)
		y := r.Resample(tone(float64(from), 1000, from/2, amp))
		got := snr(y, 16000, 1000, amp, edge(r))
		mode := "identity"
		if r.b != nil {
			mode = map[bool]string{false: "exact", true: "interp"}[r.b.interp]
		}
		t.Logf("%6d -> 16000: 1 kHz SNR %6.1f dB (%d taps, %s)", from, got, r.Taps(), mode)
		if got < 80 {
			t.Errorf("%d -> 16000: SNR %.1f dB < 80", from, got)
		}
	}
}

// TestStopband checks that tones above the output Nyquist frequency are
// removed rather than aliased.
func TestStopband(t *testing.T) {
	freqs := []float64{8100, 8500, 10000, 12000, 15000, 20000, 22000, 40000, 90000}
	for _, from := range []int{22050, 32000, 44056, 44100, 48000, 96000, 192000} {
		r := mustNew(t, from, 16000)
		worst := math.Inf(1)
		for _, f := range freqs {
			if f >= float64(from)/2 {
				continue
			}
			y := r.Resample(tone(float64(from), f, from/4, 1))
			att := -20 * math.Log10(rms(y, edge(r))*math.Sqrt2)
			if att < 60 {
				t.Errorf("%d -> 16000: %.0f Hz attenuated %.1f dB < 60", from, f, att)
			}
			if f == 8500 || f == 10000 || f == 15000 || f == 20000 {
				t.Logf("%6d -> 16000: %5.0f Hz attenuated %6.1f dB", from, f, att)
			}
			worst = math.Min(worst, att)
		}
		t.Logf("%6d -> 16000: worst attenuation 8.1 kHz..Nyquist %6.1f dB", from, worst)
	}
}

// TestImages checks that upsampling leaves no spectral images: a tone at f
// must not reappear at from-f.
func TestImages(t *testing.T) {
	for _, c := range []struct {
		from int
		f    float64
	}{{8000, 3000}, {8000, 3500}, {11025, 5000}} {
		r := mustNew(t, c.from, 16000)
		y := r.Resample(tone(float64(c.from), c.f, c.from/2, 1))
		// Remove the wanted (zero-phase) tone so its leakage does not bias the fit.
		for k := range y {
			y[k] -= float32(math.Sin(2 * math.Pi * c.f * float64(k) / 16000))
		}
		img := float64(c.from) - c.f
		att := -20 * math.Log10(fit(y, 16000, img, edge(r)))
		t.Logf("%6d -> 16000: %.0f Hz image at %.0f Hz attenuated %6.1f dB", c.from, c.f, img, att)
		if att < 60 {
			t.Errorf("%d -> 16000: image at %.0f Hz only %.1f dB down", c.from, img, att)
		}
	}
}

// TestPassband checks gain flatness up to the passband edge, 0.9 of the
// lower Nyquist frequency (7.2 kHz at 16 kHz).
func TestPassband(t *testing.T) {
	for _, from := range []int{8000, 22050, 44056, 44100, 48000, 96000} {
		r := mustNew(t, from, 16000)
		nyq := math.Min(float64(from), 16000) / 2
		lo, hi := math.Inf(1), math.Inf(-1)
		for f := 50.0; f <= 0.9*nyq; f += 50 {
			y := r.Resample(tone(float64(from), f, from/4, 1))
			g := 20 * math.Log10(fit(y, 16000, f, edge(r)))
			lo, hi = math.Min(lo, g), math.Max(hi, g)
		}
		t.Logf("%6d -> 16000: passband 50..%.0f Hz gain %+.5f..%+.5f dB, ripple %.5f dB", from, 0.9*nyq, lo, hi, hi-lo)
		if hi-lo > 0.1 || math.Abs(lo) > 0.1 || math.Abs(hi) > 0.1 {
			t.Errorf("%d -> 16000: passband gain %+.4f..%+.4f dB exceeds 0.1 dB", from, lo, hi)
		}
	}
}

// TestAnyToAny checks a few conversions away from 16 kHz.
func TestAnyToAny(t *testing.T) {
	for _, c := range [][2]int{{16000, 44100}, {44100, 48000}, {48000, 44100}, {16000, 8000}, {22050, 44056}, {96000, 44100}} {
		r := mustNew(t, c[0], c[1])
		y := r.Resample(tone(float64(c[0]), 1000, c[0]/4, 0.5))
		got := snr(y, float64(c[1]), 1000, 0.5, edge(r))
		t.Logf("%6d -> %6d: 1 kHz SNR %6.1f dB", c[0], c[1], got)
		if got < 80 {
			t.Errorf("%d -> %d: SNR %.1f dB < 80", c[0], c[1], got)
		}
	}
}

func TestDC(t *testing.T) {
	for _, from := range inputRates {
		r := mustNew(t, from, 16000)
		in := make([]float32, from/10)
		for i := range in {
			in[i] = 1
		}
		y := r.Resample(in)
		e := edge(r)
		for k := e; k < len(y)-e; k++ {
			if d := math.Abs(float64(y[k]) - 1); d > 1e-5 {
				t.Fatalf("%d -> 16000: DC output[%d] = %v", from, k, y[k])
			}
		}
	}
}

func TestOutputLen(t *testing.T) {
	for _, from := range inputRates {
		for _, to := range []int{8000, 16000, 44100} {
			r := mustNew(t, from, to)
			for _, n := range []int{0, 1, 2, 3, 7, 100, 441, 12345, 1 << 20, 1<<40 + 3} {
				want := int(math.Ceil(float64(n) * float64(to) / float64(from)))
				if n >= 1<<40 {
					want = n / from * to // exact, as 1<<40 and 3 are not multiples of from
					want += (n%from*to + from - 1) / from
				}
				if got := r.OutputLen(n); got != want {
					t.Errorf("%d -> %d: OutputLen(%d) = %d, want %d", from, to, n, got, want)
				}
			}
		}
	}
}

// TestRobust feeds every short length and awkward contents to many rate
// pairs: no panics, right lengths, finite output for finite input.
func TestRobust(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for _, from := range inputRates {
		for _, to := range []int{8000, 16000, 48000} {
			r := mustNew(t, from, to)
			for n := 0; n < 40; n++ {
				in := make([]float32, n)
				for i := range in {
					in[i] = float32(rnd.NormFloat64())
				}
				y := r.Resample(in)
				if len(y) != r.OutputLen(n) {
					t.Fatalf("%d -> %d: n=%d gave %d samples, want %d", from, to, n, len(y), r.OutputLen(n))
				}
				for _, v := range y {
					if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
						t.Fatalf("%d -> %d: n=%d: non-finite output", from, to, n)
					}
				}
			}
		}
	}
	r := mustNew(t, 44100, 16000)
	if y := r.Resample(nil); len(y) != 0 {
		t.Errorf("nil input gave %d samples", len(y))
	}
	if y := r.Resample([]float32{1}); len(y) != 1 {
		t.Errorf("1 sample gave %d samples", len(y))
	}
	// NaN and Inf spread locally only.
	in := tone(44100, 440, 44100, 0.5)
	in[22050] = float32(math.NaN())
	in[30000] = float32(math.Inf(1))
	y := r.Resample(in)
	if math.IsNaN(float64(y[0])) || math.IsNaN(float64(y[len(y)-1])) {
		t.Error("NaN spread to the whole output")
	}
}

func TestIdentityAndErrors(t *testing.T) {
	r := mustNew(t, 16000, 16000)
	in := []float32{1, 2, 3}
	if out := r.Resample(in); &out[0] != &in[0] {
		t.Error("equal rates: Resample did not return its input")
	}
	if out := r.ResampleInto(nil, in); &out[0] == &in[0] || out[2] != 3 {
		t.Error("equal rates: ResampleInto did not copy")
	}
	for _, c := range [][2]int{{0, 16000}, {-1, 16000}, {16000, 0}, {MaxRate + 1, 16000}, {1, 16000}, {16000 * 300, 16000}} {
		if _, err := New(c[0], c[1]); err == nil {
			t.Errorf("New(%d, %d): no error", c[0], c[1])
		}
	}
	if _, err := NewQuality(44100, 16000, Quality{}); err == nil {
		t.Error("zero Quality: no error")
	}
}

func TestResampleInto(t *testing.T) {
	r := mustNew(t, 44100, 16000)
	in := tone(44100, 1000, 4410, 0.5)
	want := r.Resample(in)
	dst := make([]float32, 0, 2*len(want))
	got := r.ResampleInto(dst, in)
	if &got[0] != &dst[:1][0] || len(got) != len(want) {
		t.Fatal("ResampleInto did not reuse dst")
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("sample %d: %v != %v", i, got[i], want[i])
		}
	}
	if r2 := mustNew(t, 44100, 16000); r2.b != r.b {
		t.Error("filter bank not shared between resamplers for the same pair")
	}
}

func BenchmarkResample(b *testing.B) {
	const seconds = 30
	for _, from := range []int{44100, 48000, 22050, 8000, 96000, 192000, 44056} {
		b.Run(strconv.Itoa(from)+"to16000", func(b *testing.B) {
			r := mustNew(b, from, 16000)
			in := tone(float64(from), 440, seconds*from, 0.5)
			for b.Loop() {
				r.Resample(in)
			}
			b.ReportMetric(seconds*float64(b.N)/b.Elapsed().Seconds(), "x_realtime")
		})
	}
}

// BenchmarkNewBank measures the one-off table build per rate pair.
func BenchmarkNewBank(b *testing.B) {
	for _, from := range []int{44100, 48000, 44056} {
		b.Run(strconv.Itoa(from)+"to16000", func(b *testing.B) {
			for b.Loop() {
				newBank(from, 16000, DefaultQuality)
			}
		})
	}
}
