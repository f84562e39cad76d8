package dsp_test

import (
	"encoding/json"
	"fmt"
	"math"

	"emotion/dsp"
)

func ExamplePlan_Compute() {
	// One second of a 440 Hz tone at 16 kHz.
	x := make([]float32, 16000)
	for i := range x {
		x[i] = float32(0.5 * math.Sin(2*math.Pi*440*float64(i)/16000))
	}
	p, err := dsp.NewPlan(dsp.Reference()) // build once, reuse
	if err != nil {
		panic(err)
	}
	var f dsp.Features // reused across calls
	if err := p.Compute(x, &f); err != nil {
		panic(err)
	}
	h := p.Config().Height
	fmt.Println("frames:", f.Frames)
	fmt.Println("image NCHW:", 1, 3, h, f.Frames, len(f.Image) == 3*h*f.Frames)
	// Chroma of a middle frame: A (class 9) is the strongest.
	t := f.Frames / 2
	best := 0
	for c := 0; c < 12; c++ {
		if f.Chroma[c*f.Frames+t] > f.Chroma[best*f.Frames+t] {
			best = c
		}
	}
	fmt.Println("strongest chroma class:", best)
	// Output:
	// frames: 63
	// image NCHW: 1 3 128 63 true
	// strongest chroma class: 9
}

func ExampleParseConfig() {
	data, _ := json.Marshal(dsp.Reference())
	fmt.Println(string(data))
	cfg, err := dsp.ParseConfig(data)
	fmt.Println(cfg == dsp.Reference(), err)
	_, err = dsp.ParseConfig([]byte(`{"version":2}`))
	fmt.Println(err)
	// Output:
	// {"version":1,"sample_rate":16000,"n_fft":1024,"hop_length":256,"window":"hann","n_mels":128,"fmin":0,"fmax":8000,"n_chroma":12,"top_db":80,"amin_power":1e-10,"amin_amplitude":0.00001,"height":128,"norm":"unit"}
	// true <nil>
	// dsp: unsupported feature config version: 2 (this build reads 1)
}
