package augment

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// Policy draws a random chain of perturbations. Each field group is one
// perturbation with its probability; zero probability turns it off.
type Policy struct {
	PSpeed   float64 // speed change of up to ±MaxSpeed (fraction)
	MaxSpeed float64

	PReverb          float64 // room reverberation
	RT60Min, RT60Max float64 // seconds
	WetMin, WetMax   float64

	PNoise         float64 // additive white/pink/brown noise
	SNRMin, SNRMax float64 // dB

	PGain   float64 // gain of up to ±MaxGain dB
	MaxGain float64

	PMP3     float64 // MP3 encode/decode round trip
	Bitrates []int   // kbit/s, drawn uniformly
}

// Default is the training policy: every perturbation is on for part of
// the copies, at strengths that keep the emotion audible.
func Default() Policy {
	return Policy{
		PSpeed: 0.5, MaxSpeed: 0.06,
		PReverb: 0.3, RT60Min: 0.15, RT60Max: 0.7, WetMin: 0.2, WetMax: 0.6,
		PNoise: 0.5, SNRMin: 5, SNRMax: 30,
		PGain: 0.5, MaxGain: 12,
		PMP3: 0.3, Bitrates: []int{32, 48, 64, 96, 128},
	}
}

// Only returns a policy that applies just the named perturbation, always;
// it is how the trainer measures which perturbations help.
func (p Policy) Only(name string) Policy {
	q := Policy{}
	switch name {
	case "speed":
		q.PSpeed, q.MaxSpeed = 1, p.MaxSpeed
	case "reverb":
		q.PReverb, q.RT60Min, q.RT60Max, q.WetMin, q.WetMax = 1, p.RT60Min, p.RT60Max, p.WetMin, p.WetMax
	case "noise":
		q.PNoise, q.SNRMin, q.SNRMax = 1, p.SNRMin, p.SNRMax
	case "gain":
		q.PGain, q.MaxGain = 1, p.MaxGain
	case "mp3":
		q.PMP3, q.Bitrates = 1, p.Bitrates
	case "all":
		return p
	}
	return q
}

// Names lists the perturbations Only accepts, besides "all".
var Names = []string{"speed", "reverb", "noise", "gain", "mp3"}

// Without returns p with the named perturbation turned off.
func (p Policy) Without(name string) Policy {
	switch name {
	case "speed":
		p.PSpeed = 0
	case "reverb":
		p.PReverb = 0
	case "noise":
		p.PNoise = 0
	case "gain":
		p.PGain = 0
	case "mp3":
		p.PMP3 = 0
	}
	return p
}

// Parse reads a policy of emotion featurize -policy from p: "all" (p
// itself), "none" (no perturbation), one name of Names (Only), or "all"
// followed by "-NAME" for each perturbation to leave out ("all-noise-mp3",
// the others at p's probabilities). An unknown name is an error rather
// than a silently empty policy.
func (p Policy) Parse(spec string) (Policy, error) {
	known := func(n string) bool { return slices.Contains(Names, n) }
	switch {
	case spec == "all":
		return p, nil
	case spec == "none":
		return Policy{}, nil
	case known(spec):
		return p.Only(spec), nil
	case strings.HasPrefix(spec, "all-"):
		q := p
		for _, n := range strings.Split(spec[len("all-"):], "-") {
			if !known(n) {
				return Policy{}, fmt.Errorf("augment: unknown perturbation %q in policy %q (known: %s)", n, spec, strings.Join(Names, ", "))
			}
			q = q.Without(n)
		}
		return q, nil
	}
	return Policy{}, fmt.Errorf("augment: unknown policy %q: want all, none, one of %s, or all-NAME[-NAME…]", spec, strings.Join(Names, ", "))
}

// Apply returns a perturbed copy of x (16 kHz). The order follows a real
// recording: the talker (speed), the room (reverb), the background
// (noise), the microphone level (gain), then the file format (MP3).
func (p Policy) Apply(x []float32, rng *rand.Rand) ([]float32, error) {
	y := append([]float32(nil), x...)
	uniform := func(lo, hi float64) float64 { return lo + (hi-lo)*rng.Float64() }
	var err error
	if rng.Float64() < p.PSpeed {
		if y, err = Speed(y, 1+uniform(-p.MaxSpeed, p.MaxSpeed)); err != nil {
			return nil, err
		}
	}
	if rng.Float64() < p.PReverb {
		y = Reverb(y, uniform(p.RT60Min, p.RT60Max), uniform(p.WetMin, p.WetMax), rng)
	}
	if rng.Float64() < p.PNoise {
		y = AddNoise(y, uniform(p.SNRMin, p.SNRMax), rng.IntN(3), rng)
	}
	if rng.Float64() < p.PGain {
		y = Gain(y, uniform(-p.MaxGain, p.MaxGain))
	}
	if rng.Float64() < p.PMP3 && len(p.Bitrates) > 0 {
		if y, err = MP3RoundTrip(y, p.Bitrates[rng.IntN(len(p.Bitrates))]); err != nil {
			return nil, err
		}
	}
	return y, nil
}
