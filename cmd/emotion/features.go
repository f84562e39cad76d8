package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"

	"emotion/dsp"
	"emotion/dsp/audio"
)

// parseInterleaved parses flags that may come before or after the
// positional arguments ("emotion image FILE -o out.png"), which the flag
// package alone stops at.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// loadConfig returns the reference configuration, or the one in the JSON
// file path if it is not empty.
func loadConfig(path string) (dsp.Config, error) {
	if path == "" {
		return dsp.Reference(), nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return dsp.Config{}, err
	}
	return dsp.ParseConfig(b)
}

// computeFile decodes name and computes its features over the whole clip
// (no trimming), as librosa would.
func computeFile(name string, lim audio.Limits, cfgPath string) (*dsp.Features, dsp.Config, error) {
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		return nil, cfg, err
	}
	clip, err := decodeFile(name, lim)
	if err != nil {
		return nil, cfg, err
	}
	if cfg.SampleRate != clip.Rate {
		return nil, cfg, fmt.Errorf("config sample rate %d Hz, but the decoder gives %d Hz", cfg.SampleRate, clip.Rate)
	}
	plan, err := dsp.NewPlan(cfg)
	if err != nil {
		return nil, cfg, err
	}
	var f dsp.Features
	if err := plan.Compute(clip.Samples, &f); err != nil {
		return nil, cfg, err
	}
	return &f, cfg, nil
}

// featuresOf parses the arguments shared by image and features (FILE,
// -o, -config, limits) and computes the features of FILE. status is
// non-zero when the command should stop with it.
func featuresOf(name, outHelp, usage string, args []string, stderr io.Writer) (f *dsp.Features, cfg dsp.Config, file, out string, status int) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := fs.String("o", "", outHelp)
	cfgPath := fs.String("config", "", "feature configuration JSON (default: the reference configuration)")
	lim := limitFlags(fs)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return nil, cfg, "", "", 2
	}
	if len(pos) != 1 || *o == "" {
		fmt.Fprintln(stderr, "usage: emotion "+usage)
		return nil, cfg, "", "", 2
	}
	f, cfg, err = computeFile(pos[0], *lim, *cfgPath)
	if err != nil {
		fmt.Fprintf(stderr, "emotion %s: %s: %v\n", name, pos[0], err)
		return nil, cfg, "", "", 1
	}
	return f, cfg, pos[0], *o, 0
}

func runImage(args []string, stdout, stderr io.Writer) int {
	f, cfg, file, out, st := featuresOf("image",
		"output PNG (required); also writes OUT-logmel.png, OUT-chroma.png, OUT-logstft.png",
		"image FILE -o out.png", args, stderr)
	if st != 0 {
		return st
	}
	base := strings.TrimSuffix(out, filepath.Ext(out))
	files := map[string]image.Image{out: rgbImage(f, cfg)}
	for c, name := range imageChannels {
		files[base+"-"+name+".png"] = grayImage(f, cfg, c)
	}
	for path, img := range files {
		if err := writePNG(path, img); err != nil {
			fmt.Fprintf(stderr, "emotion image: %v\n", err)
			return 1
		}
	}
	fmt.Fprintf(stdout, "%s: %d×%d image, 3 channels (%s) -> %s\n", file, f.Frames, cfg.Height,
		strings.Join(imageChannels[:], ", "), out)
	return 0
}

// imageChannels names the image channels in order; see package dsp.
var imageChannels = [3]string{"logmel", "chroma", "logstft"}

// pixel maps image channel c at (row, col) to 0..255. The unit norm
// already spans [0, 1]; without it, dB channels are mapped from
// [-TopDB, 0] and chroma is in [0, 1].
func pixel(f *dsp.Features, cfg dsp.Config, c, row, col int) uint8 {
	v := float64(f.Image[(c*cfg.Height+row)*f.Frames+col])
	if cfg.Norm == dsp.NormNone && c != 1 {
		v = (v + cfg.TopDB) / cfg.TopDB
	}
	return uint8(max(0, min(255, v*255+0.5)))
}

// rgbImage draws the three channels as R, G, B, low frequencies at the bottom.
func rgbImage(f *dsp.Features, cfg dsp.Config) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, f.Frames, cfg.Height))
	for row := range cfg.Height {
		y := cfg.Height - 1 - row
		for col := range f.Frames {
			img.SetRGBA(col, y, color.RGBA{pixel(f, cfg, 0, row, col), pixel(f, cfg, 1, row, col), pixel(f, cfg, 2, row, col), 255})
		}
	}
	return img
}

func grayImage(f *dsp.Features, cfg dsp.Config, c int) image.Image {
	img := image.NewGray(image.Rect(0, 0, f.Frames, cfg.Height))
	for row := range cfg.Height {
		for col := range f.Frames {
			img.SetGray(col, cfg.Height-1-row, color.Gray{pixel(f, cfg, c, row, col)})
		}
	}
	return img
}

func writePNG(path string, img image.Image) error {
	w, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(w, img); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

func runFeatures(args []string, stdout, stderr io.Writer) int {
	f, cfg, file, out, st := featuresOf("features", "output directory (required)", "features FILE -o DIR", args, stderr)
	if st != 0 {
		return st
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		fmt.Fprintf(stderr, "emotion features: %v\n", err)
		return 1
	}
	arrays := []struct {
		name  string
		data  []float32
		shape []int
	}{
		{"logmel.npy", f.LogMel, []int{cfg.NMels, f.Frames}},
		{"chroma.npy", f.Chroma, []int{cfg.NChroma, f.Frames}},
		{"logstft.npy", f.LogSTFT, []int{cfg.Bins(), f.Frames}},
		{"image.npy", f.Image, []int{3, cfg.Height, f.Frames}},
	}
	for _, a := range arrays {
		if err := writeNPY(filepath.Join(out, a.name), a.data, a.shape...); err != nil {
			fmt.Fprintf(stderr, "emotion features: %v\n", err)
			return 1
		}
	}
	fmt.Fprintf(stdout, "%s: %d frames -> %s/{logmel,chroma,logstft,image}.npy\n", file, f.Frames, out)
	return 0
}
