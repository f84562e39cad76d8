package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Bench is one benchmark of one `go test -bench` output, with every
// sample of every metric it reported (one per -count run).
type Bench struct {
	Pkg     string               // import path, e.g. "emotion/dsp"
	Name    string               // without "Benchmark" and the -GOMAXPROCS suffix, e.g. "Image/ref/3s/go/all"
	Metrics map[string][]float64 // unit ("ns/op", "B/op", "cpu-ms/op", ...) → samples
	order   int                  // position of its first line, to keep the output's order
}

// Results are the benchmarks of one output (native or wasm), by package and name.
type Results struct {
	GOOS, GOARCH, CPU string
	list              []*Bench
	byKey             map[string]*Bench
}

var procsSuffix = regexp.MustCompile(`-\d+$`)

// ParseGoTest reads the text output of `go test -bench` (any number of
// packages and -count runs). Lines that are not benchmark results are
// skipped, but a result line that cannot be parsed is an error.
func ParseGoTest(r io.Reader) (*Results, error) {
	res := &Results{byKey: map[string]*Bench{}}
	pkg := ""
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "pkg: "):
			pkg = strings.TrimSpace(line[5:])
		case strings.HasPrefix(line, "goos: "):
			res.GOOS = strings.TrimSpace(line[6:])
		case strings.HasPrefix(line, "goarch: "):
			res.GOARCH = strings.TrimSpace(line[8:])
		case strings.HasPrefix(line, "cpu: "):
			res.CPU = strings.TrimSpace(line[5:])
		case strings.HasPrefix(line, "Benchmark"):
			f := strings.Fields(line)
			// A benchmark's own log lines also start with its name; a
			// result has the iteration count second.
			if len(f) < 4 || len(f)%2 != 0 {
				continue
			}
			if _, err := strconv.Atoi(f[1]); err != nil {
				continue
			}
			name := strings.TrimPrefix(f[0], "Benchmark")
			if res.GOOS != "js" { // GOMAXPROCS is 1 in wasm: no suffix
				name = procsSuffix.ReplaceAllString(name, "")
			}
			b := res.get(pkg, name)
			for i := 2; i+1 < len(f); i += 2 {
				v, err := strconv.ParseFloat(f[i], 64)
				if err != nil {
					return nil, fmt.Errorf("line %d: metric %q: %v", n, f[i], err)
				}
				b.Metrics[f[i+1]] = append(b.Metrics[f[i+1]], v)
			}
		}
	}
	return res, sc.Err()
}

func (r *Results) get(pkg, name string) *Bench {
	k := pkg + " " + name
	b := r.byKey[k]
	if b == nil {
		b = &Bench{Pkg: pkg, Name: name, Metrics: map[string][]float64{}, order: len(r.list)}
		r.byKey[k] = b
		r.list = append(r.list, b)
	}
	return b
}

// Find returns the benchmark named name in package pkg ("emotion/dsp"),
// or nil; a nil Results finds nothing.
func (r *Results) Find(pkg, name string) *Bench {
	if r == nil {
		return nil
	}
	return r.byKey[pkg+" "+name]
}

// Stat is the median and range of a metric's samples.
type Stat struct {
	Median, Min, Max float64
	N                int
}

// Stats summarises xs; ok is false when there are none.
func Stats(xs []float64) (s Stat, ok bool) {
	if len(xs) == 0 {
		return s, false
	}
	x := slices.Clone(xs)
	slices.Sort(x)
	n := len(x)
	s = Stat{Min: x[0], Max: x[n-1], N: n, Median: x[n/2]}
	if n%2 == 0 {
		s.Median = (x[n/2-1] + x[n/2]) / 2
	}
	return s, true
}

// Metric is the Stat of one unit of b; ok is false when b is nil or did
// not report it.
func (b *Bench) Metric(unit string) (Stat, bool) {
	if b == nil {
		return Stat{}, false
	}
	return Stats(b.Metrics[unit])
}

// Scale multiplies every figure of s by k (for unit conversions).
func (s Stat) Scale(k float64) Stat {
	s.Median, s.Min, s.Max = s.Median*k, s.Min*k, s.Max*k
	return s
}

// benchRegexp is the -bench pattern that selects exactly one benchmark:
// each level of the name anchored on its own.
func benchRegexp(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		if i == 0 {
			p = "Benchmark" + p
		}
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return strings.Join(parts, "/")
}

// shortPkg is the package as a relative path for `go test`: emotion/dsp → ./dsp.
func shortPkg(pkg string) string {
	if pkg == module {
		return "."
	}
	return "./" + strings.TrimPrefix(pkg, module+"/")
}

const module = "emotion"

// isFinite reports whether x is a usable figure.
func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
