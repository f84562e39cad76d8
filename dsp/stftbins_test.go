package dsp

import (
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// With STFTBins the log-STFT channel averages only the lowest bins; the
// other channels and every output matrix (all 513 rows of LogSTFT in
// relative dB) are what the full-band configuration gives.
func TestImageSTFTBins(t *testing.T) {
	x := readWAV(t, filepath.Join(goldenDir(t), "03-01-05-02-01-01-01.wav"))
	full := Reference()
	full.Height, full.NMels = 64, 64
	low := full
	low.STFTBins = 128
	var ff, fl Features
	if err := mustPlan(t, full).Compute(x, &ff); err != nil {
		t.Fatal(err)
	}
	if err := mustPlan(t, low).Compute(x, &fl); err != nil {
		t.Fatal(err)
	}
	for i := range ff.LogSTFT {
		if ff.LogSTFT[i] != fl.LogSTFT[i] {
			t.Fatalf("LogSTFT[%d] = %g, want %g as without stft_bins", i, fl.LogSTFT[i], ff.LogSTFT[i])
		}
	}
	h, F := low.Height, fl.Frames
	ch := h * F
	for i := 0; i < 2*ch; i++ {
		if ff.Image[i] != fl.Image[i] {
			t.Fatalf("log-mel or chroma channel changed at %d", i)
		}
	}
	// Row r of the log-STFT channel: the mean of bins 2r and 2r+1.
	top := low.TopDB
	for r := 0; r < h; r++ {
		for tt := 0; tt < F; tt++ {
			want := (float64(fl.LogSTFT[2*r*F+tt])+float64(fl.LogSTFT[(2*r+1)*F+tt]))/2/top + 1
			want = math.Max(0, math.Min(1, want))
			if got := float64(fl.Image[2*ch+r*F+tt]); math.Abs(got-want) > 1e-6 {
				t.Fatalf("log-STFT channel row %d frame %d = %g, want %g", r, tt, got, want)
			}
		}
	}
}

func TestConfigSTFTBinsJSON(t *testing.T) {
	c := Reference()
	data, _ := json.Marshal(c)
	if strings.Contains(string(data), "stft_bins") {
		t.Errorf("a full-band config writes %s; configs from before STFTBins must read the same", data)
	}
	c.STFTBins = 128
	data, _ = json.Marshal(c)
	if !strings.Contains(string(data), `"stft_bins":128`) {
		t.Errorf("config written as %s", data)
	}
	got, err := ParseConfig(data)
	if err != nil || got != c {
		t.Errorf("round trip: %+v, %v", got, err)
	}
	for _, bad := range []int{-1, 514} {
		c.STFTBins = bad
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "stft_bins") {
			t.Errorf("stft_bins %d: %v, want an error naming stft_bins", bad, err)
		}
	}
}
