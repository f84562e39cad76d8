package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"emotion/dsp"
	"emotion/dsp/audio"
	"emotion/model"
	"emotion/model/augment"
)

// runFeaturize builds a training set: for every RAVDESS file, a clean copy
// and -copies augmented ones, each decoded, trimmed and turned into the
// image by the same code the browser runs. It writes
//
//	DIR/images.npy  float32 [3, Height, T], every clip's columns one after another
//	DIR/index.csv   one row per clip copy: file, actor, label, copy, offset, frames
//	DIR/config.json the feature configuration, DIR/trim.json the edge trimming
func runFeaturize(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("featurize", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "output directory (required)")
	cfgPath := fs.String("config", "", "feature configuration JSON (default: the model's)")
	copies := fs.Int("copies", 0, "augmented copies per file, besides the clean one")
	policy := fs.String("policy", "all", "augmentation: all, none, one of speed, reverb, noise, gain, mp3 (always applied), or all-NAME[-NAME…] (all but those)")
	snr := fs.String("snr", "", "additive noise's SNR range in dB, MIN:MAX (default: the policy's, "+
		fmt.Sprintf("%g:%g)", augment.Default().SNRMin, augment.Default().SNRMax))
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same data set")
	workers := fs.Int("workers", runtime.NumCPU(), "parallel workers")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) == 0 || *out == "" {
		fmt.Fprintln(stderr, "usage: emotion featurize [-copies K] [-policy P] [-seed S] -o DIR RAVDESS_DIR...")
		return 2
	}
	cfg := model.FeatureConfig()
	if *cfgPath != "" {
		if cfg, err = loadConfig(*cfgPath); err != nil {
			fmt.Fprintf(stderr, "emotion featurize: %v\n", err)
			return 1
		}
	}
	base := augment.Default()
	if *snr != "" {
		if base.SNRMin, base.SNRMax, err = parseRange(*snr); err != nil {
			fmt.Fprintf(stderr, "emotion featurize: -snr: %v\n", err)
			return 2
		}
	}
	pol, err := base.Parse(*policy)
	if err != nil {
		fmt.Fprintf(stderr, "emotion featurize: %v\n", err)
		return 2
	}
	files, err := ravdessFiles(pos)
	if err != nil {
		fmt.Fprintf(stderr, "emotion featurize: %v\n", err)
		return 1
	}
	type job struct{ file, copy int }
	type result struct {
		image, means []float32
		err          error
	}
	n := len(files) * (1 + *copies)
	results := make([]result, n)
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range max(1, *workers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			plan, _ := dsp.NewPlan(cfg)
			trim := dsp.DefaultTrim()
			for j := range jobs {
				rng := rand.New(rand.NewPCG(*seed, clipSeed(files[j.file].path, j.copy)))
				img, means, err := featurizeOne(files[j.file].path, j.copy > 0, pol, rng, plan, trim)
				results[j.file*(1+*copies)+j.copy] = result{img, means, err}
			}
		}()
	}
	for i := range files {
		for c := range 1 + *copies {
			jobs <- job{i, c}
		}
	}
	close(jobs)
	wg.Wait()

	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintf(stderr, "emotion featurize: %v\n", err)
		return 1
	}
	// Concatenate the clips' columns into one [3][H][T] array.
	h := cfg.Height
	total := 0
	for _, r := range results {
		if r.err != nil {
			continue
		}
		total += len(r.image) / (3 * h)
	}
	all := make([]float32, 3*h*total)
	var means []float32 // per written copy: the 2·h row means CenterRows removed
	idx, err := os.Create(filepath.Join(*out, "index.csv"))
	if err != nil {
		fmt.Fprintf(stderr, "emotion featurize: %v\n", err)
		return 1
	}
	w := csv.NewWriter(idx)
	w.Write([]string{"file", "actor", "label", "copy", "offset", "frames"})
	off, failed := 0, 0
	for k, r := range results {
		f := files[k/(1+*copies)]
		if r.err != nil {
			fmt.Fprintf(stderr, "emotion featurize: %s copy %d: %v\n", f.path, k%(1+*copies), r.err)
			failed++
			continue
		}
		frames := len(r.image) / (3 * h)
		for c := range 3 {
			for row := range h {
				src := r.image[(c*h+row)*frames : (c*h+row+1)*frames]
				copy(all[(c*h+row)*total+off:], src)
			}
		}
		w.Write([]string{filepath.Base(f.path), strconv.Itoa(f.actor), model.Labels[f.label],
			strconv.Itoa(k % (1 + *copies)), strconv.Itoa(off), strconv.Itoa(frames)})
		off += frames
		means = append(means, r.means...)
	}
	w.Flush()
	err = errors.Join(w.Error(), idx.Close(), writeNPY(filepath.Join(*out, "images.npy"), all, 3, h, total))
	if mp := filepath.Join(*out, "means.npy"); cfg.Center && err == nil {
		// The baseline's log-mel statistics need the means the image lost.
		err = writeNPY(mp, means, len(means)/(2*h), 2, h)
	} else if err == nil {
		os.Remove(mp) // a stale one would belong to other images
	}
	if err != nil {
		fmt.Fprintf(stderr, "emotion featurize: %v\n", err)
		return 1
	}
	cj, _ := cfg.MarshalJSON()
	tj, _ := json.Marshal(dsp.DefaultTrim())
	if err := errors.Join(os.WriteFile(filepath.Join(*out, "config.json"), cj, 0o644),
		os.WriteFile(filepath.Join(*out, "trim.json"), tj, 0o644)); err != nil {
		fmt.Fprintf(stderr, "emotion featurize: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%d clip copies (%d failed), %d frames -> %s\n", n-failed, failed, total, *out)
	if failed > 0 {
		return 1
	}
	return 0
}

// clipSeed derives a per-clip stream from the file name and copy number,
// so results do not depend on which worker ran first.
func clipSeed(path string, copy int) uint64 {
	h := fnv.New64a()
	h.Write([]byte(filepath.Base(path)))
	return h.Sum64() ^ uint64(copy)*0x9E3779B97F4A7C15
}

// featurizeOne decodes, optionally augments, trims and images one file,
// as the model sees it: rows centred if the configuration says so, with
// the means removed (nil if not centred).
func featurizeOne(path string, augmented bool, pol augment.Policy, rng *rand.Rand, plan *dsp.Plan, trim dsp.TrimConfig) (image, means []float32, err error) {
	clip, err := decodeFile(path, audio.DefaultLimits())
	if err != nil {
		return nil, nil, err
	}
	x := clip.Samples
	if augmented {
		if x, err = pol.Apply(x, rng); err != nil {
			return nil, nil, err
		}
	}
	a, b, err := trim.Trim(x)
	if err != nil {
		return nil, nil, err
	}
	var f dsp.Features
	if err := plan.ComputeImage(x[a:b], &f); err != nil {
		return nil, nil, err
	}
	if plan.Config().Center {
		means = make([]float32, 2*plan.Config().Height)
		plan.CenterRows(&f, means)
	}
	return f.Image, means, nil
}

// ravdessFile is one file named 03-01-EE-II-SS-RR-AA.wav.
type ravdessFile struct {
	path         string
	label, actor int
}

// ravdessFiles lists the RAVDESS speech files under dirs, sorted by name.
func ravdessFiles(dirs []string) ([]ravdessFile, error) {
	var files []ravdessFile
	for _, d := range dirs {
		err := filepath.WalkDir(d, func(p string, e os.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			label, actor, ok := model.ParseRAVDESSName(filepath.Base(p))
			if ok {
				files = append(files, ravdessFile{p, label, actor})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no RAVDESS-named files (03-01-EE-II-SS-RR-AA.wav) under %v", dirs)
	}
	sort.Slice(files, func(i, j int) bool { return filepath.Base(files[i].path) < filepath.Base(files[j].path) })
	return files, nil
}

// parseRange reads "MIN:MAX" (MIN ≤ MAX, both finite).
func parseRange(s string) (lo, hi float64, err error) {
	a, b, ok := strings.Cut(s, ":")
	if ok {
		if lo, err = strconv.ParseFloat(a, 64); err == nil {
			hi, err = strconv.ParseFloat(b, 64)
		}
	}
	if !ok || err != nil || math.IsNaN(lo) || math.IsInf(lo, 0) || math.IsNaN(hi) || math.IsInf(hi, 0) || lo > hi {
		return 0, 0, fmt.Errorf("%q is not a range MIN:MAX", s)
	}
	return lo, hi, nil
}
