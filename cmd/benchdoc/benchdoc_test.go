package main

import (
	"strings"
	"testing"
)

const nativeOut = `goos: linux
goarch: amd64
pkg: emotion/dsp
cpu: AMD EPYC
BenchmarkImage/ref/3s/go/all-2         	     100	   5650000 ns/op	       531.0 audio_s/s	       0 B/op	       0 allocs/op
BenchmarkImage/ref/3s/go/all-2         	     100	   5000000 ns/op	       600.0 audio_s/s	       0 B/op	       0 allocs/op
BenchmarkImage/ref/3s/go/all-2         	     100	   7000000 ns/op	       428.6 audio_s/s	       0 B/op	       0 allocs/op
BenchmarkImage/ref/3s/go/all-2  some log line the benchmark printed
PASS
ok  	emotion/dsp	5.983s
pkg: emotion/model
BenchmarkLogits-2   	      20	  17800000 ns/op	        15.70 cpu-ms/op	 5600000 B/op	    5593 allocs/op
`

const wasmOut = `goos: js
goarch: wasm
pkg: emotion/model
BenchmarkLogits   	       3	 394000000 ns/op	       120.0 cpu-ms/op	 5500000 B/op	    5248 allocs/op
BenchmarkStages/3s/model-1   	       3	 221000000 ns/op
`

func TestParseGoTest(t *testing.T) {
	r, err := ParseGoTest(strings.NewReader(nativeOut))
	if err != nil {
		t.Fatal(err)
	}
	b := r.Find("emotion/dsp", "Image/ref/3s/go/all")
	if b == nil {
		t.Fatalf("Image/ref/3s/go/all not found; have %v", r.byKey)
	}
	s, ok := b.Metric("ns/op")
	if !ok || s.N != 3 || s.Median != 5650000 || s.Min != 5000000 || s.Max != 7000000 {
		t.Errorf("ns/op = %+v, %v; want median 5650000 of 3 in 5000000–7000000", s, ok)
	}
	if s, _ := b.Metric("audio_s/s"); s.Median != 531 {
		t.Errorf("audio_s/s median = %v, want 531", s.Median)
	}
	if r.Find("emotion/model", "Logits") == nil || r.Find("emotion/dsp", "Logits") != nil {
		t.Error("Logits not filed under emotion/model alone")
	}
	if r.CPU != "AMD EPYC" || r.GOOS != "linux" {
		t.Errorf("header: cpu %q goos %q", r.CPU, r.GOOS)
	}
	// In wasm there is no -GOMAXPROCS suffix, so a name's own "-1" stays.
	w, err := ParseGoTest(strings.NewReader(wasmOut))
	if err != nil {
		t.Fatal(err)
	}
	if w.Find("emotion/model", "Logits") == nil || w.Find("emotion/model", "Stages/3s/model-1") == nil {
		t.Errorf("wasm names: %v", w.byKey)
	}
	if _, err := ParseGoTest(strings.NewReader("pkg: x\nBenchmarkX-2 10 abc ns/op\n")); err == nil {
		t.Error("a result line with a bad number parsed without error")
	}
}

func TestStats(t *testing.T) {
	if s, _ := Stats([]float64{4, 1, 3, 2}); s.Median != 2.5 || s.Min != 1 || s.Max != 4 || s.N != 4 {
		t.Errorf("even: %+v", s)
	}
	if s, _ := Stats([]float64{9, 1, 5}); s.Median != 5 {
		t.Errorf("odd: %+v", s)
	}
	if _, ok := Stats(nil); ok {
		t.Error("no samples gave a Stat")
	}
}

func TestBenchRegexp(t *testing.T) {
	if got, want := benchRegexp("Image/ref/3s"), "^BenchmarkImage$/^ref$/^3s$"; got != want {
		t.Errorf("benchRegexp = %q, want %q", got, want)
	}
	if got := shortPkg("emotion/model/internal/sgemm"); got != "./model/internal/sgemm" {
		t.Errorf("shortPkg = %q", got)
	}
}

func TestLibrosaSpeed(t *testing.T) {
	s, err := librosaSpeed("chroma and log-STFT for 100 RAVDESS clips (377 s of audio) at 830–1110 audio-seconds per\n  wall-second")
	if err != nil || s.Min != 830 || s.Max != 1110 || s.Median != 970 {
		t.Errorf("librosaSpeed = %+v, %v", s, err)
	}
	if _, err := librosaSpeed("no figure here"); err == nil {
		t.Error("no error without a figure")
	}
}

func TestParseLoad(t *testing.T) {
	l, err := parseLoad("# phase build 100\n100 6.5\n105 7.0\n# phase go-native 110\n110 8.0\n# phase end 120\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.All) != 3 || len(l.Phases) != 2 {
		t.Fatalf("load %+v", l)
	}
	if p := l.Phases[0]; p.Name != "build" || p.End != 110 || len(p.Loads) != 2 {
		t.Errorf("phase 0 = %+v", p)
	}
	if p := l.Phases[1]; p.Name != "go-native" || p.Start != 110 || p.End != 120 || len(p.Loads) != 1 {
		t.Errorf("phase 1 = %+v", p)
	}
	if _, err := parseLoad("garbage line here\n"); err == nil {
		t.Error("no error on a malformed line")
	}
}

func TestVerdict(t *testing.T) {
	for _, c := range []struct {
		t    target
		want string
	}{
		{target{median: 100, best: 90, limit: 150, atMost: true, ok: true}, "**met**"},
		{target{median: 300, best: 140, limit: 150, atMost: true, ok: true}, "**missed by 2.00×** (median 100 % over); the best run met it"},
		{target{median: 1000, best: 1100, limit: 2000, ok: true}, "**missed by 2.00×**"},
		{target{median: 2500, best: 2600, limit: 2000, ok: true}, "**met**, 1.25× above"},
		{target{}, "not measured"},
	} {
		if got := c.t.verdict(); !strings.HasPrefix(got, c.want) {
			t.Errorf("verdict(%+v) = %q, want prefix %q", c.t, got, c.want)
		}
	}
}

func TestFormat(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{group(31198346), "31 198 346"},
		{sig3(1508.4), "1 508"},
		{sig3(12.449), "12.4"},
		{ms(Stat{Median: 1234, Min: 1100, Max: 1500, N: 3}, true), "1.23 s (1.10–1.50)"},
		{ms(Stat{Median: 0.5, N: 1}, true), "500 µs"},
		{bytes(Stat{Median: 3.9e6, N: 1}, true), "3.90 MB"},
		{ratioStat(Stat{Median: 40, Min: 30, Max: 50, N: 3}, Stat{Median: 10, Min: 10, Max: 10, N: 3}), "4.00× (3.00–5.00)"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// The document of a run with nothing but one Go output still renders,
// names what is missing, and states the load.
func TestDocumentPartial(t *testing.T) {
	n, err := ParseGoTest(strings.NewReader(nativeOut))
	if err != nil {
		t.Fatal(err)
	}
	in := &Inputs{Native: n, Run: Run{NativeCount: 3}, Missing: []string{"browser.json"},
		Load: Load{All: []float64{6.5, 8.2}}, Machine: Machine{Cores: 2}, Librosa: Stat{Min: 830, Max: 1110, Median: 970}}
	doc := Document(in)
	for _, want := range []string{"# Benchmarks", "do not edit by hand", "PERFORMANCE.md", "load average reached 8.20",
		"browser.json", "`go test -run='^$' -bench='^BenchmarkLogits$' -benchmem -count=3 ./model`", "| Image/ref/3s/go/all | 5.65 ms (5.00–7.00) |"} {
		if !strings.Contains(doc, want) {
			t.Errorf("document lacks %q", want)
		}
	}
}
