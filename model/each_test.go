package model

import (
	"math"
	"reflect"
	"testing"

	"emotion/dsp"
)

// The window callback sees every window, in order, with the very segments
// the result ends with: the page draws a long clip's timeline from it as
// the windows finish.
func TestClassifySamplesEachReportsEveryWindow(t *testing.T) {
	c := newTestClassifier(t)
	one := ravdessClip(t, "03-01-03-01-01-01-01.wav")
	var x []float32
	for range 4 {
		x = append(x, one...)
	}
	var seen []Segment
	last, total := 0, 0
	res, err := c.ClassifySamplesEach(x, func(done, n int, seg *Segment) {
		if done != last+1 || (total != 0 && n != total) {
			t.Errorf("window %d of %d after window %d of %d", done, n, last, total)
		}
		last, total = done, n
		if seg == nil {
			t.Fatalf("window %d of %d: no segment for a clip of several windows", done, n)
		}
		seen = append(seen, *seg)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Segments) < 2 || last != total || total != len(res.Segments) {
		t.Fatalf("%d windows reported (last %d of %d), result has %d segments", len(seen), last, total, len(res.Segments))
	}
	if !reflect.DeepEqual(seen, res.Segments) {
		t.Errorf("segments as reported differ from the result's")
	}
	plain, err := c.ClassifySamples(x)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(plain, res) {
		t.Errorf("ClassifySamplesEach's result differs from ClassifySamples'")
	}

	// A clip of one window: one call, no segment.
	calls := 0
	if _, err := c.ClassifySamplesEach(one[:16000], func(done, n int, seg *Segment) {
		calls++
		if done != 1 || n != 1 || seg != nil {
			t.Errorf("short clip: window %d of %d, segment %v", done, n, seg)
		}
	}); err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Errorf("short clip: %d calls, want 1", calls)
	}
}

// The image hook sees, once and before any window, the very image the
// windows are cut from: the trimmed clip's, as dsp computes it alone.
func TestClassifySamplesWithImageHook(t *testing.T) {
	c := newTestClassifier(t)
	x := ravdessClip(t, "03-01-03-01-01-01-01.wav")
	var img []float32
	var frames, windows, images int
	var start, end float64
	res, err := c.ClassifySamplesWith(x, Hooks{
		Image: func(f *dsp.Features, s, e float64) {
			images++
			if windows != 0 {
				t.Errorf("image after %d windows, want before the first", windows)
			}
			img, frames, start, end = append([]float32(nil), f.Image...), f.Frames, s, e
		},
		Window: func(done, n int, seg *Segment) { windows++ },
	})
	if err != nil {
		t.Fatal(err)
	}
	if images != 1 || windows == 0 {
		t.Fatalf("%d image calls and %d window calls, want 1 and some", images, windows)
	}
	if start != res.SpeechStart || end != res.SpeechEnd {
		t.Errorf("image of %.3f–%.3f s, result trimmed to %.3f–%.3f s", start, end, res.SpeechStart, res.SpeechEnd)
	}
	plan, err := dsp.NewPlan(c.m.Features)
	if err != nil {
		t.Fatal(err)
	}
	rate := float64(c.m.Features.SampleRate)
	a, b := int(math.Round(start*rate)), int(math.Round(end*rate))
	var want dsp.Features
	if err := plan.ComputeImage(x[a:b], &want); err != nil {
		t.Fatal(err)
	}
	if frames != want.Frames || !reflect.DeepEqual(img, want.Image[:len(img)]) || len(img) != len(want.Image) {
		t.Errorf("hook's image (%d frames) differs from dsp's for the trimmed clip (%d frames)", frames, want.Frames)
	}
}
