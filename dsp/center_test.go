package dsp

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestCenterRows(t *testing.T) {
	cfg := Reference()
	cfg.Height, cfg.NMels = 32, 32
	x := make([]float32, 16000)
	for i := range x {
		x[i] = float32(0.3*math.Sin(2*math.Pi*220*float64(i)/16000) + 0.05*math.Sin(float64(i)*0.37))
	}
	plan, err := NewPlan(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var f Features
	if err := plan.ComputeImage(x, &f); err != nil {
		t.Fatal(err)
	}
	before := slices.Clone(f.Image)

	// Off (the default): nothing changes.
	plan.CenterRows(&f, nil)
	if !slices.Equal(f.Image, before) {
		t.Fatal("CenterRows changed the image of a configuration without Center")
	}

	cfg.Center = true
	plan, _ = NewPlan(cfg)
	means := make([]float32, 2*cfg.Height)
	plan.CenterRows(&f, means)
	h, n := cfg.Height, f.Frames
	for ch := range 3 {
		for r := range h {
			row, orig := f.Image[(ch*h+r)*n:][:n], before[(ch*h+r)*n:][:n]
			if ch == 1 {
				if !slices.Equal(row, orig) {
					t.Fatalf("chroma row %d changed", r)
				}
				continue
			}
			var sum, want float64
			for i := range row {
				sum += float64(row[i])
				want += float64(orig[i])
			}
			want /= float64(n)
			m := means[ch/2*h+r]
			if math.Abs(sum/float64(n)) > 1e-6 || math.Abs(float64(m)-want) > 1e-6 {
				t.Fatalf("channel %d row %d: mean after %g, reported mean %g, want %g", ch, r, sum/float64(n), m, want)
			}
			for i := range row {
				if row[i] != orig[i]-m {
					t.Fatalf("channel %d row %d col %d: %g, want %g - %g", ch, r, i, row[i], orig[i], m)
				}
			}
		}
	}
}

func TestConfigCenterJSON(t *testing.T) {
	c := Reference()
	data, _ := json.Marshal(c)
	if strings.Contains(string(data), "center") {
		t.Errorf("an uncentred config writes %s; configs from before Center must read the same", data)
	}
	c.Center = true
	data, _ = json.Marshal(c)
	if !strings.Contains(string(data), `"center":true`) {
		t.Errorf("centred config written as %s", data)
	}
	got, err := ParseConfig(data)
	if err != nil || got != c {
		t.Errorf("round trip: %+v, %v", got, err)
	}
}

// A 30 s clip with the model's 64-row image: the step the classifier adds
// to every clip.
func BenchmarkCenterRows(b *testing.B) {
	cfg := Reference()
	cfg.Height, cfg.NMels, cfg.Center = 64, 64, true
	plan, err := NewPlan(cfg)
	if err != nil {
		b.Fatal(err)
	}
	f := Features{Frames: cfg.Frames(30 * 16000)}
	f.Image = make([]float32, 3*cfg.Height*f.Frames)
	for i := range f.Image {
		f.Image[i] = float32(i%97) / 97
	}
	b.SetBytes(int64(4 * len(f.Image)))
	for b.Loop() {
		plan.CenterRows(&f, nil)
	}
}
