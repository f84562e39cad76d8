package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"sort"

	"emotion/model"
)

// classifyRecord is one line of `emotion classify -json`.
type classifyRecord struct {
	File string `json:"file"`
	*model.Result
	Error     string `json:"error,omitempty"`
	ErrorCode string `json:"error_code,omitempty"`
}

// newClassifier loads the embedded model and its pipeline.
func newClassifier() (*model.Classifier, error) {
	m, err := model.Default()
	if err != nil {
		return nil, err
	}
	return model.NewClassifier(m)
}

func runClassify(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("classify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "one JSON object per line")
	lim := limitFlags(fs)
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return 2
	}
	if len(files) == 0 {
		fmt.Fprintln(stderr, "usage: emotion classify [-json] FILE...")
		return 2
	}
	c, err := newClassifier()
	if err != nil {
		fmt.Fprintf(stderr, "emotion classify: %v\n", err)
		return 1
	}
	status := 0
	enc := json.NewEncoder(stdout)
	for _, name := range files {
		rec := classifyRecord{File: name}
		clip, err := decodeFile(name, *lim)
		if err == nil {
			rec.Result, err = c.ClassifySamples(clip.Samples)
		}
		if err != nil {
			rec.Error, rec.ErrorCode = err.Error(), model.Code(err)
			status = 1
		}
		switch {
		case *asJSON:
			enc.Encode(rec)
		case err != nil:
			fmt.Fprintf(stdout, "%s: error: %v\n", name, err)
		default:
			fmt.Fprintf(stdout, "%s: %s\n", name, summary(rec.Result))
		}
	}
	return status
}

// summary is the one-line human form: the label, its confidence, the
// runners-up, and how many segments a long clip had.
func summary(r *model.Result) string {
	type lp struct {
		l string
		p float64
	}
	var all []lp
	for l, p := range r.Probabilities {
		all = append(all, lp{l, p})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].p > all[j].p })
	s := fmt.Sprintf("%s %.0f%% (then %s %.0f%%, %s %.0f%%), %.2f s", r.Label, 100*r.Confidence,
		all[1].l, 100*all[1].p, all[2].l, 100*all[2].p, r.Duration)
	if len(r.Segments) > 0 {
		s += fmt.Sprintf(", %d segments", len(r.Segments))
	}
	return s
}
