// Package augment perturbs 16 kHz speech waveforms for training, so the
// model meets visitors' recordings rather than only RAVDESS's studio:
// additive noise at a random SNR, gain, speed change, room reverberation
// and an MP3 encode/decode round trip. Every perturbation works on the
// waveform, before the project's own dsp computes the image; image-space
// masking (SpecAugment) happens in the trainer.
//
// All randomness comes from the *rand.Rand passed in, so a seed
// reproduces a data set exactly.
package augment

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"

	"gonum.org/v1/gonum/dsp/fourier"

	"emotion/dsp/audio"
	"emotion/dsp/resample"
)

// Rate is the sample rate every function here assumes.
const Rate = 16000

// Gain scales x by db decibels, in place, and returns it.
func Gain(x []float32, db float64) []float32 {
	g := float32(math.Pow(10, db/20))
	for i := range x {
		x[i] *= g
	}
	return x
}

// AddNoise adds noise at snrDB below the power of x, in place. The noise
// is white, pink or brown (spectral slope 0, -3 or -6 dB/octave) by
// colour 0, 1 or 2.
func AddNoise(x []float32, snrDB float64, colour int, rng *rand.Rand) []float32 {
	if len(x) == 0 {
		return x
	}
	n := make([]float64, len(x))
	var b [7]float64 // Paul Kellet's pink filter state
	brown := 0.0
	for i := range n {
		w := rng.NormFloat64()
		switch colour {
		case 1:
			b[0] = 0.99886*b[0] + w*0.0555179
			b[1] = 0.99332*b[1] + w*0.0750759
			b[2] = 0.96900*b[2] + w*0.1538520
			b[3] = 0.86650*b[3] + w*0.3104856
			b[4] = 0.55000*b[4] + w*0.5329522
			b[5] = -0.7616*b[5] - w*0.0168980
			n[i] = b[0] + b[1] + b[2] + b[3] + b[4] + b[5] + b[6] + w*0.5362
			b[6] = w * 0.115926
		case 2:
			brown = 0.995*brown + w*0.1
			n[i] = brown
		default:
			n[i] = w
		}
	}
	ps, pn := power32(x), power64(n)
	if ps == 0 || pn == 0 {
		return x
	}
	k := math.Sqrt(ps / pn * math.Pow(10, -snrDB/10))
	for i := range x {
		x[i] += float32(k * n[i])
	}
	return x
}

// Speed plays x faster by factor (1.05 is 5 % faster and higher), by
// band-limited resampling; it returns a new slice.
func Speed(x []float32, factor float64) ([]float32, error) {
	from := int(math.Round(Rate * factor))
	r, err := resample.New(from, Rate)
	if err != nil {
		return nil, err
	}
	return r.Resample(x), nil
}

// Reverb convolves x with a synthetic room impulse response: a direct
// path plus exponentially decaying noise reaching -60 dB after rt60
// seconds, mixed at wet (0..1). It returns a new slice of len(x).
func Reverb(x []float32, rt60, wet float64, rng *rand.Rand) []float32 {
	nIR := int(rt60 * Rate)
	if nIR < 2 || len(x) == 0 {
		return append([]float32(nil), x...)
	}
	ir := make([]float64, nIR)
	decay := math.Log(1000) / float64(nIR) // amplitude falls 60 dB over nIR samples
	for i := range ir {
		ir[i] = rng.NormFloat64() * math.Exp(-decay*float64(i))
	}
	// Normalise the tail's energy, then mix with the direct path.
	e := math.Sqrt(power64(ir) * float64(nIR))
	for i := range ir {
		ir[i] *= wet / e
	}
	ir[0] += 1 - wet
	y := convolve(x, ir)
	// Keep the level of the dry signal so gain stays a separate choice.
	if py := power32(y); py > 0 {
		k := float32(math.Sqrt(power32(x) / py))
		for i := range y {
			y[i] *= k
		}
	}
	return y
}

// convolve returns the first len(x) samples of x * h, by FFT.
func convolve(x []float32, h []float64) []float32 {
	n := 1
	for n < len(x)+len(h)-1 {
		n <<= 1
	}
	fft := fourier.NewFFT(n)
	a := make([]float64, n)
	for i, v := range x {
		a[i] = float64(v)
	}
	b := make([]float64, n)
	copy(b, h)
	A := fft.Coefficients(nil, a)
	B := fft.Coefficients(nil, b)
	for i := range A {
		A[i] *= B[i]
	}
	y := fft.Sequence(nil, A)
	out := make([]float32, len(x))
	for i := range out {
		out[i] = float32(y[i] / float64(n))
	}
	return out
}

// MP3RoundTrip encodes x with lame at kbps and decodes it again with the
// project's own decoder, as a visitor's MP3 would be. lame writes to a
// file because it can only add the LAME tag (encoder delay and padding,
// which the decoder trims) to output it can seek back into.
func MP3RoundTrip(x []float32, kbps int) ([]float32, error) {
	f, err := os.CreateTemp("", "augment-*.mp3")
	if err != nil {
		return nil, err
	}
	f.Close()
	defer os.Remove(f.Name())
	cmd := exec.Command("lame", "--quiet", "-r", "-s", "16", "--bitwidth", "16", "--signed",
		"--little-endian", "-m", "m", "-b", fmt.Sprint(kbps), "-", f.Name())
	pcm := make([]byte, 2*len(x))
	for i, v := range x {
		s := math.Round(float64(v) * 32767)
		s = math.Max(-32768, math.Min(32767, s))
		binary.LittleEndian.PutUint16(pcm[2*i:], uint16(int16(s)))
	}
	cmd.Stdin = bytes.NewReader(pcm)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("lame: %v: %s", err, stderr.String())
	}
	mp3, err := os.ReadFile(f.Name())
	if err != nil {
		return nil, err
	}
	clip, err := audio.Decode(mp3, audio.DefaultLimits())
	if err != nil {
		return nil, err
	}
	return clip.Samples, nil
}

func power32(x []float32) float64 {
	s := 0.0
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return s / float64(max(len(x), 1))
}

func power64(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v * v
	}
	return s / float64(max(len(x), 1))
}
