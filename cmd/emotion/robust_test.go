package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"emotion/dsp/audio/badinput"
)

// writeCorpus runs `emotion badinput -o DIR` and returns DIR and the manifest it wrote.
func writeCorpus(t *testing.T) (string, []badinput.ManifestEntry) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "corpus")
	var stdout, stderr bytes.Buffer
	if st := run([]string{"badinput", "-o", dir}, &stdout, &stderr); st != 0 {
		t.Fatalf("badinput: status %d: %s", st, stderr.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, badinput.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	var man []badinput.ManifestEntry
	if err := json.Unmarshal(b, &man); err != nil {
		t.Fatal(err)
	}
	return dir, man
}

func TestBadInputCommand(t *testing.T) {
	dir, man := writeCorpus(t)
	kinds := badinput.Kinds()
	if len(man) != len(kinds) {
		t.Fatalf("manifest lists %d files, corpus has %d kinds", len(man), len(kinds))
	}
	for i, e := range man {
		st, err := os.Stat(filepath.Join(dir, e.File))
		if err != nil || st.Size() != e.Bytes || e.Name != kinds[i].Name || e.Want != kinds[i].Want {
			t.Errorf("entry %+v: file %v %v, kind %s", e, st, err, kinds[i].Name)
		}
	}
	var stdout, stderr bytes.Buffer
	for _, args := range [][]string{{"badinput"}, {"badinput", "-o"}, {"badinput", "-o", dir, "extra"}} {
		if st := run(args, &stdout, &stderr); st != 2 {
			t.Errorf("%q: status %d, want 2", args, st)
		}
	}
}

// TestClassifyCorpus runs `emotion classify -json` over the whole corpus:
// one JSON line per file, in order, each the expected result or error
// code; exit status 1 because some files fail, 0 for the files that must
// all be classified.
func TestClassifyCorpus(t *testing.T) {
	dir, man := writeCorpus(t)
	var all, good []string
	for _, e := range man {
		p := filepath.Join(dir, e.File)
		all = append(all, p)
		if e.Want == badinput.Result {
			good = append(good, p)
		}
	}
	var stdout, stderr bytes.Buffer
	if st := run(append([]string{"classify", "-json"}, all...), &stdout, &stderr); st != 1 {
		t.Errorf("status %d, want 1 (some files fail)", st)
	}
	if stderr.Len() > 0 {
		t.Errorf("stderr: %s", stderr.String())
	}
	recs := jsonLines(t, &stdout)
	if len(recs) != len(man) {
		t.Fatalf("%d JSON lines for %d files", len(recs), len(man))
	}
	for i, e := range man {
		r := recs[i]
		if r["file"] != all[i] {
			t.Errorf("line %d is for %v, want %s", i, r["file"], all[i])
			continue
		}
		code, _ := r["error_code"].(string)
		switch {
		case e.Want == badinput.Result && (code != "" || r["label"] == nil || r["probabilities"] == nil):
			t.Errorf("%s: %v, want a result", e.Name, r)
		case e.Want != badinput.Result && (code != e.Want || r["error"] == nil || r["label"] != nil):
			t.Errorf("%s: %v, want error code %q", e.Name, r, e.Want)
		}
	}

	stdout.Reset()
	if st := run(append([]string{"classify", "-json"}, good...), &stdout, &stderr); st != 0 {
		t.Errorf("files that all classify: status %d, want 0", st)
	}
	if n := strings.Count(stdout.String(), "\n"); n != len(good) {
		t.Errorf("%d lines for %d files", n, len(good))
	}
}
