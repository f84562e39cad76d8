package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// Browser is web/bench/browser.mjs's JSON. The per-repetition records are
// kept as generic maps and read by path ("worker.compile"), so that a
// field the script adds later does not need a change here to be kept.
type Browser struct {
	Date    string         `json:"date"`
	Reps    int            `json:"reps"`
	Args    string         `json:"args"`
	Machine map[string]any `json:"machine"`
	Site    struct {
		Files         map[string]SiteFile `json:"files"`
		BrotliQuality *int                `json:"brotli_quality"`
		BrotliFrom    string              `json:"brotli_quality_from"`
	} `json:"site"`
	Cold    []map[string]any            `json:"cold"`
	Warm    []map[string]any            `json:"warm"`
	Revisit []map[string]any            `json:"revisit"`
	Clips   map[string][]map[string]any `json:"clips"`
	Memory  map[string][]map[string]any `json:"memory"`
	Lab     struct {
		Variants  map[string]map[string]any `json:"variants"`
		PerWindow map[string]any            `json:"per_window"`
	} `json:"lab"`
}

// SiteFile is one file of static/ with its precompressed sizes.
type SiteFile struct {
	File string `json:"file"`
	Raw  int64  `json:"raw"`
	Br   int64  `json:"br"`
	Gz   int64  `json:"gz"`
}

// num follows a dotted path into a decoded JSON value and returns the
// number there.
func num(v any, path string) (float64, bool) {
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return 0, false
		}
		v = m[k]
	}
	f, ok := v.(float64)
	return f, ok && isFinite(f)
}

// column collects path from every record that has it.
func column(recs []map[string]any, path string) []float64 {
	var xs []float64
	for _, r := range recs {
		if f, ok := num(map[string]any(r), path); ok {
			xs = append(xs, f)
		}
	}
	return xs
}

// floats reads a JSON array of numbers.
func floats(v any) []float64 {
	a, _ := v.([]any)
	var xs []float64
	for _, e := range a {
		if f, ok := e.(float64); ok && isFinite(f) {
			xs = append(xs, f)
		}
	}
	return xs
}

// versions of everything the figures depend on.
func versions(root string, in *Inputs) map[string]string {
	v := map[string]string{"Go": runtime.Version()}
	pkgVersion := func(name string) string {
		b, err := os.ReadFile(filepath.Join(root, "node_modules", name, "package.json"))
		if err != nil {
			return ""
		}
		var p struct{ Version string }
		json.Unmarshal(b, &p)
		return p.Version
	}
	v["onnxruntime-web"] = pkgVersion("onnxruntime-web")
	v["playwright-core"] = pkgVersion("playwright-core")
	if out, err := exec.Command("node", "--version").Output(); err == nil {
		v["node"] = strings.TrimSpace(string(out))
	}
	if in.Browser != nil {
		if s, ok := in.Browser.Machine["chromium"].(string); ok {
			v["Chromium"] = strings.TrimSpace(s)
		}
	}
	return v
}
