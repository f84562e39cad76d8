package audio

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Test inputs are generated at test time by sox, ffmpeg and lame, which
// ./build.sh test installs. A missing tool fails the test: a skipped
// format is an untested format.

// needTool fails t unless the named program is on PATH.
func needTool(t testing.TB, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s not found on PATH (./build.sh test installs it): %v", name, err)
	}
}

// run runs a program and fails t with its stderr if it fails.
func run(t testing.TB, name string, args ...string) []byte {
	t.Helper()
	needTool(t, name)
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, stderr.String())
	}
	return stdout.Bytes()
}

// readFile reads a file made by a tool, failing t on error.
func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// tempPath returns a path named name inside a per-test temp dir.
func tempPath(t testing.TB, name string) string {
	return filepath.Join(t.TempDir(), name)
}
