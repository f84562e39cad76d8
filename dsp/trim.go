package dsp

import (
	"errors"
	"fmt"
	"math"
)

// ErrNoSpeech is returned by Trim when the signal never rises above the
// silence floor: digital silence, or noise too faint to hold speech.
var ErrNoSpeech = errors.New("no speech: the clip is silent")

// TrimConfig says how silence at the edges of a clip is cut. It is part of
// the feature configuration: training and the browser trim the same way.
type TrimConfig struct {
	// Frame and Hop are the RMS analysis frame and step, in samples.
	Frame int `json:"frame"`
	Hop   int `json:"hop"`
	// TopDB: frames quieter than the loudest frame by more than this are
	// silence (librosa.effects.trim's top_db).
	TopDB float64 `json:"top_db"`
	// FloorDBFS: a clip whose loudest frame RMS is below this, in dB
	// relative to full scale, holds no speech at all.
	FloorDBFS float64 `json:"floor_dbfs"`
	// Margin is kept on each side of the loud part, in samples, so that
	// soft onsets and releases survive.
	Margin int `json:"margin"`
}

// DefaultTrim is the trimming the reference configuration uses at 16 kHz:
// 64 ms frames, 16 ms hop, 40 dB below the peak, 100 ms margins, and a
// -70 dBFS floor below which a clip counts as silent.
func DefaultTrim() TrimConfig {
	return TrimConfig{Frame: 1024, Hop: 256, TopDB: 40, FloorDBFS: -70, Margin: 1600}
}

// Validate reports the first invalid field, or nil.
func (t TrimConfig) Validate() error {
	switch {
	case t.Frame <= 0 || t.Hop <= 0 || t.Hop > t.Frame:
		return fmt.Errorf("dsp: trim: need 0 < hop (%d) <= frame (%d)", t.Hop, t.Frame)
	case math.IsNaN(t.TopDB) || t.TopDB <= 0:
		return fmt.Errorf("dsp: trim: top_db %g must be positive", t.TopDB)
	case math.IsNaN(t.FloorDBFS) || t.FloorDBFS >= 0:
		return fmt.Errorf("dsp: trim: floor_dbfs %g must be negative", t.FloorDBFS)
	case t.Margin < 0:
		return fmt.Errorf("dsp: trim: margin %d must not be negative", t.Margin)
	}
	return nil
}

// Trim returns the bounds [start, end) of the non-silent part of x, with
// Margin samples kept on each side. It returns ErrNoSpeech when even the
// loudest frame is below FloorDBFS. A clip shorter than one frame is
// measured as a single frame.
func (t TrimConfig) Trim(x []float32) (start, end int, err error) {
	start, end, err = t.Loud(x)
	if err != nil {
		return 0, 0, err
	}
	start, end = t.Widen(start, end, len(x))
	return start, end, nil
}

// Widen adds the margins to loud bounds [start, end) within n samples.
func (t TrimConfig) Widen(start, end, n int) (int, int) {
	return max(start-t.Margin, 0), min(end+t.Margin, n)
}

// Loud returns the bounds [start, end) of the frames louder than the
// threshold, without margins: how much sound the clip really holds.
func (t TrimConfig) Loud(x []float32) (start, end int, err error) {
	if len(x) == 0 {
		return 0, 0, ErrNoSpeech
	}
	// Mean squares per frame, in one pass over a running sum; float64
	// keeps the sum exact enough over minutes of audio.
	frames := 1
	if len(x) > t.Frame {
		frames = 1 + (len(x)-t.Frame+t.Hop-1)/t.Hop
	}
	peak := 0.0
	ms := make([]float64, frames)
	for f := range frames {
		lo := f * t.Hop
		hi := min(lo+t.Frame, len(x))
		s := 0.0
		for _, v := range x[lo:hi] {
			if !isFinite32(v) {
				continue
			}
			s += float64(v) * float64(v)
		}
		ms[f] = s / float64(hi-lo)
		peak = max(peak, ms[f])
	}
	if peak <= 0 || 10*math.Log10(peak) < t.FloorDBFS {
		return 0, 0, ErrNoSpeech
	}
	thresh := peak * math.Pow(10, -t.TopDB/10)
	first, last := -1, -1
	for f, v := range ms {
		if v > thresh {
			if first < 0 {
				first = f
			}
			last = f
		}
	}
	return first * t.Hop, min(last*t.Hop+t.Frame, len(x)), nil
}

func isFinite32(v float32) bool { return v == v && v-v == 0 }
