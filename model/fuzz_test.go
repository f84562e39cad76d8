package model

import (
	"testing"

	"emotion/dsp/audio"
	"emotion/dsp/audio/badinput"
)

// FuzzClassify feeds mutated files through the whole pipeline, bytes →
// result, as the page runs it: it must never panic or hang, every error
// must carry a stable code (never "error"), and every result must be a
// sane answer. Seeds are the bad-input corpus, but for its few kinds over
// 1 MB; limits are small so that each input stays cheap.
func FuzzClassify(f *testing.F) {
	lim := audio.Limits{MaxBytes: 1 << 20, MaxSeconds: 5}
	for _, k := range badinput.Kinds() {
		if k.Size() <= lim.MaxBytes {
			f.Add(k.Bytes())
		}
	}
	m, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	c, err := NewClassifier(m)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := c.Classify(data, lim)
		if err != nil {
			if Code(err) == "error" {
				t.Fatalf("error without a code: %v", err)
			}
			return
		}
		checkResult(t, r)
		if r.Duration > lim.MaxSeconds+0.01 {
			t.Fatalf("%.2f s decoded, limit %v s", r.Duration, lim.MaxSeconds)
		}
	})
}
