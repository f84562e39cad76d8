package dsp

import (
	"math"
	"math/rand/v2"
	"testing"
)

// speechLike synthesises n samples of deterministic speech-like audio at
// 16 kHz: a glottal-ish harmonic series with a wandering pitch (100-250
// Hz) and syllabic amplitude envelope, plus breath noise and short pauses.
func speechLike(n int) []float32 {
	rng := rand.New(rand.NewPCG(42, 7))
	x := make([]float32, n)
	var phase float64
	for i := range x {
		t := float64(i) / 16000
		f0 := 170 + 60*math.Sin(2*math.Pi*0.7*t) + 20*math.Sin(2*math.Pi*3.1*t)
		phase += 2 * math.Pi * f0 / 16000
		var v float64
		for h := 1; h <= 20; h++ {
			v += math.Sin(float64(h)*phase) / float64(h)
		}
		env := math.Max(0, math.Sin(2*math.Pi*4*t)) // syllables at 4 Hz
		if math.Mod(t, 2.5) > 2.2 {
			env = 0 // pause
		}
		x[i] = float32(0.1*env*v + 0.003*rng.NormFloat64())
	}
	return x
}

var benchClips = []struct {
	name    string
	seconds float64
}{{"3s", 3}, {"30s", 30}}

func reportSpeed(b *testing.B, seconds float64) {
	b.ReportMetric(seconds*float64(b.N)/b.Elapsed().Seconds(), "audio_s/s")
}

// benchConfigs are the reference configuration and the shipped model's
// (model.FeatureConfig: 64 mel bands, 64 rows; not imported, model
// depends on dsp).
var benchConfigs = []struct {
	name string
	cfg  func() Config
}{
	{"ref", Reference},
	{"model", func() Config { c := Reference(); c.NMels, c.Height = 64, 64; return c }},
}

// BenchmarkImage is the whole pipeline, samples to image: Compute (all
// outputs) and ComputeImage (image only, as the browser and the CLI need)
// into a reused Features, for each configuration, clip and kernel set
// (go, and avx2 where supported).
func BenchmarkImage(b *testing.B) {
	for _, bc := range benchConfigs {
		for _, c := range benchClips {
			x := speechLike(int(c.seconds * 16000))
			for _, k := range kernelSets {
				b.Run(bc.name+"/"+c.name+"/"+k.name+"/all", func(b *testing.B) {
					defer func(old kernelSet) { kern = old }(kern)
					kern = k
					p, err := NewPlan(bc.cfg())
					if err != nil {
						b.Fatal(err)
					}
					var f Features
					p.Compute(x, &f) // size the buffers
					b.ReportAllocs()
					b.ResetTimer()
					for b.Loop() {
						if err := p.Compute(x, &f); err != nil {
							b.Fatal(err)
						}
					}
					reportSpeed(b, c.seconds)
				})
				b.Run(bc.name+"/"+c.name+"/"+k.name+"/image", func(b *testing.B) {
					defer func(old kernelSet) { kern = old }(kern)
					kern = k
					p, err := NewPlan(bc.cfg())
					if err != nil {
						b.Fatal(err)
					}
					var f Features
					p.ComputeImage(x, &f)
					b.ReportAllocs()
					b.ResetTimer()
					for b.Loop() {
						if err := p.ComputeImage(x, &f); err != nil {
							b.Fatal(err)
						}
					}
					reportSpeed(b, c.seconds)
				})
			}
		}
	}
}

// BenchmarkStage times each stage of Compute on its own, on the same
// clips: STFT (framing, window, FFT, power), mel and chroma (filter banks
// on precomputed power spectra), log (dB of log-STFT and log-mel cells
// with the max reference) and resize (relative dB and the image from the dB matrices).
// Compute fuses the first four per frame, so their sum is an upper bound.
func BenchmarkStage(b *testing.B) {
	for _, c := range benchClips {
		x := speechLike(int(c.seconds * 16000))
		p, err := NewPlan(Reference())
		if err != nil {
			b.Fatal(err)
		}
		cfg := p.cfg
		var f Features
		p.Compute(x, &f)
		F, nb := f.Frames, cfg.Bins()
		// Power spectra, frame-major, for the filter-bank stages.
		pw := make([]float64, F*nb)
		for t := 0; t < F; t++ {
			for k := 0; k < nb; k++ {
				s := float64(f.STFT[k*F+t])
				pw[t*nb+k] = s * s
			}
		}
		b.Run("STFT/"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p.stftOnly(x, F)
			}
			reportSpeed(b, c.seconds)
		})
		b.Run("mel/"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				stageMel(p, pw, F, nb)
			}
			reportSpeed(b, c.seconds)
		})
		b.Run("chroma/"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				stageChroma(p, pw, F, nb)
			}
			reportSpeed(b, c.seconds)
		})
		b.Run("log/"+c.name, func(b *testing.B) {
			mag, db := make([]float32, nb), make([]float32, nb)
			b.ReportAllocs()
			for b.Loop() {
				stageLog(&f, mag, db, pw, F, nb, cfg.NMels)
			}
			reportSpeed(b, c.seconds)
		})
		b.Run("resize/"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				// Reference 0 dB: the matrices are already relative,
				// so this leaves them unchanged.
				p.image(&f, relDB{0, cfg.TopDB, false}, relDB{0, cfg.TopDB, false})
			}
			reportSpeed(b, c.seconds)
		})
	}
}

// BenchmarkLog10 compares the package's log10 with math.Log10.
func BenchmarkLog10(b *testing.B) {
	xs := make([]float64, 1024)
	for i := range xs {
		xs[i] = math.Exp(float64(i%200) - 100)
	}
	var sink float64
	b.Run("own", func(b *testing.B) {
		for b.Loop() {
			for _, x := range xs {
				sink += log10(x)
			}
		}
	})
	b.Run("math", func(b *testing.B) {
		for b.Loop() {
			for _, x := range xs {
				sink += math.Log10(x)
			}
		}
	})
	_ = sink
}

// The stage bodies are functions of their own, not inlined, so that
// WebAssembly engines (which optimise a function only between calls)
// run them optimised, as they run Compute.

//go:noinline
func stageMel(p *Plan, pw []float64, frames, nb int) {
	for t := 0; t < frames; t++ {
		kern.bank(&p.mel, p.melv, pw[t*nb:(t+1)*nb])
	}
}

//go:noinline
func stageChroma(p *Plan, pw []float64, frames, nb int) {
	for t := 0; t < frames; t++ {
		kern.bank(&p.chroma, p.chrv, pw[t*nb:(t+1)*nb])
	}
}

//go:noinline
func stageLog(f *Features, mag, db []float32, pw []float64, frames, nb, nmels int) {
	for t := 0; t < frames; t++ {
		kern.log(pw[t*nb:(t+1)*nb], mag, db, 1e-10)
		kern.log(pw[t*nb:t*nb+nmels], mag, db, 1e-10)
	}
	toRelDB(f.LogSTFT, 20, 80, false)
	toRelDB(f.LogMel, 20, 80, false)
}

// stftOnly runs the STFT stage alone over all frames.
//
//go:noinline
func (p *Plan) stftOnly(x []float32, frames int) {
	for t := 0; t < frames; t++ {
		p.powerFrame(x, t, p.pw)
	}
}
