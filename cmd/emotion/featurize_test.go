package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"emotion/dsp/audio"
	"emotion/model"
)

// What the trainer learns on must be what the browser computes: the
// image featurize writes for a clip (trimmed, rows centred as the
// configuration says), cut into windows as train.py does, must give the
// embedded model's pipeline the very same probabilities.
func TestFeaturizeMatchesClassifier(t *testing.T) {
	const name = "03-01-03-02-01-01-02.wav" // happy, 2.3 s of speech: two windows
	src := filepath.Join(ravdessDir(t), "Actor_02", name)
	in := t.TempDir()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(in, name), b, 0o644)
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if st := run([]string{"featurize", "-o", out, in}, &stdout, &stderr); st != 0 {
		t.Fatalf("featurize: status %d: %s", st, stderr.String())
	}
	img, shape := readNPY(t, filepath.Join(out, "images.npy"))

	m, err := model.Default()
	if err != nil {
		t.Fatal(err)
	}
	if m.Features != model.FeatureConfig() {
		t.Fatalf("embedded model's features %+v are not featurize's %+v: retrain", m.Features, model.FeatureConfig())
	}
	h, width, frames := shape[1], m.InputShape[3], shape[2]
	starts := model.Windows(frames, width, m.WindowHop)
	if len(starts) < 2 {
		t.Fatalf("%d frames give %d window(s); pick a longer clip", frames, len(starts))
	}
	mean := make([]float64, len(model.Labels))
	win := make([]float32, m.InputLen())
	for _, s := range starts {
		for ch := range 3 {
			for r := range h {
				copy(win[(ch*h+r)*width:][:width], img[(ch*h+r)*frames+s:])
			}
		}
		p, err := m.Probabilities(win)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range p {
			mean[i] += float64(v) / float64(len(starts))
		}
	}

	clip, err := audio.Decode(b, audio.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	c, err := model.NewClassifier(m)
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.ClassifySamples(clip.Samples)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range model.Labels {
		if res.Probabilities[l] != mean[i] {
			t.Errorf("%s: pipeline %v, featurize's image %v", l, res.Probabilities[l], mean[i])
		}
	}
}
