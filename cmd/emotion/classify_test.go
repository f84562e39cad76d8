package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ravdessDir is the shared RAVDESS copy; build.sh sets EMOTION_SHARED.
func ravdessDir(t *testing.T) string {
	d := os.Getenv("EMOTION_SHARED")
	if d == "" {
		d = "../../../shared"
	}
	d = filepath.Join(d, "data/ravdess-16k")
	if _, err := os.Stat(d); err != nil {
		t.Fatalf("RAVDESS not found (set EMOTION_SHARED): %v", err)
	}
	return d
}

func TestClassifyJSON(t *testing.T) {
	g := goldenDir(t)
	clip := filepath.Join(ravdessDir(t), "Actor_02/03-01-04-01-02-02-02.wav")
	bad := filepath.Join(t.TempDir(), "bad.mp3")
	os.WriteFile(bad, []byte("ID3\x03\x00\x00\x00\x00\x00\x00"), 0o644)
	var stdout, stderr bytes.Buffer
	st := run([]string{"classify", "-json", clip, filepath.Join(g, "silence.wav"), bad}, &stdout, &stderr)
	if st != 1 {
		t.Errorf("status %d, want 1 (two files fail)", st)
	}
	recs := jsonLines(t, &stdout)
	if len(recs) != 3 {
		t.Fatalf("%d records:\n%s", len(recs), stdout.String())
	}
	probs, _ := recs[0]["probabilities"].(map[string]any)
	if len(probs) != 8 || recs[0]["label"] == nil || recs[0]["duration"] == nil {
		t.Errorf("record %v", recs[0])
	}
	if recs[1]["error_code"] != "no_speech" {
		t.Errorf("silence: %v", recs[1])
	}
	if recs[2]["error"] == nil {
		t.Errorf("lone ID3 tag: %v", recs[2])
	}
}

func TestEvalDirAndManifest(t *testing.T) {
	src := filepath.Join(ravdessDir(t), "Actor_03")
	dir := t.TempDir()
	names := []string{"03-01-05-01-01-01-03.wav", "03-01-04-01-01-01-03.wav", "03-01-03-01-01-01-03.wav"}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(src, n))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, n), b, 0o644)
	}
	var stdout, stderr bytes.Buffer
	if st := run([]string{"eval", "-json", dir}, &stdout, &stderr); st != 0 {
		t.Fatalf("status %d: %s", st, stderr.String())
	}
	var rep evalReport
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, row := range rep.Confusion {
		for _, v := range row {
			total += v
		}
	}
	if rep.Files != 3 || total != 3 || len(rep.Confusion) != 8 {
		t.Errorf("report %+v", rep)
	}
	// A manifest restricted to two labels: the sad file is left out.
	man := filepath.Join(dir, "m.csv")
	os.WriteFile(man, []byte("path,label\n"+names[0]+",angry\n"+names[1]+",sad\n"+names[2]+",happy\n"), 0o644)
	stdout.Reset()
	if st := run([]string{"eval", "-json", "-labels", "angry,happy", "-manifest", man}, &stdout, &stderr); st != 0 {
		t.Fatalf("manifest: status %d: %s", st, stderr.String())
	}
	rep = evalReport{}
	json.Unmarshal(stdout.Bytes(), &rep)
	if rep.Files != 2 || len(rep.Confusion) != 2 {
		t.Errorf("restricted report %+v", rep)
	}
	stdout.Reset()
	if st := run([]string{"eval", dir}, &stdout, &stderr); st != 0 || !strings.Contains(stdout.String(), "unweighted accuracy") {
		t.Errorf("text report: %d %q", st, stdout.String())
	}
}

func TestEvalUsage(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if st := run([]string{"eval"}, &stdout, &stderr); st != 2 {
		t.Errorf("no input: status %d", st)
	}
	if st := run([]string{"eval", "-labels", "bored", "x"}, &stdout, &stderr); st == 0 {
		t.Error("unknown label accepted")
	}
}

// A misspelt augmentation policy must stop featurize before any work, not
// featurize with no augmentation at all.
func TestFeaturizeRejectsUnknownPolicy(t *testing.T) {
	var stdout, stderr bytes.Buffer
	dir := t.TempDir()
	if st := run([]string{"featurize", "-copies", "1", "-policy", "nosie", "-o", dir, dir}, &stdout, &stderr); st != 2 {
		t.Errorf("status %d, want 2", st)
	}
	if !strings.Contains(stderr.String(), `unknown policy "nosie"`) {
		t.Errorf("stderr %q does not name the policy", stderr.String())
	}
}

// A malformed -snr must stop featurize before any work, naming the flag.
func TestFeaturizeRejectsBadSNR(t *testing.T) {
	for _, bad := range []string{"10", "40:10", "a:b", "5:", "NaN:3", "-Inf:3"} {
		var stdout, stderr bytes.Buffer
		dir := t.TempDir()
		if st := run([]string{"featurize", "-copies", "1", "-snr", bad, "-o", dir, dir}, &stdout, &stderr); st != 2 {
			t.Errorf("-snr %q: status %d, want 2", bad, st)
		}
		if !strings.Contains(stderr.String(), "-snr") || !strings.Contains(stderr.String(), bad) {
			t.Errorf("-snr %q: stderr %q does not name the flag and value", bad, stderr.String())
		}
	}
}

func TestParseRange(t *testing.T) {
	lo, hi, err := parseRange("15:40")
	if err != nil || lo != 15 || hi != 40 {
		t.Errorf(`parseRange("15:40") = %g, %g, %v; want 15, 40, nil`, lo, hi, err)
	}
	if lo, hi, err = parseRange("-5:-5"); err != nil || lo != -5 || hi != -5 {
		t.Errorf(`parseRange("-5:-5") = %g, %g, %v; want -5, -5, nil`, lo, hi, err)
	}
}
