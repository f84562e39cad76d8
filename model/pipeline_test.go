package model

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"emotion/dsp/audio"
)

func TestWindows(t *testing.T) {
	for _, c := range []struct {
		frames, width, hop int
		want               []int
	}{
		{1, 128, 64, []int{0}},
		{128, 128, 64, []int{0}},
		{129, 128, 64, []int{0, 1}},
		{192, 128, 64, []int{0, 64}},
		{200, 128, 64, []int{0, 64, 72}},
		{320, 128, 64, []int{0, 64, 128, 192}},
	} {
		if got := Windows(c.frames, c.width, c.hop); !slices.Equal(got, c.want) {
			t.Errorf("Windows(%d, %d, %d) = %v, want %v", c.frames, c.width, c.hop, got, c.want)
		}
	}
}

func newTestClassifier(t testing.TB) *Classifier {
	t.Helper()
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewClassifier(m)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// ravdessClip decodes one RAVDESS file from the shared data set.
func ravdessClip(t testing.TB, name string) []float32 {
	t.Helper()
	dir := os.Getenv("EMOTION_SHARED")
	if dir == "" {
		dir = "../../shared"
	}
	b, err := os.ReadFile(filepath.Join(dir, "data/ravdess-16k/Actor_01", name))
	if err != nil {
		t.Fatalf("RAVDESS clip (set EMOTION_SHARED): %v", err)
	}
	clip, err := audio.Decode(b, audio.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	return clip.Samples
}

func checkProbabilities(t *testing.T, p map[string]float64) {
	t.Helper()
	sum := 0.0
	for _, l := range Labels {
		v, ok := p[l]
		if !ok || v < 0 || v > 1 || math.IsNaN(v) {
			t.Fatalf("probability of %q = %v (present %v)", l, v, ok)
		}
		sum += v
	}
	if math.Abs(sum-1) > 1e-5 {
		t.Errorf("probabilities sum to %v", sum)
	}
}

func TestClassifyClip(t *testing.T) {
	c := newTestClassifier(t)
	x := ravdessClip(t, "03-01-05-02-01-01-01.wav") // angry, strong
	r, err := c.ClassifySamples(x)
	if err != nil {
		t.Fatal(err)
	}
	checkProbabilities(t, r.Probabilities)
	if r.Probabilities[r.Label] != r.Confidence || !slices.Contains(Labels, r.Label) {
		t.Errorf("label %q confidence %v inconsistent with %v", r.Label, r.Confidence, r.Probabilities)
	}
	if math.Abs(r.Duration-float64(len(x))/16000) > 1e-9 || r.SpeechStart <= 0 || r.SpeechEnd >= r.Duration || r.SpeechEnd-r.SpeechStart < 1 {
		t.Errorf("duration %v, speech %v–%v s", r.Duration, r.SpeechStart, r.SpeechEnd)
	}
	// The same clip again gives the same answer: buffers are reused cleanly.
	r2, _ := c.ClassifySamples(x)
	if r2.Label != r.Label || r2.Confidence != r.Confidence {
		t.Errorf("second run %v %v, first %v %v", r2.Label, r2.Confidence, r.Label, r.Confidence)
	}
}

func TestClassifyLongClipHasSegments(t *testing.T) {
	c := newTestClassifier(t)
	one := ravdessClip(t, "03-01-03-01-01-01-01.wav")
	var x []float32
	for range 4 {
		x = append(x, one...)
	}
	r, err := c.ClassifySamples(x)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Segments) < 3 {
		t.Fatalf("%.1f s clip: %d segments", r.Duration, len(r.Segments))
	}
	mean := map[string]float64{}
	for i, s := range r.Segments {
		checkProbabilities(t, s.Probabilities)
		if s.Start < r.SpeechStart-1e-9 || s.End > r.SpeechEnd+1e-9 || s.End <= s.Start {
			t.Errorf("segment %d spans %v–%v outside speech %v–%v", i, s.Start, s.End, r.SpeechStart, r.SpeechEnd)
		}
		if i > 0 && s.Start <= r.Segments[i-1].Start {
			t.Errorf("segments out of order at %d", i)
		}
		for l, p := range s.Probabilities {
			mean[l] += p / float64(len(r.Segments))
		}
	}
	// The overall answer is the mean of the windows' probabilities.
	for l, p := range mean {
		if math.Abs(p-r.Probabilities[l]) > 1e-6 {
			t.Errorf("%s: overall %v, mean of segments %v", l, r.Probabilities[l], p)
		}
	}
}

func TestClassifySilenceAndShort(t *testing.T) {
	c := newTestClassifier(t)
	if _, err := c.ClassifySamples(make([]float32, 32000)); !errors.Is(err, ErrNoSpeech) {
		t.Errorf("silence: %v, want ErrNoSpeech", err)
	}
	click := make([]float32, 32000)
	for i := 16000; i < 16400; i++ {
		click[i] = float32(0.5 * math.Sin(float64(i)))
	}
	if _, err := c.ClassifySamples(click); !errors.Is(err, ErrTooShort) {
		t.Errorf("25 ms of sound: %v, want ErrTooShort", err)
	}
	if _, err := c.Classify([]byte("not audio"), audio.DefaultLimits()); !errors.Is(err, audio.ErrNotAudio) {
		t.Errorf("not audio: %v", err)
	}
}

func TestCode(t *testing.T) {
	for err, want := range map[error]string{
		nil:                                    "",
		ErrNoSpeech:                            "no_speech",
		fmt.Errorf("x: %w", ErrTooShort):       "too_short",
		&audio.Error{Kind: audio.ErrTruncated}: "truncated",
		errors.New("other"):                    "error",
	} {
		if got := Code(err); got != want {
			t.Errorf("Code(%v) = %q, want %q", err, got, want)
		}
	}
}
