package main

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"emotion/model"
)

// evalItem is one labelled file.
type evalItem struct{ path, label string }

// evalReport is the output of `emotion eval -json`.
type evalReport struct {
	Files              int                `json:"files"`
	Failed             int                `json:"failed"`
	Labels             []string           `json:"labels"`
	Accuracy           float64            `json:"accuracy"`
	UnweightedAccuracy float64            `json:"unweighted_accuracy"`
	MacroF1            float64            `json:"macro_f1"`
	Recall             map[string]float64 `json:"recall"`
	Confusion          [][]int            `json:"confusion"` // [true][predicted], in Labels order
}

func runEval(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	manifest := fs.String("manifest", "", "CSV with header path,label (paths relative to the CSV)")
	only := fs.String("labels", "", "comma-separated labels to decide among (for corpora with fewer classes)")
	lim := limitFlags(fs)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return 2
	}
	if (*manifest == "") == (len(pos) == 0) {
		fmt.Fprintln(stderr, "usage: emotion eval [-json] [-labels a,b,c] (-manifest FILE.csv | DIR...)")
		return 2
	}
	var items []evalItem
	if *manifest != "" {
		items, err = readManifest(*manifest)
	} else {
		var files []ravdessFile
		files, err = ravdessFiles(pos)
		for _, f := range files {
			items = append(items, evalItem{f.path, model.Labels[f.label]})
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "emotion eval: %v\n", err)
		return 1
	}
	labels := model.Labels
	if *only != "" {
		labels = strings.Split(*only, ",")
		for _, l := range labels {
			if !slices.Contains(model.Labels, l) {
				fmt.Fprintf(stderr, "emotion eval: unknown label %q (the model knows %s)\n", l, strings.Join(model.Labels, ","))
				return 2
			}
		}
	}
	c, err := newClassifier()
	if err != nil {
		fmt.Fprintf(stderr, "emotion eval: %v\n", err)
		return 1
	}
	rep := evalReport{Labels: labels, Recall: map[string]float64{}, Confusion: make([][]int, len(labels))}
	for i := range rep.Confusion {
		rep.Confusion[i] = make([]int, len(labels))
	}
	for _, it := range items {
		truth := slices.Index(labels, it.label)
		if truth < 0 {
			continue // a label outside -labels is not part of this evaluation
		}
		rep.Files++
		clip, err := decodeFile(it.path, *lim)
		var r *model.Result
		if err == nil {
			r, err = c.ClassifySamples(clip.Samples)
		}
		if err != nil {
			fmt.Fprintf(stderr, "emotion eval: %s: %v\n", it.path, err)
			rep.Failed++
			continue
		}
		// Decide among the allowed labels only.
		best, pred := -1.0, 0
		for i, l := range labels {
			if p := r.Probabilities[l]; p > best {
				best, pred = p, i
			}
		}
		rep.Confusion[truth][pred]++
	}
	rep.score()
	if *asJSON {
		json.NewEncoder(stdout).Encode(rep)
	} else {
		rep.print(stdout)
	}
	if rep.Failed > 0 {
		return 1
	}
	return 0
}

// score fills the metrics from the confusion matrix.
func (r *evalReport) score() {
	n := len(r.Labels)
	correct, total := 0, 0
	var sumRecall, sumF1 float64
	for i := range n {
		row, col := 0, 0
		for j := range n {
			row += r.Confusion[i][j]
			col += r.Confusion[j][i]
		}
		tp := r.Confusion[i][i]
		correct += tp
		total += row
		recall, prec := ratio(tp, row), ratio(tp, col)
		r.Recall[r.Labels[i]] = recall
		sumRecall += recall
		if recall+prec > 0 {
			sumF1 += 2 * recall * prec / (recall + prec)
		}
	}
	r.Accuracy = ratio(correct, total)
	r.UnweightedAccuracy = sumRecall / float64(n)
	r.MacroF1 = sumF1 / float64(n)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func (r *evalReport) print(w io.Writer) {
	fmt.Fprintf(w, "%d files (%d failed)\naccuracy %.1f %%, unweighted accuracy %.1f %%, macro-F1 %.1f %%\n\n",
		r.Files, r.Failed, 100*r.Accuracy, 100*r.UnweightedAccuracy, 100*r.MacroF1)
	fmt.Fprintf(w, "%-10s", "true\\pred")
	for _, l := range r.Labels {
		fmt.Fprintf(w, " %5.5s", l)
	}
	fmt.Fprintln(w, "  recall")
	for i, l := range r.Labels {
		fmt.Fprintf(w, "%-10s", l)
		for _, v := range r.Confusion[i] {
			fmt.Fprintf(w, " %5d", v)
		}
		fmt.Fprintf(w, "  %5.1f %%\n", 100*r.Recall[l])
	}
}

// readManifest reads a CSV with header path,label; relative paths are
// relative to the manifest's directory.
func readManifest(path string) ([]evalItem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) == 0 || len(rows[0]) < 2 || rows[0][0] != "path" || rows[0][1] != "label" {
		return nil, fmt.Errorf("%s: want a header line path,label", path)
	}
	var items []evalItem
	for i, r := range rows[1:] {
		if len(r) < 2 || !slices.Contains(model.Labels, r[1]) {
			return nil, fmt.Errorf("%s line %d: want path,label with label one of %s", path, i+2, strings.Join(model.Labels, ","))
		}
		p := r[0]
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(path), p)
		}
		items = append(items, evalItem{p, r[1]})
	}
	return items, nil
}
