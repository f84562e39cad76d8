package dsp

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// toneIn returns n samples of faint noise with a 440 Hz tone of amplitude
// amp from sample a to sample b.
func toneIn(n, a, b int, amp, noise float64) []float32 {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(noise * rng.NormFloat64())
		if i >= a && i < b {
			x[i] += float32(amp * math.Sin(2*math.Pi*440*float64(i)/16000))
		}
	}
	return x
}

func TestTrimFindsTheLoudPart(t *testing.T) {
	tr := DefaultTrim()
	x := toneIn(4*16000, 16000, 40000, 0.3, 1e-4) // 1 s of quiet, 1.5 s tone, 1.5 s quiet
	start, end, err := tr.Trim(x)
	if err != nil {
		t.Fatal(err)
	}
	// Bounds within one hop plus the frame overhang of the true edges, margins included.
	wantStart, wantEnd := 16000-tr.Margin, 40000+tr.Margin
	if d := start - wantStart; d < -tr.Frame || d > tr.Hop {
		t.Errorf("start %d, want about %d", start, wantStart)
	}
	if d := end - wantEnd; d < -tr.Hop || d > tr.Frame {
		t.Errorf("end %d, want about %d", end, wantEnd)
	}
}

func TestTrimKeepsAWholeLoudClip(t *testing.T) {
	x := toneIn(8000, 0, 8000, 0.5, 0)
	start, end, err := DefaultTrim().Trim(x)
	if err != nil || start != 0 || end != len(x) {
		t.Errorf("Trim = %d, %d, %v; want 0, %d, nil", start, end, err, len(x))
	}
}

func TestTrimSilence(t *testing.T) {
	tr := DefaultTrim()
	for name, x := range map[string][]float32{
		"empty":    nil,
		"zeros":    make([]float32, 16000),
		"faint":    toneIn(16000, 0, 16000, 1e-4, 1e-5), // -80 dBFS
		"one zero": {0},
		"nan/inf":  {float32(math.NaN()), float32(math.Inf(1)), 0},
	} {
		if _, _, err := tr.Trim(x); !errors.Is(err, ErrNoSpeech) {
			t.Errorf("%s: err = %v, want ErrNoSpeech", name, err)
		}
	}
	// One loud short click is not silence.
	if _, _, err := tr.Trim([]float32{0, 0.5, -0.5, 0}); err != nil {
		t.Errorf("short loud clip: %v", err)
	}
}

func TestTrimConfigValidate(t *testing.T) {
	if err := DefaultTrim().Validate(); err != nil {
		t.Fatal(err)
	}
	bad := DefaultTrim()
	bad.Hop = 0
	if bad.Validate() == nil {
		t.Error("hop 0 accepted")
	}
	bad = DefaultTrim()
	bad.FloorDBFS = 3
	if bad.Validate() == nil {
		t.Error("positive floor accepted")
	}
}
