// Command vulndb builds a local Go vulnerability database from the OSV
// reports that the golang.org/x/vulndb module ships in data/osv, so that
// govulncheck can run where vuln.go.dev cannot be reached:
//
//	vulndb -osv $(go list -m -f '{{.Dir}}' golang.org/x/vulndb@VERSION)/data/osv \
//	       -modified 2026-11-05T23:49:57Z -out build/vulndb
//	govulncheck -db file://$PWD/build/vulndb ./...
//
// It writes the v1 layout that govulncheck's file:// client reads
// (golang.org/x/vuln/internal/client): index/db.json, index/modules.json,
// index/vulns.json and ID/<id>.json, each report copied unchanged.
//
// The reports in x/vulndb carry no modification times (vuln.go.dev stamps
// them from the repository's history, which a module zip lacks), so the
// database's date, the "DB updated" line of govulncheck, is given with
// -modified: the commit time of the x/vulndb version the reports came from.
// The index leaves out each vulnerability's optional "fixed" version: it only
// lets govulncheck skip reading reports that cannot apply, and leaving it out
// makes govulncheck read them and decide from their full version ranges,
// which needs no semver code here.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"time"
)

func main() {
	osvDir := flag.String("osv", "", "folder of OSV reports named <id>.json (x/vulndb's data/osv)")
	out := flag.String("out", "", "folder to write the database to (created; must not exist yet)")
	modified := flag.String("modified", "", "the database's date, RFC 3339 (the x/vulndb version's time)")
	flag.Parse()
	if *osvDir == "" || *out == "" || *modified == "" {
		flag.Usage()
		os.Exit(2)
	}
	at, err := time.Parse(time.RFC3339, *modified)
	if err != nil {
		log.Fatalf("vulndb: -modified: %v", err)
	}
	db, err := load(*osvDir)
	if err != nil {
		log.Fatalf("vulndb: %v", err)
	}
	if err := db.write(*out, at); err != nil {
		log.Fatalf("vulndb: %v", err)
	}
	log.Printf("vulndb: %d reports on %d modules, dated %s, in %s", len(db.reports), len(db.modules), at.UTC().Format(time.RFC3339), *out)
}

// A ReportError says which report could not be used and why.
type ReportError struct {
	File string
	Err  error
}

func (e *ReportError) Error() string { return fmt.Sprintf("report %s: %v", e.File, e.Err) }
func (e *ReportError) Unwrap() error { return e.Err }

// Reasons a report is refused.
var (
	ErrNoID      = errors.New("no id")
	ErrBadID     = errors.New("id is not a plain file name")
	ErrNameNotID = errors.New("file name is not <id>.json")
	ErrNoReports = errors.New("no reports")
)

// report holds the fields of an OSV entry that the index needs, and the
// entry's bytes, written unchanged.
type report struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases,omitempty"`
	Affected []struct {
		Package struct {
			Name string `json:"name"`
		} `json:"package"`
	} `json:"affected"`

	raw []byte
}

type database struct {
	reports []*report            // sorted by id
	modules map[string][]*report // module path -> the reports that name it
}

// plainID is what an id may look like: it becomes a file name.
var plainID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// load reads every <id>.json in dir (not its subfolders); other files are ignored.
func load(dir string) (*database, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	db := &database{modules: map[string][]*report{}}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || filepath.Ext(name) != ".json" {
			continue
		}
		path := filepath.Join(dir, name)
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		r := &report{raw: b}
		if err := json.Unmarshal(b, r); err != nil {
			return nil, &ReportError{path, err}
		}
		switch {
		case r.ID == "":
			return nil, &ReportError{path, ErrNoID}
		case !plainID.MatchString(r.ID):
			return nil, &ReportError{path, fmt.Errorf("%w: %q", ErrBadID, r.ID)}
		case name != r.ID+".json":
			return nil, &ReportError{path, fmt.Errorf("%w: id %q", ErrNameNotID, r.ID)}
		}
		db.reports = append(db.reports, r)
		mods := map[string]bool{}
		for _, a := range r.Affected {
			if m := a.Package.Name; m != "" && !mods[m] {
				mods[m] = true
				db.modules[m] = append(db.modules[m], r)
			}
		}
	}
	if len(db.reports) == 0 {
		return nil, fmt.Errorf("%s: %w", dir, ErrNoReports)
	}
	sort.Slice(db.reports, func(i, j int) bool { return db.reports[i].ID < db.reports[j].ID })
	for _, rs := range db.modules {
		sort.Slice(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
	}
	return db, nil
}

// The index files, as govulncheck reads them.
type (
	dbMeta struct {
		Modified time.Time `json:"modified"`
	}
	moduleVuln struct {
		ID       string    `json:"id"`
		Modified time.Time `json:"modified"`
	}
	moduleMeta struct {
		Path  string       `json:"path"`
		Vulns []moduleVuln `json:"vulns"`
	}
	vulnMeta struct {
		ID       string    `json:"id"`
		Modified time.Time `json:"modified"`
		Aliases  []string  `json:"aliases,omitempty"`
	}
)

// write creates out and the database in it, dated at.
func (db *database) write(out string, at time.Time) error {
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s already exists", out)
	}
	for _, d := range []string{"index", "ID"} {
		if err := os.MkdirAll(filepath.Join(out, d), 0o755); err != nil {
			return err
		}
	}
	paths := make([]string, 0, len(db.modules))
	for m := range db.modules {
		paths = append(paths, m)
	}
	sort.Strings(paths)
	modules := make([]moduleMeta, 0, len(paths))
	for _, m := range paths {
		mm := moduleMeta{Path: m}
		for _, r := range db.modules[m] {
			mm.Vulns = append(mm.Vulns, moduleVuln{ID: r.ID, Modified: r.Modified})
		}
		modules = append(modules, mm)
	}
	vulns := make([]vulnMeta, 0, len(db.reports))
	for _, r := range db.reports {
		vulns = append(vulns, vulnMeta{ID: r.ID, Modified: r.Modified, Aliases: r.Aliases})
		if err := os.WriteFile(filepath.Join(out, "ID", r.ID+".json"), r.raw, 0o644); err != nil {
			return err
		}
	}
	for name, v := range map[string]any{
		"db.json":      dbMeta{Modified: at.UTC()},
		"modules.json": modules,
		"vulns.json":   vulns,
	} {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, "index", name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
