package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// Reports shaped like x/vulndb's data/osv: no modification time, the
// module path in affected[].package.name, a module named twice in one report.
var reports = map[string]string{
	"GO-2024-0002.json": `{"schema_version":"1.3.1","id":"GO-2024-0002","modified":"0001-01-01T00:00:00Z",
		"aliases":["CVE-2024-2"],"affected":[
		{"package":{"name":"example.com/a","ecosystem":"Go"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.2.0"}]}]},
		{"package":{"name":"example.com/a","ecosystem":"Go"},"ranges":[{"type":"SEMVER","events":[{"introduced":"2.0.0"},{"fixed":"2.0.1"}]}]},
		{"package":{"name":"stdlib","ecosystem":"Go"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}`,
	"GO-2024-0001.json": `{"schema_version":"1.3.1","id":"GO-2024-0001","modified":"0001-01-01T00:00:00Z",
		"affected":[{"package":{"name":"stdlib","ecosystem":"Go"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.26.9"}]}]}]}`,
	"README.md": "not a report",
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func TestBuildsIndexAndCopiesReports(t *testing.T) {
	src := writeFiles(t, reports)
	db, err := load(src)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "vulndb")
	at := time.Date(2026, 11, 5, 23, 49, 57, 0, time.UTC)
	if err := db.write(out, at); err != nil {
		t.Fatal(err)
	}

	var meta dbMeta
	readJSON(t, filepath.Join(out, "index", "db.json"), &meta)
	if !meta.Modified.Equal(at) {
		t.Errorf("db.json modified = %v, want %v", meta.Modified, at)
	}

	var modules []moduleMeta
	readJSON(t, filepath.Join(out, "index", "modules.json"), &modules)
	zero := time.Time{}
	want := []moduleMeta{
		{Path: "example.com/a", Vulns: []moduleVuln{{"GO-2024-0002", zero}}},
		{Path: "stdlib", Vulns: []moduleVuln{{"GO-2024-0001", zero}, {"GO-2024-0002", zero}}},
	}
	if !reflect.DeepEqual(modules, want) {
		t.Errorf("modules.json = %+v\nwant %+v", modules, want)
	}

	var vulns []vulnMeta
	readJSON(t, filepath.Join(out, "index", "vulns.json"), &vulns)
	wantVulns := []vulnMeta{{ID: "GO-2024-0001"}, {ID: "GO-2024-0002", Aliases: []string{"CVE-2024-2"}}}
	if !reflect.DeepEqual(vulns, wantVulns) {
		t.Errorf("vulns.json = %+v\nwant %+v", vulns, wantVulns)
	}

	ids, err := os.ReadDir(filepath.Join(out, "ID"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 2 {
		t.Errorf("ID/ holds %d files, want 2", len(ids))
	}
	for _, name := range []string{"GO-2024-0001.json", "GO-2024-0002.json"} {
		got, err := os.ReadFile(filepath.Join(out, "ID", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, []byte(reports[name])) {
			t.Errorf("ID/%s is not the report unchanged", name)
		}
	}
}

func TestRefusesBadReports(t *testing.T) {
	for _, tc := range []struct {
		name, file, body string
		want             error
	}{
		{"no id", "GO-1.json", `{"affected":[]}`, ErrNoID},
		{"name differs", "GO-1.json", `{"id":"GO-2"}`, ErrNameNotID},
		{"id is a path", "x.json", `{"id":"../x"}`, ErrBadID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(writeFiles(t, map[string]string{tc.file: tc.body}))
			var re *ReportError
			if !errors.As(err, &re) || !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want a *ReportError wrapping %v", err, tc.want)
			}
			if filepath.Base(re.File) != tc.file {
				t.Errorf("error names %s, want %s", re.File, tc.file)
			}
		})
	}

	t.Run("not JSON", func(t *testing.T) {
		_, err := load(writeFiles(t, map[string]string{"GO-1.json": `{"id":`}))
		var re *ReportError
		var se *json.SyntaxError
		if !errors.As(err, &re) || !errors.As(err, &se) {
			t.Fatalf("err = %v, want a *ReportError wrapping a *json.SyntaxError", err)
		}
	})
	t.Run("no reports", func(t *testing.T) {
		if _, err := load(writeFiles(t, map[string]string{"notes.txt": "x"})); !errors.Is(err, ErrNoReports) {
			t.Fatalf("err = %v, want %v", err, ErrNoReports)
		}
	})
	t.Run("folder missing", func(t *testing.T) {
		if _, err := load(filepath.Join(t.TempDir(), "none")); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("err = %v, want os.ErrNotExist", err)
		}
	})
}

func TestWriteRefusesExistingFolder(t *testing.T) {
	db, err := load(writeFiles(t, reports))
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := db.write(out, time.Now()); err == nil {
		t.Fatal("write into an existing folder succeeded")
	}
	if names, _ := os.ReadDir(out); len(names) != 0 {
		t.Errorf("write left %d entries in the existing folder", len(names))
	}
}
