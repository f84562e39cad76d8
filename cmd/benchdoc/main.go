// Command benchdoc writes docs/BENCHMARKS.md from the raw results of one
// `./build.sh bench` run: the text output of `go test -bench` natively
// and in WebAssembly under node, model/bench/ort.mjs's JSON lines,
// web/bench/browser.mjs's JSON and the load averages sampled during the
// run. Every figure in the document comes from those files; the document
// is never edited by hand.
//
//	go run ./cmd/benchdoc -dir build/bench -golden ../shared/golden/README.md -out docs/BENCHMARKS.md
//
// In -dir it reads native.txt, wasm.txt, ort.jsonl, browser.json,
// load.txt and run.json (the counts and flags build.sh used); a missing
// file leaves its section saying so, so that a partial run still shows
// what it measured.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// Run is what build.sh records about the run (run.json).
type Run struct {
	Quick       bool   `json:"quick"`
	NativeCount int    `json:"native_count"`
	WasmCount   int    `json:"wasm_count"`
	Benchtime   string `json:"benchtime"` // -benchtime, "" for Go's default
	WasmTime    string `json:"wasm_benchtime"`
	OrtRuns     int    `json:"ort_runs"` // runs of ort.mjs
	BrowserArgs string `json:"browser_args"`
	Started     int64  `json:"started"` // unix seconds
	Finished    int64  `json:"finished"`
	BrotliQ     string `json:"brotli_quality"`
}

// Inputs is everything one document is made from.
type Inputs struct {
	Run      Run
	Native   *Results
	Wasm     *Results
	Ort      []Ort
	Browser  *Browser
	Load     Load
	Librosa  Stat // audio-seconds per second, from the golden README (Min, Max)
	Machine  Machine
	Versions map[string]string
	ModelB   int64 // size of model/emotion.onnx
	Missing  []string
}

func main() {
	dir := flag.String("dir", "build/bench", "folder of the raw results")
	golden := flag.String("golden", "../shared/golden/README.md", "librosa goldens' README (its speed anchor)")
	modelPath := flag.String("model", "model/emotion.onnx", "the shipped model")
	root := flag.String("root", ".", "repository root (node_modules for the npm versions)")
	out := flag.String("out", "docs/BENCHMARKS.md", "document to write")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("benchdoc: ")

	in, err := read(*dir, *golden, *modelPath, *root)
	if err != nil {
		log.Fatal(err)
	}
	doc := Document(in)
	if err := os.WriteFile(*out, []byte(doc), 0o644); err != nil {
		log.Fatal(err)
	}
	for _, m := range in.Missing {
		log.Printf("missing: %s", m)
	}
	log.Printf("wrote %s", *out)
}

func read(dir, golden, modelPath, root string) (*Inputs, error) {
	in := &Inputs{Versions: map[string]string{}}
	optional := func(name string, f func([]byte) error) error {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			in.Missing = append(in.Missing, name)
			return nil
		}
		if err != nil {
			return err
		}
		if err := f(b); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	}
	steps := []struct {
		name string
		f    func([]byte) error
	}{
		{"run.json", func(b []byte) error { return json.Unmarshal(b, &in.Run) }},
		{"native.txt", func(b []byte) (err error) { in.Native, err = ParseGoTest(strings.NewReader(string(b))); return }},
		{"wasm.txt", func(b []byte) (err error) { in.Wasm, err = ParseGoTest(strings.NewReader(string(b))); return }},
		{"ort.jsonl", func(b []byte) (err error) { in.Ort, err = parseOrt(b); return }},
		{"browser.json", func(b []byte) error { in.Browser = new(Browser); return json.Unmarshal(b, in.Browser) }},
		{"load.txt", func(b []byte) (err error) { in.Load, err = parseLoad(string(b)); return }},
	}
	for _, s := range steps {
		if err := optional(s.name, s.f); err != nil {
			return nil, err
		}
	}
	if b, err := os.ReadFile(golden); err == nil {
		in.Librosa, err = librosaSpeed(string(b))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", golden, err)
		}
	} else {
		in.Missing = append(in.Missing, golden)
	}
	if st, err := os.Stat(modelPath); err == nil {
		in.ModelB = st.Size()
	} else {
		in.Missing = append(in.Missing, modelPath)
	}
	in.Machine = readMachine()
	in.Versions = versions(root, in)
	return in, nil
}

// Ort is one run of model/bench/ort.mjs.
type Ort struct {
	Engine      string  `json:"engine"`
	CreateMs    float64 `json:"session_create_ms"`
	Runs        int     `json:"runs"`
	MsPerWindow struct {
		Median, P10, P90, Min float64
	} `json:"ms_per_window"`
	CPUMs     float64  `json:"cpu_ms_per_window"`
	VsPyTorch float64  `json:"max_abs_diff_vs_pytorch"`
	VsGo      *float64 `json:"max_abs_diff_vs_go"`
	GoError   string   `json:"go_logits_error"`
}

func parseOrt(b []byte) ([]Ort, error) {
	var runs []Ort
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "{") {
			continue
		}
		var o Ort
		if err := json.Unmarshal([]byte(line), &o); err != nil {
			return nil, err
		}
		runs = append(runs, o)
	}
	if len(runs) == 0 {
		return nil, errors.New("no JSON result line")
	}
	return runs, nil
}

// Load is the 1-minute load average sampled during the run, overall and
// per phase (build.sh writes "UNIX LOAD" lines and "# phase NAME UNIX" marks).
type Load struct {
	All    []float64
	Phases []Phase
}

// Phase is one step of the run: its name, start and end, and its loads.
type Phase struct {
	Name       string
	Start, End int64
	Loads      []float64
}

func parseLoad(s string) (Load, error) {
	var l Load
	for n, line := range strings.Split(s, "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 0:
		case f[0] == "#" && len(f) == 4 && f[1] == "phase":
			t, err := strconv.ParseInt(f[3], 10, 64)
			if err != nil {
				return l, fmt.Errorf("line %d: %v", n+1, err)
			}
			if k := len(l.Phases); k > 0 && l.Phases[k-1].End == 0 {
				l.Phases[k-1].End = t
			}
			if f[2] != "end" {
				l.Phases = append(l.Phases, Phase{Name: f[2], Start: t})
			}
		case len(f) == 2:
			v, err := strconv.ParseFloat(f[1], 64)
			if err != nil {
				return l, fmt.Errorf("line %d: %v", n+1, err)
			}
			l.All = append(l.All, v)
			if k := len(l.Phases); k > 0 && l.Phases[k-1].End == 0 {
				l.Phases[k-1].Loads = append(l.Phases[k-1].Loads, v)
			}
		default:
			return l, fmt.Errorf("line %d: %q", n+1, line)
		}
	}
	return l, nil
}

var librosaRe = regexp.MustCompile(`(\d[\d ]*)\s*[–-]\s*(\d[\d ]*) audio-seconds per`)

// librosaSpeed finds the speed anchor in the golden README: "830–1110
// audio-seconds per wall-second".
func librosaSpeed(readme string) (Stat, error) {
	m := librosaRe.FindStringSubmatch(readme)
	if m == nil {
		return Stat{}, errors.New(`no "N–M audio-seconds per" speed figure`)
	}
	num := func(s string) float64 { v, _ := strconv.ParseFloat(strings.ReplaceAll(s, " ", ""), 64); return v }
	lo, hi := num(m[1]), num(m[2])
	return Stat{Min: lo, Max: hi, Median: (lo + hi) / 2, N: 0}, nil
}

// Machine is what the run ran on.
type Machine struct {
	CPU, OS, Kernel string
	Cores           int
	MemGiB          float64
	AVX2            bool
}

func readMachine() Machine {
	var m Machine
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			k, v, ok := strings.Cut(line, ":")
			k, v = strings.TrimSpace(k), strings.TrimSpace(v)
			switch {
			case !ok:
			case k == "processor":
				m.Cores++
			case k == "model name" && m.CPU == "":
				m.CPU = v
			case k == "flags" && strings.Contains(" "+v+" ", " avx2 "):
				m.AVX2 = true
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb float64
		if _, err := fmt.Sscanf(string(b), "MemTotal: %f kB", &kb); err == nil {
			m.MemGiB = kb / (1 << 20)
		}
	}
	if b, err := os.ReadFile("/etc/os-release"); err == nil {
		if s := regexp.MustCompile(`(?m)^PRETTY_NAME="?([^"\n]*)`).FindSubmatch(b); s != nil {
			m.OS = string(s[1])
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	return m
}
