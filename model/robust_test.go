package model

import (
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"emotion/dsp/audio"
	"emotion/dsp/audio/badinput"
)

// Bounds asserted for every kind of the bad-input corpus, each Classify
// call with audio.DefaultLimits. The worst figures measured over three
// runs on a busy 2-core machine (docs/ROBUSTNESS.md) were 76-101 ms
// natively and 0.4-0.7 s under node, 8.4-10.6 MB allocated and 0.2-0.3 MB
// retained; the bounds are about 10× those (6× for allocation, which does
// not depend on load), so a loaded machine does not fail them but a hang,
// a quadratic walk or a runaway allocation does.
const (
	// maxCallTime bounds one call natively; under WebAssembly (node) it
	// is multiplied by wasmSlowdown.
	maxCallTime  = 1 * time.Second
	wasmSlowdown = 10
	// maxCallAlloc bounds the bytes one call allocates (TotalAlloc, which
	// also bounds its peak heap growth); an input is never copied whole.
	maxCallAlloc = 64 << 20
	// maxCallRetained bounds the heap in use after a call (and a GC) beyond
	// what it was before: the Classifier's reusable buffers, no more.
	maxCallRetained = 4 << 20
)

// callBound is maxCallTime on this platform.
func callBound() time.Duration {
	if runtime.GOARCH == "wasm" {
		return wasmSlowdown * maxCallTime
	}
	return maxCallTime
}

// heapInUse returns HeapInuse after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// checkResult fails t unless r is a sane answer: a known label, finite
// probabilities summing to 1, speech bounds inside the clip.
func checkResult(t testing.TB, r *Result) {
	t.Helper()
	sum := 0.0
	for _, l := range Labels {
		p, ok := r.Probabilities[l]
		if !ok || !(p >= 0 && p <= 1) {
			t.Fatalf("probability of %q = %v (present %v)", l, p, ok)
		}
		sum += p
	}
	if math.Abs(sum-1) > 1e-5 || len(r.Probabilities) != len(Labels) {
		t.Fatalf("%d probabilities summing to %v", len(r.Probabilities), sum)
	}
	if !slices.Contains(Labels, r.Label) || r.Probabilities[r.Label] != r.Confidence {
		t.Fatalf("label %q, confidence %v", r.Label, r.Confidence)
	}
	if !(r.Duration > 0) || r.SpeechStart < 0 || r.SpeechEnd > r.Duration+1e-9 || r.SpeechEnd-r.SpeechStart < MinSpeech {
		t.Fatalf("duration %v, speech %v–%v s", r.Duration, r.SpeechStart, r.SpeechEnd)
	}
}

// TestBadInputs runs every kind of the corpus through the whole pipeline
// (bytes → result): each must give its expected result or typed error
// code, within the time and memory bounds above.
func TestBadInputs(t *testing.T) {
	c := newTestClassifier(t)
	lim := audio.DefaultLimits()
	kinds := badinput.Kinds()
	if len(kinds) < 40 {
		t.Fatalf("%d kinds, want at least 40", len(kinds))
	}
	// Warm up: the first call sizes the Classifier's buffers for a 2 s clip.
	if _, err := c.Classify(kinds[0].Bytes(), lim); err != nil {
		t.Fatal(err)
	}
	var worstTime time.Duration
	var worstAlloc, worstRetained int64
	for _, k := range kinds {
		t.Run(k.Name, func(t *testing.T) {
			data := k.Bytes()
			before := heapInUse()
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			t0 := time.Now()
			r, err := c.Classify(data, lim)
			took := time.Since(t0)
			runtime.ReadMemStats(&m1)
			alloc := int64(m1.TotalAlloc - m0.TotalAlloc)
			retained := int64(heapInUse()) - int64(before)
			runtime.KeepAlive(data)
			t.Logf("%-28s %9d B  %8.1f ms  alloc %7.2f MB  retained %+7.2f MB  %s",
				k.Name, len(data), took.Seconds()*1000, float64(alloc)/(1<<20), float64(retained)/(1<<20), outcome(r, err))
			worstTime, worstAlloc, worstRetained = max(worstTime, took), max(worstAlloc, alloc), max(worstRetained, retained)

			switch got := Code(err); {
			case k.Want == badinput.Result && err == nil:
				checkResult(t, r)
			case k.Want == badinput.Result:
				t.Errorf("error %q (%s), want a result", got, err)
			case got != k.Want:
				t.Errorf("%s (code %q), want code %q", outcome(r, err), got, k.Want)
			}
			if took > callBound() {
				t.Errorf("took %v, bound %v", took, callBound())
			}
			if alloc > maxCallAlloc {
				t.Errorf("allocated %d bytes, bound %d", alloc, maxCallAlloc)
			}
			if retained > maxCallRetained {
				t.Errorf("heap in use grew by %d bytes, bound %d", retained, maxCallRetained)
			}
		})
	}
	t.Logf("%d kinds; worst: %v per call, %.2f MB allocated, %+.2f MB retained",
		len(kinds), worstTime, float64(worstAlloc)/(1<<20), float64(worstRetained)/(1<<20))
}

func outcome(r *Result, err error) string {
	if err != nil {
		return Code(err) + ": " + err.Error()
	}
	return "result: " + r.Label
}

// TestHeapLevelsOff classifies 200 files in a row with one Classifier,
// RAVDESS clips mixed with bad inputs, and asserts that the heap in use
// (after a GC) stops growing: what it holds after file 200 is within
// maxHeapGrowth of what it held after file 50.
func TestHeapLevelsOff(t *testing.T) {
	const maxHeapGrowth = 1 << 20
	files := heapTestFiles(t)
	c := newTestClassifier(t)
	lim := audio.DefaultLimits()
	var at50 uint64
	results := 0
	for i, f := range files {
		r, err := c.Classify(f(), lim)
		if err == nil {
			results++
			checkResult(t, r)
		} else if Code(err) == "error" {
			t.Fatalf("file %d: untyped error %v", i+1, err)
		}
		switch i + 1 {
		case 50:
			at50 = heapInUse()
		case 200:
			at200 := heapInUse()
			growth := int64(at200) - int64(at50)
			t.Logf("heap in use after file 50: %.2f MB, after file 200: %.2f MB (%+d bytes); %d results",
				float64(at50)/(1<<20), float64(at200)/(1<<20), growth, results)
			if growth > maxHeapGrowth {
				t.Errorf("heap in use grew by %d bytes between file 50 and 200, bound %d", growth, maxHeapGrowth)
			}
		}
	}
}

// heapTestFiles returns 200 inputs: 150 RAVDESS clips from all actors,
// every fourth file a small bad input. The longest clip comes first, so
// the Classifier's reusable buffers reach their size within file 50.
func heapTestFiles(t *testing.T) []func() []byte {
	dir := os.Getenv("EMOTION_SHARED")
	if dir == "" {
		dir = "../../shared"
	}
	clips, _ := filepath.Glob(filepath.Join(dir, "data/ravdess-16k/Actor_*/*.wav"))
	if len(clips) < 150 {
		t.Fatalf("%d RAVDESS clips under %s (set EMOTION_SHARED)", len(clips), dir)
	}
	var picked []string
	for i := 0; len(picked) < 150; i += len(clips) / 150 {
		picked = append(picked, clips[i])
	}
	size := func(p string) int64 {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return st.Size()
	}
	longest := 0
	for i := range picked {
		if size(picked[i]) > size(picked[longest]) {
			longest = i
		}
	}
	picked[0], picked[longest] = picked[longest], picked[0]

	var bad []badinput.Kind
	for _, k := range badinput.Kinds() {
		if k.Size() < 1<<20 && !strings.HasPrefix(k.Name, "wav-speech") {
			bad = append(bad, k)
		}
	}
	var files []func() []byte
	for clip := 0; len(files) < 200; {
		if len(files)%4 == 3 {
			files = append(files, bad[len(files)/4%len(bad)].Bytes)
			continue
		}
		p := picked[clip]
		clip++
		files = append(files, func() []byte {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			return b
		})
	}
	return files
}
