package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// sox writes a test input; ./build.sh test installs sox and lame.
func sox(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("sox", args...).CombinedOutput(); err != nil {
		t.Fatalf("sox %v: %v\n%s", args, err, out)
	}
}

func TestInfoJSON(t *testing.T) {
	dir := t.TempDir()
	wav := filepath.Join(dir, "tone.wav")
	sox(t, "-n", "-r", "44100", "-c", "2", "-b", "16", wav, "synth", "1.5", "sine", "440")
	disguised := filepath.Join(dir, "really-wav.mp3") // named .mp3, holds WAV
	sox(t, "-n", "-r", "22050", "-c", "1", "-b", "24", "-t", "wav", disguised, "synth", "0.5", "sine", "1000")
	mp3 := filepath.Join(dir, "tone.mp3")
	if out, err := exec.Command("lame", "--quiet", "-b", "128", wav, mp3).CombinedOutput(); err != nil {
		t.Fatalf("lame: %v\n%s", err, out)
	}
	png := filepath.Join(dir, "picture.wav")
	os.WriteFile(png, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), 0o644)
	empty := filepath.Join(dir, "empty.wav")
	os.WriteFile(empty, nil, 0o644)
	missing := filepath.Join(dir, "missing.wav")

	var stdout, stderr bytes.Buffer
	status := run([]string{"info", "-json", wav, png, disguised, empty, mp3, missing}, &stdout, &stderr)
	if status == 0 {
		t.Errorf("exit status 0 although three files failed")
	}
	recs := jsonLines(t, &stdout)
	if len(recs) != 6 {
		t.Fatalf("got %d JSON lines, want 6 (one bad file must not stop the others):\n%s", len(recs), stdout.String())
	}
	check := func(i int, key string, want any) {
		t.Helper()
		if got := recs[i][key]; got != want {
			t.Errorf("%s: %s = %v, want %v", recs[i]["file"], key, got, want)
		}
	}
	check(0, "container", "wav")
	check(0, "codec", "pcm")
	check(0, "sample_rate", 44100.0)
	check(0, "channels", 2.0)
	check(0, "bit_depth", 16.0)
	check(0, "duration", 1.5)
	check(0, "samples_16k", 24000.0)
	check(1, "error_code", "not_audio")
	check(2, "container", "wav")
	check(2, "bit_depth", 24.0)
	check(2, "samples_16k", 8000.0)
	check(3, "error_code", "empty")
	check(4, "container", "mp3")
	check(4, "sample_rate", 44100.0)
	if d, _ := recs[4]["duration"].(float64); d < 1.49 || d > 1.51 {
		t.Errorf("mp3 duration %v, want 1.5 s after trimming encoder delay and padding", d)
	}
	if e, _ := recs[5]["error"].(string); !strings.Contains(e, "no such file") {
		t.Errorf("missing file error %q", e)
	}
	if !strings.Contains(recs[1]["error"].(string), "PNG") {
		t.Errorf("PNG error does not name the problem: %v", recs[1]["error"])
	}
}

// jsonLines parses one JSON object per line, failing t on any other line.
func jsonLines(t *testing.T, r io.Reader) []map[string]any {
	t.Helper()
	var recs []map[string]any
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q is not JSON: %v", sc.Text(), err)
		}
		recs = append(recs, m)
	}
	return recs
}

func TestInfoText(t *testing.T) {
	wav := filepath.Join(t.TempDir(), "a.wav")
	sox(t, "-n", "-r", "16000", "-c", "1", "-b", "16", wav, "synth", "0.25", "sine", "300")
	var stdout, stderr bytes.Buffer
	if st := run([]string{"info", wav}, &stdout, &stderr); st != 0 {
		t.Fatalf("status %d: %s %s", st, stdout.String(), stderr.String())
	}
	want := "wav pcm, 16000 Hz, 1 ch, 16-bit, 0.250 s, 4000 samples at 16 kHz"
	if !strings.Contains(stdout.String(), want) {
		t.Errorf("got %q, want it to contain %q", stdout.String(), want)
	}
}

func TestUsage(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if st := run(nil, &stdout, &stderr); st != 2 || !strings.Contains(stderr.String(), "emotion info") {
		t.Errorf("no-args: status %d, stderr %q", st, stderr.String())
	}
	if st := run([]string{"nope"}, &stdout, &stderr); st != 2 {
		t.Errorf("unknown command: status %d", st)
	}
	if st := run([]string{"info"}, &stdout, &stderr); st != 2 {
		t.Errorf("info with no files: status %d", st)
	}
}
