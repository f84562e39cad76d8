package badinput

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
)

// speech returns seconds of a voice-like test signal at rate, peak 0.5:
// four syllables a second, each a half-sine envelope over a harmonic
// source with a gliding pitch, weighted by three formant peaks, over a
// faint noise floor. It is deterministic, so expected outcomes are stable.
func speech(rate int, seconds float64) []float64 {
	if rate == 16000 && seconds == 2 {
		return slices.Clone(speech2s()) // most kinds start from this one
	}
	return synthSpeech(rate, seconds)
}

var speech2s = sync.OnceValue(func() []float64 { return synthSpeech(16000, 2) })

func synthSpeech(rate int, seconds float64) []float64 {
	x := make([]float64, int(seconds*float64(rate)))
	rng := rand.New(rand.NewPCG(1, 2))
	fs := float64(rate)
	phase, peak := 0.0, 0.0
	for i := range x {
		t := float64(i) / fs
		s := math.Mod(t, 0.25) / 0.18 // position in the syllable, voiced while < 1
		f0 := 140 + 40*math.Sin(2*math.Pi*0.7*t) + 30*min(s, 1)
		phase += 2 * math.Pi * f0 / fs
		v := 0.0
		if s < 1 {
			for h := 1; float64(h)*f0 < min(4000, 0.45*fs); h++ {
				v += formants(float64(h)*f0) * math.Sin(float64(h)*phase) / math.Sqrt(float64(h))
			}
			v *= math.Sin(math.Pi * s)
		}
		x[i] = v
		peak = max(peak, math.Abs(v))
	}
	for i := range x {
		x[i] = 0.5*x[i]/peak + 0.002*rng.NormFloat64()
	}
	return x
}

// formants is the gain of a vowel-like filter at f Hz.
func formants(f float64) float64 {
	g := 0.1
	for _, p := range [...]struct{ f, bw, a float64 }{{700, 130, 1}, {1200, 170, 0.7}, {2600, 250, 0.3}} {
		d := (f - p.f) / p.bw
		g += p.a * math.Exp(-d*d)
	}
	return g
}

// tone returns seconds of a sine at f Hz and amplitude a.
func tone(rate int, seconds, f, a float64) []float64 {
	x := make([]float64, int(seconds*float64(rate)))
	for i := range x {
		x[i] = a * math.Sin(2*math.Pi*f*float64(i)/float64(rate))
	}
	return x
}

// square returns a square wave at f Hz that sits on full scale, as a
// clipping recorder would write it.
func square(rate int, seconds, f float64) []float64 {
	x := make([]float64, int(seconds*float64(rate)))
	for i := range x {
		if math.Mod(f*float64(i)/float64(rate), 1) < 0.5 {
			x[i] = 1
		} else {
			x[i] = -1
		}
	}
	return x
}

// constant returns n samples of v.
func constant(n int, v float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = v
	}
	return x
}

// pcm16 encodes x (interleaved if several channels) as little-endian
// 16-bit PCM, clipping to full scale.
func pcm16(x []float64) []byte {
	b := make([]byte, 2*len(x))
	for i, v := range x {
		binary.LittleEndian.PutUint16(b[2*i:], uint16(int16(math.Round(max(-32768, min(32767, v*32768))))))
	}
	return b
}

// pcm16BE is pcm16 in big-endian order, for RIFX.
func pcm16BE(x []float64) []byte {
	b := pcm16(x)
	for i := 0; i+1 < len(b); i += 2 {
		b[i], b[i+1] = b[i+1], b[i]
	}
	return b
}

// pcm8 encodes x as unsigned 8-bit PCM (128 is zero).
func pcm8(x []float64) []byte {
	b := make([]byte, len(x))
	for i, v := range x {
		b[i] = byte(int(math.Round(max(-128, min(127, v*128)))) + 128)
	}
	return b
}

// float32LE encodes x as little-endian IEEE floats, values as they are
// (NaN, infinities and huge values included).
func float32LE(x []float64) []byte {
	b := make([]byte, 4*len(x))
	for i, v := range x {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(float32(v)))
	}
	return b
}

// float64LE encodes x as little-endian IEEE doubles.
func float64LE(x []float64) []byte {
	b := make([]byte, 8*len(x))
	for i, v := range x {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
	}
	return b
}

// stereo interleaves x with a copy of itself at a different gain.
func stereo(x []float64) []float64 {
	y := make([]float64, 2*len(x))
	for i, v := range x {
		y[2*i], y[2*i+1] = v, 0.6*v
	}
	return y
}

// noise returns n bytes from a seeded generator: the same bytes every run.
func noise(n int, seed uint64) []byte {
	b := make([]byte, n)
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	for i := 0; i < n; i += 8 {
		var w [8]byte
		binary.LittleEndian.PutUint64(w[:], rng.Uint64())
		copy(b[i:], w[:])
	}
	return b
}
